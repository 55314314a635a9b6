/* CRC-32C (Castagnoli) and CRC-32 (IEEE 802.3).
 *
 * CRC-32C guards Kafka record batches and eddy's own files; it uses the
 * SSE4.2 crc32 instruction on three interleaved streams when the CPU has it
 * and a slicing-by-8 table otherwise. CRC-32 (zlib's, Avro snappy blocks,
 * gzip) is slicing-by-8. Both take and return the finished (inverted) value,
 * so a running CRC continues as crc = eddy_crc32c(crc, next, n) from crc = 0.
 * Thread-safe. */
#ifndef EDDY_CORE_CRC_H
#define EDDY_CORE_CRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

uint32_t eddy_crc32c(uint32_t crc, const void *p, size_t n);

/* The table implementation, always available (tests compare the two). */
uint32_t eddy_crc32c_sw(uint32_t crc, const void *p, size_t n);

/* True when eddy_crc32c uses the SSE4.2 instruction. */
bool eddy_crc32c_hw_available(void);

uint32_t eddy_crc32(uint32_t crc, const void *p, size_t n);

/* CRC-32C of A || B from crc1 = CRC-32C(A), crc2 = CRC-32C(B) and len2 =
 * |B|, in O(log len2) (zlib's method). */
uint32_t eddy_crc32c_combine(uint32_t crc1, uint32_t crc2, size_t len2);

/* Updates a CRC-32C after bytes changed in place: crc is the CRC of a
 * message of total bytes; old and new are the n bytes at offset `at`
 * before and after the change. Costs O(n + log(total)), not O(total). */
uint32_t eddy_crc32c_patch(uint32_t crc, size_t total, size_t at, const void *old_bytes,
                           const void *new_bytes, size_t n);

#endif
