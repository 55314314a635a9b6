/* The telemetry generator: simulated IoT devices sending the JSON event of
 * ../shared/DESIGN.md, deterministic for a seed.
 *
 *   {"deviceId":"device-0042","ts":"2026-11-24T20:00:00.123Z",
 *    "temperature":21.37,"humidity":44.2,"status":"ok","seq":12345}
 *
 * Each device does a random walk in temperature and humidity around its own
 * base; now and then a device reports an anomaly (a spike, status "warn" or
 * "error"). Events are keyed by deviceId. */
#ifndef EDDY_CLI_TELEMETRY_H
#define EDDY_CLI_TELEMETRY_H

#include <stddef.h>
#include <stdint.h>

typedef struct eddy_telemetry_device {
    double temperature;
    double humidity;
    int64_t seq;
} eddy_telemetry_device;

typedef struct eddy_telemetry {
    uint64_t rng;
    int ndevices;
    eddy_telemetry_device *devices; /* owned */
} eddy_telemetry;

/* Returns 0 or EDDY_ERR_NOMEM. */
int eddy_telemetry_init(eddy_telemetry *g, int ndevices, uint64_t seed);
void eddy_telemetry_deinit(eddy_telemetry *g);

/* Writes the next event for event time ts_ms: the key (deviceId) into key
 * and the JSON body into value (NUL-terminated). Returns the body length,
 * or 0 when a buffer is too small (key: 32 bytes, value: 256 bytes
 * suffice). */
size_t eddy_telemetry_next(eddy_telemetry *g, int64_t ts_ms, char *key, size_t keylen, char *value,
                           size_t valuelen);

#endif
