/* Produce and InitProducerId.
 *
 * A produce request is validated and appended partition by partition on the
 * network thread (memory work only); the log writer calls back once each
 * batch is durable under the fsync policy, and the last callback posts the
 * response back to the connection's thread. acks=0 gets no response at all
 * (clients do not read one). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "hub/handlers.h"
#include "hub/topics.h"
#include "kafka/gen/kafka_msgs.h"
#include "record/validate.h"
#include "storage/fs.h"

/* One partition's outcome; written by the log writer's callback. */
typedef struct part_result {
    struct produce_ctx *ctx;
    int16_t error;       /* set by the network thread */
    int16_t async_error; /* set by the log writer's callback */
    int64_t dup_offset;  /* set by the callback: a retry acked with this offset */
    int64_t base_offset;
    int64_t log_append_time;
    int64_t log_start_offset;
} part_result;

typedef struct produce_ctx {
    eddy_hub *hub;
    eddy_conn *conn; /* not to be touched by acks=0 completions */
    eddy_loop *loop;
    int16_t version;
    int32_t correlation_id;
    bool respond; /* acks != 0 */
    atomic_int remaining;
    eddy_kafka_ProduceRequest body; /* borrows the frame: only until detached */
    eddy_slot *slot;                /* the response's place (detached) */
    part_result **results;          /* [topic][partition] (heap) */
    eddy_topic **topics;            /* references held until the end */
    char **names;                   /* topic names, copied for the response */
    int32_t **indexes;              /* partition indexes, copied likewise */
    int32_t *nparts;
    int32_t ntopics;
} produce_ctx;

static void produce_ctx_free(produce_ctx *ctx)
{
    atomic_fetch_sub(&ctx->hub->ops_inflight, 1);
    for (int32_t i = 0; i < ctx->ntopics; i++) {
        if (ctx->topics[i]) {
            eddy_hub_topic_put(ctx->topics[i]);
        }
        free(ctx->results[i]);
        if (ctx->names) {
            free(ctx->names[i]);
        }
        if (ctx->indexes) {
            free(ctx->indexes[i]);
        }
    }
    free(ctx->names);
    free(ctx->indexes);
    free(ctx->nparts);
    free(ctx->topics);
    free(ctx->results);
    free(ctx);
}

/* Copies what the response needs out of the request, so the request's
 * frame and arena can go before the log writer answers. */
static bool produce_copy_names(produce_ctx *ctx)
{
    int32_t nt = ctx->ntopics;
    ctx->names = calloc((size_t)nt + 1, sizeof *ctx->names);
    ctx->indexes = calloc((size_t)nt + 1, sizeof *ctx->indexes);
    ctx->nparts = calloc((size_t)nt + 1, sizeof *ctx->nparts);
    if (!ctx->names || !ctx->indexes || !ctx->nparts) {
        return false;
    }
    for (int32_t t = 0; t < nt; t++) {
        const eddy_kafka_ProduceRequest_TopicProduceData *td = &ctx->body.TopicData.items[t];
        int32_t len = td->Name.len > 0 ? td->Name.len : 0;
        int32_t np = td->PartitionData.count > 0 ? td->PartitionData.count : 0;
        ctx->names[t] = strndup(len ? td->Name.p : "", (size_t)len);
        ctx->indexes[t] = calloc((size_t)np + 1, sizeof *ctx->indexes[t]);
        if (!ctx->names[t] || !ctx->indexes[t]) {
            return false;
        }
        ctx->nparts[t] = np;
        for (int32_t p = 0; p < np; p++) {
            ctx->indexes[t][p] = td->PartitionData.items[p].Index;
        }
    }
    return true;
}

static eddy_buf *produce_encode(produce_ctx *ctx)
{
    eddy_kafka_ProduceResponse resp;
    eddy_kafka_ProduceResponse_init(&resp);
    eddy_kafka_ProduceResponse_TopicProduceResponse *topics =
        calloc((size_t)ctx->ntopics + 1, sizeof *topics);
    eddy_kafka_ProduceResponse_PartitionProduceResponse **parts =
        calloc((size_t)ctx->ntopics + 1, sizeof *parts);
    eddy_buf *b = NULL;
    if (!topics || !parts) {
        goto done;
    }
    resp.Responses.items = topics;
    resp.Responses.count = ctx->ntopics;
    for (int32_t t = 0; t < ctx->ntopics; t++) {
        eddy_kafka_ProduceResponse_TopicProduceResponse *tr = &topics[t];
        eddy_kafka_ProduceResponse_TopicProduceResponse_init(tr);
        tr->Name = eddy_kstr_from(ctx->names[t]);
        int32_t np = ctx->nparts[t];
        parts[t] = calloc((size_t)np + 1, sizeof *parts[t]);
        if (!parts[t]) {
            goto done;
        }
        tr->PartitionResponses.items = parts[t];
        tr->PartitionResponses.count = np;
        for (int32_t p = 0; p < np; p++) {
            eddy_kafka_ProduceResponse_PartitionProduceResponse *pr = &parts[t][p];
            const part_result *res = &ctx->results[t][p];
            int16_t err = res->error ? res->error : res->async_error;
            eddy_kafka_ProduceResponse_PartitionProduceResponse_init(pr);
            pr->Index = ctx->indexes[t][p];
            pr->ErrorCode = err;
            pr->BaseOffset = err ? -1 : res->dup_offset >= 0 ? res->dup_offset : res->base_offset;
            pr->LogAppendTimeMs = err ? -1 : res->log_append_time;
            pr->LogStartOffset = res->log_start_offset;
        }
    }
    b = eddy_conn_response_begin_for(EDDY_KAFKA_API_Produce, ctx->version, ctx->correlation_id);
    if (b) {
        eddy_kafka_ProduceResponse_encode(b, ctx->version, &resp);
    }
done:
    for (int32_t t = 0; parts && t < ctx->ntopics; t++) {
        free(parts[t]);
    }
    free(parts);
    free(topics);
    return b;
}

/* On the connection's thread, after the last partition completed. */
static void produce_finish(eddy_loop *loop, void *arg)
{
    produce_ctx *ctx = arg;
    eddy_conn *conn = ctx->conn;
    if (ctx->respond) {
        if (!conn->closing) {
            eddy_buf *b = produce_encode(ctx);
            if (b) {
                eddy_conn_slot_fill(conn, ctx->slot, b);
            } else {
                eddy_conn_close(conn, "out of memory");
            }
        } else {
            conn->ndetached--;
        }
        eddy_conn_release(conn);
    }
    produce_ctx_free(ctx);
}

static void complete_one(produce_ctx *ctx)
{
    if (atomic_fetch_sub(&ctx->remaining, 1) == 1) {
        eddy_loop_post(ctx->loop, produce_finish, ctx);
    }
}

/* The log writer's callback (log writer thread). */
static void append_done(void *arg, int err, int64_t base_offset)
{
    part_result *res = arg;
    if (err == EDDY_ERR_DUPLICATE_SEQUENCE_NUMBER && base_offset >= 0) {
        /* A retry of a batch that was still being written: now that the
         * original is durable, ack the retry with the original's offset. */
        res->dup_offset = base_offset;
        err = 0;
    }
    if (err) {
        res->async_error = (int16_t)eddy_err_to_wire(err);
        eddy_log_warn("produce.failed", "err=%s", eddy_err_name(err));
    }
    complete_one(res->ctx);
}

static int16_t produce_partition(produce_ctx *ctx, eddy_topic *topic, int32_t index,
                                 eddy_kbytes records, part_result *res)
{
    if (!topic) {
        return EDDY_ERR_UNKNOWN_TOPIC_OR_PARTITION;
    }
    if (index < 0 || index >= topic->npartitions) {
        return EDDY_ERR_UNKNOWN_TOPIC_OR_PARTITION;
    }
    eddy_log *log = topic->parts[index].log;
    res->log_start_offset = eddy_log_start_offset(log);
    if (records.len <= 0) {
        return EDDY_ERR_INVALID_RECORD;
    }
    int64_t max_event = atomic_load(&topic->max_event_bytes);
    eddy_batch_limits lim = EDDY_BATCH_LIMITS_DEFAULT;
    lim.max_batch_bytes = (size_t)max_event + 12 + 61; /* event + batch overhead */
    lim.max_event_bytes = (size_t)max_event;
    lim.allow_zstd = ctx->version >= 7;
    eddy_batch_info info;
    int rc = eddy_batch_validate(records.p, (size_t)records.len, &lim, &info);
    if (rc) {
        eddy_log_info("produce.rejected", "hub=%s partition=%d err=%s bytes=%d", topic->name, index,
                      eddy_err_name(rc), records.len);
        return (int16_t)eddy_err_to_wire(rc);
    }
    eddy_append_req areq = {
        .log_append_time = atomic_load(&topic->timestamp_type) == EDDY_TS_APPEND,
        .now_ms = eddy_clock_wall_ms(),
        .done = append_done,
        .ctx = res,
    };
    eddy_append_result ares;
    atomic_fetch_add(&ctx->remaining, 1);
    rc = eddy_log_append(log, records.p, (size_t)records.len, &areq, &ares);
    res->log_start_offset = ares.log_start_offset;
    if (rc) {
        atomic_fetch_sub(&ctx->remaining, 1);
        if (rc == EDDY_ERR_DUPLICATE_SEQUENCE_NUMBER && ares.base_offset >= 0) {
            /* A retry of a batch already stored: ack it with its original
             * offset, as Kafka 2.x+ does. */
            res->base_offset = ares.base_offset;
            res->log_append_time = -1;
            return 0;
        }
        return (int16_t)eddy_err_to_wire(rc);
    }
    res->base_offset = ares.base_offset;
    res->log_append_time = ares.log_append_time_ms;
    return 0;
}

void eddy_handle_Produce(eddy_hub_req *req)
{
    eddy_conn *conn = req->conn;
    eddy_hub *hub = req_hub(req);
    int16_t version = req_version(req);
    produce_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) {
        eddy_conn_close(conn, "out of memory");
        return;
    }
    ctx->hub = hub;
    ctx->conn = conn;
    ctx->loop = conn->worker->loop;
    ctx->version = version;
    atomic_fetch_add(&hub->ops_inflight, 1);
    int rc = eddy_kafka_ProduceRequest_decode(&req->body, version, &conn->arena, &ctx->body);
    if (rc) {
        produce_ctx_free(ctx);
        eddy_hub_bad_request(req, rc);
        return;
    }
    const eddy_kafka_ProduceRequest *body = &ctx->body;
    ctx->respond = body->Acks != 0;
    int32_t nt = body->TopicData.count > 0 ? body->TopicData.count : 0;
    ctx->ntopics = nt;
    ctx->topics = calloc((size_t)nt + 1, sizeof *ctx->topics);
    ctx->results = calloc((size_t)nt + 1, sizeof *ctx->results);
    if (!ctx->topics || !ctx->results) {
        produce_ctx_free(ctx);
        eddy_conn_close(conn, "out of memory");
        return;
    }
    /* Request-wide refusals apply to every partition. */
    int16_t all_err = 0;
    if (version < 3) {
        all_err = EDDY_ERR_UNSUPPORTED_VERSION; /* message format v0/v1 */
    } else if (body->Acks != 0 && body->Acks != 1 && body->Acks != -1) {
        all_err = EDDY_ERR_INVALID_REQUIRED_ACKS;
    } else if (body->TransactionalId.len >= 0) {
        all_err = EDDY_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
    }
    /* One reference on remaining keeps the response from going out before
     * every partition was tried. */
    atomic_init(&ctx->remaining, 1);
    for (int32_t t = 0; t < nt; t++) {
        int32_t np = body->TopicData.items[t].PartitionData.count;
        ctx->results[t] = calloc((size_t)(np > 0 ? np : 0) + 1, sizeof *ctx->results[t]);
        if (!ctx->results[t]) {
            produce_ctx_free(ctx);
            eddy_conn_close(conn, "out of memory");
            return;
        }
    }
    for (int32_t t = 0; t < nt; t++) {
        const eddy_kafka_ProduceRequest_TopicProduceData *td = &body->TopicData.items[t];
        int32_t np = td->PartitionData.count > 0 ? td->PartitionData.count : 0;
        if (!all_err && td->Name.len > 0) {
            ctx->topics[t] = eddy_hub_topic_get(hub, td->Name.p, (size_t)td->Name.len);
        }
        for (int32_t p = 0; p < np; p++) {
            part_result *res = &ctx->results[t][p];
            res->ctx = ctx;
            res->dup_offset = -1;
            res->base_offset = -1;
            res->log_append_time = -1;
            res->log_start_offset = -1;
            const eddy_kafka_ProduceRequest_PartitionProduceData *pd = &td->PartitionData.items[p];
            res->error = all_err
                             ? all_err
                             : produce_partition(ctx, ctx->topics[t], pd->Index, pd->Records, res);
        }
    }
    if (ctx->respond) {
        /* Detach: the connection serves its next frames while the log
         * writer makes these batches durable. */
        ctx->correlation_id = conn->correlation_id;
        if (!produce_copy_names(ctx) || !(ctx->slot = eddy_conn_detach(conn))) {
            ctx->respond = false;
            eddy_conn_close(conn, "out of memory");
            complete_one(ctx);
            return;
        }
        eddy_conn_hold(conn);
    } else {
        /* acks=0: no response; the request is over for the connection. The
         * callbacks still complete against ctx, which owns what they use. */
        eddy_conn_no_response(conn);
    }
    complete_one(ctx);
}

/* --- InitProducerId --- */

#define PID_BLOCK 1000000

/* Producer ids come from a counter whose persisted floor is raised by a
 * whole block at start-up, so ids are never reused across restarts without
 * a disk write per id. */
int eddy_hub_producer_ids_init(eddy_hub *hub, char *err, size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/producer-ids", hub->cfg.data_dir);
    int64_t floor = 0;
    uint8_t *data = NULL;
    size_t len = 0;
    int rc = eddy_fs_read_file(path, 4096, &data, &len);
    if (rc == 0) {
        char text[64];
        size_t n = len < sizeof text - 1 ? len : sizeof text - 1;
        memcpy(text, data, n);
        text[n] = '\0';
        free(data);
        if (sscanf(text, "eddy-producer-ids 1 next=%lld", (long long *)&floor) != 1 || floor < 0) {
            snprintf(err, errlen, "%s: unreadable", path);
            return EDDY_ERR_CORRUPT;
        }
    } else if (rc != EDDY_ERR_NOT_FOUND) {
        snprintf(err, errlen, "%s: %s", path, eddy_err_str(rc));
        return rc;
    }
    char text[64];
    int n = snprintf(text, sizeof text, "eddy-producer-ids 1 next=%lld\n",
                     (long long)(floor + PID_BLOCK));
    rc = eddy_fs_write_atomic(path, text, (size_t)n);
    if (rc) {
        snprintf(err, errlen, "%s: %s", path, eddy_err_str(rc));
        return rc;
    }
    atomic_init(&hub->next_producer_id, floor);
    hub->producer_id_limit = floor + PID_BLOCK;
    return 0;
}

void eddy_handle_InitProducerId(eddy_hub_req *req)
{
    eddy_conn *conn = req->conn;
    eddy_hub *hub = req_hub(req);
    int16_t version = req_version(req);
    eddy_kafka_InitProducerIdRequest body;
    int rc = eddy_kafka_InitProducerIdRequest_decode(&req->body, version, &conn->arena, &body);
    if (rc) {
        eddy_hub_bad_request(req, rc);
        return;
    }
    eddy_kafka_InitProducerIdResponse resp;
    eddy_kafka_InitProducerIdResponse_init(&resp);
    if (body.TransactionalId.len >= 0) {
        resp.ErrorCode = EDDY_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
    } else if (body.ProducerId >= 0 && body.ProducerEpoch >= 0 && body.ProducerEpoch < 32767) {
        /* KIP-360: an idempotent producer bumps its epoch after an error and
         * keeps its id; the partitions accept sequence 0 of the new epoch. */
        resp.ProducerId = body.ProducerId;
        resp.ProducerEpoch = (int16_t)(body.ProducerEpoch + 1);
    } else {
        int64_t pid = atomic_fetch_add(&hub->next_producer_id, 1);
        if (pid >= hub->producer_id_limit) {
            /* A million ids in one run: restart raises the floor. */
            resp.ErrorCode = EDDY_ERR_COORDINATOR_NOT_AVAILABLE;
        } else {
            resp.ProducerId = pid;
            resp.ProducerEpoch = 0;
        }
    }
    eddy_buf *b = eddy_conn_response_begin(conn);
    if (!b) {
        eddy_conn_close(conn, "out of memory");
        return;
    }
    eddy_kafka_InitProducerIdResponse_encode(b, version, &resp);
    eddy_conn_response_end(conn, b);
}
