/* Event hubs (topics) of the hub module: creation, deletion, settings. */
#ifndef EDDY_HUB_TOPICS_H
#define EDDY_HUB_TOPICS_H

#include "hub/hub_int.h"

/* Settings given at creation or by AlterConfigs; -2 (or EDDY_TS_DEFAULT, or
 * <= 0 for sizes) means "keep". */
typedef struct eddy_topic_settings {
    eddy_ts_type timestamp_type;
    int64_t retention_ms;
    int64_t retention_bytes;
    int64_t segment_bytes;
    int64_t max_event_bytes;
} eddy_topic_settings;

#define EDDY_TOPIC_SETTINGS_KEEP ((eddy_topic_settings){EDDY_TS_DEFAULT, -2, -2, 0, 0})

/* Creates a hub with partitions (<= 0: the default). Disk I/O: call on the
 * housekeeping thread or at start-up. Returns 0 or a Kafka error code
 * (TOPIC_ALREADY_EXISTS, INVALID_TOPIC_EXCEPTION, KAFKA_STORAGE_ERROR). */
int eddy_hub_topic_create(eddy_hub *hub, const char *name, size_t len, int32_t partitions,
                          const eddy_topic_settings *settings);

/* Removes a hub from the map; its files go when the last user lets go. */
int eddy_hub_topic_delete(eddy_hub *hub, const char *name, size_t len);

/* Looks a hub up by its topic id; returns a reference or NULL. */
eddy_topic *eddy_hub_topic_get_by_id(eddy_hub *hub, const uint8_t id[16]);

/* Persists a hub's settings (hub.meta). Disk I/O: housekeeping thread. */
int eddy_hub_topic_save(eddy_hub *hub, eddy_topic *t);

/* Loads every hub of the data folder and creates the declared ones. */
int eddy_hub_topics_load(eddy_hub *hub, char *err, size_t errlen);

/* Closes every hub (shutdown). */
void eddy_hub_topics_close(eddy_hub *hub);

void eddy_topic_settings_apply(eddy_topic *t, const eddy_topic_settings *s);

/* The storage listener: the partition's high watermark advanced (called on
 * the log writer thread). Wakes waiting fetches. */
void eddy_partition_on_advance(void *ctx);

#endif
