/* The hub: eddy's Kafka-protocol event hub server (`eddy hub`).
 *
 * A hub owns a data folder (event hubs = Kafka topics, each partition a
 * durable log), network threads that speak the Kafka protocol, and a
 * housekeeping thread. See docs/design.md ("Threads") and docs/hub.md. */
#ifndef EDDY_HUB_HUB_H
#define EDDY_HUB_HUB_H

#include <stddef.h>

#include "hub/config.h"

typedef struct eddy_hub eddy_hub;

/* Opens the data folder (recovering every partition), creates the hubs the
 * config declares, and binds the listeners. Returns 0 or an eddy_err with a
 * message in err. *out is owned: free with eddy_hub_free. */
int eddy_hub_new(const eddy_hub_config *cfg, eddy_hub **out, char *err, size_t errlen);

/* Serves until eddy_hub_stop(); then closes connections, flushes and syncs
 * the logs. Returns 0 or an eddy_err. Call from one thread. */
int eddy_hub_run(eddy_hub *hub);

/* Asks the hub to stop. Async-signal-safe (writes to an eventfd). */
void eddy_hub_stop(eddy_hub *hub);

void eddy_hub_free(eddy_hub *hub);

/* The TCP port the hub listens on (useful with port 0). */
int eddy_hub_port(const eddy_hub *hub);

/* What capture wrote since the hub started (all zero without capture). */
typedef struct eddy_hub_capture_stats {
    uint64_t files;  /* files written, empty ones included */
    uint64_t events; /* events in them */
    uint64_t bytes;  /* their size */
    uint64_t errors; /* failed attempts (retried) */
} eddy_hub_capture_stats;

void eddy_hub_get_capture_stats(eddy_hub *hub, eddy_hub_capture_stats *out);

#endif
