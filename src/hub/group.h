/* The group coordinator: consumer groups and their committed offsets.
 *
 * One coordinator per hub, on its own thread and event loop, owns all group
 * state (members, generations, assignments, committed offsets), so nothing
 * in it takes a lock. Network threads talk to it with messages: a handler
 * decodes a request into an eddy_group_msg (which owns a copy of the
 * request bytes and an arena), submits it, and gets the same message back
 * through the configured reply function with the response filled in, now
 * or later (JoinGroup and SyncGroup wait for the rebalance; OffsetCommit
 * waits until its records are durable). The message has one owner at a
 * time: the submitter, then the coordinator, then the reply function.
 *
 * The rebalance protocol is Kafka's "classic" one (states Empty,
 * PreparingRebalance, CompletingRebalance, Stable, Dead); the assignment is
 * computed by the client leader, so the coordinator treats subscriptions and
 * assignments as opaque bytes. Committed offsets are records in an internal
 * log (storage module) under the hub's fsync policy, read back at start;
 * docs/format/offsets.md has the record format and docs/groups.md the
 * behaviour. */
#ifndef EDDY_HUB_GROUP_H
#define EDDY_HUB_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "io/loop.h"
#include "kafka/gen/kafka_msgs.h"
#include "storage/storage.h"

typedef struct eddy_coord eddy_coord;
typedef struct eddy_group_msg eddy_group_msg;

/* A group request travelling between a network thread and the coordinator,
 * and its response travelling back. */
struct eddy_group_msg {
    int16_t api_key;
    int16_t version;
    /* The submitter's context (the hub: the held connection and its loop);
     * the coordinator never touches it. */
    void *conn;
    eddy_loop *loop;
    /* Who asked (DescribeGroups shows it); NUL-terminated, in the arena. */
    const char *client_id;
    const char *client_host;
    /* Owned: a copy of the request body (the decoded request borrows it)
     * and the arena holding the decoded request's arrays and every part of
     * the response. The coordinator copies into group state what it keeps. */
    uint8_t *body;
    size_t body_len;
    eddy_arena arena;
    /* OffsetCommit: errors found before submitting (unknown topic or
     * partition), one per request partition in request order, or NULL. */
    int16_t *pre_errors;
    /* Set by eddy_coord_submit. */
    eddy_coord *coord;
    union {
        eddy_kafka_JoinGroupRequest JoinGroup;
        eddy_kafka_SyncGroupRequest SyncGroup;
        eddy_kafka_HeartbeatRequest Heartbeat;
        eddy_kafka_LeaveGroupRequest LeaveGroup;
        eddy_kafka_OffsetCommitRequest OffsetCommit;
        eddy_kafka_OffsetFetchRequest OffsetFetch;
        eddy_kafka_ListGroupsRequest ListGroups;
        eddy_kafka_DescribeGroupsRequest DescribeGroups;
        eddy_kafka_DeleteGroupsRequest DeleteGroups;
    } req;
    union {
        eddy_kafka_JoinGroupResponse JoinGroup;
        eddy_kafka_SyncGroupResponse SyncGroup;
        eddy_kafka_HeartbeatResponse Heartbeat;
        eddy_kafka_LeaveGroupResponse LeaveGroup;
        eddy_kafka_OffsetCommitResponse OffsetCommit;
        eddy_kafka_OffsetFetchResponse OffsetFetch;
        eddy_kafka_ListGroupsResponse ListGroups;
        eddy_kafka_DescribeGroupsResponse DescribeGroups;
        eddy_kafka_DeleteGroupsResponse DeleteGroups;
    } resp;
};

/* A new message for (api_key, version) with an empty request and response
 * (both _init'ed). Returns NULL when out of memory or for an API that is not
 * a group API. Owned: free with eddy_group_msg_free. */
eddy_group_msg *eddy_group_msg_new(int16_t api_key, int16_t version);

/* Copies body[0..len) into the message and decodes the request from the
 * copy. Returns 0 or the codec's error (EDDY_ERR_PARSE, ...). */
int eddy_group_msg_decode(eddy_group_msg *m, const uint8_t *body, size_t len);

/* Appends the encoded response body. Returns 0 or b's error. */
int eddy_group_msg_encode(const eddy_group_msg *m, eddy_buf *b);

void eddy_group_msg_free(eddy_group_msg *m);

/* True for the API keys the coordinator serves. */
bool eddy_group_api(int16_t api_key);

typedef struct eddy_coord_config {
    /* The offsets log lives in dir (created if missing), opened on store
     * with the fsync policy given. Both borrowed; the store must outlive
     * the coordinator. */
    eddy_store *store;
    const char *dir;
    eddy_fsync_mode fsync;
    int64_t fsync_interval_ms;
    /* Kafka's group.initial.rebalance.delay.ms (default 300). */
    int64_t initial_rebalance_delay_ms;
    /* Offsets of a group that stays Empty this long go (default 7 days;
     * -1 = never). */
    int64_t offsets_retention_ms;
    /* How often expiry is checked (0 = from the retention, at most 60 s). */
    int64_t expiry_check_ms;
    /* Accepted session timeouts (Kafka: 6000 .. 1800000). */
    int32_t min_session_timeout_ms;
    int32_t max_session_timeout_ms;
    /* Groups that exist from the start (Empty), borrowed during new. */
    const char *const *groups;
    int ngroups;
    /* Called on the coordinator thread with a message whose response is
     * ready; takes ownership of it. */
    void (*reply)(void *ctx, eddy_group_msg *m);
    /* Called from eddy_coord_free, after every other thread stopped, for
     * each message still held (no response will come); takes ownership. */
    void (*drop)(void *ctx, eddy_group_msg *m);
    void *reply_ctx;
} eddy_coord_config;

/* Fills the defaults listed above (no store, dir, reply: the caller's). */
void eddy_coord_config_defaults(eddy_coord_config *cfg);

/* Opens the offsets log, reads it back (last write wins) and creates the
 * declared groups. Blocking disk I/O: call at start-up. Returns 0 and *out
 * (owned; eddy_coord_free), or an error with a message in err. */
int eddy_coord_new(const eddy_coord_config *cfg, eddy_coord **out, char *err, size_t errlen);

/* Starts the coordinator thread. Returns 0 or an eddy_err. */
int eddy_coord_start(eddy_coord *c);

/* Thread-safe: hands m to the coordinator (it takes ownership on success).
 * Returns 0 or EDDY_ERR_NOMEM (then the caller still owns m). */
int eddy_coord_submit(eddy_coord *c, eddy_group_msg *m);

/* Stops and joins the coordinator thread (no-op when not started). */
void eddy_coord_stop(eddy_coord *c);

/* Closes the offsets log (flushing pending commits), drops the messages
 * still held and frees everything. Call after eddy_coord_stop, when no other
 * thread submits. NULL: no-op. */
void eddy_coord_free(eddy_coord *c);

#endif
