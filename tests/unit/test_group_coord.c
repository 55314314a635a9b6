/* The group coordinator without sockets: messages go in with
 * eddy_coord_submit and come back through the reply hook, so the rebalance
 * state machine, its timers and the durable offsets are driven directly
 * (a real coordinator thread, a real offsets log in a temp folder). Waits
 * are bounded; nothing asserts on timing beyond "eventually". */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "hub/group.h"
#include "storage/fs.h"
#include "test.h"

/* ---- the reply queue ---- */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static eddy_group_msg *queue[64];
static int nqueue;

static void on_reply(void *ctx, eddy_group_msg *m)
{
    pthread_mutex_lock(&mu);
    if (nqueue < 64) {
        queue[nqueue++] = m;
    } else {
        eddy_group_msg_free(m);
    }
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
}

static void on_drop(void *ctx, eddy_group_msg *m)
{
    eddy_group_msg_free(m);
}

/* Waits for the reply to m (NULL: any reply) up to ms; returns it or
 * NULL. */
static eddy_group_msg *wait_reply(eddy_group_msg *m, int ms)
{
    int64_t end = eddy_clock_mono_ms() + ms;
    eddy_group_msg *got = NULL;
    pthread_mutex_lock(&mu);
    while (!got) {
        for (int i = 0; i < nqueue; i++) {
            if (!m || queue[i] == m) {
                got = queue[i];
                memmove(&queue[i], &queue[i + 1], (size_t)(nqueue - i - 1) * sizeof *queue);
                nqueue--;
                break;
            }
        }
        if (got || eddy_clock_mono_ms() >= end) {
            break;
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 10 * 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&cv, &mu, &ts);
    }
    pthread_mutex_unlock(&mu);
    return got;
}

/* ---- a coordinator in a temp folder ---- */

static char dir[256];
static eddy_store *store;

static eddy_coord *coord_open(int64_t retention_ms, const char *declared)
{
    eddy_coord_config cfg;
    eddy_coord_config_defaults(&cfg);
    char path[300];
    snprintf(path, sizeof path, "%s/offsets", dir);
    cfg.store = store;
    cfg.dir = path;
    cfg.initial_rebalance_delay_ms = 20;
    cfg.min_session_timeout_ms = 10;
    cfg.offsets_retention_ms = retention_ms;
    cfg.expiry_check_ms = 20;
    cfg.reply = on_reply;
    cfg.drop = on_drop;
    const char *groups[1] = {declared};
    cfg.groups = groups;
    cfg.ngroups = declared ? 1 : 0;
    eddy_coord *c = NULL;
    char err[256];
    if (eddy_coord_new(&cfg, &c, err, sizeof err)) {
        printf("  eddy_coord_new: %s\n", err);
        return NULL;
    }
    if (eddy_coord_start(c)) {
        eddy_coord_free(c);
        return NULL;
    }
    return c;
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/eddy-test-group-XXXXXX");
    if (!mkdtemp(dir) || eddy_store_open(NULL, &store)) {
        printf("setup failed\n");
        exit(1);
    }
}

static void teardown(void)
{
    eddy_store_close(store);
    eddy_fs_rm_r(dir);
}

/* ---- building requests (strings copied into the message's arena) ---- */

static eddy_kstr S(eddy_group_msg *m, const char *s)
{
    if (!s) {
        return EDDY_KSTR_NULL;
    }
    char *p = eddy_arena_strndup(&m->arena, s, strlen(s));
    return (eddy_kstr){p, (int32_t)strlen(s)};
}

static char *kcopy(eddy_kstr k)
{
    static char bufs[8][256];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, 256, "%.*s", k.len > 0 ? k.len : 0, k.p ? k.p : "");
    return b;
}

/* JoinGroup with protocols "a" (metadata "ma") and, if two, "b". */
static eddy_group_msg *join_msg(int16_t version, const char *group, const char *member,
                                const char *instance, int32_t session, int32_t rebalance,
                                const char *ptype, const char *p1, const char *p2)
{
    eddy_group_msg *m = eddy_group_msg_new(EDDY_KAFKA_API_JoinGroup, version);
    eddy_kafka_JoinGroupRequest *rq = &m->req.JoinGroup;
    m->client_id = "unit";
    rq->GroupId = S(m, group);
    rq->MemberId = S(m, member ? member : "");
    rq->GroupInstanceId = S(m, instance);
    rq->SessionTimeoutMs = session;
    rq->RebalanceTimeoutMs = rebalance;
    rq->ProtocolType = S(m, ptype);
    int n = p2 ? 2 : 1;
    rq->Protocols.items = eddy_arena_calloc(&m->arena, 2, sizeof *rq->Protocols.items);
    const char *names[2] = {p1, p2};
    for (int i = 0; i < n; i++) {
        char meta[32];
        snprintf(meta, sizeof meta, "m%s", names[i]);
        rq->Protocols.items[i].Name = S(m, names[i]);
        eddy_kstr mk = S(m, meta);
        rq->Protocols.items[i].Metadata = (eddy_kbytes){(const uint8_t *)mk.p, mk.len};
    }
    rq->Protocols.count = n;
    return m;
}

static eddy_group_msg *join(eddy_coord *c, eddy_group_msg *m)
{
    eddy_coord_submit(c, m);
    return m;
}

static eddy_group_msg *sync_msg(const char *group, int32_t gen, const char *member, const char *to,
                                const char *bytes)
{
    eddy_group_msg *m = eddy_group_msg_new(EDDY_KAFKA_API_SyncGroup, 3);
    eddy_kafka_SyncGroupRequest *rq = &m->req.SyncGroup;
    rq->GroupId = S(m, group);
    rq->GenerationId = gen;
    rq->MemberId = S(m, member);
    if (to) {
        rq->Assignments.items = eddy_arena_calloc(&m->arena, 1, sizeof *rq->Assignments.items);
        rq->Assignments.items[0].MemberId = S(m, to);
        eddy_kstr b = S(m, bytes);
        rq->Assignments.items[0].Assignment = (eddy_kbytes){(const uint8_t *)b.p, b.len};
        rq->Assignments.count = 1;
    }
    return m;
}

static int16_t heartbeat(eddy_coord *c, const char *group, int32_t gen, const char *member)
{
    eddy_group_msg *m = eddy_group_msg_new(EDDY_KAFKA_API_Heartbeat, 3);
    m->req.Heartbeat.GroupId = S(m, group);
    m->req.Heartbeat.GenerationId = gen;
    m->req.Heartbeat.MemberId = S(m, member);
    eddy_coord_submit(c, m);
    eddy_group_msg *r = wait_reply(m, 10000);
    int16_t err = r ? r->resp.Heartbeat.ErrorCode : -100;
    eddy_group_msg_free(r);
    return err;
}

/* Simple (generation -1) commit of topic "t" partition p. */
static int16_t commit(eddy_coord *c, const char *group, int32_t p, int64_t offset)
{
    eddy_group_msg *m = eddy_group_msg_new(EDDY_KAFKA_API_OffsetCommit, 2);
    eddy_kafka_OffsetCommitRequest *rq = &m->req.OffsetCommit;
    rq->GroupId = S(m, group);
    rq->GenerationIdOrMemberEpoch = -1;
    rq->MemberId = S(m, "");
    rq->Topics.items = eddy_arena_calloc(&m->arena, 1, sizeof *rq->Topics.items);
    rq->Topics.items[0].Name = S(m, "t");
    rq->Topics.items[0].Partitions.items =
        eddy_arena_calloc(&m->arena, 1, sizeof *rq->Topics.items[0].Partitions.items);
    rq->Topics.items[0].Partitions.items[0].PartitionIndex = p;
    rq->Topics.items[0].Partitions.items[0].CommittedOffset = offset;
    rq->Topics.items[0].Partitions.items[0].CommittedMetadata = S(m, "meta");
    rq->Topics.items[0].Partitions.count = 1;
    rq->Topics.count = 1;
    eddy_coord_submit(c, m);
    eddy_group_msg *r = wait_reply(m, 10000);
    int16_t err = r ? r->resp.OffsetCommit.Topics.items[0].Partitions.items[0].ErrorCode : -100;
    eddy_group_msg_free(r);
    return err;
}

/* Committed offset of topic "t" partition p (OffsetFetch v1), or -100. */
static int64_t fetch(eddy_coord *c, const char *group, int32_t p)
{
    eddy_group_msg *m = eddy_group_msg_new(EDDY_KAFKA_API_OffsetFetch, 1);
    eddy_kafka_OffsetFetchRequest *rq = &m->req.OffsetFetch;
    rq->GroupId = S(m, group);
    rq->Topics.items = eddy_arena_calloc(&m->arena, 1, sizeof *rq->Topics.items);
    rq->Topics.items[0].Name = S(m, "t");
    rq->Topics.items[0].PartitionIndexes.items = eddy_arena_calloc(&m->arena, 1, sizeof(int32_t));
    rq->Topics.items[0].PartitionIndexes.items[0] = p;
    rq->Topics.items[0].PartitionIndexes.count = 1;
    rq->Topics.count = 1;
    eddy_coord_submit(c, m);
    eddy_group_msg *r = wait_reply(m, 10000);
    int64_t off =
        r ? r->resp.OffsetFetch.Topics.items[0].Partitions.items[0].CommittedOffset : -100;
    eddy_group_msg_free(r);
    return off;
}

/* Number of groups ListGroups shows with this id and state (or any state). */
static int listed(eddy_coord *c, const char *group, const char *state)
{
    eddy_group_msg *m = eddy_group_msg_new(EDDY_KAFKA_API_ListGroups, 4);
    eddy_coord_submit(c, m);
    eddy_group_msg *r = wait_reply(m, 10000);
    int n = 0;
    for (int32_t i = 0; r && i < r->resp.ListGroups.Groups.count; i++) {
        const eddy_kafka_ListGroupsResponse_ListedGroup *g = &r->resp.ListGroups.Groups.items[i];
        n += eddy_kstr_eq(g->GroupId, group) && (!state || eddy_kstr_eq(g->GroupState, state));
    }
    eddy_group_msg_free(r);
    return n;
}

/* A member that joined and synced: id and generation. */
typedef struct joined {
    char id[128];
    int32_t gen;
} joined;

/* Joins (v5, two steps), syncs with assignment "A" to itself: a Stable
 * single-member group. */
static int join_alone(eddy_coord *c, const char *group, int32_t session, joined *out)
{
    eddy_group_msg *r = wait_reply(
        join(c, join_msg(5, group, NULL, NULL, session, 5000, "consumer", "a", "b")), 10000);
    if (!r || r->resp.JoinGroup.ErrorCode != EDDY_ERR_MEMBER_ID_REQUIRED) {
        eddy_group_msg_free(r);
        return -1;
    }
    snprintf(out->id, sizeof out->id, "%s", kcopy(r->resp.JoinGroup.MemberId));
    eddy_group_msg_free(r);
    r = wait_reply(join(c, join_msg(5, group, out->id, NULL, session, 5000, "consumer", "a", "b")),
                   10000);
    int err = r ? r->resp.JoinGroup.ErrorCode : -100;
    out->gen = r ? r->resp.JoinGroup.GenerationId : -1;
    eddy_group_msg_free(r);
    if (err) {
        return err;
    }
    eddy_group_msg *s = sync_msg(group, out->gen, out->id, out->id, "A");
    eddy_coord_submit(c, s);
    r = wait_reply(s, 10000);
    err = r ? r->resp.SyncGroup.ErrorCode : -100;
    eddy_group_msg_free(r);
    return err;
}

/* ---- tests ---- */

TEST(test_join_sync_heartbeat)
{
    eddy_coord *c = coord_open(-1, NULL);
    EXPECT_TRUE(c != NULL);
    eddy_group_msg *r = wait_reply(
        join(c, join_msg(5, "g1", NULL, NULL, 10000, 5000, "consumer", "a", "b")), 10000);
    EXPECT_TRUE(r != NULL);
    EXPECT_EQ_INT(r->resp.JoinGroup.ErrorCode, EDDY_ERR_MEMBER_ID_REQUIRED);
    char id[128];
    snprintf(id, sizeof id, "%s", kcopy(r->resp.JoinGroup.MemberId));
    EXPECT_TRUE(strncmp(id, "unit-", 5) == 0);
    eddy_group_msg_free(r);
    r = wait_reply(join(c, join_msg(5, "g1", id, NULL, 10000, 5000, "consumer", "a", "b")), 10000);
    EXPECT_TRUE(r != NULL);
    EXPECT_EQ_INT(r->resp.JoinGroup.ErrorCode, 0);
    EXPECT_EQ_INT(r->resp.JoinGroup.GenerationId, 1);
    EXPECT_EQ_STR(kcopy(r->resp.JoinGroup.Leader), id);
    EXPECT_EQ_STR(kcopy(r->resp.JoinGroup.ProtocolName), "a");
    EXPECT_EQ_INT(r->resp.JoinGroup.Members.count, 1);
    EXPECT_EQ_INT(r->resp.JoinGroup.Members.items[0].Metadata.len, 2); /* "ma" */
    eddy_group_msg_free(r);
    eddy_group_msg *s = sync_msg("g1", 1, id, id, "bytes");
    eddy_coord_submit(c, s);
    r = wait_reply(s, 10000);
    EXPECT_TRUE(r != NULL);
    EXPECT_EQ_INT(r->resp.SyncGroup.ErrorCode, 0);
    EXPECT_EQ_INT(r->resp.SyncGroup.Assignment.len, 5);
    eddy_group_msg_free(r);
    EXPECT_EQ_INT(heartbeat(c, "g1", 1, id), 0);
    EXPECT_EQ_INT(heartbeat(c, "g1", 0, id), EDDY_ERR_ILLEGAL_GENERATION);
    EXPECT_EQ_INT(heartbeat(c, "g1", 1, "ghost"), EDDY_ERR_UNKNOWN_MEMBER_ID);
    EXPECT_EQ_INT(heartbeat(c, "nope", 1, id), EDDY_ERR_UNKNOWN_MEMBER_ID);
    /* Wrong protocol type, no shared protocol, bad session timeout, empty
     * group id. */
    r = wait_reply(join(c, join_msg(5, "g1", NULL, NULL, 10000, 5000, "connect", "a", NULL)),
                   10000);
    EXPECT_EQ_INT(r->resp.JoinGroup.ErrorCode, EDDY_ERR_INCONSISTENT_GROUP_PROTOCOL);
    eddy_group_msg_free(r);
    r = wait_reply(join(c, join_msg(5, "g1", NULL, NULL, 10000, 5000, "consumer", "z", NULL)),
                   10000);
    EXPECT_EQ_INT(r->resp.JoinGroup.ErrorCode, EDDY_ERR_INCONSISTENT_GROUP_PROTOCOL);
    eddy_group_msg_free(r);
    r = wait_reply(join(c, join_msg(5, "g1", NULL, NULL, 5, 5000, "consumer", "a", NULL)), 10000);
    EXPECT_EQ_INT(r->resp.JoinGroup.ErrorCode, EDDY_ERR_INVALID_SESSION_TIMEOUT);
    eddy_group_msg_free(r);
    r = wait_reply(join(c, join_msg(5, "", NULL, NULL, 10000, 5000, "consumer", "a", NULL)), 10000);
    EXPECT_EQ_INT(r->resp.JoinGroup.ErrorCode, EDDY_ERR_INVALID_GROUP_ID);
    eddy_group_msg_free(r);
    eddy_coord_stop(c);
    eddy_coord_free(c);
}

TEST(test_rebalance_holds_joins_and_syncs)
{
    eddy_coord *c = coord_open(-1, NULL);
    EXPECT_TRUE(c != NULL);
    joined a;
    EXPECT_EQ_INT(join_alone(c, "g2", 10000, &a), 0);
    /* v2 (no MEMBER_ID_REQUIRED): B is added and waits. */
    eddy_group_msg *jb = join(c, join_msg(2, "g2", NULL, NULL, 10000, 5000, "consumer", "b", "a"));
    EXPECT_TRUE(wait_reply(jb, 200) == NULL);
    EXPECT_EQ_INT(heartbeat(c, "g2", a.gen, a.id), EDDY_ERR_REBALANCE_IN_PROGRESS);
    eddy_group_msg *ja = join(c, join_msg(5, "g2", a.id, NULL, 10000, 5000, "consumer", "a", "b"));
    eddy_group_msg *ra = wait_reply(ja, 10000), *rb = wait_reply(jb, 10000);
    EXPECT_TRUE(ra && rb);
    EXPECT_EQ_INT(ra->resp.JoinGroup.ErrorCode, 0);
    EXPECT_EQ_INT(rb->resp.JoinGroup.ErrorCode, 0);
    int32_t gen = ra->resp.JoinGroup.GenerationId;
    EXPECT_EQ_INT(gen, a.gen + 1);
    EXPECT_EQ_INT(rb->resp.JoinGroup.GenerationId, gen);
    EXPECT_EQ_INT(ra->resp.JoinGroup.Members.count, 2); /* the leader */
    EXPECT_EQ_INT(rb->resp.JoinGroup.Members.count, 0);
    char bid[128];
    snprintf(bid, sizeof bid, "%s", kcopy(rb->resp.JoinGroup.MemberId));
    eddy_group_msg_free(ra);
    eddy_group_msg_free(rb);
    /* The follower's SyncGroup waits for the leader's; an omitted member
     * gets empty bytes. */
    eddy_group_msg *sb = sync_msg("g2", gen, bid, NULL, NULL);
    eddy_coord_submit(c, sb);
    EXPECT_TRUE(wait_reply(sb, 200) == NULL);
    eddy_group_msg *sa = sync_msg("g2", gen, a.id, a.id, "AA");
    eddy_coord_submit(c, sa);
    ra = wait_reply(sa, 10000);
    rb = wait_reply(sb, 10000);
    EXPECT_TRUE(ra && rb);
    EXPECT_EQ_INT(ra->resp.SyncGroup.Assignment.len, 2);
    EXPECT_EQ_INT(rb->resp.SyncGroup.ErrorCode, 0);
    EXPECT_EQ_INT(rb->resp.SyncGroup.Assignment.len, 0);
    eddy_group_msg_free(ra);
    eddy_group_msg_free(rb);
    EXPECT_EQ_INT(heartbeat(c, "g2", gen, bid), 0);
    EXPECT_EQ_INT(listed(c, "g2", "Stable"), 1);
    eddy_coord_stop(c);
    eddy_coord_free(c);
}

TEST(test_session_timeout_expels)
{
    eddy_coord *c = coord_open(-1, NULL);
    EXPECT_TRUE(c != NULL);
    joined a;
    EXPECT_EQ_INT(join_alone(c, "g3", 10000, &a), 0);
    /* B joins with a short session, syncs, then goes silent. */
    eddy_group_msg *jb = join(c, join_msg(2, "g3", NULL, NULL, 300, 5000, "consumer", "a", NULL));
    EXPECT_EQ_INT(heartbeat(c, "g3", a.gen, a.id), EDDY_ERR_REBALANCE_IN_PROGRESS);
    eddy_group_msg *ra = wait_reply(
        join(c, join_msg(5, "g3", a.id, NULL, 10000, 5000, "consumer", "a", "b")), 10000);
    eddy_group_msg *rb = wait_reply(jb, 10000);
    EXPECT_TRUE(ra && rb);
    int32_t gen = ra->resp.JoinGroup.GenerationId;
    char bid[128];
    snprintf(bid, sizeof bid, "%s", kcopy(rb->resp.JoinGroup.MemberId));
    eddy_group_msg_free(ra);
    eddy_group_msg_free(rb);
    eddy_group_msg *sa = sync_msg("g3", gen, a.id, a.id, "A");
    eddy_coord_submit(c, sa);
    eddy_group_msg_free(wait_reply(sa, 10000));
    eddy_group_msg *sb = sync_msg("g3", gen, bid, NULL, NULL);
    eddy_coord_submit(c, sb);
    eddy_group_msg_free(wait_reply(sb, 10000));
    /* A keeps heartbeating; B's session ends and A is told to rejoin. */
    int16_t err = 0;
    for (int i = 0; i < 1000 && err == 0; i++) {
        err = heartbeat(c, "g3", gen, a.id);
        usleep(10000);
    }
    EXPECT_EQ_INT(err, EDDY_ERR_REBALANCE_IN_PROGRESS);
    ra = wait_reply(join(c, join_msg(5, "g3", a.id, NULL, 10000, 5000, "consumer", "a", "b")),
                    10000);
    EXPECT_TRUE(ra != NULL);
    EXPECT_EQ_INT(ra->resp.JoinGroup.ErrorCode, 0);
    EXPECT_EQ_INT(ra->resp.JoinGroup.GenerationId, gen + 1);
    EXPECT_EQ_INT(ra->resp.JoinGroup.Members.count, 1);
    eddy_group_msg_free(ra);
    EXPECT_EQ_INT(heartbeat(c, "g3", gen, bid), EDDY_ERR_UNKNOWN_MEMBER_ID);
    eddy_coord_stop(c);
    eddy_coord_free(c);
}

TEST(test_rebalance_timeout_drops_silent_members)
{
    eddy_coord *c = coord_open(-1, NULL);
    EXPECT_TRUE(c != NULL);
    joined a;
    EXPECT_EQ_INT(join_alone(c, "g4", 10000, &a), 0);
    eddy_group_msg *jb = join(c, join_msg(2, "g4", NULL, NULL, 60000, 300, "consumer", "a", NULL));
    eddy_group_msg *ra =
        wait_reply(join(c, join_msg(5, "g4", a.id, NULL, 60000, 300, "consumer", "a", "b")), 10000);
    eddy_group_msg *rb = wait_reply(jb, 10000);
    EXPECT_TRUE(ra && rb);
    int32_t gen = ra->resp.JoinGroup.GenerationId;
    char bid[128];
    snprintf(bid, sizeof bid, "%s", kcopy(rb->resp.JoinGroup.MemberId));
    eddy_group_msg_free(ra);
    eddy_group_msg_free(rb);
    eddy_group_msg *sb = sync_msg("g4", gen, bid, NULL, NULL);
    eddy_coord_submit(c, sb);
    eddy_group_msg *sa = sync_msg("g4", gen, a.id, a.id, "A");
    eddy_coord_submit(c, sa);
    eddy_group_msg_free(wait_reply(sa, 10000));
    eddy_group_msg_free(wait_reply(sb, 10000));
    EXPECT_EQ_INT(listed(c, "g4", "Stable"), 1);
    /* The leader rejoins (a rebalance); B never does: after the rebalance
     * timeout the generation goes on without B. */
    ra =
        wait_reply(join(c, join_msg(5, "g4", a.id, NULL, 60000, 300, "consumer", "a", "b")), 10000);
    EXPECT_TRUE(ra != NULL);
    EXPECT_EQ_INT(ra->resp.JoinGroup.ErrorCode, 0);
    EXPECT_EQ_INT(ra->resp.JoinGroup.GenerationId, gen + 1);
    EXPECT_EQ_INT(ra->resp.JoinGroup.Members.count, 1);
    eddy_group_msg_free(ra);
    eddy_coord_stop(c);
    eddy_coord_free(c);
}

TEST(test_static_member_replaced_without_rebalance)
{
    eddy_coord *c = coord_open(-1, NULL);
    EXPECT_TRUE(c != NULL);
    eddy_group_msg *r = wait_reply(
        join(c, join_msg(5, "g5", NULL, "i1", 10000, 5000, "consumer", "a", NULL)), 10000);
    EXPECT_TRUE(r != NULL);
    EXPECT_EQ_INT(r->resp.JoinGroup.ErrorCode, 0);
    int32_t gen = r->resp.JoinGroup.GenerationId;
    char id1[128];
    snprintf(id1, sizeof id1, "%s", kcopy(r->resp.JoinGroup.MemberId));
    EXPECT_TRUE(strncmp(id1, "i1-", 3) == 0);
    eddy_group_msg_free(r);
    eddy_group_msg *s = sync_msg("g5", gen, id1, id1, "S");
    eddy_coord_submit(c, s);
    eddy_group_msg_free(wait_reply(s, 10000));
    r = wait_reply(join(c, join_msg(5, "g5", NULL, "i1", 10000, 5000, "consumer", "a", NULL)),
                   10000);
    EXPECT_TRUE(r != NULL);
    EXPECT_EQ_INT(r->resp.JoinGroup.ErrorCode, 0);
    EXPECT_EQ_INT(r->resp.JoinGroup.GenerationId, gen);
    char id2[128];
    snprintf(id2, sizeof id2, "%s", kcopy(r->resp.JoinGroup.MemberId));
    EXPECT_TRUE(strcmp(id1, id2) != 0);
    EXPECT_EQ_STR(kcopy(r->resp.JoinGroup.Leader), id1); /* not told to lead */
    eddy_group_msg_free(r);
    eddy_group_msg *hb = eddy_group_msg_new(EDDY_KAFKA_API_Heartbeat, 3);
    hb->req.Heartbeat.GroupId = S(hb, "g5");
    hb->req.Heartbeat.GenerationId = gen;
    hb->req.Heartbeat.MemberId = S(hb, id1);
    hb->req.Heartbeat.GroupInstanceId = S(hb, "i1");
    eddy_coord_submit(c, hb);
    r = wait_reply(hb, 10000);
    EXPECT_EQ_INT(r->resp.Heartbeat.ErrorCode, EDDY_ERR_FENCED_INSTANCE_ID);
    eddy_group_msg_free(r);
    s = sync_msg("g5", gen, id2, NULL, NULL);
    eddy_coord_submit(c, s);
    r = wait_reply(s, 10000);
    EXPECT_EQ_INT(r->resp.SyncGroup.ErrorCode, 0);
    EXPECT_EQ_INT(r->resp.SyncGroup.Assignment.len, 1); /* kept "S" */
    eddy_group_msg_free(r);
    eddy_coord_stop(c);
    eddy_coord_free(c);
}

TEST(test_offsets_survive_restart_and_delete)
{
    eddy_coord *c = coord_open(-1, NULL);
    EXPECT_TRUE(c != NULL);
    EXPECT_EQ_INT(commit(c, "simple", 0, 42), 0);
    EXPECT_EQ_INT(commit(c, "simple", 1, 7), 0);
    EXPECT_EQ_INT(commit(c, "simple", 0, 43), 0); /* last write wins */
    EXPECT_EQ_INT(commit(c, "other", 0, 5), 0);
    EXPECT_EQ_INT(fetch(c, "simple", 0), 43);
    EXPECT_EQ_INT(fetch(c, "simple", 2), -1);
    EXPECT_EQ_INT(fetch(c, "unknown", 0), -1);
    eddy_coord_stop(c);
    eddy_coord_free(c);

    c = coord_open(-1, NULL);
    EXPECT_TRUE(c != NULL);
    EXPECT_EQ_INT(fetch(c, "simple", 0), 43);
    EXPECT_EQ_INT(fetch(c, "simple", 1), 7);
    EXPECT_EQ_INT(fetch(c, "other", 0), 5);
    EXPECT_EQ_INT(listed(c, "simple", "Empty"), 1);
    eddy_group_msg *m = eddy_group_msg_new(EDDY_KAFKA_API_DeleteGroups, 1);
    m->req.DeleteGroups.GroupsNames.items = eddy_arena_calloc(&m->arena, 2, sizeof(eddy_kstr));
    m->req.DeleteGroups.GroupsNames.items[0] = S(m, "simple");
    m->req.DeleteGroups.GroupsNames.items[1] = S(m, "missing");
    m->req.DeleteGroups.GroupsNames.count = 2;
    eddy_coord_submit(c, m);
    eddy_group_msg *r = wait_reply(m, 10000);
    EXPECT_TRUE(r != NULL);
    EXPECT_EQ_INT(r->resp.DeleteGroups.Results.items[0].ErrorCode, 0);
    EXPECT_EQ_INT(r->resp.DeleteGroups.Results.items[1].ErrorCode, EDDY_ERR_GROUP_ID_NOT_FOUND);
    eddy_group_msg_free(r);
    EXPECT_EQ_INT(fetch(c, "simple", 0), -1);
    EXPECT_EQ_INT(commit(c, "simple", 3, 99), 0); /* a new group of the same name */
    eddy_coord_stop(c);
    eddy_coord_free(c);

    c = coord_open(-1, NULL);
    EXPECT_TRUE(c != NULL);
    EXPECT_EQ_INT(fetch(c, "simple", 0), -1);
    EXPECT_EQ_INT(fetch(c, "simple", 3), 99);
    EXPECT_EQ_INT(fetch(c, "other", 0), 5);
    eddy_coord_stop(c);
    eddy_coord_free(c);
}

TEST(test_offsets_expire_with_empty_group)
{
    eddy_coord *c = coord_open(-1, "declared");
    EXPECT_TRUE(c != NULL);
    EXPECT_EQ_INT(commit(c, "gone", 0, 10), 0);
    EXPECT_EQ_INT(commit(c, "declared", 0, 20), 0);
    EXPECT_EQ_INT(listed(c, "declared", "Empty"), 1);
    eddy_coord_stop(c);
    eddy_coord_free(c);

    /* Reopened with a retention of 100 ms: both groups' offsets expire;
     * the declared group stays (without offsets), the other goes. */
    c = coord_open(100, "declared");
    EXPECT_TRUE(c != NULL);
    int64_t off = 0;
    for (int i = 0; i < 500 && (off = fetch(c, "gone", 0)) != -1; i++) {
        usleep(10000);
    }
    EXPECT_EQ_INT(off, -1);
    for (int i = 0; i < 500 && (off = fetch(c, "declared", 0)) != -1; i++) {
        usleep(10000);
    }
    EXPECT_EQ_INT(off, -1);
    EXPECT_EQ_INT(listed(c, "declared", "Empty"), 1);
    for (int i = 0; i < 500 && listed(c, "gone", NULL); i++) {
        usleep(10000);
    }
    EXPECT_EQ_INT(listed(c, "gone", NULL), 0);
    eddy_coord_stop(c);
    eddy_coord_free(c);

    /* The expiry was written: a restart without retention keeps it. */
    c = coord_open(-1, NULL);
    EXPECT_TRUE(c != NULL);
    EXPECT_EQ_INT(fetch(c, "gone", 0), -1);
    EXPECT_EQ_INT(fetch(c, "declared", 0), -1);
    eddy_coord_stop(c);
    eddy_coord_free(c);
}

TEST(test_shutdown_answers_held_requests)
{
    eddy_coord *c = coord_open(-1, NULL);
    EXPECT_TRUE(c != NULL);
    joined a;
    EXPECT_EQ_INT(join_alone(c, "g6", 10000, &a), 0);
    eddy_group_msg *jb =
        join(c, join_msg(2, "g6", NULL, NULL, 10000, 60000, "consumer", "a", NULL));
    EXPECT_TRUE(wait_reply(jb, 100) == NULL);
    eddy_coord_stop(c);
    eddy_group_msg *r = wait_reply(jb, 1000);
    EXPECT_TRUE(r != NULL);
    EXPECT_EQ_INT(r->resp.JoinGroup.ErrorCode, EDDY_ERR_COORDINATOR_NOT_AVAILABLE);
    eddy_group_msg_free(r);
    eddy_coord_free(c);
}

int main(void)
{
    eddy_log_set_level(EDDY_LOG_WARN);
    setup();
    RUN(test_join_sync_heartbeat);
    RUN(test_rebalance_holds_joins_and_syncs);
    RUN(test_session_timeout_expels);
    RUN(test_rebalance_timeout_drops_silent_members);
    RUN(test_static_member_replaced_without_rebalance);
    RUN(test_offsets_survive_restart_and_delete);
    RUN(test_offsets_expire_with_empty_group);
    RUN(test_shutdown_answers_held_requests);
    /* Replies of failed tests may still be queued. */
    eddy_group_msg *m;
    while ((m = wait_reply(NULL, 0))) {
        eddy_group_msg_free(m);
    }
    teardown();
    return test_summary();
}
