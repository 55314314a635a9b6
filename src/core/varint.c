/* Varint decoding (see varint.h). Encoding is inline in the header. */
#include "core/varint.h"

size_t eddy_uvarint_decode(const uint8_t *p, size_t len, size_t max_bytes, uint64_t *out)
{
    uint64_t v = 0;
    size_t lim = len < max_bytes ? len : max_bytes;
    for (size_t i = 0; i < lim; i++) {
        uint8_t b = p[i];
        if (i == max_bytes - 1) {
            /* Last permitted byte: it must end the number and fit the width. */
            unsigned bits = max_bytes == EDDY_VARINT32_MAX ? 32 - 28 : 64 - 63;
            if ((b & 0x80) || (b >> bits) != 0) {
                return 0;
            }
        }
        v |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            *out = v;
            return i + 1;
        }
    }
    return 0;
}
