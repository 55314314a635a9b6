/* Clocks: monotonic for durations and timeouts, wall for timestamps.
 * Thread-safe (vDSO clock_gettime). */
#ifndef EDDY_CORE_CLOCK_H
#define EDDY_CORE_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Monotonic nanoseconds since an arbitrary start; never goes back. */
int64_t eddy_clock_mono_ns(void);

/* Monotonic milliseconds. */
int64_t eddy_clock_mono_ms(void);

/* Wall-clock milliseconds since the Unix epoch (Kafka timestamps). */
int64_t eddy_clock_wall_ms(void);

/* Wall-clock nanoseconds since the Unix epoch. */
int64_t eddy_clock_wall_ns(void);

/* Formats ms since the epoch as ISO-8601 UTC with milliseconds and 'Z'
 * ("2026-11-24T20:00:00.123Z") into out (at least 32 bytes). Returns out. */
char *eddy_clock_format_iso_ms(int64_t ms, char *out, size_t outlen);

#endif
