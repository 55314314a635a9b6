/* Fuzz target: the bounded reader and varint decoder. The first byte of each
 * step picks an operation; the reader must never read out of bounds and,
 * after a failure, must stay failed and return zero values. */
#include <stdlib.h>

#include "core/reader.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    eddy_reader r;
    eddy_reader_init(&r, data, size);
    while (eddy_reader_remaining(&r) > 0) {
        uint8_t op = eddy_reader_u8(&r);
        size_t before = r.pos;
        switch (op % 9) {
        case 0:
            (void)eddy_reader_i16(&r);
            break;
        case 1:
            (void)eddy_reader_i32(&r);
            break;
        case 2:
            (void)eddy_reader_i64(&r);
            break;
        case 3:
            (void)eddy_reader_uvarint(&r);
            break;
        case 4:
            (void)eddy_reader_varint(&r);
            break;
        case 5:
            (void)eddy_reader_varlong(&r);
            break;
        case 6: {
            size_t n = op >> 4;
            const uint8_t *p = eddy_reader_bytes(&r, n);
            if (p && n) {
                volatile uint8_t sink = p[n - 1];
                (void)sink;
            }
            break;
        }
        case 7: {
            eddy_reader sub = eddy_reader_sub(&r, op >> 5);
            while (eddy_reader_remaining(&sub)) {
                (void)eddy_reader_varint(&sub);
            }
            break;
        }
        default:
            (void)eddy_reader_f64(&r);
            break;
        }
        if (r.err) {
            /* Failed: at the end, and sticky. */
            if (eddy_reader_remaining(&r) != 0 || eddy_reader_i32(&r) != 0 || !r.err) {
                abort();
            }
            break;
        }
        if (r.pos < before) {
            abort();
        }
    }
    return 0;
}
