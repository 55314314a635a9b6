/* librdkafka plumbing shared by eddy's client commands: collecting -X
 * settings from the command line, making a client handle with eddy's
 * defaults (quiet logs; each distinct client error printed once as
 * "eddy CMD: ..."), and turning metadata errors into sentences a user can
 * act on. */
#ifndef EDDY_CLIENT_KAFKA_H
#define EDDY_CLIENT_KAFKA_H

#include <librdkafka/rdkafka.h>
#include <stddef.h>

#include "client/config.h"

/* -X values collected by the option parser. */
typedef struct eddy_client_props {
    const char **v; /* owned array of borrowed strings */
    size_t n;
} eddy_client_props;

/* An eddy_cli_opt.each callback: appends value to the eddy_client_props at
 * ctx. Returns 0, or prints an error and returns 1. */
int eddy_client_props_add(const char *value, void *ctx);
void eddy_client_props_free(eddy_client_props *p);

/* Makes a client: the settings of cfg, then prepare(conf, arg) (may be NULL;
 * sets callbacks and opaque), then rd_kafka_new. cmd names the command in
 * messages. Returns the handle, or NULL with a message in err. */
rd_kafka_t *eddy_client_new(rd_kafka_type_t type, const char *cmd, const eddy_client_config *cfg,
                            void (*prepare)(rd_kafka_conf_t *conf, void *arg), void *arg, char *err,
                            size_t errlen);

/* Fetches metadata for hub (or all hubs when NULL) and checks it. Returns 0
 * with *md (free with rd_kafka_metadata_destroy), or -1 with a message in
 * err: the hub cannot be reached, or does not exist. */
int eddy_client_metadata(rd_kafka_t *rk, const eddy_client_config *cfg, const char *hub,
                         int timeout_ms, const struct rd_kafka_metadata **md, char *err,
                         size_t errlen);

/* Admin requests: options with request and operation timeouts of
 * timeout_ms (owned; free with rd_kafka_AdminOptions_destroy). */
rd_kafka_AdminOptions_t *eddy_client_admin_options(rd_kafka_t *rk, rd_kafka_admin_op_t op,
                                                   int timeout_ms);

/* Waits up to timeout_ms on q for an admin result. Returns the event (owned;
 * free with rd_kafka_event_destroy) with its request-level error checked,
 * or NULL with a message in err. */
rd_kafka_event_t *eddy_client_admin_wait(rd_kafka_queue_t *q, int timeout_ms, char *err,
                                         size_t errlen);

#endif
