/* Sinks of streaming queries (stream.h): the query's rows formatted by the
 * output sinks of sql/output.h into a buffer, then written where they go
 * at each flush: stdout, a file rolled by size or age, or another hub.
 * While muted (a replay after a restart) rows are formatted and dropped. */
#ifndef EDDY_STREAM_SINK_H
#define EDDY_STREAM_SINK_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "client/config.h"
#include "sql/exec.h"
#include "sql/output.h"

typedef struct ssink ssink;

ssink *ssink_stdout(eddy_sql_out_format fmt, FILE *fp);
/* roll_bytes / roll_us 0: one file, path itself; else path.000001, ... */
ssink *ssink_file(eddy_sql_out_format fmt, const char *path, int64_t roll_bytes, int64_t roll_us);
/* Rows as JSON objects to hub, keyed by column key_col (-1: no key). */
ssink *ssink_hub(const eddy_client_config *cfg, const char *hub, int32_t key_col, char *err,
                 size_t errlen);

/* The eddy_sql_sink the executor writes to. */
eddy_sql_sink *ssink_sql(ssink *s);

/* Opens the output: a file sink truncates (restore == false) or goes back
 * to the recorded position (index, bytes). Returns 0 or -1 with a
 * message. */
int ssink_open(ssink *s, bool restore, uint32_t index, uint64_t bytes, uint64_t rows, char *err,
               size_t errlen);
/* Writes what was formatted; a file rolls when due (now_us). */
int ssink_flush(ssink *s, int64_t now_us, char *err, size_t errlen);
/* Flushes and makes it durable (fsync; the producer's queue delivered). */
int ssink_sync(ssink *s, int64_t now_us, char *err, size_t errlen);
void ssink_position(const ssink *s, uint32_t *index, uint64_t *bytes, uint64_t *rows);
void ssink_mute(ssink *s, bool on);
/* At the end of a bounded run: the output's last words (table). */
int ssink_close(ssink *s, int64_t now_us, char *err, size_t errlen);
void ssink_free(ssink *s);

#endif
