/* Fetch (long poll, zero-copy) and ListOffsets.
 *
 * A fetch reads, for each partition, where its whole batches lie in the
 * segment files (eddy_log_read) and answers with the response's structure in
 * memory and the records as file ranges sent with sendfile: the batches go
 * from the page cache to the socket without a copy. When fewer than MinBytes
 * are available the fetch waits: it registers with each partition, whose
 * log writer wakes it (a post to the connection's thread) when the high
 * watermark moves, and a timer ends the wait at MaxWaitMs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "hub/handlers.h"
#include "hub/topics.h"
#include "kafka/gen/kafka_msgs.h"

typedef struct fetch_part {
    eddy_partition *part; /* NULL when the topic or partition is unknown */
    eddy_log_slice slice;
    bool has_slice;
    int16_t error;
    int64_t high_watermark;
    int64_t log_start;
} fetch_part;

typedef struct fetch_ctx {
    eddy_conn *conn;
    eddy_loop *loop;
    int16_t version;
    eddy_kafka_FetchRequest body; /* borrows the frame: valid while busy */
    eddy_topic **topics;          /* per request topic; references held */
    fetch_part **parts;           /* per request topic, per partition */
    int32_t *nparts;              /* partitions per topic (heap: the body's
                                   * arena is reused once the response is out) */
    int32_t ntopics;
    atomic_int refs; /* the connection's + one per queued wake-up */
    atomic_bool wake_queued;
    bool registered;
    bool done;
    uint64_t timer;
} fetch_ctx;

static void fetch_release_slices(fetch_ctx *ctx)
{
    for (int32_t t = 0; t < ctx->ntopics; t++) {
        int32_t np = ctx->nparts[t];
        for (int32_t p = 0; p < np; p++) {
            fetch_part *fp = &ctx->parts[t][p];
            if (fp->has_slice) {
                eddy_log_slice_release(&fp->slice);
                fp->has_slice = false;
            }
        }
    }
}

static void fetch_unref(fetch_ctx *ctx)
{
    if (atomic_fetch_sub(&ctx->refs, 1) != 1) {
        return;
    }
    fetch_release_slices(ctx);
    for (int32_t t = 0; t < ctx->ntopics; t++) {
        if (ctx->topics[t]) {
            eddy_hub_topic_put(ctx->topics[t]);
        }
        free(ctx->parts[t]);
    }
    free(ctx->parts);
    free(ctx->nparts);
    free(ctx->topics);
    free(ctx);
}

/* Reads every partition; returns the bytes available. */
static size_t fetch_read_all(fetch_ctx *ctx, bool *any_error)
{
    fetch_release_slices(ctx);
    size_t total = 0;
    int64_t max_bytes = ctx->body.MaxBytes > 0 ? ctx->body.MaxBytes : INT32_MAX;
    *any_error = false;
    for (int32_t t = 0; t < ctx->ntopics; t++) {
        const eddy_kafka_FetchRequest_FetchTopic *ft = &ctx->body.Topics.items[t];
        for (int32_t p = 0; p < ft->Partitions.count; p++) {
            const eddy_kafka_FetchRequest_FetchPartition *rp = &ft->Partitions.items[p];
            fetch_part *fp = &ctx->parts[t][p];
            fp->high_watermark = -1;
            fp->log_start = -1;
            if (!fp->part) {
                *any_error = true;
                continue;
            }
            fp->error = 0;
            /* KIP-74: MaxBytes is soft; the first batch always goes whole
             * so the consumer progresses. */
            size_t room = total >= (size_t)max_bytes ? 0 : (size_t)max_bytes - total;
            size_t pmax = rp->PartitionMaxBytes > 0 ? (size_t)rp->PartitionMaxBytes : 0;
            if (pmax > room) {
                pmax = room;
            }
            if (total > 0 && pmax == 0) {
                /* The response is full: report positions only. */
                fp->high_watermark = eddy_log_high_watermark(fp->part->log);
                fp->log_start = eddy_log_start_offset(fp->part->log);
                continue;
            }
            int rc = eddy_log_read(fp->part->log, rp->FetchOffset, pmax ? pmax : 1, &fp->slice);
            if (rc) {
                fp->error = (int16_t)eddy_err_to_wire(rc);
                fp->high_watermark = eddy_log_high_watermark(fp->part->log);
                fp->log_start = eddy_log_start_offset(fp->part->log);
                *any_error = true;
                continue;
            }
            fp->has_slice = true;
            fp->high_watermark = fp->slice.high_watermark;
            fp->log_start = fp->slice.log_start_offset;
            total += fp->slice.len;
        }
    }
    return total;
}

static void fetch_respond(fetch_ctx *ctx)
{
    eddy_conn *conn = ctx->conn;
    eddy_arena *arena = &conn->arena;
    eddy_kafka_FetchResponse resp;
    eddy_kafka_FetchResponse_init(&resp);
    resp.SessionId = 0; /* no fetch sessions: clients send full fetches */
    resp.Responses.items =
        ARENA_ARRAY(arena, eddy_kafka_FetchResponse_FetchableTopicResponse, ctx->ntopics + 1);
    size_t nslices = 0;
    for (int32_t t = 0; t < ctx->ntopics; t++) {
        nslices += (size_t)ctx->body.Topics.items[t].Partitions.count;
    }
    eddy_kafka_gap *gap_items = ARENA_ARRAY(arena, eddy_kafka_gap, nslices + 1);
    const eddy_log_slice **gap_slices = ARENA_ARRAY(arena, const eddy_log_slice *, nslices + 1);
    if (!resp.Responses.items || !gap_items || !gap_slices) {
        eddy_conn_close(conn, "out of memory");
        return;
    }
    size_t ngap_slices = 0;
    resp.Responses.count = ctx->ntopics;
    for (int32_t t = 0; t < ctx->ntopics; t++) {
        const eddy_kafka_FetchRequest_FetchTopic *ft = &ctx->body.Topics.items[t];
        eddy_kafka_FetchResponse_FetchableTopicResponse *tr = &resp.Responses.items[t];
        eddy_kafka_FetchResponse_FetchableTopicResponse_init(tr);
        tr->Topic = ft->Topic;
        tr->TopicId = ft->TopicId;
        int32_t np = ft->Partitions.count;
        tr->Partitions.items = ARENA_ARRAY(arena, eddy_kafka_FetchResponse_PartitionData, np + 1);
        if (!tr->Partitions.items) {
            eddy_conn_close(conn, "out of memory");
            return;
        }
        tr->Partitions.count = np;
        for (int32_t p = 0; p < np; p++) {
            const fetch_part *fp = &ctx->parts[t][p];
            eddy_kafka_FetchResponse_PartitionData *pd = &tr->Partitions.items[p];
            eddy_kafka_FetchResponse_PartitionData_init(pd);
            pd->PartitionIndex = ft->Partitions.items[p].Partition;
            pd->ErrorCode = fp->error;
            pd->HighWatermark = fp->high_watermark;
            /* No transactions: the last stable offset is the high watermark. */
            pd->LastStableOffset = fp->high_watermark;
            pd->LogStartOffset = fp->log_start;
            pd->AbortedTransactions.count = 0; /* empty, never null */
            pd->PreferredReadReplica = -1;
            static const uint8_t empty[1];
            if (fp->has_slice && fp->slice.len > 0) {
                pd->Records.p = NULL; /* a gap: the bytes come from the file */
                pd->Records.len = (int32_t)fp->slice.len;
                gap_slices[ngap_slices++] = &fp->slice;
            } else {
                pd->Records.p = empty;
                pd->Records.len = 0; /* empty, never null (librdkafka) */
            }
        }
    }
    eddy_buf *b = eddy_conn_response_begin(conn);
    if (!b) {
        eddy_conn_close(conn, "out of memory");
        return;
    }
    eddy_kafka_gaps gaps = {.items = gap_items, .count = 0, .cap = nslices + 1};
    eddy_kafka_FetchResponse_encode_gaps(b, ctx->version, &resp, &gaps);
    if (!b->err && gaps.count != ngap_slices) {
        b->err = EDDY_ERR_UNKNOWN;
    }
    eddy_conn_respond_with_files(conn, b, gaps.items, gap_slices, gaps.count);
    /* The slices now belong to the connection's output. */
    for (int32_t t = 0; t < ctx->ntopics; t++) {
        for (int32_t p = 0; p < ctx->nparts[t]; p++) {
            ctx->parts[t][p].has_slice = false;
        }
    }
}

static void fetch_unregister(fetch_ctx *ctx)
{
    if (!ctx->registered) {
        return;
    }
    ctx->registered = false;
    for (int32_t t = 0; t < ctx->ntopics; t++) {
        for (int32_t p = 0; p < ctx->nparts[t]; p++) {
            eddy_partition *part = ctx->parts[t][p].part;
            if (!part) {
                continue;
            }
            pthread_mutex_lock(&part->wait_mu);
            for (size_t i = 0; i < part->nwaiters; i++) {
                if (part->waiters[i] == (eddy_fetch_wait *)ctx) {
                    part->waiters[i] = part->waiters[--part->nwaiters];
                    break;
                }
            }
            pthread_mutex_unlock(&part->wait_mu);
        }
    }
}

static void fetch_finish(fetch_ctx *ctx)
{
    ctx->done = true;
    if (ctx->timer) {
        eddy_loop_timer_cancel(ctx->loop, ctx->timer);
        ctx->timer = 0;
    }
    fetch_unregister(ctx);
    eddy_conn *conn = ctx->conn;
    if (!conn->closing) {
        bool any_error;
        fetch_read_all(ctx, &any_error);
        fetch_respond(ctx);
    }
    eddy_conn_release(conn);
    fetch_unref(ctx);
}

static void fetch_timeout(eddy_loop *loop, void *arg)
{
    fetch_ctx *ctx = arg;
    ctx->timer = 0;
    if (!ctx->done) {
        fetch_finish(ctx);
    }
}

static void fetch_wake(eddy_loop *loop, void *arg)
{
    fetch_ctx *ctx = arg;
    atomic_store(&ctx->wake_queued, false);
    if (!ctx->done) {
        if (ctx->conn->closing) {
            fetch_finish(ctx);
        } else {
            bool any_error;
            size_t avail = fetch_read_all(ctx, &any_error);
            if (avail >= (size_t)(ctx->body.MinBytes > 0 ? ctx->body.MinBytes : 1) || any_error) {
                fetch_finish(ctx);
            } else {
                fetch_release_slices(ctx);
            }
        }
    }
    fetch_unref(ctx);
}

void eddy_partition_on_advance(void *arg)
{
    eddy_partition *part = arg;
    pthread_mutex_lock(&part->wait_mu);
    for (size_t i = 0; i < part->nwaiters; i++) {
        fetch_ctx *ctx = (fetch_ctx *)part->waiters[i];
        if (!atomic_exchange(&ctx->wake_queued, true)) {
            atomic_fetch_add(&ctx->refs, 1);
            if (eddy_loop_post(ctx->loop, fetch_wake, ctx) != 0) {
                atomic_store(&ctx->wake_queued, false);
                atomic_fetch_sub(&ctx->refs, 1); /* the timer still ends it */
            }
        }
    }
    pthread_mutex_unlock(&part->wait_mu);
}

static bool fetch_register(fetch_ctx *ctx)
{
    for (int32_t t = 0; t < ctx->ntopics; t++) {
        for (int32_t p = 0; p < ctx->nparts[t]; p++) {
            eddy_partition *part = ctx->parts[t][p].part;
            if (!part) {
                continue;
            }
            pthread_mutex_lock(&part->wait_mu);
            bool ok = true;
            if (part->nwaiters == part->capwaiters) {
                size_t ncap = part->capwaiters ? part->capwaiters * 2 : 8;
                eddy_fetch_wait **nw = realloc(part->waiters, ncap * sizeof *nw);
                if (nw) {
                    part->waiters = nw;
                    part->capwaiters = ncap;
                } else {
                    ok = false;
                }
            }
            if (ok) {
                part->waiters[part->nwaiters++] = (eddy_fetch_wait *)ctx;
            }
            pthread_mutex_unlock(&part->wait_mu);
            ctx->registered = true;
            if (!ok) {
                return false;
            }
        }
    }
    return true;
}

void eddy_handle_Fetch(eddy_hub_req *req)
{
    eddy_conn *conn = req->conn;
    eddy_hub *hub = req_hub(req);
    int16_t version = req_version(req);
    fetch_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) {
        eddy_conn_close(conn, "out of memory");
        return;
    }
    ctx->conn = conn;
    ctx->loop = conn->worker->loop;
    ctx->version = version;
    atomic_init(&ctx->refs, 1);
    int rc = eddy_kafka_FetchRequest_decode(&req->body, version, &conn->arena, &ctx->body);
    if (rc) {
        free(ctx);
        eddy_hub_bad_request(req, rc);
        return;
    }
    int32_t nt = ctx->body.Topics.count > 0 ? ctx->body.Topics.count : 0;
    ctx->ntopics = nt;
    ctx->topics = calloc((size_t)nt + 1, sizeof *ctx->topics);
    ctx->parts = calloc((size_t)nt + 1, sizeof *ctx->parts);
    ctx->nparts = calloc((size_t)nt + 1, sizeof *ctx->nparts);
    if (!ctx->topics || !ctx->parts || !ctx->nparts) {
        ctx->ntopics = 0;
        fetch_unref(ctx);
        eddy_conn_close(conn, "out of memory");
        return;
    }
    for (int32_t t = 0; t < nt; t++) {
        eddy_kafka_FetchRequest_FetchTopic *ft = &ctx->body.Topics.items[t];
        int32_t np = ft->Partitions.count > 0 ? ft->Partitions.count : 0;
        ft->Partitions.count = np;
        ctx->nparts[t] = np;
        ctx->parts[t] = calloc((size_t)np + 1, sizeof *ctx->parts[t]);
        if (!ctx->parts[t]) {
            ctx->ntopics = t;
            fetch_unref(ctx);
            eddy_conn_close(conn, "out of memory");
            return;
        }
        eddy_topic *topic = NULL;
        int16_t missing = EDDY_ERR_UNKNOWN_TOPIC_OR_PARTITION;
        if (version >= 13) {
            topic = eddy_hub_topic_get_by_id(hub, ft->TopicId.b);
            missing = EDDY_ERR_UNKNOWN_TOPIC_ID;
        } else if (ft->Topic.len > 0) {
            topic = eddy_hub_topic_get(hub, ft->Topic.p, (size_t)ft->Topic.len);
        }
        ctx->topics[t] = topic;
        for (int32_t p = 0; p < np; p++) {
            int32_t index = ft->Partitions.items[p].Partition;
            fetch_part *fp = &ctx->parts[t][p];
            if (!topic) {
                fp->error = missing;
            } else if (index < 0 || index >= topic->npartitions) {
                fp->error = EDDY_ERR_UNKNOWN_TOPIC_OR_PARTITION;
            } else {
                fp->part = &topic->parts[index];
            }
        }
    }
    bool any_error;
    size_t avail = fetch_read_all(ctx, &any_error);
    int32_t min_bytes = ctx->body.MinBytes > 0 ? ctx->body.MinBytes : 1;
    if (avail >= (size_t)min_bytes || any_error || ctx->body.MaxWaitMs <= 0 || nt == 0) {
        fetch_respond(ctx);
        fetch_unref(ctx);
        return;
    }
    /* Long poll: wait for the logs to grow, at most MaxWaitMs. */
    fetch_release_slices(ctx);
    eddy_conn_hold(conn);
    if (!fetch_register(ctx)) {
        fetch_finish(ctx);
        return;
    }
    ctx->timer = eddy_loop_timer_at(ctx->loop, eddy_loop_now_ms(ctx->loop) + ctx->body.MaxWaitMs,
                                    fetch_timeout, ctx);
    if (!ctx->timer) {
        fetch_finish(ctx);
        return;
    }
    /* Data may have arrived between the read and the registration. */
    avail = fetch_read_all(ctx, &any_error);
    if (avail >= (size_t)min_bytes || any_error) {
        fetch_finish(ctx);
    } else {
        fetch_release_slices(ctx);
    }
}

/* --- ListOffsets --- */

void eddy_handle_ListOffsets(eddy_hub_req *req)
{
    eddy_conn *conn = req->conn;
    eddy_hub *hub = req_hub(req);
    eddy_arena *arena = &conn->arena;
    int16_t version = req_version(req);
    eddy_kafka_ListOffsetsRequest body;
    int rc = eddy_kafka_ListOffsetsRequest_decode(&req->body, version, arena, &body);
    if (rc) {
        eddy_hub_bad_request(req, rc);
        return;
    }
    eddy_kafka_ListOffsetsResponse resp;
    eddy_kafka_ListOffsetsResponse_init(&resp);
    int32_t nt = body.Topics.count > 0 ? body.Topics.count : 0;
    resp.Topics.items =
        ARENA_ARRAY(arena, eddy_kafka_ListOffsetsResponse_ListOffsetsTopicResponse, nt + 1);
    if (!resp.Topics.items) {
        eddy_conn_close(conn, "out of memory");
        return;
    }
    resp.Topics.count = nt;
    for (int32_t t = 0; t < nt; t++) {
        const eddy_kafka_ListOffsetsRequest_ListOffsetsTopic *rt = &body.Topics.items[t];
        eddy_kafka_ListOffsetsResponse_ListOffsetsTopicResponse *tr = &resp.Topics.items[t];
        eddy_kafka_ListOffsetsResponse_ListOffsetsTopicResponse_init(tr);
        tr->Name = rt->Name;
        int32_t np = rt->Partitions.count > 0 ? rt->Partitions.count : 0;
        tr->Partitions.items =
            ARENA_ARRAY(arena, eddy_kafka_ListOffsetsResponse_ListOffsetsPartitionResponse, np + 1);
        int64_t *old = ARENA_ARRAY(arena, int64_t, np + 1);
        if (!tr->Partitions.items || !old) {
            eddy_conn_close(conn, "out of memory");
            return;
        }
        tr->Partitions.count = np;
        eddy_topic *topic =
            rt->Name.len > 0 ? eddy_hub_topic_get(hub, rt->Name.p, (size_t)rt->Name.len) : NULL;
        for (int32_t p = 0; p < np; p++) {
            const eddy_kafka_ListOffsetsRequest_ListOffsetsPartition *rp = &rt->Partitions.items[p];
            eddy_kafka_ListOffsetsResponse_ListOffsetsPartitionResponse *pr =
                &tr->Partitions.items[p];
            eddy_kafka_ListOffsetsResponse_ListOffsetsPartitionResponse_init(pr);
            pr->PartitionIndex = rp->PartitionIndex;
            if (!topic || rp->PartitionIndex < 0 || rp->PartitionIndex >= topic->npartitions) {
                pr->ErrorCode = EDDY_ERR_UNKNOWN_TOPIC_OR_PARTITION;
                continue;
            }
            eddy_log *log = topic->parts[rp->PartitionIndex].log;
            int64_t offset = -1, ts = -1;
            if (rp->Timestamp == -2 || rp->Timestamp == -4) {
                offset = eddy_log_start_offset(log); /* earliest (and local start) */
            } else if (rp->Timestamp == -1) {
                offset = eddy_log_high_watermark(log); /* latest */
            } else if (rp->Timestamp == -3) {
                /* Max timestamp (v7+): the last event, the latest by time in
                 * an append-time hub. */
                int64_t hw = eddy_log_high_watermark(log);
                offset = hw > eddy_log_start_offset(log) ? hw - 1 : -1;
            } else if (rp->Timestamp >= 0) {
                rc = eddy_log_offset_for_time(log, rp->Timestamp, &offset, &ts);
                if (rc) {
                    offset = -1;
                    ts = -1;
                }
            } else {
                pr->ErrorCode = EDDY_ERR_INVALID_REQUEST;
                continue;
            }
            pr->Offset = offset;
            pr->Timestamp = ts;
            pr->LeaderEpoch = 0;
            if (version == 0) {
                if (offset >= 0 && rp->MaxNumOffsets > 0) {
                    old[p] = offset;
                    pr->OldStyleOffsets.items = &old[p];
                    pr->OldStyleOffsets.count = 1;
                } else {
                    pr->OldStyleOffsets.count = 0;
                }
            }
        }
        if (topic) {
            eddy_hub_topic_put(topic);
        }
    }
    eddy_buf *b = eddy_conn_response_begin(conn);
    if (!b) {
        eddy_conn_close(conn, "out of memory");
        return;
    }
    eddy_kafka_ListOffsetsResponse_encode(b, version, &resp);
    eddy_conn_response_end(conn, b);
}
