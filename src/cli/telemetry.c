/* The telemetry generator (see telemetry.h). */
#include "cli/telemetry.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/clock.h"
#include "core/error.h"

/* xorshift64*: small, fast, deterministic. */
static uint64_t next_u64(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545f4914f6cdd1dull;
}

/* Uniform in [0, 1). */
static double next_unit(uint64_t *s)
{
    return (double)(next_u64(s) >> 11) * (1.0 / 9007199254740992.0);
}

int eddy_telemetry_init(eddy_telemetry *g, int ndevices, uint64_t seed)
{
    g->rng = seed ? seed : 0x9e3779b97f4a7c15ull;
    g->ndevices = ndevices > 0 ? ndevices : 1;
    g->devices = calloc((size_t)g->ndevices, sizeof *g->devices);
    if (!g->devices) {
        return EDDY_ERR_NOMEM;
    }
    for (int i = 0; i < g->ndevices; i++) {
        g->devices[i].temperature = 18.0 + 8.0 * next_unit(&g->rng);
        g->devices[i].humidity = 35.0 + 20.0 * next_unit(&g->rng);
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
    int id = (int)(next_u64(&g->rng) % (uint64_t)g->ndevices);
    eddy_telemetry_device *d = &g->devices[id];
    d->temperature += (next_unit(&g->rng) - 0.5) * 0.4;
    d->humidity += (next_unit(&g->rng) - 0.5) * 0.6;
    if (d->humidity < 5) {
        d->humidity = 5;
    } else if (d->humidity > 95) {
        d->humidity = 95;
    }
    double temperature = d->temperature;
    const char *status = "ok";
    double roll = next_unit(&g->rng);
    if (roll < 0.002) {
        status = "error";
        temperature += 25.0; /* a spike */
    } else if (roll < 0.02) {
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
