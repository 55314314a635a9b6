/* The generator interface (see gen.h): dispatch to the kinds and the
 * late-event adjustment shared by the synthetic ones. */
#include "gen/gen.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "gen/lines.h"
#include "gen/nexmark.h"
#include "gen/rng.h"
#include "gen/telemetry.h"

enum kind { KIND_TELEMETRY, KIND_NEXMARK, KIND_FILE, KIND_STDIN };

struct eddy_gen {
    enum kind kind;
    eddy_rng late_rng;
    double late_fraction;
    int64_t max_lateness_ms;
    eddy_telemetry telemetry;
    eddy_nexmark nexmark;
    eddy_line_reader lines;
    int fd; /* owned for KIND_FILE */
    char key[EDDY_TELEMETRY_KEY_MAX];
    char value[EDDY_NEXMARK_VALUE_MAX];
    char error[256];
};

void eddy_gen_config_defaults(eddy_gen_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->kind = "telemetry";
    cfg->devices = 100;
    cfg->anomaly_fraction = 0.02;
    cfg->max_lateness_ms = 5000;
    cfg->event_rate = 10000;
    cfg->max_line_bytes = 1024 * 1024;
}

int eddy_gen_new(const eddy_gen_config *cfg, eddy_gen **out, char *err, size_t errlen)
{
    *out = NULL;
    const char *kind = cfg->kind ? cfg->kind : "telemetry";
    if (!(cfg->late_fraction >= 0 && cfg->late_fraction <= 1)) {
        snprintf(err, errlen, "late fraction must be between 0 and 1");
        return EDDY_ERR_INVALID_ARG;
    }
    if (!(cfg->anomaly_fraction >= 0 && cfg->anomaly_fraction <= 1)) {
        snprintf(err, errlen, "anomaly fraction must be between 0 and 1");
        return EDDY_ERR_INVALID_ARG;
    }
    if (cfg->late_fraction > 0 && cfg->max_lateness_ms < 1) {
        snprintf(err, errlen, "max lateness must be at least 1 ms");
        return EDDY_ERR_INVALID_ARG;
    }
    eddy_gen *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(err, errlen, "out of memory");
        return EDDY_ERR_NOMEM;
    }
    g->fd = -1;
    g->late_fraction = cfg->late_fraction;
    g->max_lateness_ms = cfg->max_lateness_ms;
    eddy_rng_seed(&g->late_rng, cfg->seed ^ 0x6c617465ull); /* "late" */
    int rc = 0;
    if (strcmp(kind, "telemetry") == 0) {
        g->kind = KIND_TELEMETRY;
        if (cfg->devices < 1 || cfg->devices > 1000000) {
            snprintf(err, errlen, "devices must be 1..1000000");
            rc = EDDY_ERR_INVALID_ARG;
            goto fail;
        }
        rc = eddy_telemetry_init(&g->telemetry, cfg->devices, cfg->seed);
        if (rc) {
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
        g->telemetry.anomaly_fraction = cfg->anomaly_fraction;
    } else if (strcmp(kind, "nexmark") == 0) {
        g->kind = KIND_NEXMARK;
        eddy_nexmark_init(&g->nexmark, cfg->seed, cfg->event_rate);
    } else if (strcmp(kind, "-") == 0 || strcmp(kind, "stdin") == 0) {
        g->kind = KIND_STDIN;
        rc = eddy_line_reader_init_fd(&g->lines, cfg->fd, cfg->max_line_bytes);
    } else if (strncmp(kind, "file:", 5) == 0 && kind[5]) {
        g->kind = KIND_FILE;
        g->fd = open(kind + 5, O_RDONLY | O_CLOEXEC);
        if (g->fd < 0) {
            int e = errno;
            snprintf(err, errlen, "cannot open %s: %s", kind + 5, strerror(e));
            rc = e == ENOENT ? EDDY_ERR_NOT_FOUND : EDDY_ERR_IO;
            goto fail;
        }
        rc = eddy_line_reader_init_fd(&g->lines, g->fd, cfg->max_line_bytes);
    } else {
        snprintf(err, errlen,
                 "unknown generator '%s' (telemetry, nexmark, file:PATH or - for stdin)", kind);
        rc = EDDY_ERR_INVALID_ARG;
        goto fail;
    }
    if (rc) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    *out = g;
    return 0;
fail:
    eddy_gen_free(g);
    return rc;
}

void eddy_gen_free(eddy_gen *g)
{
    if (!g) {
        return;
    }
    if (g->kind == KIND_TELEMETRY) {
        eddy_telemetry_deinit(&g->telemetry);
    } else if (g->kind == KIND_FILE || g->kind == KIND_STDIN) {
        eddy_line_reader_deinit(&g->lines);
    }
    if (g->fd >= 0) {
        close(g->fd);
    }
    free(g);
}

/* The event time after the late-event adjustment. */
static int64_t event_time(eddy_gen *g, int64_t ts_ms)
{
    if (g->late_fraction > 0 && eddy_rng_unit(&g->late_rng) < g->late_fraction) {
        return ts_ms - 1 - (int64_t)eddy_rng_below(&g->late_rng, (uint64_t)g->max_lateness_ms);
    }
    return ts_ms;
}

int eddy_gen_next(eddy_gen *g, int64_t ts_ms, eddy_gen_event *ev)
{
    memset(ev, 0, sizeof *ev);
    g->error[0] = '\0';
    switch (g->kind) {
    case KIND_TELEMETRY: {
        int64_t ts = event_time(g, ts_ms);
        size_t n = eddy_telemetry_next(&g->telemetry, ts, g->key, sizeof g->key, g->value,
                                       sizeof g->value);
        ev->key = g->key;
        ev->key_len = strlen(g->key);
        ev->value = g->value;
        ev->value_len = n;
        ev->ts_ms = ts;
        return 1;
    }
    case KIND_NEXMARK: {
        int64_t ts = event_time(g, ts_ms);
        ev->value = g->value;
        ev->value_len = eddy_nexmark_next(&g->nexmark, ts, g->value, sizeof g->value, &ev->type);
        ev->ts_ms = ts;
        return 1;
    }
    case KIND_FILE:
    case KIND_STDIN: {
        const char *line;
        size_t len;
        int rc = eddy_line_reader_next(&g->lines, &line, &len);
        if (rc == 1) {
            ev->value = line;
            ev->value_len = len;
            ev->ts_ms = -1;
        } else if (rc == EDDY_ERR_LIMIT) {
            snprintf(g->error, sizeof g->error, "line %llu is longer than %zu bytes; skipped",
                     (unsigned long long)g->lines.line_no, g->lines.max_line);
        } else if (rc < 0) {
            snprintf(g->error, sizeof g->error, "reading %s failed: %s",
                     g->kind == KIND_STDIN ? "standard input" : "the file",
                     strerror(g->lines.read_errno));
        }
        return rc;
    }
    }
    return EDDY_ERR_INVALID_ARG;
}

const char *eddy_gen_error(const eddy_gen *g)
{
    return g->error;
}

bool eddy_gen_is_replay(const eddy_gen *g)
{
    return g->kind == KIND_FILE || g->kind == KIND_STDIN;
}

const char *eddy_gen_kind_name(const eddy_gen *g)
{
    static const char *const names[] = {"telemetry", "nexmark", "file", "stdin"};
    return names[g->kind];
}
