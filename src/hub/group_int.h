/* Internal structures of the group coordinator, shared by group.c (the
 * rebalance state machine) and offsets.c (committed offsets and their log).
 * Everything here belongs to the coordinator thread. */
#ifndef EDDY_HUB_GROUP_INT_H
#define EDDY_HUB_GROUP_INT_H

#include <pthread.h>

#include "core/map.h"
#include "hub/group.h"

/* Longest group id, member id or metadata string stored (int16 lengths on
 * disk and in old protocol versions). */
#define GROUP_MAX_ID_LEN 32767
/* Kafka's offset.metadata.max.bytes. */
#define OFFSET_METADATA_MAX 4096

typedef enum group_state {
    GROUP_EMPTY = 0,
    GROUP_PREPARING = 1,  /* PreparingRebalance: collecting JoinGroups */
    GROUP_COMPLETING = 2, /* CompletingRebalance: waiting for the leader's SyncGroup */
    GROUP_STABLE = 3,
    GROUP_DEAD = 4,
} group_state;

typedef struct group group;

/* One protocol (assignor) a member supports, with its metadata. */
typedef struct member_proto {
    char *name;
    uint8_t *meta;
    int32_t meta_len;
} member_proto;

typedef struct member {
    group *group;
    char *id;          /* NUL-terminated, heap */
    char *instance_id; /* group.instance.id of a static member, or NULL */
    char *client_id;
    char *client_host;
    int32_t session_timeout_ms;
    int32_t rebalance_timeout_ms;
    char *protocol_type;
    member_proto *protos;
    int nprotos;
    uint8_t *assignment; /* from the leader's SyncGroup; NULL/0 = empty */
    int32_t assignment_len;
    eddy_group_msg *join_msg; /* a JoinGroup waiting for the rebalance */
    eddy_group_msg *sync_msg; /* a SyncGroup waiting for the leader's */
    bool pending_sync;        /* has not sent SyncGroup for this generation */
    int64_t session_deadline; /* monotonic ms */
    uint64_t session_timer;
} member;

/* A member id handed out with MEMBER_ID_REQUIRED, not yet used to join. */
typedef struct pending_member {
    group *group;
    char *id;
    uint64_t timer;
} pending_member;

/* One committed offset. */
typedef struct offset_entry {
    char *topic;
    int32_t partition;
    int64_t offset;
    int32_t leader_epoch;
    char *metadata; /* NULL = null */
    int64_t commit_ts;
} offset_entry;

struct group {
    eddy_coord *coord;
    char *id;
    size_t idlen;
    uint64_t incarnation; /* changes when a group of this id is recreated */
    group_state state;
    int32_t generation;
    char *protocol_type; /* NULL until a member joined */
    char *protocol_name; /* the selected protocol, or NULL */
    member **members;    /* in join order */
    int nmembers, capmembers;
    member *leader;
    pending_member **pending;
    int npending, cappending;
    uint64_t join_timer;
    uint64_t sync_timer;
    bool initial_delay; /* the join timer is the initial rebalance delay */
    bool new_member_added;
    int64_t initial_remaining_ms;
    eddy_map offsets;       /* [be32 partition][topic] -> offset_entry* */
    int64_t empty_since_ms; /* wall ms: Empty since, or the last commit then */
    int pending_appends;    /* offset records appended, not yet durable */
    bool declared;          /* from the config: kept while Empty */
};

typedef struct append_ctx append_ctx;

struct eddy_coord {
    eddy_coord_config cfg; /* borrowed pointers cleared after new */
    eddy_loop *loop;
    pthread_t thread;
    bool started;
    eddy_map groups; /* id -> group* */
    eddy_log *log;   /* the offsets log */
    uint64_t next_incarnation;
    uint64_t rng;
    append_ctx *appends; /* appends waiting to be durable (list) */
    uint64_t expiry_timer;
};

/* --- group.c --- */
group *coord_group_get(eddy_coord *c, const char *id, size_t len);
group *coord_group_create(eddy_coord *c, const char *id, size_t len);
/* Removes the group from the map and frees it (answering held messages). */
void coord_group_remove(eddy_coord *c, group *g);
member *group_member_find(group *g, eddy_kstr id);
void member_touch(member *mb);
void coord_reply(eddy_coord *c, eddy_group_msg *m);
int64_t coord_now_wall(void);
const char *group_state_name(group_state s);

/* --- offsets.c --- */
int offsets_open(eddy_coord *c, char *err, size_t errlen);
void offsets_close(eddy_coord *c);
void offsets_group_clear(group *g); /* frees the entries (memory only) */
void offsets_handle_commit(eddy_coord *c, eddy_group_msg *m);
void offsets_handle_fetch(eddy_coord *c, eddy_group_msg *m);
/* Appends a tombstone for every group in gs (all of them lose their
 * offsets); m (may be NULL) is answered when durable with the error of the
 * append in each DeleteGroups result still 0. */
void offsets_delete_groups(eddy_coord *c, group **gs, int n, eddy_group_msg *m);
void offsets_expiry_start(eddy_coord *c);

#endif
