/* Event hubs (Kafka topics): create, load at start-up, look up, delete.
 *
 * Layout in the data folder (docs/format/hub-meta.md):
 *   hubs/<name>/hub.meta        settings, written atomically
 *   hubs/<name>/<partition>/    the partition's log (storage module)
 * Creation and deletion touch the disk, so they run on the housekeeping
 * thread (hub->admin), never on a network thread; the map of hubs is
 * guarded by a rwlock that network threads take for reading. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/log.h"
#include "hub/capture.h"
#include "hub/hub_int.h"
#include "hub/topics.h"
#include "storage/fs.h"

#define META_MAGIC "eddy-hub-meta 1"

eddy_topic *eddy_hub_topic_get(eddy_hub *hub, const char *name, size_t len)
{
    pthread_rwlock_rdlock(&hub->topics_lock);
    eddy_topic *t = eddy_map_get(&hub->topics, name, len);
    if (t) {
        atomic_fetch_add(&t->refs, 1);
    }
    pthread_rwlock_unlock(&hub->topics_lock);
    return t;
}

static void topic_destroy(eddy_topic *t, bool remove_files)
{
    for (int32_t i = 0; i < t->npartitions; i++) {
        eddy_partition *part = &t->parts[i];
        eddy_capture_part_free(part->cap);
        part->cap = NULL;
        if (part->log) {
            if (remove_files) {
                eddy_log_delete(part->log);
            } else {
                eddy_log_close(part->log);
            }
        }
        pthread_mutex_destroy(&part->wait_mu);
        free(part->waiters);
    }
    if (remove_files) {
        char dir[4200];
        snprintf(dir, sizeof dir, "%s/hubs/%s", t->hub->cfg.data_dir, t->name);
        eddy_fs_rm_r(dir);
    }
    free(t->parts);
    free(t->name);
    free(t);
}

static void topic_cleanup(eddy_loop *loop, void *arg)
{
    eddy_topic *t = arg;
    topic_destroy(t, atomic_load(&t->deleted));
}

void eddy_hub_topic_put(eddy_topic *t)
{
    if (atomic_fetch_sub(&t->refs, 1) == 1) {
        /* Last reference of a deleted hub: remove its files off the
         * network thread. */
        eddy_loop_post(t->hub->admin, topic_cleanup, t);
    }
}

static void fill_log_config(const eddy_hub *hub, const eddy_topic *t, eddy_log_config *lc)
{
    eddy_log_config_defaults(lc);
    lc->segment_bytes = t->segment_bytes;
    lc->segment_ms = hub->cfg.segment_ms;
    lc->retention_ms = t->retention_ms;
    lc->retention_bytes = t->retention_bytes;
    /* The batch limit is checked (and reported) by the produce path; the
     * log's own check only guards against a batch beyond any setting. */
    lc->max_batch_bytes = (int32_t)(t->max_event_bytes + 4096);
    lc->fsync = hub->cfg.fsync == EDDY_HUB_FSYNC_ALWAYS     ? EDDY_FSYNC_ALWAYS
                : hub->cfg.fsync == EDDY_HUB_FSYNC_INTERVAL ? EDDY_FSYNC_INTERVAL
                                                            : EDDY_FSYNC_NEVER;
    if (hub->cfg.fsync == EDDY_HUB_FSYNC_INTERVAL) {
        lc->fsync_interval_ms = hub->cfg.fsync_interval_ms;
    }
}

static int write_meta(const eddy_hub *hub, const eddy_topic *t)
{
    char path[4200], text[1024], id[33];
    for (int i = 0; i < 16; i++) {
        snprintf(id + 2 * i, 3, "%02x", t->id[i]);
    }
    int n = snprintf(text, sizeof text,
                     META_MAGIC "\n"
                                "name=%s\n"
                                "id=%s\n"
                                "partitions=%d\n"
                                "timestamp=%s\n"
                                "retention-ms=%lld\n"
                                "retention-bytes=%lld\n"
                                "segment-bytes=%lld\n"
                                "max-event-bytes=%lld\n",
                     t->name, id, t->npartitions,
                     t->timestamp_type == EDDY_TS_CREATE ? "create" : "append",
                     (long long)t->retention_ms, (long long)t->retention_bytes,
                     (long long)t->segment_bytes, (long long)t->max_event_bytes);
    snprintf(path, sizeof path, "%s/hubs/%s/hub.meta", hub->cfg.data_dir, t->name);
    return eddy_fs_write_atomic(path, text, (size_t)n);
}

static int open_partitions(eddy_hub *hub, eddy_topic *t)
{
    t->parts = calloc((size_t)t->npartitions, sizeof *t->parts);
    if (!t->parts) {
        return EDDY_ERR_NOMEM;
    }
    eddy_log_config lc;
    fill_log_config(hub, t, &lc);
    for (int32_t i = 0; i < t->npartitions; i++) {
        eddy_partition *part = &t->parts[i];
        part->topic = t;
        part->index = i;
        pthread_mutex_init(&part->wait_mu, NULL);
        char dir[4200];
        snprintf(dir, sizeof dir, "%s/hubs/%s/%d", hub->cfg.data_dir, t->name, i);
        int rc = eddy_log_open(hub->store, dir, &lc, &part->log);
        if (rc) {
            eddy_log_error("hub.partition_open_failed", "hub=%s partition=%d err=%s", t->name, i,
                           eddy_err_name(rc));
            return rc;
        }
        eddy_log_set_listener(part->log, eddy_partition_on_advance, part);
    }
    return 0;
}

static eddy_topic *topic_alloc(eddy_hub *hub, const char *name, size_t len)
{
    eddy_topic *t = calloc(1, sizeof *t);
    if (!t) {
        return NULL;
    }
    t->name = strndup(name, len);
    if (!t->name) {
        free(t);
        return NULL;
    }
    t->hub = hub;
    atomic_init(&t->refs, 1); /* the map's reference */
    t->npartitions = hub->cfg.partitions;
    t->timestamp_type = hub->cfg.timestamp_type;
    t->max_event_bytes = hub->cfg.max_event_bytes;
    t->retention_ms = hub->cfg.retention_ms;
    t->retention_bytes = hub->cfg.retention_bytes;
    t->segment_bytes = hub->cfg.segment_bytes;
    const eddy_hub_topic_config *tc = eddy_hub_config_topic(&hub->cfg, t->name);
    if (tc) {
        if (tc->partitions > 0) {
            t->npartitions = tc->partitions;
        }
        if (tc->timestamp_type != EDDY_TS_DEFAULT) {
            t->timestamp_type = tc->timestamp_type;
        }
        if (tc->max_event_bytes > 0) {
            t->max_event_bytes = tc->max_event_bytes;
        }
        if (tc->retention_ms != -2) {
            t->retention_ms = tc->retention_ms;
        }
        if (tc->retention_bytes != -2) {
            t->retention_bytes = tc->retention_bytes;
        }
        if (tc->segment_bytes > 0) {
            t->segment_bytes = tc->segment_bytes;
        }
    }
    return t;
}

static void random_id(uint8_t id[16])
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, id, 16) : -1;
    if (fd >= 0) {
        close(fd);
    }
    if (n != 16) {
        uint64_t a = (uint64_t)eddy_clock_wall_ns(), b = (uint64_t)getpid() * 0x9e3779b97f4a7c15ull;
        memcpy(id, &a, 8);
        memcpy(id + 8, &b, 8);
    }
    id[6] = (uint8_t)((id[6] & 0x0f) | 0x40); /* a version-4 UUID */
    id[8] = (uint8_t)((id[8] & 0x3f) | 0x80);
}

int eddy_hub_topic_create(eddy_hub *hub, const char *name, size_t len, int32_t partitions,
                          const eddy_topic_settings *settings)
{
    if (!eddy_hub_name_valid(name, len)) {
        return EDDY_ERR_INVALID_TOPIC_EXCEPTION;
    }
    pthread_rwlock_rdlock(&hub->topics_lock);
    bool exists = eddy_map_has(&hub->topics, name, len);
    pthread_rwlock_unlock(&hub->topics_lock);
    if (exists) {
        return EDDY_ERR_TOPIC_ALREADY_EXISTS;
    }
    eddy_topic *t = topic_alloc(hub, name, len);
    if (!t) {
        return EDDY_ERR_NOMEM;
    }
    if (partitions > 0) {
        t->npartitions = partitions;
    }
    if (settings) {
        eddy_topic_settings_apply(t, settings);
    }
    random_id(t->id);
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/hubs/%s", hub->cfg.data_dir, t->name);
    int rc = eddy_fs_mkdir_p(dir, 0755);
    if (!rc) {
        rc = open_partitions(hub, t);
    }
    if (!rc) {
        rc = write_meta(hub, t);
    }
    if (rc) {
        eddy_log_error("hub.create_failed", "hub=%s err=%s", t->name, eddy_err_name(rc));
        topic_destroy(t, true);
        return rc == EDDY_ERR_NOSPACE || rc == EDDY_ERR_IO ? EDDY_ERR_KAFKA_STORAGE_ERROR : rc;
    }
    pthread_rwlock_wrlock(&hub->topics_lock);
    rc = eddy_map_put(&hub->topics, t->name, strlen(t->name), t, NULL);
    pthread_rwlock_unlock(&hub->topics_lock);
    if (rc) {
        topic_destroy(t, true);
        return rc;
    }
    eddy_log_info("hub.created", "hub=%s partitions=%d timestamp=%s", t->name, t->npartitions,
                  t->timestamp_type == EDDY_TS_CREATE ? "create" : "append");
    return 0;
}

int eddy_hub_topic_delete(eddy_hub *hub, const char *name, size_t len)
{
    pthread_rwlock_wrlock(&hub->topics_lock);
    eddy_topic *t = eddy_map_del(&hub->topics, name, len);
    pthread_rwlock_unlock(&hub->topics_lock);
    if (!t) {
        return EDDY_ERR_UNKNOWN_TOPIC_OR_PARTITION;
    }
    atomic_store(&t->deleted, true);
    eddy_log_info("hub.deleted", "hub=%s", t->name);
    eddy_hub_topic_put(t); /* drop the map's reference */
    return 0;
}

/* Parses one hub.meta; returns 0 and fills t, or an error. */
static int read_meta(eddy_hub *hub, const char *path, eddy_topic *t)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        return eddy_err_from_errno(errno);
    }
    char line[512];
    int rc = 0;
    if (!fgets(line, sizeof line, f) || strncmp(line, META_MAGIC, strlen(META_MAGIC)) != 0) {
        rc = EDDY_ERR_CORRUPT;
    }
    while (!rc && fgets(line, sizeof line, f)) {
        char *eq = strchr(line, '=');
        if (!eq) {
            continue;
        }
        *eq = '\0';
        char *v = eq + 1;
        v[strcspn(v, "\n")] = '\0';
        if (strcmp(line, "id") == 0 && strlen(v) == 32) {
            for (int i = 0; i < 16; i++) {
                unsigned x;
                sscanf(v + 2 * i, "%2x", &x);
                t->id[i] = (uint8_t)x;
            }
        } else if (strcmp(line, "partitions") == 0) {
            long n = strtol(v, NULL, 10);
            t->npartitions = n >= 1 && n <= 10000 ? (int32_t)n : 0;
        } else if (strcmp(line, "timestamp") == 0) {
            t->timestamp_type = strcmp(v, "create") == 0 ? EDDY_TS_CREATE : EDDY_TS_APPEND;
        } else if (strcmp(line, "retention-ms") == 0) {
            t->retention_ms = strtoll(v, NULL, 10);
        } else if (strcmp(line, "retention-bytes") == 0) {
            t->retention_bytes = strtoll(v, NULL, 10);
        } else if (strcmp(line, "segment-bytes") == 0) {
            t->segment_bytes = strtoll(v, NULL, 10);
        } else if (strcmp(line, "max-event-bytes") == 0) {
            t->max_event_bytes = strtoll(v, NULL, 10);
        }
    }
    fclose(f);
    if (!rc && t->npartitions < 1) {
        rc = EDDY_ERR_CORRUPT;
    }
    return rc;
}

int eddy_hub_topics_load(eddy_hub *hub, char *err, size_t errlen)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/hubs", hub->cfg.data_dir);
    int rc = eddy_fs_mkdir_p(dir, 0755);
    if (rc) {
        snprintf(err, errlen, "cannot create %s: %s", dir, eddy_err_str(rc));
        return rc;
    }
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "cannot read %s: %s", dir, strerror(errno));
        return eddy_err_from_errno(errno);
    }
    struct dirent *e;
    rc = 0;
    while (!rc && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !eddy_hub_name_valid(e->d_name, strlen(e->d_name))) {
            continue;
        }
        char path[8400];
        snprintf(path, sizeof path, "%s/%s/hub.meta", dir, e->d_name);
        if (access(path, F_OK) != 0) {
            /* A creation that never finished: its meta was never written. */
            eddy_log_warn("hub.incomplete", "dir=%s/%s action=ignored", dir, e->d_name);
            continue;
        }
        eddy_topic *t = topic_alloc(hub, e->d_name, strlen(e->d_name));
        if (!t) {
            rc = EDDY_ERR_NOMEM;
            break;
        }
        rc = read_meta(hub, path, t);
        if (rc) {
            snprintf(err, errlen, "%s: unreadable hub metadata (%s)", path, eddy_err_str(rc));
            free(t->name);
            free(t);
            break;
        }
        rc = open_partitions(hub, t);
        if (rc) {
            snprintf(err, errlen, "hub %s: cannot open its partitions (%s)", t->name,
                     eddy_err_str(rc));
            topic_destroy(t, false);
            break;
        }
        rc = eddy_map_put(&hub->topics, t->name, strlen(t->name), t, NULL);
        if (rc) {
            topic_destroy(t, false);
            break;
        }
        eddy_log_info("hub.loaded", "hub=%s partitions=%d", t->name, t->npartitions);
    }
    closedir(d);
    if (rc) {
        return rc;
    }
    /* Hubs the config declares are created if missing. */
    for (int i = 0; i < hub->cfg.ntopics; i++) {
        const eddy_hub_topic_config *tc = &hub->cfg.topics[i];
        if (eddy_map_has(&hub->topics, tc->name, strlen(tc->name))) {
            continue;
        }
        rc = eddy_hub_topic_create(hub, tc->name, strlen(tc->name), -1, NULL);
        if (rc) {
            snprintf(err, errlen, "cannot create hub %s: %s", tc->name, eddy_err_str(rc));
            return rc;
        }
    }
    return 0;
}

void eddy_hub_topics_close(eddy_hub *hub)
{
    size_t it = 0;
    void *v;
    while (eddy_map_next(&hub->topics, &it, NULL, NULL, &v)) {
        topic_destroy(v, false);
    }
    eddy_map_deinit(&hub->topics);
}

void eddy_topic_settings_apply(eddy_topic *t, const eddy_topic_settings *s)
{
    if (s->timestamp_type != EDDY_TS_DEFAULT) {
        t->timestamp_type = s->timestamp_type;
    }
    if (s->retention_ms != -2) {
        t->retention_ms = s->retention_ms;
    }
    if (s->retention_bytes != -2) {
        t->retention_bytes = s->retention_bytes;
    }
    if (s->segment_bytes > 0) {
        t->segment_bytes = s->segment_bytes;
    }
    if (s->max_event_bytes > 0) {
        t->max_event_bytes = s->max_event_bytes;
    }
}

eddy_topic *eddy_hub_topic_get_by_id(eddy_hub *hub, const uint8_t id[16])
{
    static const uint8_t zero[16];
    if (memcmp(id, zero, 16) == 0) {
        return NULL;
    }
    eddy_topic *found = NULL;
    pthread_rwlock_rdlock(&hub->topics_lock);
    size_t it = 0;
    void *v;
    while (eddy_map_next(&hub->topics, &it, NULL, NULL, &v)) {
        eddy_topic *t = v;
        if (memcmp(t->id, id, 16) == 0) {
            atomic_fetch_add(&t->refs, 1);
            found = t;
            break;
        }
    }
    pthread_rwlock_unlock(&hub->topics_lock);
    return found;
}

int eddy_hub_topic_save(eddy_hub *hub, eddy_topic *t)
{
    return write_meta(hub, t);
}
