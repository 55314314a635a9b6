/* Leveled logging as key=value lines.
 *
 *   ts=2026-11-24T20:00:00.123Z level=info event=hub.listen addr=127.0.0.1:9092
 *
 * The caller supplies the event name and the rest of the pairs as a printf
 * format; values with spaces should be quoted by the caller ("reason=\"%s\"").
 * Each line is written with one write(2), so lines from different threads do
 * not interleave. Thread-safe. */
#ifndef EDDY_CORE_LOG_H
#define EDDY_CORE_LOG_H

typedef enum eddy_log_level {
    EDDY_LOG_DEBUG = 0,
    EDDY_LOG_INFO = 1,
    EDDY_LOG_WARN = 2,
    EDDY_LOG_ERROR = 3,
    EDDY_LOG_OFF = 4,
} eddy_log_level;

/* Sets the minimum level written (default INFO, or $EDDY_LOG_LEVEL). */
void eddy_log_set_level(eddy_log_level level);
eddy_log_level eddy_log_get_level(void);

/* Parses "debug", "info", "warn", "error", "off"; returns -1 when unknown. */
int eddy_log_level_parse(const char *s);

/* Sets the file descriptor lines go to (default 2, stderr). */
void eddy_log_set_fd(int fd);

void eddy_log_write(eddy_log_level level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The level check is a macro so disabled lines cost no argument evaluation. */
#define EDDY_LOG(level, event, ...)                                                                \
    do {                                                                                           \
        if ((level) >= eddy_log_get_level()) {                                                     \
            eddy_log_write((level), (event), __VA_ARGS__);                                         \
        }                                                                                          \
    } while (0)

#define eddy_log_debug(event, ...) EDDY_LOG(EDDY_LOG_DEBUG, event, __VA_ARGS__)
#define eddy_log_info(event, ...)  EDDY_LOG(EDDY_LOG_INFO, event, __VA_ARGS__)
#define eddy_log_warn(event, ...)  EDDY_LOG(EDDY_LOG_WARN, event, __VA_ARGS__)
#define eddy_log_error(event, ...) EDDY_LOG(EDDY_LOG_ERROR, event, __VA_ARGS__)

#endif
