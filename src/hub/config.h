/* Hub configuration: defaults, the config file, and command-line overrides.
 *
 * Two file formats are accepted (docs/config.md):
 *  - eddy's own: `key = value` lines, `#` comments, and `[hub NAME]` sections
 *    for per-hub settings. Top-level keys are the `eddy hub` flags without
 *    dashes (listen, advertise, data-dir, fsync, partitions, ...).
 *  - the Azure Event Hubs emulator's Config.json, as it is: its namespace
 *    name, entities (hubs) with PartitionCount, and ConsumerGroups.
 * The format is chosen by the first non-blank character ('{' = JSON). Every
 * error names the file and line (or JSON path). */
#ifndef EDDY_HUB_CONFIG_H
#define EDDY_HUB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EDDY_NAME_MAX 249

typedef enum eddy_fsync_policy {
    EDDY_HUB_FSYNC_ALWAYS = 0,
    EDDY_HUB_FSYNC_INTERVAL = 1,
    EDDY_HUB_FSYNC_NEVER = 2,
} eddy_fsync_policy;

typedef enum eddy_ts_type {
    EDDY_TS_DEFAULT = -1,
    EDDY_TS_CREATE = 0,
    EDDY_TS_APPEND = 1,
} eddy_ts_type;

typedef enum eddy_capture_codec {
    EDDY_CAPTURE_NULL = 0,
    EDDY_CAPTURE_DEFLATE = 1,
    EDDY_CAPTURE_SNAPPY = 2,
} eddy_capture_codec;

/* Capture into the lake (docs/capture.md). In the hub-wide config every
 * field has a value; in a hub's section -1 / NULL means "the hub-wide one". */
typedef struct eddy_capture_config {
    int enabled;         /* 1 on, 0 off; hub-wide -1 = on when dir is set */
    char *dir;           /* lake folder; owned; NULL = none */
    int64_t interval_ms; /* time window, whole seconds >= 1 s (300 s) */
    int64_t size_bytes;  /* size window (300 MiB) */
    int codec;           /* eddy_capture_codec (deflate) */
    int skip_empty;      /* 1 = no file for a window without events (0) */
} eddy_capture_config;

/* Per-hub settings; -1 (or EDDY_TS_DEFAULT) means "the hub-wide default". */
typedef struct eddy_hub_topic_config {
    char name[EDDY_NAME_MAX + 1];
    int32_t partitions;
    int64_t retention_ms;
    int64_t retention_bytes;
    int64_t segment_bytes;
    int64_t max_event_bytes;
    eddy_ts_type timestamp_type;
    char **groups; /* declared consumer groups besides $Default; owned */
    int ngroups;
    eddy_capture_config capture;
} eddy_hub_topic_config;

typedef struct eddy_hub_config {
    char data_dir[4096];
    char listen[300];
    char advertise[300]; /* empty = same as listen */
    char namespace_name[EDDY_NAME_MAX + 1];
    bool auto_create;
    int32_t partitions;
    int threads; /* network threads; 0 = one per core */
    eddy_fsync_policy fsync;
    int64_t fsync_interval_ms;
    int64_t max_event_bytes; /* largest batch/event accepted (1 MiB) */
    int64_t max_request_bytes;
    int64_t retention_ms;
    int64_t retention_bytes;
    int64_t segment_bytes;
    int64_t segment_ms;
    int64_t retention_check_ms; /* how often retention runs (30 s) */
    eddy_ts_type timestamp_type;
    /* Consumer groups (group.h): offsets of a group Empty this long expire
     * (7 days; -1 never); Kafka's group.initial.rebalance.delay.ms (300). */
    int64_t offsets_retention_ms;
    int64_t group_initial_rebalance_delay_ms;
    eddy_capture_config capture;
    /* Retention waits for capture at most this long past a hub's retention
     * period before it deletes events not yet captured (1 day; -1 forever). */
    int64_t capture_hold_ms;
    eddy_hub_topic_config *topics; /* declared hubs; owned */
    int ntopics;
} eddy_hub_config;

/* Fills cfg with the defaults (./eddy-data, 127.0.0.1:9092, 4 partitions,
 * auto-create on, fsync always, 1 MiB events, LogAppendTime, 7-day
 * retention). */
void eddy_hub_config_defaults(eddy_hub_config *cfg);

/* Frees what the config owns (topics, groups). */
void eddy_hub_config_deinit(eddy_hub_config *cfg);

/* Reads a config file into cfg (on top of what is there). On error returns
 * EDDY_ERR_INVALID_CONFIG (or NOT_FOUND/IO) and writes a message naming the
 * file and line into err. */
int eddy_hub_config_load(eddy_hub_config *cfg, const char *path, char *err, size_t errlen);

/* Parses text (as from a file called name) into cfg. */
int eddy_hub_config_parse(eddy_hub_config *cfg, const char *name, const char *text, size_t len,
                          char *err, size_t errlen);

/* Applies one top-level setting (the same keys as the file and the flags).
 * Returns 0 or EDDY_ERR_INVALID_CONFIG with a message in err. */
int eddy_hub_config_set(eddy_hub_config *cfg, const char *key, const char *value, char *err,
                        size_t errlen);

/* Value parsers shared with the CLI: "always" | "never" | "interval:MS". */
int eddy_parse_fsync(const char *s, eddy_fsync_policy *policy, int64_t *interval_ms);
/* "500ms", "30s", "15m", "1h", "7d", a bare number = ms; "-1"/"forever" = -1. */
int eddy_parse_duration_ms(const char *s, int64_t *out);
/* "1048576", "512KiB", "1MiB", "300MB", "1GiB"; "-1"/"unlimited" = -1. */
int eddy_parse_size(const char *s, int64_t *out);
/* "on"/"off"/"true"/"false"/"yes"/"no"/"1"/"0". */
int eddy_parse_bool(const char *s, bool *out);

/* Checks a hub (topic) name: 1..249 chars of [A-Za-z0-9._-], not "." or
 * "..". Returns true when valid. */
bool eddy_hub_name_valid(const char *name, size_t len);

/* The capture settings of hub name: its section's over the hub-wide ones.
 * out->dir is borrowed from cfg; out->enabled is 0 or 1. */
void eddy_hub_config_capture(const eddy_hub_config *cfg, const char *name,
                             eddy_capture_config *out);

/* "null" | "deflate" | "snappy". */
int eddy_parse_capture_codec(const char *s, eddy_capture_codec *out);
const char *eddy_capture_codec_name(eddy_capture_codec c);

/* Returns the declared config of a hub, or NULL. */
const eddy_hub_topic_config *eddy_hub_config_topic(const eddy_hub_config *cfg, const char *name);

#endif
