/* ApiVersions, Metadata and FindCoordinator: what a client asks first.
 *
 * A single node answers for everything: it is the only broker, the
 * controller, the leader of every partition and the coordinator of every
 * group. Metadata may auto-create hubs (--auto-create on, the default):
 * creation runs on the housekeeping thread and the response waits for it,
 * so the client sees the new hub at once instead of retrying on
 * LEADER_NOT_AVAILABLE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "hub/handlers.h"
#include "hub/topics.h"
#include "kafka/gen/kafka_msgs.h"

void eddy_hub_bad_request(eddy_hub_req *req, int err)
{
    char why[128];
    snprintf(why, sizeof why, "malformed %s v%d request (%s)",
             eddy_kafka_api_name(req->conn->api_key), req->conn->api_version, eddy_err_name(err));
    eddy_conn_close(req->conn, why);
}

/* --- ApiVersions --- */

static void api_versions_respond(eddy_conn *conn, int16_t version, int16_t error, bool only_self)
{
    eddy_kafka_ApiVersionsResponse resp;
    eddy_kafka_ApiVersionsResponse_init(&resp);
    resp.ErrorCode = error;
    eddy_kafka_ApiVersionsResponse_ApiVersion items[32];
    size_t n = 0;
    for (size_t i = 0; i < eddy_hub_napis && n < 32; i++) {
        if (only_self && eddy_hub_apis[i].key != EDDY_KAFKA_API_ApiVersions) {
            continue;
        }
        eddy_kafka_ApiVersionsResponse_ApiVersion_init(&items[n]);
        items[n].ApiKey = eddy_hub_apis[i].key;
        items[n].MinVersion = eddy_hub_apis[i].min;
        items[n].MaxVersion = eddy_hub_apis[i].max;
        n++;
    }
    resp.ApiKeys.items = items;
    resp.ApiKeys.count = (int32_t)n;
    eddy_buf *b = eddy_conn_response_begin(conn);
    if (!b) {
        eddy_conn_close(conn, "out of memory");
        return;
    }
    eddy_kafka_ApiVersionsResponse_encode(b, version, &resp);
    eddy_conn_response_end(conn, b);
}

void eddy_handle_ApiVersions(eddy_hub_req *req)
{
    eddy_kafka_ApiVersionsRequest body;
    int rc = eddy_kafka_ApiVersionsRequest_decode(&req->body, req_version(req), &req->conn->arena,
                                                  &body);
    if (rc) {
        /* A v3+ request whose software name does not parse: librdkafka
         * retries with v0 on INVALID_REQUEST. */
        api_versions_respond(req->conn, req_version(req), EDDY_ERR_INVALID_REQUEST, false);
        return;
    }
    api_versions_respond(req->conn, req_version(req), 0, false);
}

void eddy_handle_ApiVersions_unsupported(eddy_conn *conn)
{
    /* KIP-511: a version this hub does not know gets the v0 layout with
     * UNSUPPORTED_VERSION and only the ApiVersions range, so the client can
     * retry with a version it shares. The response header is v0 always. */
    conn->api_version = 0;
    api_versions_respond(conn, 0, EDDY_ERR_UNSUPPORTED_VERSION, true);
}

/* --- Metadata --- */

typedef struct metadata_job {
    eddy_conn *conn;
    eddy_loop *loop;
    eddy_hub *hub;
    int16_t version;
    eddy_kafka_MetadataRequest body; /* borrows the frame (held while busy) */
    int16_t *create_err;             /* per requested topic: 0, or why not */
} metadata_job;

static void fill_topic(eddy_hub *hub, eddy_arena *arena, eddy_topic *t,
                       eddy_kafka_MetadataResponse_MetadataResponseTopic *out)
{
    eddy_kafka_MetadataResponse_MetadataResponseTopic_init(out);
    out->Name = eddy_kstr_from(t->name);
    memcpy(out->TopicId.b, t->id, 16);
    eddy_kafka_MetadataResponse_MetadataResponsePartition *parts =
        ARENA_ARRAY(arena, eddy_kafka_MetadataResponse_MetadataResponsePartition, t->npartitions);
    int32_t *node = ARENA_ARRAY(arena, int32_t, 1);
    if (!parts || !node) {
        out->ErrorCode = EDDY_ERR_LEADER_NOT_AVAILABLE;
        return;
    }
    *node = EDDY_NODE_ID;
    for (int32_t i = 0; i < t->npartitions; i++) {
        eddy_kafka_MetadataResponse_MetadataResponsePartition_init(&parts[i]);
        parts[i].PartitionIndex = i;
        parts[i].LeaderId = EDDY_NODE_ID;
        parts[i].LeaderEpoch = 0;
        parts[i].ReplicaNodes.items = node;
        parts[i].ReplicaNodes.count = 1;
        parts[i].IsrNodes.items = node;
        parts[i].IsrNodes.count = 1;
        parts[i].OfflineReplicas.count = 0;
    }
    out->Partitions.items = parts;
    out->Partitions.count = t->npartitions;
}

static void metadata_respond(metadata_job *job)
{
    eddy_conn *conn = job->conn;
    eddy_hub *hub = job->hub;
    eddy_arena *arena = &conn->arena;
    eddy_kafka_MetadataResponse resp;
    eddy_kafka_MetadataResponse_init(&resp);
    eddy_kafka_MetadataResponse_MetadataResponseBroker broker;
    eddy_kafka_MetadataResponse_MetadataResponseBroker_init(&broker);
    broker.NodeId = EDDY_NODE_ID;
    broker.Host = eddy_kstr_from(hub->adv_host);
    broker.Port = hub->adv_port;
    resp.Brokers.items = &broker;
    resp.Brokers.count = 1;
    resp.ClusterId = eddy_kstr_from(hub->cluster_id);
    resp.ControllerId = EDDY_NODE_ID;

    /* Topic references taken here are dropped after encoding. */
    eddy_topic **held = NULL;
    int32_t nheld = 0;
    const eddy_kafka_MetadataRequest *body = &job->body;
    bool all = body->Topics.count < 0 || (job->version == 0 && body->Topics.count == 0);
    if (all) {
        pthread_rwlock_rdlock(&hub->topics_lock);
        int32_t n = (int32_t)hub->topics.count;
        held = ARENA_ARRAY(arena, eddy_topic *, n + 1);
        resp.Topics.items =
            ARENA_ARRAY(arena, eddy_kafka_MetadataResponse_MetadataResponseTopic, n + 1);
        size_t it = 0;
        void *v;
        while (held && resp.Topics.items && eddy_map_next(&hub->topics, &it, NULL, NULL, &v)) {
            eddy_topic *t = v;
            atomic_fetch_add(&t->refs, 1);
            held[nheld++] = t;
        }
        pthread_rwlock_unlock(&hub->topics_lock);
        for (int32_t i = 0; i < nheld; i++) {
            fill_topic(hub, arena, held[i], &resp.Topics.items[i]);
        }
        resp.Topics.count = resp.Topics.items ? nheld : 0;
    } else {
        int32_t n = body->Topics.count;
        held = ARENA_ARRAY(arena, eddy_topic *, n + 1);
        resp.Topics.items =
            ARENA_ARRAY(arena, eddy_kafka_MetadataResponse_MetadataResponseTopic, n + 1);
        if (held && resp.Topics.items) {
            for (int32_t i = 0; i < n; i++) {
                const eddy_kafka_MetadataRequest_MetadataRequestTopic *rt = &body->Topics.items[i];
                eddy_kafka_MetadataResponse_MetadataResponseTopic *out = &resp.Topics.items[i];
                eddy_topic *t = NULL;
                if (rt->Name.len >= 0) {
                    t = eddy_hub_topic_get(hub, rt->Name.p, (size_t)rt->Name.len);
                } else {
                    t = eddy_hub_topic_get_by_id(hub, rt->TopicId.b);
                }
                if (t) {
                    held[nheld++] = t;
                    fill_topic(hub, arena, t, out);
                    continue;
                }
                eddy_kafka_MetadataResponse_MetadataResponseTopic_init(out);
                out->Name = rt->Name;
                out->TopicId = rt->TopicId;
                int16_t err = job->create_err ? job->create_err[i] : 0;
                if (rt->Name.len < 0) {
                    err = EDDY_ERR_UNKNOWN_TOPIC_ID;
                } else if (!eddy_hub_name_valid(rt->Name.p, (size_t)rt->Name.len)) {
                    err = EDDY_ERR_INVALID_TOPIC_EXCEPTION;
                } else if (!err) {
                    err = EDDY_ERR_UNKNOWN_TOPIC_OR_PARTITION;
                }
                out->ErrorCode = err;
            }
            resp.Topics.count = n;
        }
    }
    eddy_buf *b = eddy_conn_response_begin(conn);
    if (b) {
        eddy_kafka_MetadataResponse_encode(b, job->version, &resp);
    }
    for (int32_t i = 0; i < nheld; i++) {
        eddy_hub_topic_put(held[i]);
    }
    if (!b) {
        eddy_conn_close(conn, "out of memory");
        return;
    }
    eddy_conn_response_end(conn, b);
}

static void metadata_created(eddy_loop *loop, void *arg)
{
    metadata_job *job = arg;
    eddy_conn *conn = job->conn;
    if (!conn->closing) {
        metadata_respond(job);
    }
    eddy_conn_release(conn);
    free(job->create_err);
    free(job);
}

/* Housekeeping thread: create the missing hubs, then hand back. */
static void metadata_create(eddy_loop *loop, void *arg)
{
    metadata_job *job = arg;
    const eddy_kafka_MetadataRequest *body = &job->body;
    for (int32_t i = 0; i < body->Topics.count; i++) {
        eddy_kstr name = body->Topics.items[i].Name;
        if (name.len < 0 || !eddy_hub_name_valid(name.p, (size_t)name.len)) {
            continue;
        }
        int rc = eddy_hub_topic_create(job->hub, name.p, (size_t)name.len, -1, NULL);
        if (rc && rc != EDDY_ERR_TOPIC_ALREADY_EXISTS) {
            job->create_err[i] = (int16_t)(rc > 0 ? rc : EDDY_ERR_KAFKA_STORAGE_ERROR);
        }
    }
    eddy_loop_post(job->loop, metadata_created, job);
}

void eddy_handle_Metadata(eddy_hub_req *req)
{
    eddy_conn *conn = req->conn;
    eddy_hub *hub = req_hub(req);
    metadata_job job = {
        .conn = conn, .loop = conn->worker->loop, .hub = hub, .version = req_version(req)};
    int rc = eddy_kafka_MetadataRequest_decode(&req->body, job.version, &conn->arena, &job.body);
    if (rc) {
        eddy_hub_bad_request(req, rc);
        return;
    }
    /* Auto-create: on (the hub's setting) and allowed by the request (v4+
     * carries the client's wish; librdkafka consumers say no). */
    bool may_create = hub->cfg.auto_create &&
                      (job.version < 4 || job.body.AllowAutoTopicCreation) &&
                      job.body.Topics.count > 0;
    bool missing = false;
    for (int32_t i = 0; may_create && i < job.body.Topics.count && !missing; i++) {
        eddy_kstr name = job.body.Topics.items[i].Name;
        if (name.len < 0 || !eddy_hub_name_valid(name.p, (size_t)name.len)) {
            continue;
        }
        eddy_topic *t = eddy_hub_topic_get(hub, name.p, (size_t)name.len);
        if (t) {
            eddy_hub_topic_put(t);
        } else {
            missing = true;
        }
    }
    if (!missing) {
        metadata_respond(&job);
        return;
    }
    metadata_job *async = malloc(sizeof *async);
    int16_t *errs = calloc((size_t)job.body.Topics.count, sizeof *errs);
    if (!async || !errs) {
        free(async);
        free(errs);
        metadata_respond(&job);
        return;
    }
    *async = job;
    async->create_err = errs;
    eddy_conn_hold(conn);
    eddy_loop_post(hub->admin, metadata_create, async);
}

/* --- FindCoordinator --- */

void eddy_handle_FindCoordinator(eddy_hub_req *req)
{
    eddy_conn *conn = req->conn;
    eddy_hub *hub = req_hub(req);
    int16_t version = req_version(req);
    eddy_kafka_FindCoordinatorRequest body;
    int rc = eddy_kafka_FindCoordinatorRequest_decode(&req->body, version, &conn->arena, &body);
    if (rc) {
        eddy_hub_bad_request(req, rc);
        return;
    }
    eddy_kafka_FindCoordinatorResponse resp;
    eddy_kafka_FindCoordinatorResponse_init(&resp);
    /* Groups (key type 0) are coordinated here; transactions (1) are not
     * supported, which clients treat as retriable. */
    bool ok = body.KeyType == 0;
    int16_t err = ok ? 0 : EDDY_ERR_COORDINATOR_NOT_AVAILABLE;
    resp.ErrorCode = err;
    resp.NodeId = ok ? EDDY_NODE_ID : -1;
    resp.Host = eddy_kstr_from(ok ? hub->adv_host : "");
    resp.Port = ok ? hub->adv_port : -1;
    if (!ok) {
        resp.ErrorMessage = eddy_kstr_from("transactions are not supported by this hub");
    }
    if (version >= 4) {
        int32_t n = body.CoordinatorKeys.count > 0 ? body.CoordinatorKeys.count : 0;
        resp.Coordinators.items =
            ARENA_ARRAY(&conn->arena, eddy_kafka_FindCoordinatorResponse_Coordinator, n + 1);
        if (!resp.Coordinators.items) {
            eddy_conn_close(conn, "out of memory");
            return;
        }
        for (int32_t i = 0; i < n; i++) {
            eddy_kafka_FindCoordinatorResponse_Coordinator *c = &resp.Coordinators.items[i];
            eddy_kafka_FindCoordinatorResponse_Coordinator_init(c);
            c->Key = body.CoordinatorKeys.items[i];
            c->NodeId = resp.NodeId;
            c->Host = resp.Host;
            c->Port = resp.Port;
            c->ErrorCode = err;
            c->ErrorMessage = resp.ErrorMessage;
        }
        resp.Coordinators.count = n;
    }
    eddy_buf *b = eddy_conn_response_begin(conn);
    if (!b) {
        eddy_conn_close(conn, "out of memory");
        return;
    }
    eddy_kafka_FindCoordinatorResponse_encode(b, version, &resp);
    eddy_conn_response_end(conn, b);
}
