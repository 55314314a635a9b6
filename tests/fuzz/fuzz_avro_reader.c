/* Fuzz target: Avro object container files from a lake folder.
 *
 * On arbitrary bytes, under small limits, it reads the container twice:
 *   - from memory: every datum printed as JSON (both union styles), and for
 *     EventData files decoded by the fast path, whose properties maps are
 *     walked;
 *   - from an fd (a memfd) in 7-byte reads, printing JSON again.
 * Nothing may crash or read out of bounds (ASan), and these must hold:
 *   - both readers see the same datums, JSON bytes and result, with the
 *     same error message;
 *   - the fast path and the generic decoder consume the same bytes;
 *   - JSON output never exceeds its cap by more than the cap check allows
 *     (the buffer's cap is respected). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "avro/avro.h"
#include "avro/eventdata.h"
#include "core/error.h"
#include "core/map.h"
#include "fuzz.h"

static const eddy_avro_reader_opts opts = {
    .max_header_bytes = 64 * 1024,
    .max_block_bytes = 256 * 1024,
    .max_block_datum_bytes = 256 * 1024,
    .max_block_count = 100000,
};

typedef struct result {
    int rc;
    uint64_t datums;
    uint64_t json_hash;
    char msg[384];
} result;

static volatile uint32_t sink;

static void walk_props(const uint8_t *p, size_t n)
{
    eddy_avro_props_iter it;
    eddy_avro_props_iter_init(&it, p, n);
    eddy_avro_prop prop;
    while (eddy_avro_props_next(&it, &prop) == 1) {
        for (size_t i = 0; i < prop.key_len; i++) {
            sink += prop.key[i];
        }
        for (size_t i = 0; i < prop.n; i++) {
            sink += prop.p[i];
        }
    }
}

static void read_all(eddy_avro_reader *r, result *res, bool extra)
{
    const eddy_avro_schema *s = eddy_avro_reader_schema(r);
    const eddy_avro_node *root = eddy_avro_schema_root(s);
    bool ed = eddy_avro_schema_is_eventdata(s);
    eddy_buf out;
    eddy_buf_init(&out, 1 << 20);
    eddy_reader *dr;
    int rc;
    while ((rc = eddy_avro_reader_next(r, &dr)) == 1) {
        size_t start = dr->pos;
        eddy_buf_reset(&out);
        if (eddy_avro_datum_to_json(eddy_avro_reader_decoder(r), root, dr, &out, 0)) {
            if (out.err) {
                /* The output cap: not the datum's fault; stop here. */
                res->rc = out.err;
                eddy_buf_deinit(&out);
                return;
            }
            rc = eddy_avro_reader_fail_datum(r);
            break;
        }
        res->datums++;
        res->json_hash = eddy_hash_bytes(out.data, out.len, res->json_hash);
        if (!extra) {
            continue;
        }
        size_t end = dr->pos;
        /* The same datum again: plain unions, skip, and the fast path. */
        eddy_reader again;
        eddy_avro_decoder d;
        eddy_reader_init(&again, dr->p + start, end - start);
        eddy_avro_decoder_init(&d);
        eddy_buf_reset(&out);
        if (eddy_avro_datum_to_json(&d, root, &again, &out, EDDY_AVRO_JSON_PLAIN_UNIONS) &&
            !out.err) {
            abort();
        }
        eddy_reader_init(&again, dr->p + start, end - start);
        eddy_avro_decoder_init(&d);
        if (eddy_avro_skip(&d, root, &again) || again.pos != end - start) {
            abort();
        }
        if (ed) {
            eddy_avro_eventdata ev;
            eddy_reader_init(&again, dr->p + start, end - start);
            eddy_avro_decoder_init(&d);
            if (eddy_avro_eventdata_decode(&d, &again, &ev) == 0) {
                if (again.pos != end - start) {
                    abort();
                }
                walk_props(ev.sys, ev.sys_len);
                walk_props(ev.props, ev.props_len);
                for (int32_t i = 0; i < ev.body_len; i++) {
                    sink += ev.body[i];
                }
            } else if (d.err != EDDY_ERR_LIMIT) {
                abort(); /* the generic decoder accepted it */
            }
        }
    }
    res->rc = rc;
    snprintf(res->msg, sizeof res->msg, "%s", eddy_avro_reader_error(r)->msg);
    eddy_buf_deinit(&out);
}

static int memfd = -1;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    result a = {0}, b = {0};
    eddy_avro_reader *r;
    eddy_avro_error err;
    a.rc = eddy_avro_reader_open_mem(&r, data, size, &opts, &err);
    if (a.rc == 0) {
        read_all(r, &a, true);
        eddy_avro_reader_close(r);
    } else {
        snprintf(a.msg, sizeof a.msg, "%s", err.msg);
    }

    if (memfd < 0) {
        memfd = memfd_create("fuzz_avro_reader", 0);
        if (memfd < 0) {
            return 0;
        }
    }
    if (ftruncate(memfd, 0) != 0 || pwrite(memfd, data, size, 0) != (ssize_t)size ||
        lseek(memfd, 0, SEEK_SET) != 0) {
        return 0;
    }
    eddy_avro_reader_opts o = opts;
    o.read_size = 7;
    b.rc = eddy_avro_reader_open_fd(&r, memfd, &o, &err);
    if (b.rc == 0) {
        read_all(r, &b, false);
        eddy_avro_reader_close(r);
    } else {
        snprintf(b.msg, sizeof b.msg, "%s", err.msg);
    }
    if (a.rc == EDDY_ERR_NOMEM || b.rc == EDDY_ERR_NOMEM) {
        return 0;
    }
    if (a.rc != b.rc || a.datums != b.datums || a.json_hash != b.json_hash ||
        strcmp(a.msg, b.msg) != 0) {
        abort();
    }
    return 0;
}
