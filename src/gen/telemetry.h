/* The telemetry generator: simulated IoT devices sending the JSON event of
 * ../shared/DESIGN.md, deterministic for a seed.
 *
 *   {"deviceId":"device-0042","ts":"2026-11-24T20:00:00.123Z",
 *    "temperature":21.37,"humidity":44.2,"status":"ok","seq":12345}
 *
 * Each device does a mean-reverting random walk in temperature and humidity
 * around its own base; a fraction of events (anomaly_fraction, default 2%) are anomalies:
 * nine in ten a "warn" with the temperature 6 degrees high, one in ten an
 * "error" with a 25-degree spike. seq counts each device's events from 0.
 * Events are keyed by deviceId. The event time ("ts") is the caller's; the
 * gen.h wrapper adds late and out-of-order times. Not thread-safe; use one
 * generator per thread. */
#ifndef EDDY_GEN_TELEMETRY_H
#define EDDY_GEN_TELEMETRY_H

#include <stddef.h>
#include <stdint.h>

#include "gen/rng.h"

typedef struct eddy_telemetry_device {
    double base_temperature; /* the walk is pulled back towards these */
    double base_humidity;
    double temperature;
    double humidity;
    int64_t seq;
} eddy_telemetry_device;

typedef struct eddy_telemetry {
    eddy_rng rng;
    int ndevices;
    double anomaly_fraction;        /* in [0, 1]; set after init to change */
    eddy_telemetry_device *devices; /* owned */
} eddy_telemetry;

/* Largest key and body eddy_telemetry_next() writes, with the NUL. */
#define EDDY_TELEMETRY_KEY_MAX   32
#define EDDY_TELEMETRY_VALUE_MAX 256

/* Sets up ndevices devices (at least 1, at most 1,000,000) from seed.
 * Returns 0 or EDDY_ERR_NOMEM. */
int eddy_telemetry_init(eddy_telemetry *g, int ndevices, uint64_t seed);
void eddy_telemetry_deinit(eddy_telemetry *g);

/* Writes the next event for event time ts_ms: the key (deviceId) into key
 * and the JSON body into value (both NUL-terminated). Returns the body
 * length, or 0 when a buffer is too small (EDDY_TELEMETRY_KEY_MAX and
 * EDDY_TELEMETRY_VALUE_MAX always suffice). */
size_t eddy_telemetry_next(eddy_telemetry *g, int64_t ts_ms, char *key, size_t keylen, char *value,
                           size_t valuelen);

#endif
