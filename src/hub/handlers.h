/* Request handlers of the hub, one file per API family:
 *   meta.c     ApiVersions, Metadata, FindCoordinator
 *   produce.c  Produce, InitProducerId
 *   fetch.c    Fetch (long poll, zero-copy), ListOffsets
 *   admin.c    CreateTopics, DeleteTopics, DescribeConfigs, AlterConfigs,
 *              IncrementalAlterConfigs
 *   group_api.c  JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit,
 *              OffsetFetch, ListGroups, DescribeGroups, DeleteGroups (handed
 *              to the group coordinator, group.c and offsets.c)
 * A handler decodes req->body with the generated codec, then either
 * responds (eddy_conn_response_begin/_end), finishes without a response,
 * goes async holding the connection, or closes it. */
#ifndef EDDY_HUB_HANDLERS_H
#define EDDY_HUB_HANDLERS_H

#include "core/reader.h"
#include "hub/hub_int.h"
#include "kafka/header.h"

typedef struct eddy_hub_req eddy_hub_req;

typedef struct eddy_hub_api {
    int16_t key;
    int16_t min; /* advertised minimum (always 0) */
    int16_t max; /* advertised maximum */
    void (*handle)(eddy_hub_req *req);
} eddy_hub_api;

struct eddy_hub_req {
    eddy_conn *conn;
    eddy_kafka_request_header hdr;
    eddy_reader body; /* positioned after the header */
    const eddy_hub_api *api;
};

extern const eddy_hub_api eddy_hub_apis[];
extern const size_t eddy_hub_napis;

/* n zeroed elements of type from a request's arena (NULL on failure). */
#define ARENA_ARRAY(arena, type, n) ((type *)eddy_arena_calloc((arena), (size_t)(n), sizeof(type)))

/* The broker's node id in every response. */
#define EDDY_NODE_ID 1

static inline eddy_hub *req_hub(const eddy_hub_req *req)
{
    return req->conn->worker->hub;
}

static inline int16_t req_version(const eddy_hub_req *req)
{
    return req->conn->api_version;
}

/* Closes the connection after a body that does not decode. */
void eddy_hub_bad_request(eddy_hub_req *req, int err);

void eddy_handle_ApiVersions(eddy_hub_req *req);
void eddy_handle_ApiVersions_unsupported(eddy_conn *conn);
void eddy_handle_Metadata(eddy_hub_req *req);
void eddy_handle_FindCoordinator(eddy_hub_req *req);
void eddy_handle_Produce(eddy_hub_req *req);
void eddy_handle_InitProducerId(eddy_hub_req *req);
void eddy_handle_Fetch(eddy_hub_req *req);
void eddy_handle_ListOffsets(eddy_hub_req *req);
void eddy_handle_CreateTopics(eddy_hub_req *req);
void eddy_handle_DeleteTopics(eddy_hub_req *req);
void eddy_handle_DescribeConfigs(eddy_hub_req *req);
void eddy_handle_AlterConfigs(eddy_hub_req *req);
void eddy_handle_IncrementalAlterConfigs(eddy_hub_req *req);

/* Consumer groups (group_api.c): the coordinator's handlers, and its
 * lifecycle: open at start-up (offsets log read back, declared groups
 * created), start with the threads, stop after the network threads, close
 * before the network loops are freed. */
void eddy_handle_JoinGroup(eddy_hub_req *req);
void eddy_handle_SyncGroup(eddy_hub_req *req);
void eddy_handle_Heartbeat(eddy_hub_req *req);
void eddy_handle_LeaveGroup(eddy_hub_req *req);
void eddy_handle_OffsetCommit(eddy_hub_req *req);
void eddy_handle_OffsetFetch(eddy_hub_req *req);
void eddy_handle_ListGroups(eddy_hub_req *req);
void eddy_handle_DescribeGroups(eddy_hub_req *req);
void eddy_handle_DeleteGroups(eddy_hub_req *req);
int eddy_hub_groups_open(eddy_hub *hub, const eddy_hub_config *cfg, char *err, size_t errlen);
int eddy_hub_groups_start(eddy_hub *hub);
void eddy_hub_groups_stop(eddy_hub *hub);
void eddy_hub_groups_close(eddy_hub *hub);

/* Producer ids: unique across restarts (a persisted floor). */
int eddy_hub_producer_ids_init(eddy_hub *hub, char *err, size_t errlen);

#endif
