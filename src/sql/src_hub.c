/* The hub source: events of a live hub as rows (sql/stream.h). The
 * stream driver (src/stream) consumes the events with a Kafka client and
 * hands them over in batches; this file turns a batch into a chunk with
 * the query's projection, like the lake's reader: the fixed columns
 * (SequenceNumber, Offset, EventEnqueuedUtcTime, PartitionId,
 * EventProcessedUtcTime, PartitionKey) beside the Body scanned as JSON by
 * the shared scanner. An event whose Body is not a JSON object is skipped
 * (counted by the caller), so one bad event cannot stop a running query. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/map.h"
#include "sql/src_int.h"
#include "sql/stream.h"

enum {
    HB_SEQ,
    HB_OFFSET,
    HB_ENQUEUED,
    HB_PARTITION,
    HB_PROCESSED,
    HB_KEY,
    HB_FIXED,
};

static const char *const hub_fixed[HB_FIXED] = {
    "SequenceNumber",        "Offset",       "EventEnqueuedUtcTime", "PartitionId",
    "EventProcessedUtcTime", "PartitionKey",
};

static int fixed_of(const char *name, size_t len)
{
    for (int i = 0; i < HB_FIXED; i++) {
        if (strlen(hub_fixed[i]) == len && memcmp(hub_fixed[i], name, len) == 0) {
            return i;
        }
    }
    return -1;
}

typedef struct hub_src {
    int8_t *fixed; /* per internal column: HB_*, or -1 (a path into the Body) */
    eddy_map seen; /* names sampled (eddy_sql_hub_add_sample) */
    bool seen_init;
} hub_src;

static hub_src *hub_state(eddy_sql_src *s)
{
    if (!s->kind) {
        s->kind = calloc(1, sizeof(hub_src));
    }
    return s->kind;
}

typedef struct hub_reader {
    jscan js;
    bool body; /* some path reads the Body */
} hub_reader;

static int hub_open(eddy_sql_src *s, char *err, size_t errlen)
{
    int rc = 0;
    for (int i = 0; i < HB_FIXED && !rc; i++) {
        rc = src_names_add(&s->names, hub_fixed[i], strlen(hub_fixed[i]));
    }
    if (rc) {
        snprintf(err, errlen, "out of memory");
    }
    return rc;
}

static int hub_project(eddy_sql_src *s, char *err, size_t errlen)
{
    hub_src *hs = hub_state(s);
    if (!hs) {
        snprintf(err, errlen, "out of memory");
        return EDDY_ERR_NOMEM;
    }
    return src_project_body(s, fixed_of, &hs->fixed, err, errlen);
}

static int hub_reader_open(eddy_sql_src_reader *r)
{
    hub_reader *hr = calloc(1, sizeof *hr);
    if (!hr) {
        return EDDY_ERR_NOMEM;
    }
    r->kind = hr;
    hr->body = r->s->trie.nnodes > 0 && r->s->trie.nodes[0].nkids > 0;
    if (jscan_init(&hr->js, &r->s->trie, r->cols, &r->arena)) {
        return EDDY_ERR_NOMEM;
    }
    return 0;
}

static int hub_read(eddy_sql_src_reader *r, uint32_t *nrows, char *err, size_t errlen)
{
    (void)r;
    (void)err;
    (void)errlen;
    *nrows = 0; /* a hub is read through eddy_sql_hub_read */
    return 0;
}

static void hub_reader_close(eddy_sql_src_reader *r)
{
    hub_reader *hr = r->kind;
    jscan_deinit(&hr->js);
    free(hr);
    r->kind = NULL;
}

static void hub_close(eddy_sql_src *s)
{
    hub_src *hs = s->kind;
    if (hs) {
        if (hs->seen_init) {
            eddy_map_deinit(&hs->seen);
        }
        free(hs->fixed);
        free(hs);
    }
    s->kind = NULL;
}

const src_kind_ops src_hub_ops = {
    .open = hub_open,
    .project = hub_project,
    .ranges = NULL,
    .reader_open = hub_reader_open,
    .read = hub_read,
    .reader_close = hub_reader_close,
    .close = hub_close,
};

static void put_fixed(eddy_sql_src_reader *r, const eddy_sql_event *ev, uint32_t row, char *obuf)
{
    const eddy_sql_src *s = r->s;
    const hub_src *hs = s->kind;
    for (size_t i = 0; i < s->nicols; i++) {
        src_col *c = &r->cols[i];
        switch (hs->fixed[i]) {
        case HB_SEQ:
            src_col_put_int(c, row, ev->offset);
            break;
        case HB_OFFSET: {
            int n = snprintf(obuf, 24, "%lld", (long long)ev->offset);
            char *p = eddy_arena_memdup(&r->arena, obuf, (size_t)n);
            if (p) {
                src_col_put_text(c, row, EDDY_SQL_V_STRING, p, (size_t)n);
            } else {
                c->oom = true;
            }
            break;
        }
        case HB_ENQUEUED:
            if (ev->enqueued_ms != INT64_MIN && ev->enqueued_ms <= INT64_MAX / 1000 &&
                ev->enqueued_ms >= INT64_MIN / 1000) {
                src_col_put_time(c, row, ev->enqueued_ms * 1000);
            }
            break;
        case HB_PARTITION:
            src_col_put_int(c, row, ev->partition);
            break;
        case HB_PROCESSED:
            src_col_put_time(c, row, ev->processed_us);
            break;
        case HB_KEY:
            if (ev->key_len >= 0) {
                src_col_put_text(c, row, EDDY_SQL_V_STRING, ev->key ? ev->key : "",
                                 (size_t)ev->key_len);
            }
            break;
        default:
            break;
        }
    }
}

static void unset_row(eddy_sql_src_reader *r, uint32_t row)
{
    for (size_t i = 0; i < r->s->nicols; i++) {
        src_col *c = &r->cols[i];
        if (c->valid[row]) {
            c->valid[row] = 0;
            c->nvalid--;
        }
    }
}

int eddy_sql_hub_add_sample(eddy_sql_src *s, const char *body, size_t len)
{
    hub_src *hs = hub_state(s);
    if (!hs) {
        return EDDY_ERR_NOMEM;
    }
    if (!hs->seen_init) {
        eddy_map_init(&hs->seen);
        hs->seen_init = true;
        for (int i = 0; i < HB_FIXED; i++) {
            if (eddy_map_put(&hs->seen, hub_fixed[i], strlen(hub_fixed[i]), NULL, NULL)) {
                return EDDY_ERR_NOMEM;
            }
        }
    }
    src_sample c = {.seen = hs->seen, .names = &s->names};
    jscan_keys(body, body + len, src_sample_key, &c); /* not an object: no keys */
    hs->seen = c.seen;
    return c.err;
}

int eddy_sql_hub_reader_open(eddy_sql_src *s, eddy_sql_src_reader **out)
{
    if (s->opts.kind != EDDY_SQL_SRC_HUB) {
        *out = NULL;
        return EDDY_ERR_INVALID_ARG;
    }
    return src_reader_new(s, 0, 0, out);
}

int eddy_sql_hub_read(eddy_sql_src_reader *r, const eddy_sql_event *ev, uint32_t n,
                      eddy_sql_chunk *chunk, uint32_t *rows_of, eddy_sql_bad_event *bad, char *err,
                      size_t errlen)
{
    const eddy_sql_src *s = r->s;
    hub_reader *hr = r->kind;
    src_reader_begin(r);
    if (n > SRC_ROWS) {
        n = SRC_ROWS;
    }
    uint32_t row = 0;
    char obuf[24];
    if (bad) {
        bad->count = 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        put_fixed(r, &ev[i], row, obuf);
        if (hr->body && ev[i].body_len >= 0) {
            const char *b = ev[i].body ? ev[i].body : "";
            if (jscan_object(&hr->js, b, b + ev[i].body_len, row, false) < 0) {
                if (bad) {
                    if (bad->count == 0) {
                        bad->first = i;
                        snprintf(bad->what, sizeof bad->what, "%s at byte %llu",
                                 hr->js.what ? hr->js.what : "not a JSON object",
                                 (unsigned long long)(hr->js.at ? hr->js.at - b + 1 : 0));
                    }
                    bad->count++;
                }
                unset_row(r, row);
                continue;
            }
        }
        if (rows_of) {
            rows_of[row] = i;
        }
        row++;
    }
    (void)s;
    return src_reader_end(r, row, chunk, err, errlen);
}
