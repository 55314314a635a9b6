/* Avro container files (read_avro) and the lake (lake(): Event Hubs Capture
 * files), read through src/avro one file after another; a part is a run of
 * whole files.
 *
 * read_avro: the root record's fields are the columns; a projected path
 * goes down through records (and map keys), resolving unions per datum;
 * fields no path needs are skipped by the decoder without decoding. Types:
 * int/long INT (timestamp-millis/-micros/-nanos and date: TIME), float/
 * double DOUBLE, string/bytes/fixed STRING (raw bytes), enum STRING (the
 * symbol), boolean BOOL, null null; a record or map is RECORD and an array
 * ARRAY, as JSON text (unions without Avro's type wrapper).
 *
 * lake: EventData files only (the schema is checked per file). Columns
 * SequenceNumber INT, Offset STRING, EventEnqueuedUtcTime TIME
 * (x-opt-enqueued-time, else EnqueuedTimeUtc), PartitionId INT (from the
 * path's partition folder), EventProcessedUtcTime TIME (the query's start);
 * every other path is looked up in the JSON Body by the JSON scanner.
 *
 * Strings point into the current block's data. When a block ends with a
 * chunk less than half full, the chunk's text is copied into its arena and
 * the next block (or file) goes on filling it; otherwise the chunk ends
 * with the block. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "avro/avro.h"
#include "avro/eventdata.h"
#include "core/error.h"
#include "core/map.h"
#include "sql/src_int.h"

/* ---- the lake's fixed columns ---------------------------------------------- */

enum {
    LK_SEQ,
    LK_OFFSET,
    LK_ENQUEUED,
    LK_PARTITION,
    LK_PROCESSED,
    LK_FIXED,
};

static const char *const lake_fixed[LK_FIXED] = {
    "SequenceNumber", "Offset", "EventEnqueuedUtcTime", "PartitionId", "EventProcessedUtcTime",
};

static int fixed_of(const char *name, size_t len)
{
    for (int i = 0; i < LK_FIXED; i++) {
        if (strlen(lake_fixed[i]) == len && memcmp(lake_fixed[i], name, len) == 0) {
            return i;
        }
    }
    return -1;
}

typedef struct lake_src {
    int8_t *fixed; /* per internal column: LK_*, or -1 (Body, or a path under a fixed one) */
} lake_src;

/* ---- opening files ----------------------------------------------------------- */

typedef struct afile {
    int fd;
    eddy_avro_reader *rd;
} afile;

static void afile_close(afile *f)
{
    eddy_avro_reader_close(f->rd);
    if (f->fd >= 0) {
        close(f->fd);
    }
    f->rd = NULL;
    f->fd = -1;
}

static int afile_open(const eddy_sql_src *s, uint32_t i, afile *f, char *err, size_t errlen)
{
    f->rd = NULL;
    f->fd = src_open_file(s, i, err, errlen);
    if (f->fd < 0) {
        return EDDY_ERR_IO;
    }
    eddy_avro_error aerr;
    int rc = eddy_avro_reader_open_fd(&f->rd, f->fd, NULL, &aerr);
    if (rc) {
        snprintf(err, errlen, "%s: %s", s->files[i].path, aerr.msg);
        afile_close(f);
        return rc == EDDY_ERR_NOMEM || rc == EDDY_ERR_IO ? rc : EDDY_ERR_PARSE;
    }
    const eddy_avro_node *root = eddy_avro_schema_root(eddy_avro_reader_schema(f->rd));
    if (s->opts.kind == EDDY_SQL_SRC_LAKE) {
        if (!eddy_avro_schema_is_eventdata(eddy_avro_reader_schema(f->rd))) {
            snprintf(err, errlen,
                     "%s: not an Event Hubs Capture file (its schema is not EventData)",
                     s->files[i].path);
            afile_close(f);
            return EDDY_ERR_PARSE;
        }
    } else if (root->type != EDDY_AVRO_RECORD) {
        snprintf(err, errlen, "%s: the schema's root is %s, not a record", s->files[i].path,
                 eddy_avro_type_name(root->type));
        afile_close(f);
        return EDDY_ERR_PARSE;
    }
    return 0;
}

/* ---- open, project ------------------------------------------------------------ */

static int avro_open(eddy_sql_src *s, char *err, size_t errlen)
{
    if (s->nfiles == 0) {
        return 0;
    }
    afile f;
    int rc = afile_open(s, 0, &f, err, errlen);
    if (rc) {
        return rc;
    }
    const eddy_avro_node *root = eddy_avro_schema_root(eddy_avro_reader_schema(f.rd));
    for (size_t i = 0; i < root->count && !rc; i++) {
        rc = src_names_add(&s->names, root->names[i], root->name_lens[i]);
    }
    afile_close(&f);
    if (rc) {
        snprintf(err, errlen, "out of memory");
    }
    return rc;
}

/* The fixed columns, then the keys of the first Bodies: files in path
 * order until SRC_SAMPLE_LINES events (a capture's empty windows give
 * files without any). */
static int lake_open(eddy_sql_src *s, char *err, size_t errlen)
{
    int rc = 0;
    for (int i = 0; i < LK_FIXED && !rc; i++) {
        rc = src_names_add(&s->names, lake_fixed[i], strlen(lake_fixed[i]));
    }
    if (rc || s->nfiles == 0) {
        return rc;
    }
    src_sample c = {.names = &s->names};
    eddy_map_init(&c.seen);
    for (int i = 0; i < LK_FIXED; i++) {
        eddy_map_put(&c.seen, lake_fixed[i], strlen(lake_fixed[i]), NULL, NULL);
    }
    int n = 0;
    for (size_t fi = 0; fi < s->nfiles && n < SRC_SAMPLE_LINES && !c.err; fi++) {
        afile f;
        rc = afile_open(s, (uint32_t)fi, &f, err, errlen);
        if (rc) {
            /* the first file's error now; a later one's when it is read */
            rc = fi == 0 ? rc : 0;
            break;
        }
        eddy_reader *dr;
        for (; n < SRC_SAMPLE_LINES && eddy_avro_reader_next(f.rd, &dr) == 1 && !c.err; n++) {
            eddy_avro_eventdata ev;
            if (eddy_avro_eventdata_decode(eddy_avro_reader_decoder(f.rd), dr, &ev) != 0) {
                break;
            }
            if (ev.body_len > 0) {
                jscan_keys((const char *)ev.body, (const char *)ev.body + ev.body_len,
                           src_sample_key, &c);
            }
        }
        afile_close(&f);
    }
    eddy_map_deinit(&c.seen);
    if (c.err) {
        snprintf(err, errlen, "out of memory");
        rc = c.err;
    }
    return rc;
}

static int avro_project(eddy_sql_src *s, char *err, size_t errlen)
{
    uint32_t *ids = malloc((s->nicols ? s->nicols : 1) * sizeof *ids);
    if (!ids) {
        snprintf(err, errlen, "out of memory");
        return EDDY_ERR_NOMEM;
    }
    for (size_t i = 0; i < s->nicols; i++) {
        ids[i] = (uint32_t)i;
    }
    int rc = src_ptrie_build(&s->trie, s->icols, ids, s->nicols);
    free(ids);
    if (rc) {
        snprintf(err, errlen, "out of memory");
    }
    return rc;
}

static int lake_project(eddy_sql_src *s, char *err, size_t errlen)
{
    lake_src *ls = s->kind;
    if (!ls && !(ls = s->kind = calloc(1, sizeof *ls))) {
        snprintf(err, errlen, "out of memory");
        return EDDY_ERR_NOMEM;
    }
    return src_project_body(s, fixed_of, &ls->fixed, err, errlen);
}

static void avro_close(eddy_sql_src *s)
{
    lake_src *ls = s->kind;
    if (ls) {
        free(ls->fixed);
        free(ls);
    }
    s->kind = NULL;
}

/* ---- readers ------------------------------------------------------------------- */

/* A trie node's view of one record type: the trie kid each field feeds. */
typedef struct rec_map {
    const eddy_avro_node *rec;
    int32_t *kid_of; /* rec->count entries: trie node, or -1 */
} rec_map;

typedef struct avro_reader {
    afile f;
    bool active; /* inside a file */
    uint32_t file;
    bool in_block;
    eddy_avro_block blk;
    eddy_reader br;
    int64_t datum; /* next datum of the block */
    eddy_avro_decoder dec;
    rec_map *maps; /* per trie node */
    eddy_buf json; /* RECORD / ARRAY text */
    uint32_t kept; /* rows of this chunk whose text is in the arena */
    jscan js;      /* lake: the Body */
    bool body;     /* lake: some path reads the Body */
    const char *body_p;
} avro_reader;

static int avro_reader_open(eddy_sql_src_reader *r)
{
    avro_reader *ar = calloc(1, sizeof *ar);
    if (!ar) {
        return EDDY_ERR_NOMEM;
    }
    r->kind = ar;
    ar->f.fd = -1;
    eddy_avro_decoder_init(&ar->dec);
    eddy_buf_init(&ar->json, 0);
    ar->maps = calloc(r->s->trie.nnodes ? r->s->trie.nnodes : 1, sizeof *ar->maps);
    if (!ar->maps) {
        return EDDY_ERR_NOMEM;
    }
    if (r->s->opts.kind == EDDY_SQL_SRC_LAKE) {
        ar->body = r->s->trie.nnodes > 0 && r->s->trie.nodes[0].nkids > 0;
        if (jscan_init(&ar->js, &r->s->trie, r->cols, &r->arena)) {
            return EDDY_ERR_NOMEM;
        }
    }
    return 0;
}

static void avro_reader_close(eddy_sql_src_reader *r)
{
    avro_reader *ar = r->kind;
    afile_close(&ar->f);
    for (uint32_t i = 0; i < r->s->trie.nnodes; i++) {
        free(ar->maps[i].kid_of);
    }
    free(ar->maps);
    eddy_buf_deinit(&ar->json);
    if (r->s->opts.kind == EDDY_SQL_SRC_LAKE) {
        jscan_deinit(&ar->js);
    }
    free(ar);
    r->kind = NULL;
}

static const int32_t *map_of(eddy_sql_src_reader *r, uint32_t tnode, const eddy_avro_node *rec)
{
    avro_reader *ar = r->kind;
    rec_map *m = &ar->maps[tnode];
    if (m->rec == rec) {
        return m->kid_of;
    }
    int32_t *k = realloc(m->kid_of, (rec->count ? rec->count : 1) * sizeof *k);
    if (!k) {
        return NULL;
    }
    m->kid_of = k;
    m->rec = rec;
    for (size_t i = 0; i < rec->count; i++) {
        k[i] = src_ptrie_find(&r->s->trie, tnode, rec->names[i], rec->name_lens[i]);
    }
    return k;
}

static bool is(const char *logical, const char *name)
{
    return logical && strcmp(logical, name) == 0;
}

/* v (of trie node k) into its column: by type. */
static int put_avro(eddy_sql_src_reader *r, src_col *c, const eddy_avro_value *v, uint32_t row)
{
    avro_reader *ar = r->kind;
    const eddy_avro_node *t = v->node;
    switch (t->type) {
    case EDDY_AVRO_NULL:
        return 0;
    case EDDY_AVRO_BOOLEAN:
        src_col_put_bool(c, row, v->u.boolean);
        return 0;
    case EDDY_AVRO_INT:
    case EDDY_AVRO_LONG: {
        int64_t x = v->u.l;
        int64_t mul = 0;
        if (is(t->logical, "timestamp-millis") || is(t->logical, "local-timestamp-millis")) {
            mul = 1000;
        } else if (is(t->logical, "timestamp-micros") || is(t->logical, "local-timestamp-micros")) {
            mul = 1;
        } else if (is(t->logical, "timestamp-nanos") || is(t->logical, "local-timestamp-nanos")) {
            src_col_put_time(c, row, x / 1000 - (x % 1000 < 0 ? 1 : 0));
            return 0;
        } else if (is(t->logical, "date")) {
            mul = 86400000000;
        }
        if (!mul) {
            src_col_put_int(c, row, x);
        } else if (x <= INT64_MAX / mul && x >= INT64_MIN / mul) {
            src_col_put_time(c, row, x * mul);
        }
        return 0;
    }
    case EDDY_AVRO_FLOAT:
    case EDDY_AVRO_DOUBLE:
        src_col_put_double(c, row, v->u.d);
        return 0;
    case EDDY_AVRO_STRING:
    case EDDY_AVRO_BYTES:
    case EDDY_AVRO_FIXED:
        src_col_put_text(c, row, EDDY_SQL_V_STRING, (const char *)v->u.bytes.p, v->u.bytes.n);
        return 0;
    case EDDY_AVRO_ENUM:
        src_col_put_text(c, row, EDDY_SQL_V_STRING, t->names[v->u.l], t->name_lens[v->u.l]);
        return 0;
    default: {
        /* record, map, array: as JSON text. */
        eddy_reader sub;
        eddy_reader_init(&sub, v->u.bytes.p, v->u.bytes.n);
        eddy_buf_reset(&ar->json);
        int rc = eddy_avro_datum_to_json(&ar->dec, t, &sub, &ar->json, EDDY_AVRO_JSON_PLAIN_UNIONS);
        if (rc) {
            return rc;
        }
        char *p =
            eddy_arena_memdup(&r->arena, ar->json.data ? (void *)ar->json.data : "", ar->json.len);
        if (!p) {
            return EDDY_ERR_NOMEM;
        }
        src_col_put_text(c, row, t->type == EDDY_AVRO_ARRAY ? EDDY_SQL_V_ARRAY : EDDY_SQL_V_RECORD,
                         p, ar->json.len);
        return 0;
    }
    }
}

static int read_record(eddy_sql_src_reader *r, uint32_t tnode, const eddy_avro_node *rec,
                       eddy_reader *rd, uint32_t row);

/* A value of trie node k: its column, and the paths below it. */
static int take(eddy_sql_src_reader *r, uint32_t k, const eddy_avro_value *v, uint32_t row)
{
    avro_reader *ar = r->kind;
    const src_pnode *n = &r->s->trie.nodes[k];
    const eddy_avro_node *t = v->node;
    int rc = 0;
    if (n->nkids && t->type == EDDY_AVRO_RECORD) {
        eddy_reader sub;
        eddy_reader_init(&sub, v->u.bytes.p, v->u.bytes.n);
        rc = read_record(r, k, t, &sub, row);
    } else if (n->nkids && t->type == EDDY_AVRO_MAP) {
        eddy_reader sub;
        eddy_reader_init(&sub, v->u.bytes.p, v->u.bytes.n);
        eddy_avro_coll coll;
        eddy_avro_coll_begin(&coll, &ar->dec, t, &sub);
        const uint8_t *key;
        size_t klen;
        while ((rc = eddy_avro_coll_next(&coll, &key, &klen)) == 1) {
            int32_t kid = src_ptrie_find(&r->s->trie, k, (const char *)key, klen);
            eddy_avro_value ev;
            if (kid < 0) {
                rc = eddy_avro_skip(&ar->dec, t->items[0], &sub);
            } else if (!(rc = eddy_avro_read_value(&ar->dec, t->items[0], &sub, &ev))) {
                rc = take(r, (uint32_t)kid, &ev, row);
            }
            if (rc) {
                break;
            }
        }
    }
    if (!rc && n->col >= 0) {
        rc = put_avro(r, &r->cols[n->col], v, row);
    }
    return rc;
}

static int read_record(eddy_sql_src_reader *r, uint32_t tnode, const eddy_avro_node *rec,
                       eddy_reader *rd, uint32_t row)
{
    avro_reader *ar = r->kind;
    const int32_t *kid_of = map_of(r, tnode, rec);
    if (!kid_of) {
        return EDDY_ERR_NOMEM;
    }
    for (size_t i = 0; i < rec->count; i++) {
        int rc;
        if (kid_of[i] < 0) {
            rc = eddy_avro_skip(&ar->dec, rec->items[i], rd);
        } else {
            eddy_avro_value v;
            rc = eddy_avro_read_value(&ar->dec, rec->items[i], rd, &v);
            if (!rc) {
                rc = take(r, (uint32_t)kid_of[i], &v, row);
            }
        }
        if (rc) {
            return rc;
        }
    }
    return 0;
}

/* One EventData datum into row. Returns 0, a decoder error, or
 * EDDY_ERR_PARSE for a Body that is not a JSON object (js has it). */
static int read_event(eddy_sql_src_reader *r, eddy_reader *rd, uint32_t row, int64_t *seq)
{
    avro_reader *ar = r->kind;
    const eddy_sql_src *s = r->s;
    const lake_src *ls = s->kind;
    eddy_avro_eventdata ev;
    int rc = eddy_avro_eventdata_decode(&ar->dec, rd, &ev);
    if (rc) {
        return rc;
    }
    *seq = ev.sequence_number;
    for (size_t i = 0; i < s->nicols; i++) {
        src_col *c = &r->cols[i];
        switch (ls->fixed[i]) {
        case LK_SEQ:
            src_col_put_int(c, row, ev.sequence_number);
            break;
        case LK_OFFSET:
            src_col_put_text(c, row, EDDY_SQL_V_STRING, (const char *)ev.offset, ev.offset_len);
            break;
        case LK_ENQUEUED:
            if (ev.enqueued_ms != INT64_MIN && ev.enqueued_ms <= INT64_MAX / 1000 &&
                ev.enqueued_ms >= INT64_MIN / 1000) {
                src_col_put_time(c, row, ev.enqueued_ms * 1000);
            }
            break;
        case LK_PARTITION:
            if (s->files[ar->file].partition >= 0) {
                src_col_put_int(c, row, s->files[ar->file].partition);
            }
            break;
        case LK_PROCESSED:
            src_col_put_time(c, row, s->opts.processed_us);
            break;
        default:
            break;
        }
    }
    if (ar->body && ev.body_len >= 0) {
        const char *b = (const char *)ev.body;
        ar->body_p = b;
        if (jscan_object(&ar->js, b, b + ev.body_len, row, false) < 0) {
            return EDDY_ERR_PARSE;
        }
    }
    return 0;
}

static int avro_read(eddy_sql_src_reader *r, uint32_t *nrows, char *err, size_t errlen)
{
    avro_reader *ar = r->kind;
    const eddy_sql_src *s = r->s;
    bool lake = s->opts.kind == EDDY_SQL_SRC_LAKE;
    uint32_t row = 0;
    int rc = 0;
    ar->kept = 0;
    while (row < SRC_ROWS) {
        if (!ar->active) {
            if (r->range >= r->range_end) {
                break;
            }
            afile_close(&ar->f);
            ar->file = s->ranges[r->range].file;
            rc = afile_open(s, ar->file, &ar->f, err, errlen);
            if (rc) {
                break;
            }
            ar->active = true;
            ar->in_block = false;
        }
        const char *path = s->files[ar->file].path;
        if (!ar->in_block) {
            if (row > 0) {
                /* The next block replaces the data this chunk points into. */
                if (row >= SRC_ROWS / 2) {
                    break;
                }
                for (size_t i = 0; i < s->nicols; i++) {
                    if (src_col_detach(&r->cols[i], ar->kept, row, &r->arena)) {
                        snprintf(err, errlen, "out of memory");
                        rc = EDDY_ERR_NOMEM;
                        goto out;
                    }
                }
                ar->kept = row;
            }
            int got = eddy_avro_reader_next_block(ar->f.rd, &ar->blk);
            if (got < 0) {
                snprintf(err, errlen, "%s: %s", path, eddy_avro_reader_error(ar->f.rd)->msg);
                rc = got == EDDY_ERR_NOMEM || got == EDDY_ERR_IO ? got : EDDY_ERR_PARSE;
                break;
            }
            if (got == 0) {
                afile_close(&ar->f);
                ar->active = false;
                r->range++;
                continue;
            }
            eddy_reader_init(&ar->br, ar->blk.data, ar->blk.len);
            ar->datum = 0;
            ar->in_block = true;
        }
        if (ar->datum == ar->blk.count) {
            size_t left = eddy_reader_remaining(&ar->br);
            if (left) {
                snprintf(err, errlen,
                         "%s: block %lld at byte %llu: %lld datums leave %zu bytes of the "
                         "block's data unread",
                         path, (long long)ar->blk.index, (unsigned long long)ar->blk.offset,
                         (long long)ar->blk.count, left);
                rc = EDDY_ERR_PARSE;
                break;
            }
            ar->in_block = false;
            continue;
        }
        eddy_avro_decoder_reset(&ar->dec);
        size_t at = ar->br.pos;
        int64_t seq = 0;
        if (lake) {
            rc = read_event(r, &ar->br, row, &seq);
        } else {
            rc = read_record(r, 0, eddy_avro_schema_root(eddy_avro_reader_schema(ar->f.rd)),
                             &ar->br, row);
        }
        if (rc == EDDY_ERR_PARSE && lake && !ar->dec.err) {
            snprintf(err, errlen,
                     "%s: block %lld at byte %llu: event %lld (SequenceNumber %lld): Body: %s at "
                     "byte %llu",
                     path, (long long)ar->blk.index, (unsigned long long)ar->blk.offset,
                     (long long)ar->datum, (long long)seq, ar->js.what ? ar->js.what : "bad JSON",
                     (unsigned long long)(ar->js.at - ar->body_p + 1));
            break;
        }
        if (rc || ar->dec.err) {
            if (rc == EDDY_ERR_NOMEM) {
                snprintf(err, errlen, "out of memory");
                break;
            }
            snprintf(err, errlen,
                     "%s: block %lld at byte %llu: datum %lld: %s (at byte %zu of the block's "
                     "data)",
                     path, (long long)ar->blk.index, (unsigned long long)ar->blk.offset,
                     (long long)ar->datum, ar->dec.what ? ar->dec.what : "malformed datum",
                     ar->dec.err ? ar->dec.at : at);
            rc = EDDY_ERR_PARSE;
            break;
        }
        ar->datum++;
        row++;
    }
out:
    *nrows = row;
    return rc;
}

const src_kind_ops src_avro_ops = {
    .open = avro_open,
    .project = avro_project,
    .ranges = NULL,
    .reader_open = avro_reader_open,
    .read = avro_read,
    .reader_close = avro_reader_close,
    .close = avro_close,
};

const src_kind_ops src_lake_ops = {
    .open = lake_open,
    .project = lake_project,
    .ranges = NULL,
    .reader_open = avro_reader_open,
    .read = avro_read,
    .reader_close = avro_reader_close,
    .close = avro_close,
};
