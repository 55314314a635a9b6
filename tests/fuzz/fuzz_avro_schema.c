/* Fuzz target: Avro schema JSON, and datums decoded by it.
 *
 * The input is a schema's JSON text, optionally followed by a NUL byte and
 * datum bytes. The schema is parsed (nothing may crash, leak or accept
 * without a root); when it parses, the datum bytes are decoded three ways:
 * skipped, read as a value, and printed as JSON (both union styles).
 * These must hold:
 *   - what to_json accepts, read_value and skip accept too, taking the
 *     same bytes (and what read_value accepts, skip does);
 *   - a failure leaves an error description in the decoder;
 *   - an accepted schema is accepted again when re-parsed from the same
 *     text (parsing is deterministic). */
#include <stdlib.h>
#include <string.h>

#include "avro/avro.h"
#include "core/error.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t slen = nul ? (size_t)(nul - data) : size;
    const uint8_t *datum = nul ? nul + 1 : NULL;
    size_t dlen = nul ? size - slen - 1 : 0;

    eddy_avro_schema *s;
    char err[256];
    int rc = eddy_avro_schema_parse((const char *)data, slen, &s, err, sizeof err);
    if (rc != 0) {
        if (rc != EDDY_ERR_PARSE && rc != EDDY_ERR_NOMEM) {
            abort();
        }
        if (!err[0]) {
            abort(); /* every refusal says why */
        }
        return 0;
    }
    const eddy_avro_node *root = eddy_avro_schema_root(s);
    if (!root) {
        abort();
    }
    if (!datum) {
        eddy_avro_schema_free(s);
        return 0;
    }
    eddy_avro_decoder d;
    eddy_reader r;
    int ok[4];
    size_t used[4];

    eddy_avro_decoder_init(&d);
    eddy_reader_init(&r, datum, dlen);
    ok[0] = eddy_avro_skip(&d, root, &r) == 0;
    used[0] = r.pos;
    if (!ok[0] && !d.what) {
        abort();
    }

    eddy_avro_value v;
    eddy_avro_decoder_init(&d);
    eddy_reader_init(&r, datum, dlen);
    ok[1] = eddy_avro_read_value(&d, root, &r, &v) == 0;
    used[1] = r.pos;

    eddy_buf out;
    eddy_buf_init(&out, 0);
    for (int k = 0; k < 2; k++) {
        eddy_avro_decoder_init(&d);
        eddy_reader_init(&r, datum, dlen);
        eddy_buf_reset(&out);
        ok[2 + k] =
            eddy_avro_datum_to_json(&d, root, &r, &out, k ? EDDY_AVRO_JSON_PLAIN_UNIONS : 0) == 0;
        used[2 + k] = r.pos;
    }
    eddy_buf_deinit(&out);

    /* JSON walks everything; read_value decodes the top value (and skips
     * inside records, arrays and maps); skip checks least (it jumps over
     * array blocks that carry a byte size, and does not check booleans).
     * So each accepts at least what the stricter one accepts, with the
     * same length; the two JSON styles agree exactly. */
    if (ok[2] != ok[3] || (ok[2] && used[2] != used[3])) {
        abort();
    }
    if (ok[2] && (!ok[1] || used[1] != used[2])) {
        abort();
    }
    if (ok[1] && (!ok[0] || used[0] != used[1])) {
        abort();
    }
    eddy_avro_schema_free(s);

    /* Deterministic. */
    rc = eddy_avro_schema_parse((const char *)data, slen, &s, err, sizeof err);
    if (rc != 0 && rc != EDDY_ERR_NOMEM) {
        abort();
    }
    eddy_avro_schema_free(s);
    return 0;
}
