/* JSON lines files (read_json, FROM 'file.jsonl'): one object per line,
 * scanned by src_jscan.c with the projected paths.
 *
 * A reader holds a window of its file (src_fbuf: large preads into one
 * buffer; strings without escapes point into it, so the window moves only
 * between chunks: a chunk ends early where the buffer ends). Big files are
 * split into byte ranges: a range [start, end) owns the lines that begin
 * in it, so a reader of a range that does not start the file skips to just
 * past the first newline at or after start - 1, and reads on past end to
 * finish the line that crosses it. Blank lines are skipped; a UTF-8 byte
 * order mark at the start of a file is ignored. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/map.h"
#include "sql/src_int.h"

/* Input bytes the column sample reads at most. */
#define SAMPLE_BYTES ((uint64_t)16 << 20)

/* The keys of the first lines of the first file, in first-seen order.
 * Lines that do not parse are left for the reader to report. */
static int json_open(eddy_sql_src *s, char *err, size_t errlen)
{
    if (s->nfiles == 0) {
        return 0;
    }
    src_fbuf fb;
    src_sample c = {.names = &s->names};
    eddy_map_init(&c.seen);
    int rc = src_fbuf_init(&fb, s, (size_t)1 << 20);
    if (!rc) {
        rc = src_fbuf_open(&fb, 0, 0, SAMPLE_BYTES, err, errlen);
    }
    size_t lines = 0;
    while (!rc && lines < SRC_SAMPLE_LINES) {
        char *p = fb.buf + fb.pos, *lim = fb.buf + fb.len;
        char *nl = memchr(p, '\n', (size_t)(lim - p));
        if (!nl && !fb.eof) {
            if (fb.off + fb.len >= SAMPLE_BYTES) {
                break;
            }
            rc = src_fbuf_more(&fb, err, errlen);
            continue;
        }
        char *e = nl ? nl : lim;
        if (fb.off == 0 && fb.pos == 0 && e - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
            p += 3;
        }
        if (p < e) {
            jscan_keys(p, e, src_sample_key, &c);
            lines++;
        }
        if (c.err) {
            rc = c.err;
            snprintf(err, errlen, "out of memory");
        }
        if (!nl) {
            break;
        }
        fb.pos = (size_t)(nl + 1 - fb.buf);
    }
    src_fbuf_deinit(&fb);
    eddy_map_deinit(&c.seen);
    return rc;
}

static int json_project(eddy_sql_src *s, char *err, size_t errlen)
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

/* Byte ranges of about part_bytes; files up to 1.5 parts stay whole. */
static int json_ranges(eddy_sql_src *s, uint64_t part_bytes)
{
    for (size_t i = 0; i < s->nfiles; i++) {
        uint64_t size = s->files[i].size;
        if (size == 0) {
            continue;
        }
        uint64_t k = 1;
        if (size > part_bytes + part_bytes / 2) {
            k = (size + part_bytes - 1) / part_bytes;
        }
        for (uint64_t j = 0; j < k; j++) {
            uint64_t a = size / k * j, b = j + 1 == k ? size : size / k * (j + 1);
            if (src_add_range(s, (uint32_t)i, a, b)) {
                return EDDY_ERR_NOMEM;
            }
        }
    }
    return 0;
}

typedef struct json_reader {
    src_fbuf fb;
    jscan js;
    bool active;    /* inside r->range */
    bool need_sync; /* skip to past the first newline */
} json_reader;

static int json_reader_open(eddy_sql_src_reader *r)
{
    json_reader *jr = calloc(1, sizeof *jr);
    if (!jr) {
        return EDDY_ERR_NOMEM;
    }
    r->kind = jr;
    if (src_fbuf_init(&jr->fb, r->s, r->s->read_size) ||
        jscan_init(&jr->js, &r->s->trie, r->cols, &r->arena)) {
        return EDDY_ERR_NOMEM;
    }
    return 0;
}

static void json_reader_close(eddy_sql_src_reader *r)
{
    json_reader *jr = r->kind;
    src_fbuf_deinit(&jr->fb);
    jscan_deinit(&jr->js);
    free(jr);
    r->kind = NULL;
}

static int line_error(eddy_sql_src_reader *r, const char *line, char *err, size_t errlen)
{
    json_reader *jr = r->kind;
    const src_fbuf *fb = &jr->fb;
    uint64_t off = fb->off + (uint64_t)(line - fb->buf);
    uint64_t lineno = src_line_of(r->s, fb->file, off);
    snprintf(err, errlen, "%s:%llu: %s at byte %llu", r->s->files[fb->file].path,
             (unsigned long long)lineno, jr->js.what ? jr->js.what : "malformed JSON",
             (unsigned long long)(jr->js.at - line + 1));
    return EDDY_ERR_PARSE;
}

static int json_read(eddy_sql_src_reader *r, uint32_t *nrows, char *err, size_t errlen)
{
    json_reader *jr = r->kind;
    src_fbuf *fb = &jr->fb;
    const eddy_sql_src *s = r->s;
    uint32_t row = 0;
    int rc = 0;
    while (row < SRC_ROWS) {
        if (!jr->active) {
            if (r->range >= r->range_end) {
                break;
            }
            const src_range *rg = &s->ranges[r->range];
            rc = src_fbuf_open(fb, rg->file, rg->start ? rg->start - 1 : 0, rg->end, err, errlen);
            if (rc) {
                break;
            }
            jr->active = true;
            jr->need_sync = rg->start > 0;
        }
        const src_range *rg = &s->ranges[r->range];
        char *p = fb->buf + fb->pos, *lim = fb->buf + fb->len;
        uint64_t at = fb->off + fb->pos;
        if (!jr->need_sync && (at >= rg->end || (p == lim && fb->eof))) {
            jr->active = false;
            r->range++;
            continue;
        }
        char *nl = memchr(p, '\n', (size_t)(lim - p));
        if (!nl && !fb->eof) {
            /* Moving the window would invalidate this chunk's strings. */
            if (row > 0) {
                break;
            }
            rc = src_fbuf_more(fb, err, errlen);
            if (rc) {
                break;
            }
            continue;
        }
        if (jr->need_sync) {
            jr->need_sync = false;
            fb->pos = nl ? (size_t)(nl + 1 - fb->buf) : fb->len;
            continue;
        }
        char *e = nl ? nl : lim;
        const char *q = p;
        if (at == 0 && e - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
            q += 3;
        }
        int got = jscan_object(&jr->js, q, e, row, true);
        if (got < 0) {
            rc = line_error(r, p, err, errlen);
            break;
        }
        row += (uint32_t)got;
        fb->pos = nl ? (size_t)(nl + 1 - fb->buf) : fb->len;
    }
    *nrows = row;
    return rc;
}

static void json_close(eddy_sql_src *s)
{
    (void)s;
}

const src_kind_ops src_json_ops = {
    .open = json_open,
    .project = json_project,
    .ranges = json_ranges,
    .reader_open = json_reader_open,
    .read = json_read,
    .reader_close = json_reader_close,
    .close = json_close,
};
