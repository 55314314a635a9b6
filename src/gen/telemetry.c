/* The telemetry generator (see telemetry.h). */
#include "gen/telemetry.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/clock.h"
#include "core/error.h"

int eddy_telemetry_init(eddy_telemetry *g, int ndevices, uint64_t seed)
{
    eddy_rng_seed(&g->rng, seed);
    g->ndevices = ndevices < 1 ? 1 : ndevices > 1000000 ? 1000000 : ndevices;
    g->anomaly_fraction = 0.02;
    g->devices = calloc((size_t)g->ndevices, sizeof *g->devices);
    if (!g->devices) {
        return EDDY_ERR_NOMEM;
    }
    for (int i = 0; i < g->ndevices; i++) {
        eddy_telemetry_device *d = &g->devices[i];
        d->base_temperature = d->temperature = 18.0 + 8.0 * eddy_rng_unit(&g->rng);
        d->base_humidity = d->humidity = 35.0 + 20.0 * eddy_rng_unit(&g->rng);
    }
    return 0;
}

void eddy_telemetry_deinit(eddy_telemetry *g)
{
    free(g->devices);
    g->devices = NULL;
}

size_t eddy_telemetry_next(eddy_telemetry *g, int64_t ts_ms, char *key, size_t keylen, char *value,
                           size_t valuelen)
{
    int id = (int)eddy_rng_below(&g->rng, (uint64_t)g->ndevices);
    eddy_telemetry_device *d = &g->devices[id];
    /* A step of the walk, pulled 2% of the way back to the base so that
     * long runs stay plausible. */
    d->temperature +=
        (d->base_temperature - d->temperature) * 0.02 + (eddy_rng_unit(&g->rng) - 0.5) * 0.4;
    d->humidity += (d->base_humidity - d->humidity) * 0.02 + (eddy_rng_unit(&g->rng) - 0.5) * 0.6;
    if (d->humidity < 5) {
        d->humidity = 5;
    } else if (d->humidity > 95) {
        d->humidity = 95;
    }
    double temperature = d->temperature;
    const char *status = "ok";
    double roll = eddy_rng_unit(&g->rng);
    if (roll < g->anomaly_fraction * 0.1) {
        status = "error";
        temperature += 25.0; /* a spike */
    } else if (roll < g->anomaly_fraction) {
        status = "warn";
        temperature += 6.0;
    }
    int64_t seq = d->seq++;
    char ts[40];
    eddy_clock_format_iso_ms(ts_ms, ts, sizeof ts);
    int kn = snprintf(key, keylen, "device-%04d", id);
    int vn = snprintf(value, valuelen,
                      "{\"deviceId\":\"device-%04d\",\"ts\":\"%s\",\"temperature\":%.2f,"
                      "\"humidity\":%.1f,\"status\":\"%s\",\"seq\":%lld}",
                      id, ts, temperature, d->humidity, status, (long long)seq);
    if (kn < 0 || (size_t)kn >= keylen || vn < 0 || (size_t)vn >= valuelen) {
        return 0;
    }
    return (size_t)vn;
}
