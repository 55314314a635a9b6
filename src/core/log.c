/* key=value logging (see log.h). */
#include "core/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/clock.h"

/* Atomics: the level and fd are read by every thread and set rarely. */
static _Atomic int log_level = -1;
static _Atomic int log_fd = 2;

static const char *const level_names[] = {"debug", "info", "warn", "error", "off"};

int eddy_log_level_parse(const char *s)
{
    for (int i = 0; i <= EDDY_LOG_OFF; i++) {
        if (strcasecmp(s, level_names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

void eddy_log_set_level(eddy_log_level level)
{
    atomic_store(&log_level, (int)level);
}

eddy_log_level eddy_log_get_level(void)
{
    int l = atomic_load_explicit(&log_level, memory_order_relaxed);
    if (l < 0) {
        const char *env = getenv("EDDY_LOG_LEVEL");
        l = env ? eddy_log_level_parse(env) : -1;
        if (l < 0) {
            l = EDDY_LOG_INFO;
        }
        atomic_store(&log_level, l);
    }
    return (eddy_log_level)l;
}

void eddy_log_set_fd(int fd)
{
    atomic_store(&log_fd, fd);
}

void eddy_log_write(eddy_log_level level, const char *event, const char *fmt, ...)
{
    char line[2048];
    char ts[40];
    eddy_clock_format_iso_ms(eddy_clock_wall_ms(), ts, sizeof ts);
    int lv = level < EDDY_LOG_DEBUG || level > EDDY_LOG_ERROR ? EDDY_LOG_ERROR : (int)level;
    int n = snprintf(line, sizeof line, "ts=%s level=%s event=%s", ts, level_names[lv], event);
    if (n < 0) {
        return;
    }
    size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    if (fmt && fmt[0] && len < sizeof line - 2) {
        line[len++] = ' ';
        va_list ap;
        va_start(ap, fmt);
        int m = vsnprintf(line + len, sizeof line - len, fmt, ap);
        va_end(ap);
        if (m > 0) {
            len += (size_t)m < sizeof line - len ? (size_t)m : sizeof line - len - 1;
        } else {
            len--; /* nothing formatted: drop the separator */
        }
    }
    if (len >= sizeof line - 1) {
        len = sizeof line - 2; /* truncated line: still end it */
    }
    line[len++] = '\n';
    ssize_t w = write(atomic_load(&log_fd), line, len);
    (void)w;
}
