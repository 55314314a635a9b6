/* The driver of streaming queries (docs/sql-stream.md): eddy query over
 * hub('name') sources.
 *
 * One librdkafka consumer in a group reads every hub the query names;
 * each batch of events becomes chunks per (source, partition) for the
 * streaming executor (sql/stream.h), then the watermark moves and closed
 * windows reach the sinks: stdout, a file rolled by size or time, or
 * another hub (INTO hub('name'), one JSON object per row, keyed).
 *
 * Checkpoints (--checkpoint DIR) make the file sink's output exactly
 * once across crashes: every interval the sinks are flushed and fsynced
 * and a checkpoint file records, atomically, the sink positions, the
 * emitted watermark, the counters and per partition the next offset and
 * the replay point (sql/stream.h). A restart truncates the files to the
 * recorded lengths, replays each partition from its replay point with the
 * sinks muted (rebuilding the open windows), then goes on live. Offsets
 * are committed to the group after each checkpoint. */
#ifndef EDDY_STREAM_STREAM_H
#define EDDY_STREAM_STREAM_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "client/config.h"
#include "sql/bind.h"
#include "sql/output.h"
#include "sql/stream.h"

typedef enum eddy_stream_from {
    EDDY_STREAM_FROM_COMMITTED, /* the group's committed offsets, else latest */
    EDDY_STREAM_FROM_EARLIEST,
    EDDY_STREAM_FROM_LATEST,
} eddy_stream_from;

typedef struct eddy_stream_opts {
    const eddy_client_config *client;
    const char *group; /* NULL: eddy-query-<hash of the query> */
    eddy_stream_from from;
    bool until_end; /* read what the hubs hold at the start, close every window, exit */
    eddy_sql_stream_opts policy;
    eddy_sql_out_format format;
    FILE *out;            /* stdout, when out_path is NULL */
    const char *out_path; /* --out FILE */
    int64_t roll_bytes;   /* roll --out at this size; 0: never */
    int64_t roll_us;      /* roll --out at this age; 0: never */
    const char *checkpoint_dir;
    int64_t checkpoint_us;       /* default 10 s */
    int64_t stats_us;            /* print counters this often; 0: at exit only */
    bool quiet;                  /* no counters at exit */
    volatile sig_atomic_t *stop; /* set by a signal: checkpoint and exit */
    bool finish_on_stop;         /* a stop closes every window first (the demo) */
    /* Called once, after the first assignment of partitions (may be NULL). */
    void (*on_assigned)(void *arg);
    void *arg;
} eddy_stream_opts;

/* Runs plan (bound from text) until the end (until_end), a stop request or
 * an error. Returns 0, or an error with a message in err (a query error
 * at run time has its position in qerr when qerr->code is set). */
int eddy_stream_run(eddy_sql_plan *plan, const char *text, size_t len, const eddy_stream_opts *opts,
                    eddy_sql_error *qerr, char *err, size_t errlen);

/* The table sources of eddy query with hubs looked at before binding: a
 * hub('name') source is opened, then up to 1,000 of its latest events are
 * read (2 s at most) for the Body's top-level keys, which SELECT * lists
 * after the fixed columns. cfg (borrowed, may be NULL: no look) must
 * outlive the binding. Not thread-safe (one query per process). */
const eddy_sql_src_api *eddy_stream_src_api(const eddy_client_config *cfg);

/* The default group of a query: "eddy-query-" and 16 hex digits. */
void eddy_stream_default_group(const char *text, size_t len, char *out, size_t outlen);

#endif
