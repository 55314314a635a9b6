/* The network side of the group APIs: FindCoordinator's partners JoinGroup,
 * SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch, ListGroups,
 * DescribeGroups and DeleteGroups, and the hub's coordinator lifecycle.
 *
 * A handler runs on the connection's network thread: it copies the request
 * body into an eddy_group_msg and decodes it there, checks what only the
 * hub knows (do the committed topics exist?), holds the connection and
 * submits the message to the coordinator thread (group.c). The coordinator
 * hands the message back through hub_reply, which posts it to the
 * connection's loop; there the response is encoded and sent, the
 * connection released and the message freed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "hub/group.h"
#include "hub/handlers.h"
#include "hub/topics.h"

/* On the connection's thread. */
static void respond_on_conn(eddy_loop *loop, void *arg)
{
    eddy_group_msg *m = arg;
    eddy_conn *conn = m->conn;
    if (!conn->closing) {
        eddy_buf *b = eddy_conn_response_begin(conn);
        if (!b) {
            eddy_conn_close(conn, "out of memory");
        } else {
            eddy_group_msg_encode(m, b);
            eddy_conn_response_end(conn, b);
        }
    }
    eddy_conn_release(conn);
    eddy_group_msg_free(m);
}

/* On the coordinator thread. */
static void hub_reply(void *ctx, eddy_group_msg *m)
{
    if (eddy_loop_post(m->loop, respond_on_conn, m)) {
        /* Without memory the answer cannot travel; the connection stays
         * held until it closes. */
        eddy_log_error("group.reply_lost", "api=%d", m->api_key);
    }
}

/* At shutdown, every thread joined. */
static void hub_drop(void *ctx, eddy_group_msg *m)
{
    eddy_conn_release(m->conn);
    eddy_group_msg_free(m);
}

/* OffsetCommit to a hub or partition that does not exist gets
 * UNKNOWN_TOPIC_OR_PARTITION, as in Kafka. */
static int check_commit_topics(eddy_hub *hub, eddy_group_msg *m)
{
    const eddy_kafka_OffsetCommitRequest *rq = &m->req.OffsetCommit;
    int32_t total = 0;
    for (int32_t t = 0; t < rq->Topics.count; t++) {
        total +=
            rq->Topics.items[t].Partitions.count > 0 ? rq->Topics.items[t].Partitions.count : 0;
    }
    m->pre_errors = eddy_arena_calloc(&m->arena, (size_t)total + 1, sizeof *m->pre_errors);
    if (!m->pre_errors) {
        return EDDY_ERR_NOMEM;
    }
    int32_t k = 0;
    for (int32_t t = 0; t < rq->Topics.count; t++) {
        const eddy_kafka_OffsetCommitRequest_OffsetCommitRequestTopic *rt = &rq->Topics.items[t];
        eddy_topic *topic =
            rt->Name.len > 0 ? eddy_hub_topic_get(hub, rt->Name.p, (size_t)rt->Name.len) : NULL;
        for (int32_t p = 0; p < rt->Partitions.count; p++, k++) {
            int32_t idx = rt->Partitions.items[p].PartitionIndex;
            if (!topic || idx < 0 || idx >= topic->npartitions) {
                m->pre_errors[k] = EDDY_ERR_UNKNOWN_TOPIC_OR_PARTITION;
            }
        }
        if (topic) {
            eddy_hub_topic_put(topic);
        }
    }
    return 0;
}

static void handle_group(eddy_hub_req *req)
{
    eddy_conn *conn = req->conn;
    eddy_hub *hub = req_hub(req);
    if (!hub->coord) {
        eddy_conn_close(conn, "no group coordinator");
        return;
    }
    eddy_group_msg *m = eddy_group_msg_new(conn->api_key, conn->api_version);
    if (!m) {
        eddy_conn_close(conn, "out of memory");
        return;
    }
    const uint8_t *body = req->body.p ? req->body.p + req->body.pos : NULL;
    int rc = eddy_group_msg_decode(m, body, eddy_reader_remaining(&req->body));
    if (rc) {
        eddy_group_msg_free(m);
        eddy_hub_bad_request(req, rc);
        return;
    }
    eddy_kstr cid = req->hdr.client_id;
    m->client_id = cid.len > 0 ? eddy_arena_strndup(&m->arena, cid.p, (size_t)cid.len) : "";
    /* Kafka shows the client's address as "/IP". */
    char host[80];
    snprintf(host, sizeof host, "/%s", conn->peer);
    char *colon = strrchr(host, ':');
    if (colon && colon != host + 1) {
        *colon = '\0';
    }
    m->client_host = eddy_arena_strndup(&m->arena, host, strlen(host));
    if (!m->client_id || !m->client_host ||
        (m->api_key == EDDY_KAFKA_API_OffsetCommit && check_commit_topics(hub, m))) {
        eddy_group_msg_free(m);
        eddy_conn_close(conn, "out of memory");
        return;
    }
    m->conn = conn;
    m->loop = conn->worker->loop;
    eddy_conn_hold(conn);
    if (eddy_coord_submit(hub->coord, m)) {
        eddy_conn_release(conn);
        eddy_group_msg_free(m);
        eddy_conn_close(conn, "out of memory");
    }
}

void eddy_handle_JoinGroup(eddy_hub_req *req)
{
    handle_group(req);
}

void eddy_handle_SyncGroup(eddy_hub_req *req)
{
    handle_group(req);
}

void eddy_handle_Heartbeat(eddy_hub_req *req)
{
    handle_group(req);
}

void eddy_handle_LeaveGroup(eddy_hub_req *req)
{
    handle_group(req);
}

void eddy_handle_OffsetCommit(eddy_hub_req *req)
{
    handle_group(req);
}

void eddy_handle_OffsetFetch(eddy_hub_req *req)
{
    handle_group(req);
}

void eddy_handle_ListGroups(eddy_hub_req *req)
{
    handle_group(req);
}

void eddy_handle_DescribeGroups(eddy_hub_req *req)
{
    handle_group(req);
}

void eddy_handle_DeleteGroups(eddy_hub_req *req)
{
    handle_group(req);
}

/* ---- lifecycle (server.c) ---- */

int eddy_hub_groups_open(eddy_hub *hub, const eddy_hub_config *cfg, char *err, size_t errlen)
{
    /* Declared groups: every hub's consumer groups (Kafka groups are not
     * per topic, so a name declared twice is one group). */
    int n = 0;
    for (int i = 0; i < cfg->ntopics; i++) {
        n += cfg->topics[i].ngroups;
    }
    const char **names = calloc((size_t)n + 1, sizeof *names);
    if (!names) {
        snprintf(err, errlen, "out of memory");
        return EDDY_ERR_NOMEM;
    }
    n = 0;
    for (int i = 0; i < cfg->ntopics; i++) {
        for (int k = 0; k < cfg->topics[i].ngroups; k++) {
            names[n++] = cfg->topics[i].groups[k];
        }
    }
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/groups/offsets/0", cfg->data_dir);
    eddy_coord_config cc;
    eddy_coord_config_defaults(&cc);
    cc.store = hub->store;
    cc.dir = dir;
    cc.fsync = cfg->fsync == EDDY_HUB_FSYNC_ALWAYS     ? EDDY_FSYNC_ALWAYS
               : cfg->fsync == EDDY_HUB_FSYNC_INTERVAL ? EDDY_FSYNC_INTERVAL
                                                       : EDDY_FSYNC_NEVER;
    if (cfg->fsync == EDDY_HUB_FSYNC_INTERVAL) {
        cc.fsync_interval_ms = cfg->fsync_interval_ms;
    }
    cc.initial_rebalance_delay_ms = cfg->group_initial_rebalance_delay_ms;
    cc.offsets_retention_ms = cfg->offsets_retention_ms;
    cc.groups = names;
    cc.ngroups = n;
    cc.reply = hub_reply;
    cc.drop = hub_drop;
    cc.reply_ctx = hub;
    int rc = eddy_coord_new(&cc, &hub->coord, err, errlen);
    free(names);
    return rc;
}

int eddy_hub_groups_start(eddy_hub *hub)
{
    return hub->coord ? eddy_coord_start(hub->coord) : 0;
}

void eddy_hub_groups_stop(eddy_hub *hub)
{
    eddy_coord_stop(hub->coord);
}

void eddy_hub_groups_close(eddy_hub *hub)
{
    eddy_coord_free(hub->coord);
    hub->coord = NULL;
}
