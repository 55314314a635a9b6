/* The checkpoint file of a streaming query (docs/format/checkpoint.md):
 * written to DIR/checkpoint.tmp, fsynced, renamed to DIR/checkpoint, DIR
 * fsynced; read back with every byte checked (magic, version, lengths,
 * CRC-32C). */
#ifndef EDDY_STREAM_CHECKPOINT_H
#define EDDY_STREAM_CHECKPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sql/stream.h"

typedef struct ckpt_sink {
    uint32_t index;
    uint64_t bytes;
    uint64_t rows;
} ckpt_sink;

typedef struct ckpt_part {
    char hub[256];
    int32_t partition;
    int64_t next_offset;    /* the first offset not yet read */
    uint32_t source;        /* the plan's source index */
    eddy_sql_part_state ps; /* its replay point */
} ckpt_part;

typedef struct ckpt {
    uint64_t query_hash;
    eddy_sql_stream_stats stats;
    ckpt_sink *sinks;
    uint32_t nsinks;
    ckpt_part *parts;
    uint32_t nparts;
} ckpt;

/* Writes c to dir atomically. Returns 0 or -1 with a message. */
int ckpt_write(const char *dir, const ckpt *c, char *err, size_t errlen);
/* Reads dir's checkpoint: 1 with *c (free with ckpt_free), 0 when there is
 * none, -1 with a message when it is damaged or unreadable. */
int ckpt_read(const char *dir, ckpt *c, char *err, size_t errlen);
/* Parses a checkpoint's bytes (name for messages): 1 with *c, or -1 with
 * a message. */
int ckpt_parse(const uint8_t *data, size_t len, const char *name, ckpt *c, char *err,
               size_t errlen);
void ckpt_free(ckpt *c);

#endif
