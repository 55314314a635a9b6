/* Event generators behind one interface: what `eddy produce` sends and
 * `eddy demo` uses.
 *
 *   telemetry   simulated IoT devices (telemetry.h), keyed by deviceId
 *   nexmark     the Nexmark auction stream (nexmark.h), no key
 *   file:PATH   the lines of a file, bytes unchanged (lines.h), no key
 *   -           the lines of standard input, the same way
 *
 * The caller supplies each event's on-time event time (ts_ms); for the
 * synthetic generators a fraction late_fraction of events then carry a time
 * up to max_lateness_ms earlier, drawn from a random stream of its own, so
 * they arrive out of order and, past a query's tolerance, late. Replayed
 * lines are sent as they are (their times are whatever the lines hold).
 * Everything is deterministic for a seed and the same sequence of ts_ms. An
 * eddy_gen is not thread-safe. */
#ifndef EDDY_GEN_GEN_H
#define EDDY_GEN_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct eddy_gen_config {
    const char *kind;        /* "telemetry" (default), "nexmark", "file:PATH", "-" */
    uint64_t seed;           /* default 0 */
    int devices;             /* telemetry: simulated devices (default 100) */
    double anomaly_fraction; /* telemetry: share of anomalous readings (0.02) */
    double late_fraction;    /* synthetic kinds: share of late events (0) */
    int64_t max_lateness_ms; /* synthetic kinds: how late at most (5000) */
    double event_rate;       /* nexmark: model events per second (10000) */
    size_t max_line_bytes;   /* replay: longest line sent (1 MiB) */
    int fd;                  /* "-": descriptor to read (0) */
} eddy_gen_config;

typedef struct eddy_gen_event {
    const char *key; /* NULL for none; borrowed, valid until the next call */
    size_t key_len;
    const char *value; /* borrowed, valid until the next call */
    size_t value_len;
    int64_t ts_ms; /* the event time in the body; -1 for replayed lines */
    int type;      /* nexmark: EDDY_NEXMARK_*; else 0 */
} eddy_gen_event;

typedef struct eddy_gen eddy_gen;

void eddy_gen_config_defaults(eddy_gen_config *cfg);

/* Creates a generator. Returns 0, or EDDY_ERR_INVALID_ARG (unknown kind,
 * out-of-range setting), EDDY_ERR_NOT_FOUND / EDDY_ERR_IO (a file that will
 * not open) or EDDY_ERR_NOMEM, with a message in err. The file of
 * "file:PATH" is opened here and closed by eddy_gen_free(). */
int eddy_gen_new(const eddy_gen_config *cfg, eddy_gen **out, char *err, size_t errlen);

void eddy_gen_free(eddy_gen *g);

/* Makes the next event. Returns 1 with *ev filled, 0 when a replayed input
 * has ended (synthetic kinds never end), or a negative error with a message
 * in eddy_gen_error(): EDDY_ERR_LIMIT for an over-long line, which was
 * skipped (calling again goes on), EDDY_ERR_IO when reading failed. */
int eddy_gen_next(eddy_gen *g, int64_t ts_ms, eddy_gen_event *ev);

/* The message of the last error; "" when none. */
const char *eddy_gen_error(const eddy_gen *g);

/* True for file and stdin replay (a finite input). */
bool eddy_gen_is_replay(const eddy_gen *g);

/* Short name of the kind: "telemetry", "nexmark", "file", "stdin". */
const char *eddy_gen_kind_name(const eddy_gen *g);

#endif
