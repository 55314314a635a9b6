/* Client configuration for eddy's Kafka clients (produce, consume, hubs,
 * groups): where to connect and how, as librdkafka settings.
 *
 * Three inputs feed it: --bootstrap HOST:PORT[,...] (plain TCP), or an Azure
 * Event Hubs connection string (--connection-string, or the environment
 * variable EDDY_CONNECTION_STRING, so the secret need not appear in a
 * process list), and -X name=value settings passed to librdkafka unchanged.
 * A connection string
 *
 *   Endpoint=sb://NS.servicebus.windows.net/;SharedAccessKeyName=N;
 *   SharedAccessKey=K[;EntityPath=HUB][;UseDevelopmentEmulator=true]
 *
 * maps to bootstrap NS.servicebus.windows.net:9093, SASL_SSL, mechanism
 * PLAIN, user "$ConnectionString", password the whole string (as Azure's
 * Kafka endpoint expects), plus Azure's recommended keepalive and metadata
 * age. With UseDevelopmentEmulator=true it maps to SASL_PLAINTEXT on the
 * endpoint's host, port 9092 (the emulator's Kafka port; a port in the
 * Endpoint is the AMQP one and is not used). EntityPath names the default
 * hub. Keys are case-insensitive, unknown keys are ignored, and anything
 * else wrong gets an error that says what and where. */
#ifndef EDDY_CLIENT_CONFIG_H
#define EDDY_CLIENT_CONFIG_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stddef.h>

/* Where eddy connects when given neither --bootstrap nor a connection
 * string: the default listener of `eddy hub`. */
#define EDDY_CLIENT_DEFAULT_BOOTSTRAP "127.0.0.1:9092"

/* The parts of an Event Hubs connection string. Strings are owned. */
typedef struct eddy_conn_string {
    char *host;        /* the Endpoint's host, without scheme, port or path */
    char *key_name;    /* SharedAccessKeyName */
    char *key;         /* SharedAccessKey */
    char *entity_path; /* EntityPath, or NULL */
    bool emulator;     /* UseDevelopmentEmulator=true */
} eddy_conn_string;

/* Parses s. Returns 0, or EDDY_ERR_INVALID_ARG with a message in err (the
 * message never contains the key). */
int eddy_conn_string_parse(const char *s, eddy_conn_string *cs, char *err, size_t errlen);
void eddy_conn_string_deinit(eddy_conn_string *cs);

typedef struct eddy_client_setting {
    char *name;
    char *value;
} eddy_client_setting;

/* librdkafka settings: `base` (connection, then what the command adds as
 * its defaults) applied first, then `overrides` (-X), which win. */
typedef struct eddy_client_config {
    eddy_client_setting *base;
    size_t nbase;
    eddy_client_setting *overrides;
    size_t noverrides;
    char *hub;       /* --hub, else the connection string's EntityPath; may be NULL */
    char *endpoint;  /* what to name in messages: the bootstrap servers */
    bool event_hubs; /* configured from a connection string */
} eddy_client_config;

typedef struct eddy_client_opts {
    const char *bootstrap;         /* --bootstrap, or NULL */
    const char *connection_string; /* --connection-string, or NULL */
    const char *hub;               /* --hub, or NULL */
    const char *const *props;      /* -X values, "name=value" */
    size_t nprops;
    bool no_env; /* ignore EDDY_CONNECTION_STRING (tests) */
} eddy_client_opts;

/* Builds the settings from the options. Returns 0, or EDDY_ERR_INVALID_ARG
 * (both --bootstrap and a connection string; a bad string; a -X without
 * '='; --hub different from EntityPath) or EDDY_ERR_NOMEM, with a message in
 * err. */
int eddy_client_config_build(const eddy_client_opts *opts, eddy_client_config *cfg, char *err,
                             size_t errlen);

void eddy_client_config_deinit(eddy_client_config *cfg);

/* Adds or replaces a base setting (a command's default; -X still wins).
 * Returns 0 or EDDY_ERR_NOMEM. */
int eddy_client_config_set(eddy_client_config *cfg, const char *name, const char *value);

/* The effective value of a setting (override, else base), or NULL. */
const char *eddy_client_config_get(const eddy_client_config *cfg, const char *name);

/* Makes a librdkafka configuration from cfg: base settings, then overrides.
 * Returns it (owned; passes to rd_kafka_new or rd_kafka_conf_destroy), or
 * NULL with librdkafka's message, naming the setting, in err. */
rd_kafka_conf_t *eddy_client_conf_new(const eddy_client_config *cfg, char *err, size_t errlen);

#endif
