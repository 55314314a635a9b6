/* UTF-8 encoding of one code point, shared by the JSON readers (gen, sql). */
#ifndef EDDY_CORE_UTF8_H
#define EDDY_CORE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Writes code point cp (at most 0x10FFFF; surrogates are the caller's
 * business) as UTF-8 at out, which has room for 4 bytes. Returns the
 * number of bytes written (1 to 4). */
static inline size_t eddy_utf8_encode(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

#endif
