/* The driver of streaming queries (stream.h). */
#include <errno.h>
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "client/kafka.h"
#include "core/clock.h"
#include "core/error.h"
#include "record/records.h"
#include "stream/checkpoint.h"
#include "stream/fetch.h"
#include "stream/sink.h"
#include "stream/stream.h"

#define BATCH_MAX 8192

/* One partition of a hub the query reads. */
typedef struct tpart {
    const char *hub; /* interned in run.hubs */
    int32_t partition;
    bool assigned, done;
    int64_t next;   /* the first offset not yet read; -1 unknown */
    int64_t resume; /* a restart replays until here; -1 none */
    bool replaying;
    int64_t end; /* --until-end: the high watermark at assignment; -1 unknown */
    rd_kafka_message_t **batch;
    uint32_t nbatch, capbatch;
} tpart;

typedef struct run {
    const eddy_stream_opts *o;
    eddy_sql_plan *plan;
    eddy_sql_stream *st;
    rd_kafka_t *rk;
    uint64_t hash;
    char group[64];
    /* per plan source (hub sources only) */
    eddy_sql_src_reader **readers;
    /* distinct hub names */
    char **hubs;
    uint32_t nhubs;
    tpart *tps;
    uint32_t ntps, captps;
    ssink **sinks;
    uint32_t nsinks;
    ckpt ck; /* the loaded checkpoint (nparts 0: none) */
    bool have_ck;
    bool muted;
    bool assigned_once;
    int64_t last_ckpt_us, last_stats_us;
    /* per batch scratch */
    eddy_sql_event *ev;
    int64_t *arrival, *offsets;
    uint32_t *rows_of;
    uint64_t events, bad;
    uint32_t bad_printed;
    int failed; /* an error inside a callback */
    /* the native fetch path (fetch.h): librdkafka keeps the group only */
    bool native;
    nfetch *nf;
    char nf_host[256];
    int nf_port;
    int64_t nf_retry_us;
    uint32_t nf_complaints;
    bool nf_broken; /* close it after the records in hand are read */
    eddy_record_scratch scratch;
    eddy_sql_error *qerr;
    char *err;
    size_t errlen;
} run;

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static uint64_t fnv(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ (uint8_t)p[i]) * 1099511628211ULL;
    }
    return h;
}

void eddy_stream_default_group(const char *text, size_t len, char *out, size_t outlen)
{
    snprintf(out, outlen, "eddy-query-%016llx", (unsigned long long)fnv(text, len));
}

static bool source_reads(const run *r, uint32_t s, const char *hub)
{
    const eddy_sql_input *in = r->plan->sources[s];
    return in->opts.kind == EDDY_SQL_SRC_HUB && strcmp(in->opts.pattern, hub) == 0;
}

static tpart *find_tp(run *r, const char *hub, int32_t p, bool make)
{
    for (uint32_t i = 0; i < r->ntps; i++) {
        if (r->tps[i].partition == p && strcmp(r->tps[i].hub, hub) == 0) {
            return &r->tps[i];
        }
    }
    if (!make) {
        return NULL;
    }
    const char *name = NULL;
    for (uint32_t i = 0; i < r->nhubs; i++) {
        if (strcmp(r->hubs[i], hub) == 0) {
            name = r->hubs[i];
        }
    }
    if (!name) {
        return NULL;
    }
    if (r->ntps == r->captps) {
        uint32_t nc = r->captps ? r->captps * 2 : 16;
        tpart *n = realloc(r->tps, sizeof *n * nc);
        if (!n) {
            return NULL;
        }
        r->tps = n;
        r->captps = nc;
    }
    tpart *t = &r->tps[r->ntps++];
    memset(t, 0, sizeof *t);
    t->hub = name;
    t->partition = p;
    t->next = -1;
    t->resume = -1;
    t->end = -1;
    return t;
}

static const ckpt_part *ck_find(const run *r, const char *hub, int32_t p, uint32_t source)
{
    for (uint32_t i = 0; r->have_ck && i < r->ck.nparts; i++) {
        const ckpt_part *c = &r->ck.parts[i];
        if (c->partition == p && c->source == source && strcmp(c->hub, hub) == 0) {
            return c;
        }
    }
    return NULL;
}

static void set_mute(run *r, bool on)
{
    if (r->muted == on) {
        return;
    }
    r->muted = on;
    for (uint32_t i = 0; i < r->nsinks; i++) {
        ssink_mute(r->sinks[i], on);
    }
    eddy_sql_stream_replaying(r->st, on,
                              r->ck.stats.have_watermark ? r->ck.stats.watermark_us : INT64_MIN);
}

static void update_replay(run *r)
{
    bool any = false;
    for (uint32_t i = 0; i < r->ntps; i++) {
        tpart *t = &r->tps[i];
        if (t->replaying && t->assigned && (t->next < 0 || t->next < t->resume)) {
            any = true;
        } else {
            t->replaying = false;
        }
    }
    if (!any && r->muted) {
        /* caught up: what the checkpoint had emitted goes out (muted), the
         * counters come back, then on live */
        if (r->ck.stats.have_watermark &&
            eddy_sql_stream_advance_to(r->st, r->ck.stats.watermark_us, r->qerr) != 0) {
            r->failed = r->qerr->code ? r->qerr->code : EDDY_ERR_UNKNOWN;
        }
        eddy_sql_stream_stats st = r->ck.stats;
        eddy_sql_stream_stats now;
        eddy_sql_stream_stats_get(r->st, &now);
        st.have_watermark = now.have_watermark;
        st.watermark_us = now.watermark_us;
        eddy_sql_stream_stats_set(r->st, &st);
        set_mute(r, false);
    }
}

/* ---- checkpoints ------------------------------------------------------------ */

/* Commits the next offsets of the assigned partitions to the group (all,
 * or those of only when not NULL). */
static void commit_offsets(run *r, const rd_kafka_topic_partition_list_t *only, bool sync)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new((int)r->ntps + 1);
    for (uint32_t i = 0; i < r->ntps; i++) {
        tpart *t = &r->tps[i];
        if (t->next < 0 || !t->assigned || t->replaying) {
            continue;
        }
        bool want = only == NULL;
        for (int k = 0; only && k < only->cnt; k++) {
            want |= only->elems[k].partition == t->partition &&
                    strcmp(only->elems[k].topic, t->hub) == 0;
        }
        if (want) {
            rd_kafka_topic_partition_list_add(l, t->hub, t->partition)->offset = t->next;
        }
    }
    if (l->cnt > 0) {
        rd_kafka_commit(r->rk, l, sync ? 0 : 1);
    }
    rd_kafka_topic_partition_list_destroy(l);
}

static int checkpoint(run *r)
{
    const eddy_stream_opts *o = r->o;
    int64_t now = now_us();
    r->last_ckpt_us = now;
    if (r->muted) {
        return 0;
    }
    if (!o->checkpoint_dir) {
        commit_offsets(r, NULL, false);
        return 0;
    }
    for (uint32_t i = 0; i < r->nsinks; i++) {
        if (ssink_sync(r->sinks[i], now, r->err, r->errlen) != 0) {
            return -1;
        }
    }
    ckpt c;
    memset(&c, 0, sizeof c);
    c.query_hash = r->hash;
    eddy_sql_stream_stats_get(r->st, &c.stats);
    c.nsinks = r->nsinks;
    c.sinks = calloc(r->nsinks ? r->nsinks : 1, sizeof *c.sinks);
    uint32_t cap = r->ntps * r->plan->nsources + (r->have_ck ? r->ck.nparts : 0) + 1;
    c.parts = calloc(cap, sizeof *c.parts);
    if (!c.sinks || !c.parts) {
        free(c.sinks);
        free(c.parts);
        snprintf(r->err, r->errlen, "out of memory");
        return -1;
    }
    for (uint32_t i = 0; i < r->nsinks; i++) {
        ssink_position(r->sinks[i], &c.sinks[i].index, &c.sinks[i].bytes, &c.sinks[i].rows);
    }
    /* nothing read since the restart: what the last checkpoint had emitted
     * still holds */
    const eddy_sql_stream_stats *ls = &r->ck.stats;
    if (r->have_ck && ls->have_watermark &&
        (!c.stats.have_watermark || c.stats.watermark_us < ls->watermark_us)) {
        c.stats.have_watermark = true;
        c.stats.watermark_us = ls->watermark_us;
    }
    bool stateless = eddy_sql_stream_span(r->plan) == 0;
    rd_kafka_topic_partition_list_t *commit = rd_kafka_topic_partition_list_new((int)r->ntps + 1);
    for (uint32_t i = 0; i < r->ntps; i++) {
        tpart *t = &r->tps[i];
        if (t->next < 0) {
            continue;
        }
        for (uint32_t s = 0; s < r->plan->nsources; s++) {
            if (!source_reads(r, s, t->hub)) {
                continue;
            }
            ckpt_part *p = &c.parts[c.nparts];
            snprintf(p->hub, sizeof p->hub, "%s", t->hub);
            p->partition = t->partition;
            p->source = s;
            p->next_offset = t->next;
            if (!eddy_sql_stream_part_state(r->st, s, t->partition, &p->ps)) {
                p->ps.replay_offset = t->next;
                p->ps.has_max = false;
            }
            if (stateless || p->ps.replay_offset < 0) {
                p->ps.replay_offset = t->next;
            }
            c.nparts++;
        }
        if (t->assigned) {
            rd_kafka_topic_partition_list_add(commit, t->hub, t->partition)->offset = t->next;
        }
    }
    /* partitions of the last checkpoint this process does not hold now */
    for (uint32_t i = 0; r->have_ck && i < r->ck.nparts; i++) {
        const ckpt_part *old = &r->ck.parts[i];
        if (!find_tp(r, old->hub, old->partition, false)) {
            c.parts[c.nparts++] = *old;
        }
    }
    int rc = ckpt_write(o->checkpoint_dir, &c, r->err, r->errlen);
    free(c.sinks);
    free(c.parts);
    if (rc == 0 && commit->cnt > 0) {
        rd_kafka_commit(r->rk, commit, 1); /* best effort: the checkpoint is the truth */
    }
    rd_kafka_topic_partition_list_destroy(commit);
    return rc;
}

/* ---- assignment --------------------------------------------------------------- */

/* The native path's start of partition t: an explicit offset, the log's
 * start or end, or the group's committed offset (else --from's reset). */
static int64_t resolve_start(run *r, tpart *t, int64_t spec, int64_t low, int64_t high)
{
    if (spec >= 0) {
        return spec < low ? low : spec > high ? high : spec;
    }
    if (spec == RD_KAFKA_OFFSET_BEGINNING) {
        return low;
    }
    if (spec == RD_KAFKA_OFFSET_END) {
        return high;
    }
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(l, t->hub, t->partition);
    int64_t at = -1;
    if (rd_kafka_committed(r->rk, l, 15000) == RD_KAFKA_RESP_ERR_NO_ERROR && l->elems[0].err == 0) {
        at = l->elems[0].offset;
    }
    rd_kafka_topic_partition_list_destroy(l);
    if (at >= 0) {
        return at < low ? low : at > high ? high : at;
    }
    return r->o->from == EDDY_STREAM_FROM_EARLIEST ? low : high;
}

static void on_assign(run *r, rd_kafka_topic_partition_list_t *parts)
{
    int64_t now = now_us();
    for (int i = 0; i < parts->cnt; i++) {
        rd_kafka_topic_partition_t *tp = &parts->elems[i];
        tpart *t = find_tp(r, tp->topic, tp->partition, true);
        if (!t) {
            r->failed = EDDY_ERR_NOMEM;
            continue;
        }
        t->assigned = true;
        t->done = false;
        t->nbatch = 0;
        /* read before this rebalance: the engine's state holds its rows up
         * to t->next, so go on from there (not --from, not the checkpoint
         * loaded at start, which are both behind it) */
        bool held = t->next >= 0;
        bool restored = false;
        for (uint32_t s = 0; s < r->plan->nsources; s++) {
            if (!source_reads(r, s, t->hub)) {
                continue;
            }
            eddy_sql_stream_assign(r->st, s, t->partition, true, now);
            const ckpt_part *c = held ? NULL : ck_find(r, t->hub, t->partition, s);
            if (c) {
                if (!restored || c->ps.replay_offset < tp->offset) {
                    tp->offset = c->ps.replay_offset;
                }
                eddy_sql_stream_restore(r->st, s, t->partition, &c->ps);
                t->resume = c->next_offset;
                restored = true;
            }
        }
        if (held) {
            tp->offset = t->next;
        } else if (restored) {
            t->next = tp->offset;
            t->replaying = tp->offset < t->resume;
        } else {
            /* --from applies to the first assignment; partitions handed
             * over later continue where the group committed them */
            tp->offset = r->assigned_once                          ? RD_KAFKA_OFFSET_INVALID
                         : r->o->from == EDDY_STREAM_FROM_EARLIEST ? RD_KAFKA_OFFSET_BEGINNING
                         : r->o->from == EDDY_STREAM_FROM_LATEST   ? RD_KAFKA_OFFSET_END
                                                                   : RD_KAFKA_OFFSET_INVALID;
            t->next = -1;
        }
        if (r->o->until_end || r->native) {
            int64_t low = 0, high = 0;
            if (rd_kafka_query_watermark_offsets(r->rk, t->hub, t->partition, &low, &high, 15000) ==
                0) {
                if (r->o->until_end) {
                    t->end = high;
                }
                if (r->native && t->next < 0) {
                    t->next = resolve_start(r, t, tp->offset, low, high);
                }
            } else if (r->native && t->next < 0) {
                fprintf(stderr, "eddy query: cannot look up the offsets of %s/%d; starting at 0\n",
                        t->hub, (int)t->partition);
                t->next = 0;
            }
        }
    }
    if (!r->assigned_once && r->o->on_assigned) {
        r->o->on_assigned(r->o->arg);
    }
    r->assigned_once = true;
    bool replay = false;
    for (uint32_t i = 0; i < r->ntps; i++) {
        replay |= r->tps[i].replaying && r->tps[i].assigned;
    }
    if (replay) {
        set_mute(r, true);
    }
    rd_kafka_assign(r->rk, parts);
    if (r->native) {
        /* the group stays with librdkafka; the records come from nfetch */
        rd_kafka_pause_partitions(r->rk, parts);
    }
}

static void on_revoke(run *r, rd_kafka_topic_partition_list_t *parts)
{
    if (checkpoint(r) != 0) {
        fprintf(stderr, "eddy query: checkpoint at rebalance: %s\n", r->err);
    }
    /* the next owner goes on from here */
    commit_offsets(r, parts, true);
    for (int i = 0; i < parts->cnt; i++) {
        tpart *t = find_tp(r, parts->elems[i].topic, parts->elems[i].partition, false);
        if (!t) {
            continue;
        }
        t->assigned = false;
        for (uint32_t b = 0; b < t->nbatch; b++) {
            rd_kafka_message_destroy(t->batch[b]);
        }
        t->nbatch = 0;
        for (uint32_t s = 0; s < r->plan->nsources; s++) {
            if (source_reads(r, s, t->hub)) {
                eddy_sql_stream_assign(r->st, s, t->partition, false, 0);
            }
        }
    }
    rd_kafka_assign(r->rk, NULL);
    update_replay(r);
}

static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                         rd_kafka_topic_partition_list_t *parts, void *opaque)
{
    (void)rk;
    run *r = opaque;
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        on_assign(r, parts);
    } else {
        on_revoke(r, parts);
    }
}

static void prepare(rd_kafka_conf_t *conf, void *arg)
{
    rd_kafka_conf_set_opaque(conf, arg);
    rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
}

/* ---- feeding the engine -------------------------------------------------------- */

/* Pushes r->ev[0..n) (events of partition t, in offset order) into every
 * source reading t's hub; t->next moves past them. */
static int feed_events(run *r, tpart *t, uint32_t n, int64_t processed)
{
    int rc = 0;
    for (uint32_t s = 0; s < r->plan->nsources && !rc; s++) {
        if (!source_reads(r, s, t->hub)) {
            continue;
        }
        for (uint32_t at = 0; at < n && !rc;) {
            uint32_t take = n - at < EDDY_SQL_CHUNK_ROWS ? n - at : EDDY_SQL_CHUNK_ROWS;
            eddy_sql_chunk chunk;
            eddy_sql_bad_event bad;
            rc = eddy_sql_hub_read(r->readers[s], r->ev + at, take, &chunk, r->rows_of, &bad,
                                   r->err, r->errlen);
            if (rc) {
                break;
            }
            if (bad.count) {
                r->bad += bad.count;
                if (r->bad_printed < 5) {
                    r->bad_printed++;
                    fprintf(stderr,
                            "eddy query: skipping %u event(s) of hub %s partition %d; the first, "
                            "at offset %lld, has a Body that is not a JSON object: %s\n",
                            bad.count, t->hub, (int)t->partition,
                            (long long)r->ev[at + bad.first].offset, bad.what);
                }
            }
            for (uint32_t row = 0; row < chunk.nrows; row++) {
                const eddy_sql_event *e = &r->ev[at + r->rows_of[row]];
                r->arrival[row] = e->enqueued_ms * 1000;
                r->offsets[row] = e->offset;
            }
            if (chunk.nrows) {
                rc = eddy_sql_stream_push(r->st, s, t->partition, &chunk, r->arrival, r->offsets,
                                          processed, r->qerr);
            }
            at += take;
        }
    }
    if (n > 0) {
        t->next = r->ev[n - 1].offset + 1;
        r->events += n;
    }
    if (r->o->until_end && t->end >= 0 && t->next >= t->end) {
        t->done = true;
    }
    return rc;
}

/* The librdkafka path: t's queued messages as events. */
static int feed(run *r, tpart *t)
{
    int64_t processed = now_us();
    uint32_t n = t->nbatch;
    for (uint32_t i = 0; i < n; i++) {
        const rd_kafka_message_t *m = t->batch[i];
        eddy_sql_event *e = &r->ev[i];
        e->body = m->payload;
        e->body_len = m->payload ? (int32_t)m->len : -1;
        e->key = m->key;
        e->key_len = m->key ? (int32_t)m->key_len : -1;
        e->offset = m->offset;
        rd_kafka_timestamp_type_t tt;
        int64_t ts = rd_kafka_message_timestamp(m, &tt);
        e->enqueued_ms = tt == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? processed / 1000 : ts;
        e->processed_us = processed;
        e->partition = t->partition;
    }
    int rc = feed_events(r, t, n, processed);
    for (uint32_t i = 0; i < n; i++) {
        rd_kafka_message_destroy(t->batch[i]);
    }
    t->nbatch = 0;
    return rc;
}

/* ---- the native fetch path ------------------------------------------------- */

static void nf_complain(run *r, const char *what)
{
    if (r->nf_complaints++ < 5) {
        fprintf(stderr, "eddy query: reading %s:%d: %s (retrying)\n", r->nf_host, r->nf_port, what);
    }
}

/* The events of one partition's records (whole batches; a partial last one
 * comes again in the next fetch). */
static int native_feed(run *r, tpart *t, const nf_data *d)
{
    int64_t processed = now_us();
    uint32_t nev = 0;
    int64_t next = t->next;
    int rc = 0;
    eddy_batch_iter bi;
    eddy_batch_iter_init(&bi, d->records, d->len);
    const uint8_t *bp;
    eddy_batch_header h;
    while (rc == 0 && eddy_batch_iter_next(&bi, &bp, &h)) {
        int64_t last = eddy_batch_last_offset(&h);
        if (last < next) {
            continue;
        }
        if (h.attributes & 0x20) { /* a control batch (transaction markers) */
            next = last + 1;
            continue;
        }
        eddy_record_iter it;
        if (eddy_record_iter_init(&it, bp, eddy_batch_total_size(&h), &r->scratch, 0) != 0) {
            snprintf(r->err, r->errlen,
                     "hub %s partition %d: the batch at offset %lld cannot be read (%s)", t->hub,
                     (int)t->partition, (long long)h.base_offset, eddy_err_str(it.err));
            eddy_record_iter_deinit(&it);
            return -1;
        }
        eddy_record rec;
        while (rc == 0 && eddy_record_iter_next(&it, &rec)) {
            if (rec.offset < next) {
                continue;
            }
            eddy_sql_event *e = &r->ev[nev++];
            e->body = (const char *)rec.value.ptr;
            e->body_len = rec.value.len < 0 ? -1 : rec.value.len;
            e->key = (const char *)rec.key.ptr;
            e->key_len = rec.key.len < 0 ? -1 : rec.key.len;
            e->offset = rec.offset;
            e->enqueued_ms = rec.timestamp;
            e->processed_us = processed;
            e->partition = t->partition;
            if (nev == BATCH_MAX) {
                rc = feed_events(r, t, nev, processed);
                nev = 0;
            }
        }
        if (rc == 0 && it.err) {
            snprintf(r->err, r->errlen, "hub %s partition %d: the batch at offset %lld is corrupt",
                     t->hub, (int)t->partition, (long long)h.base_offset);
            rc = -1;
        }
        /* a compressed batch's records live in the scratch the next batch reuses */
        if (rc == 0 && nev > 0 && (h.attributes & 0x7) != 0) {
            rc = feed_events(r, t, nev, processed);
            nev = 0;
        }
        eddy_record_iter_deinit(&it);
        next = last + 1;
    }
    if (rc == 0 && nev > 0) {
        rc = feed_events(r, t, nev, processed);
    }
    if (rc == 0 && bi.err) {
        snprintf(r->err, r->errlen, "hub %s partition %d: malformed records after offset %lld",
                 t->hub, (int)t->partition, (long long)next);
        rc = -1;
    }
    if (next > t->next) {
        t->next = next;
    }
    if (r->o->until_end && t->end >= 0 && t->next >= t->end) {
        t->done = true;
    }
    return rc;
}

/* One round of the native path: serve librdkafka (rebalances), then send a
 * Fetch or take its response. */
static int native_round(run *r)
{
    rd_kafka_message_t *m;
    while ((m = rd_kafka_consumer_poll(r->rk, 0))) {
        if (m->err && m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            fprintf(stderr, "eddy query: %s\n", rd_kafka_message_errstr(m));
        }
        rd_kafka_message_destroy(m);
    }
    if (r->failed) {
        return 0;
    }
    nf_part parts[256];
    size_t np = 0;
    for (uint32_t i = 0; i < r->ntps && np < 256; i++) {
        tpart *t = &r->tps[i];
        if (t->assigned && !t->done && r->o->until_end && t->end >= 0 && t->next >= t->end) {
            t->done = true; /* empty, or read to the end */
        }
        if (t->assigned && !t->done && t->next >= 0) {
            parts[np++] = (nf_part){.hub = t->hub, .partition = t->partition, .offset = t->next};
        }
    }
    int64_t now = now_us();
    if (np == 0 || (!r->nf && now < r->nf_retry_us)) {
        if ((m = rd_kafka_consumer_poll(r->rk, 50))) {
            rd_kafka_message_destroy(m);
        }
        return 0;
    }
    char err[512];
    if (!r->nf && !(r->nf = nfetch_open(r->nf_host, r->nf_port, err, sizeof err))) {
        nf_complain(r, err);
        r->nf_retry_us = now + 1000000;
        return 0;
    }
    if (!nfetch_pending(r->nf) && nfetch_send(r->nf, parts, np, 100, err, sizeof err) != 0) {
        nf_complain(r, err);
        nfetch_close(r->nf);
        r->nf = NULL;
        r->nf_retry_us = now + 1000000;
        return 0;
    }
    const nf_data *d;
    size_t nd;
    int got = nfetch_recv(r->nf, 100, &d, &nd, err, sizeof err);
    if (got < 0) {
        nf_complain(r, err);
        nfetch_close(r->nf);
        r->nf = NULL;
        r->nf_retry_us = now + 1000000;
        return 0;
    }
    if (got == 1) {
        /* the next Fetch goes out before this one's records are read, so
         * the hub prepares it meanwhile: each partition goes on after its
         * last whole batch here */
        nf_part nx[256];
        size_t nn = 0;
        for (size_t k = 0; k < np; k++) {
            tpart *t = find_tp(r, parts[k].hub, parts[k].partition, false);
            int64_t off = t ? t->next : parts[k].offset;
            for (size_t i = 0; i < nd; i++) {
                if (d[i].partition != parts[k].partition || strcmp(d[i].hub, parts[k].hub) != 0 ||
                    d[i].error != 0) {
                    continue;
                }
                eddy_batch_iter bi;
                eddy_batch_iter_init(&bi, d[i].records, d[i].len);
                const uint8_t *bp;
                eddy_batch_header h;
                while (eddy_batch_iter_next(&bi, &bp, &h)) {
                    int64_t last = eddy_batch_last_offset(&h);
                    off = last + 1 > off ? last + 1 : off;
                }
            }
            if (t && !(r->o->until_end && t->end >= 0 && off >= t->end)) {
                nx[nn++] = (nf_part){.hub = t->hub, .partition = t->partition, .offset = off};
            }
        }
        if (nn > 0 && nfetch_send(r->nf, nx, nn, 100, err, sizeof err) != 0) {
            nf_complain(r, err);
            r->nf_broken = true;
        }
    }
    for (size_t i = 0; got == 1 && i < nd; i++) {
        tpart *t = find_tp(r, d[i].hub, d[i].partition, false);
        if (!t || !t->assigned || t->done || t->next < 0) {
            continue;
        }
        if (d[i].error == 1) { /* OFFSET_OUT_OF_RANGE: retention went past it */
            int64_t to = t->next < d[i].log_start ? d[i].log_start : d[i].high_watermark;
            fprintf(stderr,
                    "eddy query: hub %s partition %d holds no offset %lld; going on at "
                    "%lld\n",
                    t->hub, (int)t->partition, (long long)t->next, (long long)to);
            t->next = to;
            continue;
        }
        if (d[i].error != 0) {
            char what[128];
            snprintf(what, sizeof what, "partition %s/%d: error %d", t->hub, (int)t->partition,
                     d[i].error);
            nf_complain(r, what);
            continue;
        }
        int rc = native_feed(r, t, &d[i]);
        if (rc) {
            return rc;
        }
    }
    if (r->nf_broken) {
        nfetch_close(r->nf);
        r->nf = NULL;
        r->nf_broken = false;
        r->nf_retry_us = now + 1000000;
    }
    return 0;
}

static void mark_done(run *r, tpart *t)
{
    t->done = true;
    for (uint32_t s = 0; s < r->plan->nsources; s++) {
        if (source_reads(r, s, t->hub)) {
            eddy_sql_stream_done(r->st, s, t->partition);
        }
    }
}

static bool all_done(const run *r)
{
    if (!r->assigned_once) {
        return false;
    }
    for (uint32_t i = 0; i < r->ntps; i++) {
        if (r->tps[i].assigned && !r->tps[i].done) {
            return false;
        }
    }
    return true;
}

static void print_stats(run *r, const char *when)
{
    eddy_sql_stream_stats s;
    eddy_sql_stream_stats_get(r->st, &s);
    char wm[40] = "none";
    if (s.have_watermark) {
        eddy_clock_format_iso_ms((s.watermark_us + 1) / 1000, wm, sizeof wm);
    }
    fprintf(stderr,
            "eddy query%s: %llu events read, %llu rows in; late %llu, out of order %llu, "
            "adjusted %llu, dropped %llu, bad %llu; watermark %s\n",
            when, (unsigned long long)r->events, (unsigned long long)s.rows,
            (unsigned long long)s.late, (unsigned long long)s.out_of_order,
            (unsigned long long)s.adjusted, (unsigned long long)s.dropped,
            (unsigned long long)r->bad, wm);
}

static int flush_sinks(run *r, int64_t now)
{
    for (uint32_t i = 0; i < r->nsinks; i++) {
        if (ssink_flush(r->sinks[i], now, r->err, r->errlen) != 0) {
            return -1;
        }
    }
    return 0;
}

static int make_sinks(run *r)
{
    const eddy_stream_opts *o = r->o;
    r->nsinks = r->plan->nstmts;
    r->sinks = calloc(r->nsinks ? r->nsinks : 1, sizeof *r->sinks);
    if (!r->sinks) {
        snprintf(r->err, r->errlen, "out of memory");
        return -1;
    }
    for (uint32_t i = 0; i < r->nsinks; i++) {
        const eddy_sql_stmt_plan *sp = &r->plan->stmts[i];
        if (sp->into_hub) {
            r->sinks[i] = ssink_hub(o->client, sp->into_hub, sp->into_key, r->err, r->errlen);
            if (!r->sinks[i]) {
                return -1;
            }
            continue;
        }
        const char *path = sp->into_file ? sp->into_file : o->out_path;
        r->sinks[i] =
            path ? ssink_file(o->format == EDDY_SQL_OUT_TABLE ? EDDY_SQL_OUT_JSONL : o->format,
                              path, o->roll_bytes, o->roll_us)
                 : ssink_stdout(o->format, o->out ? o->out : stdout);
        if (!r->sinks[i]) {
            snprintf(r->err, r->errlen, "out of memory");
            return -1;
        }
    }
    return 0;
}

static int consumer_new(run *r)
{
    const eddy_stream_opts *o = r->o;
    eddy_client_config cfg = *o->client;
    /* a private copy of the base settings, with the consumer's own */
    eddy_client_config c2;
    memset(&c2, 0, sizeof c2);
    c2 = cfg;
    c2.base = NULL;
    c2.nbase = 0;
    c2.hub = NULL;
    c2.endpoint = NULL;
    c2.overrides = NULL;
    c2.noverrides = 0;
    int rc = 0;
    for (size_t i = 0; i < cfg.nbase && !rc; i++) {
        rc = eddy_client_config_set(&c2, cfg.base[i].name, cfg.base[i].value);
    }
    const char *group = o->group ? o->group : r->group;
    rc = rc ? rc : eddy_client_config_set(&c2, "group.id", group);
    rc = rc ? rc : eddy_client_config_set(&c2, "enable.auto.commit", "false");
    rc = rc ? rc : eddy_client_config_set(&c2, "enable.auto.offset.store", "false");
    rc = rc ? rc : eddy_client_config_set(&c2, "enable.partition.eof", "true");
    rc = rc ? rc
            : eddy_client_config_set(&c2, "auto.offset.reset",
                                     o->from == EDDY_STREAM_FROM_EARLIEST ? "earliest" : "latest");
    rc = rc ? rc : eddy_client_config_set(&c2, "partition.assignment.strategy", "range");
    rc = rc ? rc : eddy_client_config_set(&c2, "fetch.wait.max.ms", "50");
    /* librdkafka 2.0 stops fetching while 100k messages wait and looks again
     * only after fetch.error.backoff.ms (500 ms): a fast query would sit idle
     * most of the time reading a backlog */
    rc = rc ? rc : eddy_client_config_set(&c2, "fetch.error.backoff.ms", "10");
    rc = rc ? rc : eddy_client_config_set(&c2, "queued.min.messages", "200000");
    rc = rc ? rc : eddy_client_config_set(&c2, "queued.max.messages.kbytes", "131072");
    /* a member killed with kill -9 holds its partitions this long */
    rc = rc ? rc : eddy_client_config_set(&c2, "session.timeout.ms", "6000");
    rc = rc ? rc : eddy_client_config_set(&c2, "heartbeat.interval.ms", "1000");
    if (rc) {
        snprintf(r->err, r->errlen, "out of memory");
        c2.overrides = NULL;
        eddy_client_config_deinit(&c2);
        return -1;
    }
    c2.overrides = cfg.overrides;
    c2.noverrides = cfg.noverrides;
    r->rk = eddy_client_new(RD_KAFKA_CONSUMER, "query", &c2, prepare, r, r->err, r->errlen);
    c2.overrides = NULL;
    c2.noverrides = 0;
    eddy_client_config_deinit(&c2);
    if (!r->rk) {
        return -1;
    }
    rd_kafka_poll_set_consumer(r->rk);
    /* the native path: plain TCP, every partition on one broker, not
     * turned off (EDDY_QUERY_FETCH=librdkafka) */
    const char *proto = eddy_client_config_get(o->client, "security.protocol");
    const char *env = getenv("EDDY_QUERY_FETCH");
    r->native =
        (!proto || strcasecmp(proto, "plaintext") == 0) && !(env && strcmp(env, "librdkafka") == 0);
    int32_t leader = -1;
    rd_kafka_topic_partition_list_t *subs = rd_kafka_topic_partition_list_new((int)r->nhubs);
    for (uint32_t i = 0; i < r->nhubs; i++) {
        /* the hub must exist: a clear error rather than waiting forever */
        const struct rd_kafka_metadata *md;
        if (eddy_client_metadata(r->rk, o->client, r->hubs[i], 15000, &md, r->err, r->errlen) !=
            0) {
            rd_kafka_topic_partition_list_destroy(subs);
            return -1;
        }
        for (int t = 0; r->native && t < md->topic_cnt; t++) {
            for (int p = 0; p < md->topics[t].partition_cnt; p++) {
                int32_t l = md->topics[t].partitions[p].leader;
                if (l < 0 || (leader >= 0 && l != leader)) {
                    r->native = false;
                }
                leader = l;
            }
        }
        for (int b = 0; r->native && b < md->broker_cnt; b++) {
            if (md->brokers[b].id == leader) {
                snprintf(r->nf_host, sizeof r->nf_host, "%s", md->brokers[b].host);
                r->nf_port = md->brokers[b].port;
            }
        }
        rd_kafka_metadata_destroy(md);
        rd_kafka_topic_partition_list_add(subs, r->hubs[i], RD_KAFKA_PARTITION_UA);
    }
    rd_kafka_resp_err_t e = rd_kafka_subscribe(r->rk, subs);
    rd_kafka_topic_partition_list_destroy(subs);
    if (e) {
        snprintf(r->err, r->errlen, "cannot subscribe: %s", rd_kafka_err2str(e));
        return -1;
    }
    r->native = r->native && r->nf_host[0] && r->nf_port > 0;
    return 0;
}

static int setup(run *r, const char *text, size_t len)
{
    const eddy_stream_opts *o = r->o;
    r->hash = fnv(text, len);
    eddy_stream_default_group(text, len, r->group, sizeof r->group);
    if (!o->until_end) {
        const char *why = eddy_sql_stream_unbounded_reason(r->plan);
        if (why) {
            snprintf(r->err, r->errlen, "%s", why);
            return -1;
        }
        if (eddy_sql_stream_span(r->plan) < 0 && !o->quiet) {
            fprintf(stderr,
                    "eddy query: warning: this query keeps state without a bound in event time "
                    "(a GROUP BY without a window, a join of two hubs without DATEDIFF bounds, or "
                    "DISTINCT): its memory grows with the input, and a restart from a checkpoint "
                    "replays from the first event\n");
        }
    }
    r->readers = calloc(r->plan->nsources ? r->plan->nsources : 1, sizeof *r->readers);
    r->hubs = calloc(r->plan->nsources ? r->plan->nsources : 1, sizeof *r->hubs);
    r->ev = calloc(BATCH_MAX, sizeof *r->ev);
    r->arrival = calloc(EDDY_SQL_CHUNK_ROWS, sizeof *r->arrival);
    r->offsets = calloc(EDDY_SQL_CHUNK_ROWS, sizeof *r->offsets);
    r->rows_of = calloc(EDDY_SQL_CHUNK_ROWS, sizeof *r->rows_of);
    if (!r->readers || !r->hubs || !r->ev || !r->arrival || !r->offsets || !r->rows_of) {
        snprintf(r->err, r->errlen, "out of memory");
        return -1;
    }
    for (uint32_t s = 0; s < r->plan->nsources; s++) {
        const eddy_sql_input *in = r->plan->sources[s];
        if (in->opts.kind != EDDY_SQL_SRC_HUB) {
            continue;
        }
        if (eddy_sql_hub_reader_open(in->src, &r->readers[s]) != 0) {
            snprintf(r->err, r->errlen, "out of memory");
            return -1;
        }
        bool seen = false;
        for (uint32_t i = 0; i < r->nhubs; i++) {
            seen |= strcmp(r->hubs[i], in->opts.pattern) == 0;
        }
        if (!seen && !(r->hubs[r->nhubs++] = strdup(in->opts.pattern))) {
            snprintf(r->err, r->errlen, "out of memory");
            return -1;
        }
    }
    if (o->checkpoint_dir) {
        if (mkdir(o->checkpoint_dir, 0755) != 0 && errno != EEXIST) {
            snprintf(r->err, r->errlen, "cannot make %s: %s", o->checkpoint_dir, strerror(errno));
            return -1;
        }
        int got = ckpt_read(o->checkpoint_dir, &r->ck, r->err, r->errlen);
        if (got < 0) {
            return -1;
        }
        r->have_ck = got == 1;
        if (r->have_ck && r->ck.query_hash != r->hash) {
            snprintf(r->err, r->errlen,
                     "the checkpoint in %s belongs to another query: give this one a folder of "
                     "its own",
                     o->checkpoint_dir);
            return -1;
        }
        if (r->have_ck && r->ck.nsinks != r->plan->nstmts) {
            snprintf(r->err, r->errlen, "the checkpoint in %s does not match the query's outputs",
                     o->checkpoint_dir);
            return -1;
        }
    }
    if (make_sinks(r) != 0) {
        return -1;
    }
    eddy_sql_stream_opts so = o->policy;
    if (o->until_end) {
        /* a bounded read waits for no new event: a partition is quiet only
         * while its next fetch is on the way, and the wall clock must not
         * close the windows its stored events fall in */
        so.idle_us = 0;
    }
    eddy_sql_sink **ss = calloc(r->nsinks ? r->nsinks : 1, sizeof *ss);
    if (!ss) {
        snprintf(r->err, r->errlen, "out of memory");
        return -1;
    }
    for (uint32_t i = 0; i < r->nsinks; i++) {
        ss[i] = ssink_sql(r->sinks[i]);
    }
    so.sinks = ss;
    int rc = eddy_sql_stream_open(r->plan, &so, &r->st, r->qerr);
    free(ss);
    if (rc) {
        snprintf(r->err, r->errlen, "%s", r->qerr->msg);
        return -1;
    }
    for (uint32_t i = 0; i < r->nsinks; i++) {
        const ckpt_sink *cs = r->have_ck ? &r->ck.sinks[i] : NULL;
        if (ssink_open(r->sinks[i], cs != NULL, cs ? cs->index : 0, cs ? cs->bytes : 0,
                       cs ? cs->rows : 0, r->err, r->errlen) != 0) {
            return -1;
        }
    }
    if (r->have_ck) {
        eddy_sql_stream_stats_set(r->st, &r->ck.stats);
    }
    return consumer_new(r);
}

static int loop(run *r)
{
    const eddy_stream_opts *o = r->o;
    rd_kafka_queue_t *q = rd_kafka_queue_get_consumer(r->rk);
    rd_kafka_message_t **msgs = calloc(BATCH_MAX, sizeof *msgs);
    int rc = 0;
    if (!q || !msgs) {
        snprintf(r->err, r->errlen, "out of memory");
        rc = -1;
        goto out;
    }
    r->last_ckpt_us = r->last_stats_us = now_us();
    while (!(o->stop && *o->stop)) {
        /* rd_kafka_consume_batch_queue waits until the batch is full or the timeout is over:
         * at a low rate every event would wait up to the timeout before a window could close.
         * So take what is queued without waiting, and block (100 ms at most, to keep ticking
         * the idle timeout and checkpoints) only for the first message of an empty queue. */
        ssize_t n = 0;
        if (r->native) {
            rc = native_round(r);
        } else {
            n = rd_kafka_consume_batch_queue(q, 0, msgs, BATCH_MAX);
        }
        if (n <= 0 && !r->native) {
            rd_kafka_message_t *first = rd_kafka_consumer_poll(r->rk, 100);
            if (first) {
                msgs[0] = first;
                ssize_t more = rd_kafka_consume_batch_queue(q, 0, msgs + 1, BATCH_MAX - 1);
                n = 1 + (more > 0 ? more : 0);
            }
        }
        if (r->failed) {
            snprintf(r->err, r->errlen, "%s", eddy_err_str(r->failed));
            rc = -1;
            break;
        }
        for (ssize_t i = 0; i < n; i++) {
            rd_kafka_message_t *m = msgs[i];
            if (rc) {
                rd_kafka_message_destroy(m); /* after a failure: the rest of the batch */
                continue;
            }
            tpart *t = m->rkt ? find_tp(r, rd_kafka_topic_name(m->rkt), m->partition, false) : NULL;
            if (m->err) {
                if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                    if (t && o->until_end && t->assigned) {
                        t->done = true;
                    }
                } else if (m->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
                           m->err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC) {
                    snprintf(r->err, r->errlen, "hub %s: %s",
                             m->rkt ? rd_kafka_topic_name(m->rkt) : "?",
                             rd_kafka_message_errstr(m));
                    rc = -1;
                } else {
                    fprintf(stderr, "eddy query: %s\n", rd_kafka_message_errstr(m));
                }
                rd_kafka_message_destroy(m);
                continue;
            }
            if (!t || !t->assigned) {
                rd_kafka_message_destroy(m);
                continue;
            }
            if (t->nbatch == t->capbatch) {
                uint32_t nc = t->capbatch ? t->capbatch * 2 : 256;
                rd_kafka_message_t **nb = realloc(t->batch, sizeof *nb * nc);
                if (!nb) {
                    rd_kafka_message_destroy(m);
                    snprintf(r->err, r->errlen, "out of memory");
                    rc = -1;
                    continue;
                }
                t->batch = nb;
                t->capbatch = nc;
            }
            t->batch[t->nbatch++] = m;
            if (t->nbatch == BATCH_MAX) {
                rc = feed(r, t);
            }
        }
        if (rc) {
            /* what the failed batch did not reach */
            for (uint32_t i = 0; i < r->ntps; i++) {
                for (uint32_t b = 0; b < r->tps[i].nbatch; b++) {
                    rd_kafka_message_destroy(r->tps[i].batch[b]);
                }
                r->tps[i].nbatch = 0;
            }
        }
        for (uint32_t i = 0; rc == 0 && i < r->ntps; i++) {
            if (r->tps[i].nbatch) {
                rc = feed(r, &r->tps[i]);
            }
        }
        if (rc) {
            if (r->qerr->code && !r->err[0]) {
                snprintf(r->err, r->errlen, "%s", r->qerr->msg);
            }
            break;
        }
        for (uint32_t i = 0; i < r->ntps; i++) {
            if (r->tps[i].done && r->tps[i].assigned) {
                mark_done(r, &r->tps[i]);
            }
        }
        if (r->muted) {
            update_replay(r);
        }
        int64_t now = now_us();
        if (eddy_sql_stream_tick(r->st, now, r->qerr) != 0) {
            snprintf(r->err, r->errlen, "%s", r->qerr->msg);
            rc = -1;
            break;
        }
        if (flush_sinks(r, now) != 0) {
            rc = -1;
            break;
        }
        if (o->until_end && all_done(r)) {
            break;
        }
        if (now - r->last_ckpt_us >= o->checkpoint_us) {
            if ((rc = checkpoint(r)) != 0) {
                break;
            }
        }
        if (o->stats_us > 0 && now - r->last_stats_us >= o->stats_us) {
            r->last_stats_us = now;
            print_stats(r, " (running)");
        }
    }
    if (rc == 0 && ((o->until_end && all_done(r)) || o->finish_on_stop)) {
        int64_t now = now_us();
        if (eddy_sql_stream_finish(r->st, r->qerr) != 0) {
            snprintf(r->err, r->errlen, "%s", r->qerr->msg);
            rc = -1;
        }
        for (uint32_t i = 0; rc == 0 && i < r->nsinks; i++) {
            if (ssink_close(r->sinks[i], now, r->err, r->errlen) != 0) {
                rc = -1;
            }
        }
        if (rc == 0) {
            commit_offsets(r, NULL, true);
        }
    } else if (rc == 0) {
        /* stopped: the open windows wait in the checkpoint */
        int64_t now = now_us();
        if (flush_sinks(r, now) != 0 || checkpoint(r) != 0) {
            rc = -1;
        }
    }
out:
    free(msgs);
    if (q) {
        rd_kafka_queue_destroy(q);
    }
    return rc;
}

int eddy_stream_run(eddy_sql_plan *plan, const char *text, size_t len, const eddy_stream_opts *opts,
                    eddy_sql_error *qerr, char *err, size_t errlen)
{
    run r;
    memset(&r, 0, sizeof r);
    r.o = opts;
    r.plan = plan;
    r.qerr = qerr;
    r.err = err;
    r.errlen = errlen;
    memset(qerr, 0, sizeof *qerr);
    err[0] = 0;
    eddy_record_scratch_init(&r.scratch);
    int rc = setup(&r, text, len);
    if (rc == 0) {
        rc = loop(&r);
    }
    if (!opts->quiet && r.st) {
        print_stats(&r, "");
    }
    nfetch_close(r.nf);
    eddy_record_scratch_deinit(&r.scratch);
    if (r.rk) {
        rd_kafka_consumer_close(r.rk);
        rd_kafka_destroy(r.rk);
    }
    for (uint32_t i = 0; i < r.ntps; i++) {
        for (uint32_t b = 0; b < r.tps[i].nbatch; b++) {
            rd_kafka_message_destroy(r.tps[i].batch[b]);
        }
        free(r.tps[i].batch);
    }
    free(r.tps);
    for (uint32_t s = 0; r.readers && s < plan->nsources; s++) {
        eddy_sql_src_reader_close(r.readers[s]);
    }
    free(r.readers);
    for (uint32_t i = 0; i < r.nhubs; i++) {
        free(r.hubs[i]);
    }
    free(r.hubs);
    eddy_sql_stream_close(r.st);
    for (uint32_t i = 0; i < r.nsinks; i++) {
        ssink_free(r.sinks[i]);
    }
    free(r.sinks);
    free(r.ev);
    free(r.arrival);
    free(r.offsets);
    free(r.rows_of);
    ckpt_free(&r.ck);
    return rc ? (qerr->code ? qerr->code : EDDY_ERR_IO) : 0;
}
