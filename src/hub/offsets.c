/* Committed offsets: OffsetCommit, OffsetFetch, group deletion and expiry,
 * and the internal log that makes them durable.
 *
 * Every commit is a batch of records (one per partition) appended to the
 * offsets log, a storage-module log like a partition's, under the hub's
 * fsync policy. The commit is applied in memory and acknowledged only when
 * the log writer reports the batch durable, so an acknowledged offset
 * survives a crash, and the in-memory state is always what a replay of the
 * log gives (appends and their completions keep one order). Deleting or
 * expiring a group appends one group tombstone. At start the whole log is
 * read back, last write wins. The record format is in
 * docs/format/offsets.md. The log is never compacted: it grows with every
 * commit until a future compaction rewrites it (docs/groups.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/endian.h"
#include "core/log.h"
#include "hub/group_int.h"
#include "record/builder.h"
#include "record/records.h"
#include "storage/fs.h"

#define KEY_OFFSET      1 /* key: group, topic, partition; value: offset or null */
#define KEY_GROUP       2 /* key: group; value null = the group is deleted */
#define VALUE_OFFSET    1
#define BATCH_SPLIT     (256 * 1024)
#define LOAD_READ_BYTES (1024 * 1024)
#define OFFSETS_SEGMENT (64LL * 1024 * 1024)
#define MAX_TOPIC_LEN   GROUP_MAX_ID_LEN

enum append_kind { APPEND_COMMIT, APPEND_DELETE, APPEND_EXPIRE };

typedef struct append_part {
    append_ctx *ctx;
    int err; /* written by the log writer before it posts */
} append_part;

/* Records on their way to durability, owned by the coordinator (in
 * c->appends until every batch completed). */
struct append_ctx {
    append_ctx *prev, *next;
    eddy_coord *c;
    enum append_kind kind;
    eddy_group_msg *m; /* answered when durable; NULL for expiry */
    /* APPEND_COMMIT: the group (by id and incarnation) and its entries. */
    char *group_id;
    size_t group_len;
    uint64_t incarnation;
    offset_entry **entries;
    int16_t **slots; /* the response's ErrorCode of each entry */
    int nentries;
    append_part *parts;
    int nparts;
    int remaining;
    int err;
};

/* ---- entries ---- */

static void entry_free(offset_entry *e)
{
    if (e) {
        free(e->topic);
        free(e->metadata);
        free(e);
    }
}

/* The map key of (topic, partition): be32 partition, then the topic. */
static char *entry_key(const char *topic, size_t tlen, int32_t partition, char *buf, size_t cap,
                       size_t *klen)
{
    char *k = tlen + 4 <= cap ? buf : malloc(tlen + 4);
    if (k) {
        eddy_store_be32(k, (uint32_t)partition);
        memcpy(k + 4, topic, tlen);
        *klen = tlen + 4;
    }
    return k;
}

static offset_entry *entry_get(group *g, const char *topic, size_t tlen, int32_t partition)
{
    char buf[260];
    size_t klen;
    char *k = entry_key(topic, tlen, partition, buf, sizeof buf, &klen);
    offset_entry *e = k ? eddy_map_get(&g->offsets, k, klen) : NULL;
    if (k != buf) {
        free(k);
    }
    return e;
}

/* Puts e (taking ownership) in place of the group's entry for its
 * partition. */
static void entry_put(group *g, offset_entry *e)
{
    char buf[260];
    size_t klen;
    char *k = entry_key(e->topic, strlen(e->topic), e->partition, buf, sizeof buf, &klen);
    void *old = NULL;
    if (!k || eddy_map_put(&g->offsets, k, klen, e, &old)) {
        eddy_log_error("group.offset_lost", "group=%s topic=%s partition=%d reason=nomem", g->id,
                       e->topic, e->partition);
        entry_free(e);
    } else {
        entry_free(old);
    }
    if (k != buf) {
        free(k);
    }
}

static void entry_del(group *g, const char *topic, size_t tlen, int32_t partition)
{
    char buf[260];
    size_t klen;
    char *k = entry_key(topic, tlen, partition, buf, sizeof buf, &klen);
    if (k) {
        entry_free(eddy_map_del(&g->offsets, k, klen));
    }
    if (k != buf) {
        free(k);
    }
}

void offsets_group_clear(group *g)
{
    size_t it = 0;
    void *v;
    while (eddy_map_next(&g->offsets, &it, NULL, NULL, &v)) {
        entry_free(v);
    }
    eddy_map_deinit(&g->offsets);
    eddy_map_init(&g->offsets);
}

/* ---- records (docs/format/offsets.md) ---- */

static void put_str(eddy_buf *b, const char *s, size_t n)
{
    eddy_buf_put_be16(b, (uint16_t)n);
    eddy_buf_append(b, s, n);
}

static int add_offset_record(eddy_batch_builder *bb, eddy_buf *key, eddy_buf *val, const group *g,
                             const offset_entry *e)
{
    eddy_buf_reset(key);
    eddy_buf_reset(val);
    eddy_buf_put_be16(key, KEY_OFFSET);
    put_str(key, g->id, g->idlen);
    put_str(key, e->topic, strlen(e->topic));
    eddy_buf_put_be32(key, (uint32_t)e->partition);
    eddy_buf_put_be16(val, VALUE_OFFSET);
    eddy_buf_put_be64(val, (uint64_t)e->offset);
    eddy_buf_put_be32(val, (uint32_t)e->leader_epoch);
    if (e->metadata) {
        put_str(val, e->metadata, strlen(e->metadata));
    } else {
        eddy_buf_put_be16(val, 0xffff);
    }
    eddy_buf_put_be64(val, (uint64_t)e->commit_ts);
    if (key->err || val->err) {
        return EDDY_ERR_NOMEM;
    }
    return eddy_batch_builder_add(bb, e->commit_ts, key->data, (int32_t)key->len, val->data,
                                  (int32_t)val->len, NULL, 0);
}

static int add_group_tombstone(eddy_batch_builder *bb, eddy_buf *key, const group *g, int64_t now)
{
    eddy_buf_reset(key);
    eddy_buf_put_be16(key, KEY_GROUP);
    put_str(key, g->id, g->idlen);
    if (key->err) {
        return EDDY_ERR_NOMEM;
    }
    return eddy_batch_builder_add(bb, now, key->data, (int32_t)key->len, NULL, -1, NULL, 0);
}

/* Batches finished into one buffer, with where each starts. */
typedef struct batch_list {
    eddy_buf out;
    size_t *starts;
    int n, cap;
} batch_list;

static int batch_list_finish(batch_list *bl, eddy_batch_builder *bb)
{
    if (eddy_batch_builder_count(bb) == 0) {
        return 0;
    }
    if (bl->n == bl->cap) {
        int cap = bl->cap ? bl->cap * 2 : 4;
        size_t *ns = realloc(bl->starts, (size_t)(cap + 1) * sizeof *ns);
        if (!ns) {
            return EDDY_ERR_NOMEM;
        }
        bl->starts = ns;
        bl->cap = cap;
    }
    size_t at = bl->out.len;
    int rc = eddy_batch_builder_finish(bb, &bl->out);
    if (rc) {
        return rc;
    }
    bl->starts[bl->n++] = at;
    bl->starts[bl->n] = bl->out.len;
    eddy_batch_builder_reset(bb, bb->base_timestamp);
    return 0;
}

static void batch_list_deinit(batch_list *bl)
{
    eddy_buf_deinit(&bl->out);
    free(bl->starts);
}

/* ---- appends ---- */

static void append_ctx_free(eddy_coord *c, append_ctx *ctx)
{
    if (ctx->m) {
        c->cfg.drop(c->cfg.reply_ctx, ctx->m);
    }
    for (int i = 0; i < ctx->nentries; i++) {
        entry_free(ctx->entries[i]);
    }
    free(ctx->entries);
    free(ctx->slots);
    free(ctx->parts);
    free(ctx->group_id);
    free(ctx);
}

/* Storage errors become what clients retry on; size errors say so. */
static int16_t commit_error(int err)
{
    switch (err) {
    case EDDY_ERR_MESSAGE_TOO_LARGE:
    case EDDY_ERR_RECORD_LIST_TOO_LARGE:
        return EDDY_ERR_INVALID_COMMIT_OFFSET_SIZE;
    default:
        return EDDY_ERR_COORDINATOR_NOT_AVAILABLE;
    }
}

static void append_finish(append_ctx *ctx)
{
    eddy_coord *c = ctx->c;
    if (ctx->prev) {
        ctx->prev->next = ctx->next;
    } else {
        c->appends = ctx->next;
    }
    if (ctx->next) {
        ctx->next->prev = ctx->prev;
    }
    if (ctx->err) {
        eddy_log_error("group.offsets_write_failed", "kind=%d err=%s", (int)ctx->kind,
                       eddy_err_name(ctx->err));
    }
    switch (ctx->kind) {
    case APPEND_COMMIT: {
        group *g = coord_group_get(c, ctx->group_id, ctx->group_len);
        if (g && g->incarnation != ctx->incarnation) {
            g = NULL; /* deleted since; the log has its tombstone after these */
        }
        if (g) {
            g->pending_appends--;
            if (!ctx->err) {
                for (int i = 0; i < ctx->nentries; i++) {
                    entry_put(g, ctx->entries[i]);
                    ctx->entries[i] = NULL;
                }
                if (g->state == GROUP_EMPTY) {
                    g->empty_since_ms = coord_now_wall();
                }
            }
        }
        int16_t e = ctx->err ? commit_error(ctx->err) : 0;
        for (int i = 0; i < ctx->nentries; i++) {
            *ctx->slots[i] = e;
        }
        eddy_group_msg *m = ctx->m;
        ctx->m = NULL;
        coord_reply(c, m);
        if (g && g->state == GROUP_EMPTY && g->nmembers == 0 && g->offsets.count == 0 &&
            g->pending_appends == 0 && g->npending == 0 && !g->declared) {
            coord_group_remove(c, g);
        }
        break;
    }
    case APPEND_DELETE: {
        eddy_group_msg *m = ctx->m;
        ctx->m = NULL;
        eddy_kafka_DeleteGroupsResponse *r = &m->resp.DeleteGroups;
        for (int32_t i = 0; ctx->err && i < r->Results.count; i++) {
            if (r->Results.items[i].ErrorCode == 0) {
                r->Results.items[i].ErrorCode = EDDY_ERR_COORDINATOR_NOT_AVAILABLE;
            }
        }
        coord_reply(c, m);
        break;
    }
    case APPEND_EXPIRE:
        break;
    }
    append_ctx_free(c, ctx);
}

static void part_done(eddy_loop *loop, void *arg)
{
    append_part *part = arg;
    append_ctx *ctx = part->ctx;
    if (part->err && !ctx->err) {
        ctx->err = part->err;
    }
    if (--ctx->remaining == 0) {
        append_finish(ctx);
    }
}

/* The log writer's completion (writer thread): hand it to the
 * coordinator. */
static void append_done(void *arg, int err, int64_t base_offset)
{
    append_part *part = arg;
    part->err = err;
    if (eddy_loop_post(part->ctx->c->loop, part_done, part)) {
        eddy_log_error("group.offsets_completion_lost", "err=%s", eddy_err_name(EDDY_ERR_NOMEM));
    }
}

/* Appends the batches; ctx then finishes when the last is durable (or at
 * once when none could be queued). Takes ownership of ctx. */
static void append_start(eddy_coord *c, append_ctx *ctx, batch_list *bl, int err)
{
    ctx->c = c;
    ctx->next = c->appends;
    if (c->appends) {
        c->appends->prev = ctx;
    }
    c->appends = ctx;
    ctx->err = err;
    ctx->parts = calloc((size_t)bl->n + 1, sizeof *ctx->parts);
    if (!ctx->parts && !ctx->err) {
        ctx->err = EDDY_ERR_NOMEM;
    }
    if (!c->log && !ctx->err) {
        ctx->err = EDDY_ERR_CLOSED; /* shutting down */
    }
    for (int i = 0; !ctx->err && i < bl->n; i++) {
        ctx->parts[i].ctx = ctx;
        eddy_append_req areq = {
            .log_append_time = false,
            .now_ms = coord_now_wall(),
            .done = append_done,
            .ctx = &ctx->parts[i],
        };
        eddy_append_result ares;
        int rc = eddy_log_append(c->log, bl->out.data + bl->starts[i],
                                 bl->starts[i + 1] - bl->starts[i], &areq, &ares);
        if (rc) {
            ctx->err = rc;
        } else {
            ctx->remaining++;
        }
    }
    if (ctx->remaining == 0) {
        append_finish(ctx);
    }
}

/* ---- OffsetCommit ---- */

/* Kafka's validateOffsetCommit. *out gets the group (created for a simple
 * commit to an unknown group), or NULL. */
static int16_t commit_check(eddy_coord *c, eddy_group_msg *m, group **out)
{
    const eddy_kafka_OffsetCommitRequest *rq = &m->req.OffsetCommit;
    *out = NULL;
    if (rq->GroupId.len < 0 || rq->GroupId.len > GROUP_MAX_ID_LEN) {
        return EDDY_ERR_INVALID_GROUP_ID;
    }
    int32_t gen = m->version >= 1 ? rq->GenerationIdOrMemberEpoch : -1;
    eddy_kstr mid = m->version >= 1 ? rq->MemberId : (eddy_kstr){"", 0};
    eddy_kstr iid = m->version >= 7 ? rq->GroupInstanceId : EDDY_KSTR_NULL;
    group *g = coord_group_get(c, rq->GroupId.p, (size_t)rq->GroupId.len);
    if (!g) {
        if (gen >= 0) {
            /* A member of a group this hub does not know (any more). */
            return EDDY_ERR_ILLEGAL_GENERATION;
        }
        g = coord_group_create(c, rq->GroupId.p, (size_t)rq->GroupId.len);
        if (!g) {
            return EDDY_ERR_COORDINATOR_NOT_AVAILABLE;
        }
        *out = g;
        return 0;
    }
    *out = g;
    member *mb = group_member_find(g, mid);
    if (iid.len >= 0) {
        for (int i = 0; i < g->nmembers; i++) {
            const char *inst = g->members[i]->instance_id;
            if (inst && eddy_kstr_eq(iid, inst) && g->members[i] != mb) {
                return EDDY_ERR_FENCED_INSTANCE_ID;
            }
        }
    }
    if (gen < 0 && g->state == GROUP_EMPTY) {
        return 0; /* offsets only: simple consumers and admin tools */
    }
    if (g->state == GROUP_COMPLETING) {
        return EDDY_ERR_REBALANCE_IN_PROGRESS;
    }
    if (!mb) {
        return EDDY_ERR_UNKNOWN_MEMBER_ID;
    }
    if (gen != g->generation) {
        return EDDY_ERR_ILLEGAL_GENERATION;
    }
    member_touch(mb);
    return 0;
}

void offsets_handle_commit(eddy_coord *c, eddy_group_msg *m)
{
    const eddy_kafka_OffsetCommitRequest *rq = &m->req.OffsetCommit;
    eddy_kafka_OffsetCommitResponse *r = &m->resp.OffsetCommit;
    eddy_arena *a = &m->arena;
    int32_t nt = rq->Topics.count > 0 ? rq->Topics.count : 0;
    int total = 0;
    r->Topics.items = eddy_arena_calloc(a, (size_t)nt + 1, sizeof *r->Topics.items);
    bool oom = !r->Topics.items;
    for (int32_t t = 0; !oom && t < nt; t++) {
        const eddy_kafka_OffsetCommitRequest_OffsetCommitRequestTopic *rt = &rq->Topics.items[t];
        eddy_kafka_OffsetCommitResponse_OffsetCommitResponseTopic *ot = &r->Topics.items[t];
        eddy_kafka_OffsetCommitResponse_OffsetCommitResponseTopic_init(ot);
        ot->Name = rt->Name.len >= 0 ? rt->Name : (eddy_kstr){"", 0};
        int32_t np = rt->Partitions.count > 0 ? rt->Partitions.count : 0;
        ot->Partitions.items = eddy_arena_calloc(a, (size_t)np + 1, sizeof *ot->Partitions.items);
        if (!ot->Partitions.items) {
            oom = true;
            break;
        }
        for (int32_t p = 0; p < np; p++) {
            eddy_kafka_OffsetCommitResponse_OffsetCommitResponsePartition_init(
                &ot->Partitions.items[p]);
            ot->Partitions.items[p].PartitionIndex = rt->Partitions.items[p].PartitionIndex;
        }
        ot->Partitions.count = np;
        total += np;
    }
    if (oom) {
        r->Topics.count = 0;
        coord_reply(c, m);
        return;
    }
    r->Topics.count = nt;

    group *g = NULL;
    int16_t gerr = commit_check(c, m, &g);
    int64_t now = coord_now_wall();
    append_ctx *ctx = calloc(1, sizeof *ctx);
    offset_entry **entries = calloc((size_t)total + 1, sizeof *entries);
    int16_t **slots = calloc((size_t)total + 1, sizeof *slots);
    eddy_batch_builder bb;
    eddy_batch_builder_init(&bb, EDDY_CODEC_NONE, now);
    eddy_buf key, val;
    eddy_buf_init(&key, 0);
    eddy_buf_init(&val, 0);
    batch_list bl = {0};
    eddy_buf_init(&bl.out, 0);
    int build_err = 0;
    if (!ctx || !entries || !slots) {
        gerr = gerr ? gerr : EDDY_ERR_COORDINATOR_NOT_AVAILABLE;
    }
    int n = 0, k = 0;
    for (int32_t t = 0; t < nt; t++) {
        const eddy_kafka_OffsetCommitRequest_OffsetCommitRequestTopic *rt = &rq->Topics.items[t];
        for (int32_t p = 0; p < r->Topics.items[t].Partitions.count; p++, k++) {
            const eddy_kafka_OffsetCommitRequest_OffsetCommitRequestPartition *rp =
                &rt->Partitions.items[p];
            int16_t *slot = &r->Topics.items[t].Partitions.items[p].ErrorCode;
            int16_t err = gerr;
            if (!err && m->pre_errors) {
                err = m->pre_errors[k];
            }
            if (!err && (rt->Name.len <= 0 || rt->Name.len > MAX_TOPIC_LEN)) {
                err = EDDY_ERR_UNKNOWN_TOPIC_OR_PARTITION;
            }
            if (!err && rp->CommittedMetadata.len > OFFSET_METADATA_MAX) {
                err = EDDY_ERR_OFFSET_METADATA_TOO_LARGE;
            }
            offset_entry *e = err ? NULL : calloc(1, sizeof *e);
            if (e) {
                e->topic = malloc((size_t)rt->Name.len + 1);
                /* Kafka stores a null metadata as "". */
                int32_t mlen = rp->CommittedMetadata.len > 0 ? rp->CommittedMetadata.len : 0;
                e->metadata = malloc((size_t)mlen + 1);
                if (e->topic && e->metadata) {
                    memcpy(e->topic, rt->Name.p, (size_t)rt->Name.len);
                    e->topic[rt->Name.len] = '\0';
                    if (mlen) {
                        memcpy(e->metadata, rp->CommittedMetadata.p, (size_t)mlen);
                    }
                    e->metadata[mlen] = '\0';
                }
                e->partition = rp->PartitionIndex;
                e->offset = rp->CommittedOffset;
                e->leader_epoch = m->version >= 6 ? rp->CommittedLeaderEpoch : -1;
                e->commit_ts = now;
            }
            if (!err && (!e || !e->topic || !e->metadata)) {
                err = EDDY_ERR_COORDINATOR_NOT_AVAILABLE;
            }
            if (!err && !build_err) {
                build_err = add_offset_record(&bb, &key, &val, g, e);
                if (!build_err && bb.records.len >= BATCH_SPLIT) {
                    build_err = batch_list_finish(&bl, &bb);
                }
            }
            if (err) {
                entry_free(e);
                *slot = err;
                continue;
            }
            entries[n] = e;
            slots[n] = slot;
            n++;
        }
    }
    if (!build_err) {
        build_err = batch_list_finish(&bl, &bb);
    }
    eddy_batch_builder_deinit(&bb);
    eddy_buf_deinit(&key);
    eddy_buf_deinit(&val);
    if (n == 0) {
        batch_list_deinit(&bl);
        free(entries);
        free(slots);
        free(ctx);
        coord_reply(c, m);
        if (g && g->state == GROUP_EMPTY && g->nmembers == 0 && g->offsets.count == 0 &&
            g->pending_appends == 0 && g->npending == 0 && !g->declared) {
            coord_group_remove(c, g);
        }
        return;
    }
    ctx->kind = APPEND_COMMIT;
    ctx->m = m;
    ctx->entries = entries;
    ctx->slots = slots;
    ctx->nentries = n;
    ctx->group_id = malloc(g->idlen + 1);
    ctx->group_len = g->idlen;
    ctx->incarnation = g->incarnation;
    if (ctx->group_id) {
        memcpy(ctx->group_id, g->id, g->idlen + 1);
    } else if (!build_err) {
        build_err = EDDY_ERR_NOMEM;
    }
    g->pending_appends++;
    append_start(c, ctx, &bl, build_err);
    batch_list_deinit(&bl);
}

/* ---- OffsetFetch ---- */

typedef struct fetch_part {
    int32_t partition;
    int64_t offset;
    int32_t epoch;
    eddy_kstr metadata;
    int16_t err;
} fetch_part;

typedef struct fetch_topic {
    eddy_kstr name;
    fetch_part *parts;
    int32_t n;
} fetch_topic;

typedef struct fetch_ask {
    eddy_kstr name;
    eddy_karray_i32 parts;
} fetch_ask;

static int cmp_entries(const void *a, const void *b)
{
    const offset_entry *x = *(offset_entry *const *)a, *y = *(offset_entry *const *)b;
    int c = strcmp(x->topic, y->topic);
    return c ? c : (x->partition > y->partition) - (x->partition < y->partition);
}

static void fill_part(eddy_group_msg *m, fetch_part *fp, const offset_entry *e, int32_t partition,
                      int16_t err)
{
    fp->partition = partition;
    fp->offset = e && !err ? e->offset : -1;
    fp->epoch = e && !err ? e->leader_epoch : -1;
    fp->metadata = (eddy_kstr){"", 0};
    if (e && !err && e->metadata) {
        size_t n = strlen(e->metadata);
        char *p = eddy_arena_strndup(&m->arena, e->metadata, n);
        fp->metadata = p ? (eddy_kstr){p, (int32_t)n} : fp->metadata;
    }
    fp->err = err;
}

/* One group's committed offsets, for the asked topics or (asks NULL) all.
 * Returns the group-level error. */
static int16_t fetch_group(eddy_coord *c, eddy_group_msg *m, eddy_kstr gid, const fetch_ask *asks,
                           int32_t nasks, fetch_topic **out, int32_t *nout)
{
    eddy_arena *a = &m->arena;
    *out = NULL;
    *nout = 0;
    int16_t gerr = gid.len < 0 || gid.len > GROUP_MAX_ID_LEN ? EDDY_ERR_INVALID_GROUP_ID : 0;
    group *g = gerr ? NULL : coord_group_get(c, gid.p, (size_t)gid.len);
    if (asks) {
        fetch_topic *ts = eddy_arena_calloc(a, (size_t)nasks + 1, sizeof *ts);
        if (!ts) {
            return EDDY_ERR_COORDINATOR_NOT_AVAILABLE;
        }
        for (int32_t t = 0; t < nasks; t++) {
            ts[t].name = asks[t].name.len >= 0 ? asks[t].name : (eddy_kstr){"", 0};
            int32_t np = asks[t].parts.count > 0 ? asks[t].parts.count : 0;
            ts[t].parts = eddy_arena_calloc(a, (size_t)np + 1, sizeof *ts[t].parts);
            if (!ts[t].parts) {
                return EDDY_ERR_COORDINATOR_NOT_AVAILABLE;
            }
            for (int32_t p = 0; p < np; p++) {
                int32_t part = asks[t].parts.items[p];
                const offset_entry *e =
                    g && asks[t].name.len > 0
                        ? entry_get(g, asks[t].name.p, (size_t)asks[t].name.len, part)
                        : NULL;
                fill_part(m, &ts[t].parts[p], e, part, 0);
            }
            ts[t].n = np;
        }
        *out = ts;
        *nout = nasks;
        return gerr;
    }
    if (!g || g->offsets.count == 0) {
        return gerr;
    }
    size_t ne = g->offsets.count;
    offset_entry **es = malloc(ne * sizeof *es);
    fetch_topic *ts = eddy_arena_calloc(a, ne + 1, sizeof *ts);
    fetch_part *ps = eddy_arena_calloc(a, ne + 1, sizeof *ps);
    if (!es || !ts || !ps) {
        free(es);
        return EDDY_ERR_COORDINATOR_NOT_AVAILABLE;
    }
    size_t it = 0, i = 0;
    void *v;
    while (i < ne && eddy_map_next(&g->offsets, &it, NULL, NULL, &v)) {
        es[i++] = v;
    }
    qsort(es, i, sizeof *es, cmp_entries);
    int32_t nt = 0;
    for (size_t k = 0; k < i; k++) {
        if (nt == 0 || strcmp(es[k]->topic, es[k - 1]->topic) != 0) {
            size_t n = strlen(es[k]->topic);
            char *name = eddy_arena_strndup(a, es[k]->topic, n);
            ts[nt].name = name ? (eddy_kstr){name, (int32_t)n} : (eddy_kstr){"", 0};
            ts[nt].parts = &ps[k];
            ts[nt].n = 0;
            nt++;
        }
        fill_part(m, &ps[k], es[k], es[k]->partition, 0);
        ts[nt - 1].n++;
    }
    free(es);
    *out = ts;
    *nout = nt;
    return 0;
}

void offsets_handle_fetch(eddy_coord *c, eddy_group_msg *m)
{
    const eddy_kafka_OffsetFetchRequest *rq = &m->req.OffsetFetch;
    eddy_kafka_OffsetFetchResponse *r = &m->resp.OffsetFetch;
    eddy_arena *a = &m->arena;
    if (m->version >= 8) {
        int32_t ng = rq->Groups.count > 0 ? rq->Groups.count : 0;
        r->Groups.items = eddy_arena_calloc(a, (size_t)ng + 1, sizeof *r->Groups.items);
        for (int32_t i = 0; r->Groups.items && i < ng; i++) {
            const eddy_kafka_OffsetFetchRequest_OffsetFetchRequestGroup *rg = &rq->Groups.items[i];
            eddy_kafka_OffsetFetchResponse_OffsetFetchResponseGroup *og = &r->Groups.items[i];
            eddy_kafka_OffsetFetchResponse_OffsetFetchResponseGroup_init(og);
            og->GroupId = rg->GroupId.len >= 0 ? rg->GroupId : (eddy_kstr){"", 0};
            int32_t nasks = rg->Topics.count;
            fetch_ask *asks = NULL;
            if (nasks >= 0) {
                asks = eddy_arena_calloc(a, (size_t)nasks + 1, sizeof *asks);
                for (int32_t t = 0; asks && t < nasks; t++) {
                    asks[t].name = rg->Topics.items[t].Name;
                    asks[t].parts = rg->Topics.items[t].PartitionIndexes;
                }
            }
            fetch_topic *ts;
            int32_t nt;
            og->ErrorCode = nasks >= 0 && !asks ? EDDY_ERR_COORDINATOR_NOT_AVAILABLE
                                                : fetch_group(c, m, rg->GroupId, asks,
                                                              nasks > 0 ? nasks : 0, &ts, &nt);
            if (og->ErrorCode) {
                continue;
            }
            og->Topics.items = eddy_arena_calloc(a, (size_t)nt + 1, sizeof *og->Topics.items);
            for (int32_t t = 0; og->Topics.items && t < nt; t++) {
                eddy_kafka_OffsetFetchResponse_OffsetFetchResponseTopics *ot = &og->Topics.items[t];
                eddy_kafka_OffsetFetchResponse_OffsetFetchResponseTopics_init(ot);
                ot->Name = ts[t].name;
                ot->Partitions.items =
                    eddy_arena_calloc(a, (size_t)ts[t].n + 1, sizeof *ot->Partitions.items);
                for (int32_t p = 0; ot->Partitions.items && p < ts[t].n; p++) {
                    eddy_kafka_OffsetFetchResponse_OffsetFetchResponsePartitions *op =
                        &ot->Partitions.items[p];
                    eddy_kafka_OffsetFetchResponse_OffsetFetchResponsePartitions_init(op);
                    op->PartitionIndex = ts[t].parts[p].partition;
                    op->CommittedOffset = ts[t].parts[p].offset;
                    op->CommittedLeaderEpoch = ts[t].parts[p].epoch;
                    op->Metadata = ts[t].parts[p].metadata;
                    op->ErrorCode = ts[t].parts[p].err;
                }
                ot->Partitions.count = ot->Partitions.items ? ts[t].n : 0;
            }
            og->Topics.count = og->Topics.items ? nt : 0;
        }
        r->Groups.count = r->Groups.items ? ng : 0;
        coord_reply(c, m);
        return;
    }
    int32_t nasks = rq->Topics.count;
    fetch_ask *asks = NULL;
    if (nasks >= 0) {
        asks = eddy_arena_calloc(a, (size_t)nasks + 1, sizeof *asks);
        for (int32_t t = 0; asks && t < nasks; t++) {
            asks[t].name = rq->Topics.items[t].Name;
            asks[t].parts = rq->Topics.items[t].PartitionIndexes;
        }
    }
    fetch_topic *ts = NULL;
    int32_t nt = 0;
    int16_t gerr = nasks >= 0 && !asks
                       ? EDDY_ERR_COORDINATOR_NOT_AVAILABLE
                       : fetch_group(c, m, rq->GroupId, asks, nasks > 0 ? nasks : 0, &ts, &nt);
    r->Topics.items = eddy_arena_calloc(a, (size_t)nt + 1, sizeof *r->Topics.items);
    for (int32_t t = 0; r->Topics.items && t < nt; t++) {
        eddy_kafka_OffsetFetchResponse_OffsetFetchResponseTopic *ot = &r->Topics.items[t];
        eddy_kafka_OffsetFetchResponse_OffsetFetchResponseTopic_init(ot);
        ot->Name = ts[t].name;
        ot->Partitions.items =
            eddy_arena_calloc(a, (size_t)ts[t].n + 1, sizeof *ot->Partitions.items);
        for (int32_t p = 0; ot->Partitions.items && p < ts[t].n; p++) {
            eddy_kafka_OffsetFetchResponse_OffsetFetchResponsePartition *op =
                &ot->Partitions.items[p];
            eddy_kafka_OffsetFetchResponse_OffsetFetchResponsePartition_init(op);
            op->PartitionIndex = ts[t].parts[p].partition;
            op->CommittedOffset = ts[t].parts[p].offset;
            op->CommittedLeaderEpoch = ts[t].parts[p].epoch;
            op->Metadata = ts[t].parts[p].metadata;
            /* v0/v1 have no top-level error: it goes into every partition. */
            op->ErrorCode = m->version < 2 && gerr ? gerr : ts[t].parts[p].err;
            if (m->version < 2 && gerr) {
                op->CommittedOffset = -1;
            }
        }
        ot->Partitions.count = ot->Partitions.items ? ts[t].n : 0;
    }
    r->Topics.count = r->Topics.items ? nt : 0;
    r->ErrorCode = gerr;
    coord_reply(c, m);
}

/* ---- deletion and expiry ---- */

void offsets_delete_groups(eddy_coord *c, group **gs, int n, eddy_group_msg *m)
{
    int64_t now = coord_now_wall();
    eddy_batch_builder bb;
    eddy_batch_builder_init(&bb, EDDY_CODEC_NONE, now);
    eddy_buf key;
    eddy_buf_init(&key, 0);
    batch_list bl = {0};
    eddy_buf_init(&bl.out, 0);
    int err = 0;
    for (int i = 0; i < n; i++) {
        if (!err) {
            err = add_group_tombstone(&bb, &key, gs[i], now);
        }
        /* In memory the offsets go now; a commit still on its way to the
         * disk belongs to the old incarnation and is dropped on arrival
         * (in the log it precedes the tombstone). */
        offsets_group_clear(gs[i]);
        gs[i]->incarnation = c->next_incarnation++;
    }
    if (!err) {
        err = batch_list_finish(&bl, &bb);
    }
    eddy_batch_builder_deinit(&bb);
    eddy_buf_deinit(&key);
    append_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) {
        batch_list_deinit(&bl);
        eddy_log_error("group.offsets_write_failed", "err=%s", eddy_err_name(EDDY_ERR_NOMEM));
        if (m) {
            coord_reply(c, m);
        }
        return;
    }
    ctx->kind = m ? APPEND_DELETE : APPEND_EXPIRE;
    ctx->m = m;
    append_start(c, ctx, &bl, err);
    batch_list_deinit(&bl);
}

static void expiry_tick(eddy_loop *loop, void *arg);

static int64_t expiry_interval(const eddy_coord *c)
{
    if (c->cfg.expiry_check_ms > 0) {
        return c->cfg.expiry_check_ms;
    }
    int64_t r = c->cfg.offsets_retention_ms;
    if (r < 0) {
        return 60000;
    }
    r /= 4;
    return r < 100 ? 100 : r > 60000 ? 60000 : r;
}

/* Removes the offsets of groups Empty for longer than the retention (a
 * tombstone each), and forgets Empty groups that hold nothing. Declared
 * groups stay, without offsets. */
static void expiry_tick(eddy_loop *loop, void *arg)
{
    eddy_coord *c = arg;
    c->expiry_timer = 0;
    int64_t now = coord_now_wall();
    size_t cap = c->groups.count + 1;
    group **expired = malloc(cap * sizeof *expired);
    group **idle = malloc(cap * sizeof *idle);
    int nexp = 0, nidle = 0;
    size_t it = 0;
    void *v;
    while (expired && idle && eddy_map_next(&c->groups, &it, NULL, NULL, &v)) {
        group *g = v;
        if (g->state != GROUP_EMPTY || g->nmembers || g->npending || g->pending_appends) {
            continue;
        }
        if (g->offsets.count == 0) {
            if (!g->declared) {
                idle[nidle++] = g;
            }
        } else if (c->cfg.offsets_retention_ms >= 0 &&
                   now - g->empty_since_ms >= c->cfg.offsets_retention_ms) {
            expired[nexp++] = g;
        }
    }
    for (int i = 0; i < nidle; i++) {
        coord_group_remove(c, idle[i]);
    }
    if (nexp) {
        for (int i = 0; i < nexp; i++) {
            eddy_log_info("group.offsets_expired", "group=%s offsets=%zu", expired[i]->id,
                          expired[i]->offsets.count);
        }
        offsets_delete_groups(c, expired, nexp, NULL);
        for (int i = 0; i < nexp; i++) {
            if (expired[i]->declared) {
                expired[i]->empty_since_ms = now;
            } else {
                coord_group_remove(c, expired[i]);
            }
        }
    }
    free(expired);
    free(idle);
    c->expiry_timer =
        eddy_loop_timer_at(loop, eddy_loop_now_ms(loop) + expiry_interval(c), expiry_tick, c);
}

void offsets_expiry_start(eddy_coord *c)
{
    c->expiry_timer =
        eddy_loop_timer_at(c->loop, eddy_loop_now_ms(c->loop) + expiry_interval(c), expiry_tick, c);
}

/* ---- start-up: read the log back ---- */

typedef struct load_stats {
    uint64_t records, skipped, batches, corrupt;
} load_stats;

/* Reads an int16-length string; false on a bad one. */
static bool get_str(eddy_reader *r, const char **p, size_t *n)
{
    int16_t len = eddy_reader_i16(r);
    if (len < 0) {
        return false;
    }
    *p = (const char *)eddy_reader_bytes(r, (size_t)len);
    *n = (size_t)len;
    return r->err == 0;
}

static group *load_group(eddy_coord *c, const char *id, size_t n)
{
    group *g = coord_group_get(c, id, n);
    if (!g) {
        g = coord_group_create(c, id, n);
        if (g) {
            g->empty_since_ms = 0; /* set from the commits at the end */
        }
    }
    return g;
}

static void load_record(eddy_coord *c, const eddy_record *rec, load_stats *st)
{
    eddy_reader kr;
    eddy_reader_init(&kr, rec->key.ptr, rec->key.len > 0 ? (size_t)rec->key.len : 0);
    int16_t kv = eddy_reader_i16(&kr);
    const char *gid, *topic;
    size_t glen, tlen;
    if (kr.err || !get_str(&kr, &gid, &glen) || glen > GROUP_MAX_ID_LEN) {
        st->skipped++;
        return;
    }
    if (kv == KEY_GROUP) {
        group *g = coord_group_get(c, gid, glen);
        if (g && rec->value.len < 0) {
            offsets_group_clear(g);
        }
        st->records++;
        return;
    }
    if (kv != KEY_OFFSET || !get_str(&kr, &topic, &tlen) || tlen == 0) {
        st->skipped++;
        return;
    }
    int32_t partition = eddy_reader_i32(&kr);
    if (kr.err) {
        st->skipped++;
        return;
    }
    if (rec->value.len < 0) {
        group *g = coord_group_get(c, gid, glen);
        if (g) {
            entry_del(g, topic, tlen, partition);
        }
        st->records++;
        return;
    }
    eddy_reader vr;
    eddy_reader_init(&vr, rec->value.ptr, (size_t)rec->value.len);
    int16_t vv = eddy_reader_i16(&vr);
    int64_t offset = eddy_reader_i64(&vr);
    int32_t epoch = eddy_reader_i32(&vr);
    int16_t mlen = eddy_reader_i16(&vr);
    const char *meta = mlen >= 0 ? (const char *)eddy_reader_bytes(&vr, (size_t)mlen) : NULL;
    int64_t ts = eddy_reader_i64(&vr);
    if (vr.err || vv < VALUE_OFFSET) {
        st->skipped++;
        return;
    }
    group *g = load_group(c, gid, glen);
    offset_entry *e = calloc(1, sizeof *e);
    if (!g || !e) {
        free(e);
        st->skipped++;
        return;
    }
    e->topic = malloc(tlen + 1);
    e->metadata = mlen >= 0 ? malloc((size_t)mlen + 1) : NULL;
    if (!e->topic || (mlen >= 0 && !e->metadata)) {
        entry_free(e);
        st->skipped++;
        return;
    }
    memcpy(e->topic, topic, tlen);
    e->topic[tlen] = '\0';
    if (mlen >= 0) {
        if (mlen) {
            memcpy(e->metadata, meta, (size_t)mlen);
        }
        e->metadata[mlen] = '\0';
    }
    e->partition = partition;
    e->offset = offset;
    e->leader_epoch = epoch;
    e->commit_ts = ts;
    entry_put(g, e);
    st->records++;
}

/* Reads every batch of the offsets log in order. */
static int load_log(eddy_coord *c, load_stats *st, char *err, size_t errlen)
{
    eddy_log *log = c->log;
    int64_t off = eddy_log_start_offset(log);
    int64_t hwm = eddy_log_high_watermark(log);
    uint8_t *buf = NULL;
    size_t cap = 0;
    eddy_record_scratch scratch;
    eddy_record_scratch_init(&scratch);
    int rc = 0;
    while (off < hwm) {
        eddy_log_slice slice;
        rc = eddy_log_read(log, off, LOAD_READ_BYTES, &slice);
        if (rc) {
            snprintf(err, errlen, "cannot read the offsets log at offset %lld: %s", (long long)off,
                     eddy_err_str(rc));
            break;
        }
        if (slice.len == 0) {
            eddy_log_slice_release(&slice);
            break;
        }
        if (slice.len > cap) {
            uint8_t *nb = realloc(buf, slice.len);
            if (!nb) {
                eddy_log_slice_release(&slice);
                rc = EDDY_ERR_NOMEM;
                snprintf(err, errlen, "out of memory reading the offsets log");
                break;
            }
            buf = nb;
            cap = slice.len;
        }
        size_t got = 0;
        rc = eddy_fs_pread_full(slice.fd, buf, slice.len, slice.pos, &got);
        size_t len = slice.len;
        eddy_log_slice_release(&slice);
        if (rc || got != len) {
            rc = rc ? rc : EDDY_ERR_IO;
            snprintf(err, errlen, "cannot read the offsets log: %s", eddy_err_str(rc));
            break;
        }
        eddy_batch_iter bi;
        eddy_batch_iter_init(&bi, buf, len);
        const uint8_t *batch;
        eddy_batch_header hdr;
        int64_t next = off;
        while (eddy_batch_iter_next(&bi, &batch, &hdr)) {
            size_t total = eddy_batch_total_size(&hdr);
            next = eddy_batch_last_offset(&hdr) + 1;
            st->batches++;
            if (!eddy_batch_crc_ok(batch, total)) {
                st->corrupt++;
                continue;
            }
            eddy_record_iter ri;
            eddy_record rec;
            if (eddy_record_iter_init(&ri, batch, total, &scratch, 0) == 0) {
                while (eddy_record_iter_next(&ri, &rec)) {
                    load_record(c, &rec, st);
                }
            }
            if (ri.err) {
                st->corrupt++;
            }
            eddy_record_iter_deinit(&ri);
        }
        if (next <= off) {
            break; /* no whole batch: nothing more to read */
        }
        off = next;
    }
    eddy_record_scratch_deinit(&scratch);
    free(buf);
    return rc;
}

int offsets_open(eddy_coord *c, char *err, size_t errlen)
{
    eddy_log_config lc;
    eddy_log_config_defaults(&lc);
    lc.segment_bytes = OFFSETS_SEGMENT;
    lc.retention_ms = -1; /* offsets leave only through tombstones */
    lc.retention_bytes = -1;
    lc.fsync = c->cfg.fsync;
    if (c->cfg.fsync == EDDY_FSYNC_INTERVAL && c->cfg.fsync_interval_ms > 0) {
        lc.fsync_interval_ms = c->cfg.fsync_interval_ms;
    }
    int rc = eddy_log_open(c->cfg.store, c->cfg.dir, &lc, &c->log);
    if (rc) {
        snprintf(err, errlen, "cannot open the offsets log %s: %s", c->cfg.dir, eddy_err_str(rc));
        c->log = NULL;
        return rc;
    }
    load_stats st = {0};
    rc = load_log(c, &st, err, errlen);
    if (rc) {
        return rc;
    }
    /* Groups known only from the log: Empty since their last commit. Those
     * whose offsets were all deleted go. */
    size_t cap = c->groups.count + 1, ndrop = 0, noffsets = 0;
    group **drop = malloc(cap * sizeof *drop);
    size_t it = 0;
    void *v;
    while (drop && eddy_map_next(&c->groups, &it, NULL, NULL, &v)) {
        group *g = v;
        size_t eit = 0;
        void *ev;
        int64_t last = 0;
        while (eddy_map_next(&g->offsets, &eit, NULL, NULL, &ev)) {
            const offset_entry *e = ev;
            last = e->commit_ts > last ? e->commit_ts : last;
        }
        noffsets += g->offsets.count;
        if (g->offsets.count == 0 && !g->declared) {
            drop[ndrop++] = g;
        } else if (g->offsets.count && last > 0) {
            g->empty_since_ms = last;
        } else if (g->empty_since_ms == 0) {
            g->empty_since_ms = coord_now_wall();
        }
    }
    for (size_t i = 0; i < ndrop; i++) {
        coord_group_remove(c, drop[i]);
    }
    free(drop);
    if (st.skipped || st.corrupt) {
        eddy_log_warn("group.offsets_log_damaged",
                      "skipped_records=%llu corrupt_batches=%llu (ignored)",
                      (unsigned long long)st.skipped, (unsigned long long)st.corrupt);
    }
    eddy_log_info("group.offsets_loaded", "groups=%zu offsets=%zu records=%llu batches=%llu",
                  c->groups.count, noffsets, (unsigned long long)st.records,
                  (unsigned long long)st.batches);
    return 0;
}

void offsets_close(eddy_coord *c)
{
    /* Closing flushes pending appends; their completions are posted to the
     * stopped coordinator loop and never run, so the contexts are freed
     * here (their messages dropped). */
    if (c->log) {
        eddy_log_close(c->log);
        c->log = NULL;
    }
    while (c->appends) {
        append_ctx *ctx = c->appends;
        c->appends = ctx->next;
        append_ctx_free(c, ctx);
    }
}
