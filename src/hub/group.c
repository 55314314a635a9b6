/* The group coordinator: its thread, its messages, and Kafka's classic
 * rebalance protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) plus
 * ListGroups, DescribeGroups and DeleteGroups.
 *
 * Everything below coord_on_msg runs on the coordinator thread and owns the
 * group state outright. The state machine follows Kafka's GroupCoordinator
 * (see ../shared/reference/kafka-protocol.md §3.6 and docs/groups.md):
 *
 *   Empty --join--> PreparingRebalance --all rejoined / timeout-->
 *   CompletingRebalance --leader's SyncGroup--> Stable --join, leave,
 *   expiry--> PreparingRebalance ...; the last member leaving ends in Empty.
 *
 * JoinGroup and SyncGroup messages are held by their member until the
 * rebalance answers them; each held message is answered exactly once (with
 * a result or an error), or dropped at shutdown. Timers: one per member
 * (session), one per pending member id, and per group a join timer (the
 * initial delay, then the rebalance timeout) and a sync timer (members that
 * never send SyncGroup). Committed offsets are in offsets.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "core/clock.h"
#include "core/log.h"
#include "hub/group_int.h"

/* ---- small helpers ---- */

static char *dupn(const char *p, size_t n)
{
    char *s = malloc(n + 1);
    if (s) {
        if (n) {
            memcpy(s, p, n);
        }
        s[n] = '\0';
    }
    return s;
}

/* A heap copy of a Kafka string; NULL for null (or out of memory). */
static char *kdup(eddy_kstr k)
{
    return k.len < 0 ? NULL : dupn(k.p, (size_t)k.len);
}

static bool keq(eddy_kstr k, const char *s)
{
    return s && eddy_kstr_eq(k, s);
}

/* Copies a C string into the message's arena as a Kafka string; NULL gives
 * the null string. */
static eddy_kstr astr(eddy_group_msg *m, const char *s)
{
    if (!s) {
        return EDDY_KSTR_NULL;
    }
    size_t n = strlen(s);
    char *p = eddy_arena_strndup(&m->arena, s, n);
    return p ? (eddy_kstr){p, (int32_t)n} : (eddy_kstr){"", 0};
}

static eddy_kbytes abytes(eddy_group_msg *m, const uint8_t *p, int32_t len)
{
    if (len <= 0) {
        return (eddy_kbytes){(const uint8_t *)"", 0};
    }
    uint8_t *q = eddy_arena_memdup(&m->arena, p, (size_t)len);
    return q ? (eddy_kbytes){q, len} : (eddy_kbytes){(const uint8_t *)"", 0};
}

int64_t coord_now_wall(void)
{
    return eddy_clock_wall_ms();
}

static int64_t now_mono(eddy_coord *c)
{
    return eddy_loop_now_ms(c->loop);
}

const char *group_state_name(group_state s)
{
    switch (s) {
    case GROUP_EMPTY:
        return "Empty";
    case GROUP_PREPARING:
        return "PreparingRebalance";
    case GROUP_COMPLETING:
        return "CompletingRebalance";
    case GROUP_STABLE:
        return "Stable";
    case GROUP_DEAD:
        break;
    }
    return "Dead";
}

static uint64_t rng_next(eddy_coord *c)
{
    /* splitmix64: member ids need uniqueness, not secrecy. */
    uint64_t z = (c->rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* "<prefix>-<uuid>", as Kafka makes member ids. */
static char *make_member_id(eddy_coord *c, const char *prefix)
{
    uint8_t u[16];
    uint64_t a = rng_next(c), b = rng_next(c);
    memcpy(u, &a, 8);
    memcpy(u + 8, &b, 8);
    u[6] = (uint8_t)((u[6] & 0x0f) | 0x40);
    u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
    char uuid[37];
    snprintf(uuid, sizeof uuid,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
             u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
             u[15]);
    size_t n = strlen(prefix);
    if (n > 200) {
        n = 200;
    }
    char *id = malloc(n + 38);
    if (id) {
        memcpy(id, prefix, n);
        id[n] = '-';
        memcpy(id + n + 1, uuid, 37);
    }
    return id;
}

/* ---- messages ---- */

bool eddy_group_api(int16_t api_key)
{
    switch (api_key) {
    case EDDY_KAFKA_API_JoinGroup:
    case EDDY_KAFKA_API_SyncGroup:
    case EDDY_KAFKA_API_Heartbeat:
    case EDDY_KAFKA_API_LeaveGroup:
    case EDDY_KAFKA_API_OffsetCommit:
    case EDDY_KAFKA_API_OffsetFetch:
    case EDDY_KAFKA_API_ListGroups:
    case EDDY_KAFKA_API_DescribeGroups:
    case EDDY_KAFKA_API_DeleteGroups:
        return true;
    default:
        return false;
    }
}

/* X(name) for every group API: one switch per operation below. */
#define GROUP_APIS(X)                                                                              \
    X(JoinGroup)                                                                                   \
    X(SyncGroup)                                                                                   \
    X(Heartbeat)                                                                                   \
    X(LeaveGroup)                                                                                  \
    X(OffsetCommit)                                                                                \
    X(OffsetFetch)                                                                                 \
    X(ListGroups)                                                                                  \
    X(DescribeGroups)                                                                              \
    X(DeleteGroups)

eddy_group_msg *eddy_group_msg_new(int16_t api_key, int16_t version)
{
    if (!eddy_group_api(api_key)) {
        return NULL;
    }
    eddy_group_msg *m = calloc(1, sizeof *m);
    if (!m) {
        return NULL;
    }
    m->api_key = api_key;
    m->version = version;
    m->client_id = "";
    m->client_host = "";
    eddy_arena_init(&m->arena, 4096, 0);
    switch (api_key) {
#define INIT(name)                                                                                 \
    case EDDY_KAFKA_API_##name:                                                                    \
        eddy_kafka_##name##Request_init(&m->req.name);                                             \
        eddy_kafka_##name##Response_init(&m->resp.name);                                           \
        break;
        GROUP_APIS(INIT)
#undef INIT
    }
    return m;
}

int eddy_group_msg_decode(eddy_group_msg *m, const uint8_t *body, size_t len)
{
    free(m->body);
    m->body = malloc(len ? len : 1);
    if (!m->body) {
        return EDDY_ERR_NOMEM;
    }
    if (len) {
        memcpy(m->body, body, len);
    }
    m->body_len = len;
    eddy_reader r;
    eddy_reader_init(&r, m->body, len);
    switch (m->api_key) {
#define DECODE(name)                                                                               \
    case EDDY_KAFKA_API_##name:                                                                    \
        return eddy_kafka_##name##Request_decode(&r, m->version, &m->arena, &m->req.name);
        GROUP_APIS(DECODE)
#undef DECODE
    }
    return EDDY_ERR_INVALID_ARG;
}

int eddy_group_msg_encode(const eddy_group_msg *m, eddy_buf *b)
{
    switch (m->api_key) {
#define ENCODE(name)                                                                               \
    case EDDY_KAFKA_API_##name:                                                                    \
        return eddy_kafka_##name##Response_encode(b, m->version, &m->resp.name);
        GROUP_APIS(ENCODE)
#undef ENCODE
    }
    return EDDY_ERR_INVALID_ARG;
}

void eddy_group_msg_free(eddy_group_msg *m)
{
    if (!m) {
        return;
    }
    free(m->body);
    eddy_arena_deinit(&m->arena);
    free(m);
}

void coord_reply(eddy_coord *c, eddy_group_msg *m)
{
    c->cfg.reply(c->cfg.reply_ctx, m);
}

/* ---- members ---- */

static void member_free_protos(member *mb)
{
    for (int i = 0; i < mb->nprotos; i++) {
        free(mb->protos[i].name);
        free(mb->protos[i].meta);
    }
    free(mb->protos);
    mb->protos = NULL;
    mb->nprotos = 0;
}

static void member_free(eddy_coord *c, member *mb)
{
    if (mb->session_timer) {
        eddy_loop_timer_cancel(c->loop, mb->session_timer);
    }
    member_free_protos(mb);
    free(mb->id);
    free(mb->instance_id);
    free(mb->client_id);
    free(mb->client_host);
    free(mb->protocol_type);
    free(mb->assignment);
    free(mb);
}

/* Takes the member's settings from a JoinGroup request. Returns false when
 * out of memory (the member keeps what it had). */
static bool member_update(member *mb, const eddy_group_msg *m)
{
    const eddy_kafka_JoinGroupRequest *rq = &m->req.JoinGroup;
    int n = rq->Protocols.count > 0 ? rq->Protocols.count : 0;
    member_proto *protos = calloc((size_t)n + 1, sizeof *protos);
    char *ptype = kdup(rq->ProtocolType);
    char *cid = strdup(m->client_id);
    char *host = strdup(m->client_host);
    bool ok = protos && ptype && cid && host;
    for (int i = 0; ok && i < n; i++) {
        const eddy_kafka_JoinGroupRequest_JoinGroupRequestProtocol *p = &rq->Protocols.items[i];
        int32_t len = p->Metadata.len > 0 ? p->Metadata.len : 0;
        protos[i].name = kdup(p->Name.len >= 0 ? p->Name : (eddy_kstr){"", 0});
        protos[i].meta = malloc((size_t)len + 1);
        protos[i].meta_len = len;
        if (!protos[i].name || !protos[i].meta) {
            ok = false;
        } else if (len) {
            memcpy(protos[i].meta, p->Metadata.p, (size_t)len);
        }
    }
    if (!ok) {
        for (int i = 0; protos && i < n; i++) {
            free(protos[i].name);
            free(protos[i].meta);
        }
        free(protos);
        free(ptype);
        free(cid);
        free(host);
        return false;
    }
    member_free_protos(mb);
    mb->protos = protos;
    mb->nprotos = n;
    free(mb->protocol_type);
    mb->protocol_type = ptype;
    free(mb->client_id);
    mb->client_id = cid;
    free(mb->client_host);
    mb->client_host = host;
    mb->session_timeout_ms = rq->SessionTimeoutMs;
    mb->rebalance_timeout_ms = m->version >= 1 && rq->RebalanceTimeoutMs > 0
                                   ? rq->RebalanceTimeoutMs
                                   : rq->SessionTimeoutMs;
    return true;
}

/* True when the request carries exactly the member's protocols. */
static bool member_matches(const member *mb, const eddy_kafka_JoinGroupRequest *rq)
{
    if (rq->Protocols.count != mb->nprotos) {
        return false;
    }
    for (int i = 0; i < mb->nprotos; i++) {
        const eddy_kafka_JoinGroupRequest_JoinGroupRequestProtocol *p = &rq->Protocols.items[i];
        int32_t len = p->Metadata.len > 0 ? p->Metadata.len : 0;
        if (!keq(p->Name, mb->protos[i].name) || len != mb->protos[i].meta_len ||
            (len && memcmp(p->Metadata.p, mb->protos[i].meta, (size_t)len) != 0)) {
            return false;
        }
    }
    return true;
}

static const member_proto *member_proto_find(const member *mb, const char *name)
{
    for (int i = 0; name && i < mb->nprotos; i++) {
        if (strcmp(mb->protos[i].name, name) == 0) {
            return &mb->protos[i];
        }
    }
    return NULL;
}

member *group_member_find(group *g, eddy_kstr id)
{
    for (int i = 0; i < g->nmembers; i++) {
        if (keq(id, g->members[i]->id)) {
            return g->members[i];
        }
    }
    return NULL;
}

static member *group_static_find(group *g, eddy_kstr instance_id)
{
    for (int i = 0; instance_id.len >= 0 && i < g->nmembers; i++) {
        if (keq(instance_id, g->members[i]->instance_id)) {
            return g->members[i];
        }
    }
    return NULL;
}

/* Kafka's isStaticMemberFenced: the instance id belongs to another member
 * id. */
static bool static_fenced(group *g, eddy_kstr member_id, eddy_kstr instance_id)
{
    member *sm = group_static_find(g, instance_id);
    return sm && !keq(member_id, sm->id);
}

static void member_session_fired(eddy_loop *loop, void *arg);

/* Resets the member's session: it is alive now. */
void member_touch(member *mb)
{
    eddy_coord *c = mb->group->coord;
    mb->session_deadline = now_mono(c) + mb->session_timeout_ms;
    if (!mb->session_timer) {
        mb->session_timer =
            eddy_loop_timer_at(c->loop, mb->session_deadline, member_session_fired, mb);
    }
}

static int group_add_member(group *g, member *mb)
{
    if (g->nmembers == g->capmembers) {
        int cap = g->capmembers ? g->capmembers * 2 : 4;
        member **nm = realloc(g->members, (size_t)cap * sizeof *nm);
        if (!nm) {
            return EDDY_ERR_NOMEM;
        }
        g->members = nm;
        g->capmembers = cap;
    }
    if (g->nmembers == 0) {
        free(g->protocol_type);
        g->protocol_type = mb->protocol_type ? strdup(mb->protocol_type) : NULL;
    }
    g->members[g->nmembers++] = mb;
    if (!g->leader) {
        g->leader = mb;
    }
    return 0;
}

/* Unlinks and frees a member; its held messages must be answered first. */
static void group_remove_member(group *g, member *mb)
{
    for (int i = 0; i < g->nmembers; i++) {
        if (g->members[i] == mb) {
            memmove(&g->members[i], &g->members[i + 1],
                    (size_t)(g->nmembers - i - 1) * sizeof *g->members);
            g->nmembers--;
            break;
        }
    }
    if (g->leader == mb) {
        g->leader = g->nmembers ? g->members[0] : NULL;
    }
    member_free(g->coord, mb);
}

/* ---- responses ---- */

static void join_fill_error(eddy_group_msg *m, int16_t err, const char *member_id)
{
    eddy_kafka_JoinGroupResponse *r = &m->resp.JoinGroup;
    r->ErrorCode = err;
    r->GenerationId = -1;
    r->ProtocolType = EDDY_KSTR_NULL;
    r->ProtocolName = m->version >= 7 ? EDDY_KSTR_NULL : (eddy_kstr){"", 0};
    r->Leader = (eddy_kstr){"", 0};
    if (member_id) {
        r->MemberId = astr(m, member_id);
    } else {
        r->MemberId =
            m->req.JoinGroup.MemberId.len >= 0 ? m->req.JoinGroup.MemberId : (eddy_kstr){"", 0};
    }
    r->Members.count = 0;
}

static void join_error(eddy_coord *c, eddy_group_msg *m, int16_t err, const char *member_id)
{
    join_fill_error(m, err, member_id);
    coord_reply(c, m);
}

/* The answer to a JoinGroup for the current generation; the leader also
 * gets every member with its metadata for the selected protocol, unless
 * as_follower. */
static void join_fill_ok(group *g, member *mb, eddy_group_msg *m, const char *leader_id,
                         bool as_follower)
{
    eddy_kafka_JoinGroupResponse *r = &m->resp.JoinGroup;
    r->ErrorCode = 0;
    r->GenerationId = g->generation;
    r->ProtocolType = astr(m, g->protocol_type);
    r->ProtocolName = astr(m, g->protocol_name);
    if (r->ProtocolName.len < 0 && m->version < 7) {
        r->ProtocolName = (eddy_kstr){"", 0};
    }
    r->Leader = astr(m, leader_id ? leader_id : g->leader ? g->leader->id : "");
    r->MemberId = astr(m, mb->id);
    r->Members.count = 0;
    if (mb != g->leader || as_follower) {
        return;
    }
    r->Members.items =
        eddy_arena_calloc(&m->arena, (size_t)g->nmembers + 1, sizeof *r->Members.items);
    if (!r->Members.items) {
        join_fill_error(m, EDDY_ERR_COORDINATOR_NOT_AVAILABLE, mb->id);
        return;
    }
    for (int i = 0; i < g->nmembers; i++) {
        member *o = g->members[i];
        eddy_kafka_JoinGroupResponse_JoinGroupResponseMember *it = &r->Members.items[i];
        eddy_kafka_JoinGroupResponse_JoinGroupResponseMember_init(it);
        it->MemberId = astr(m, o->id);
        it->GroupInstanceId = astr(m, o->instance_id);
        const member_proto *p = member_proto_find(o, g->protocol_name);
        it->Metadata = p ? abytes(m, p->meta, p->meta_len) : (eddy_kbytes){(const uint8_t *)"", 0};
    }
    r->Members.count = g->nmembers;
}

static void sync_fill(group *g, member *mb, eddy_group_msg *m, int16_t err)
{
    eddy_kafka_SyncGroupResponse *r = &m->resp.SyncGroup;
    r->ErrorCode = err;
    r->Assignment = err || !mb ? (eddy_kbytes){(const uint8_t *)"", 0}
                               : abytes(m, mb->assignment, mb->assignment_len);
    if (!err && g) {
        r->ProtocolType = astr(m, g->protocol_type);
        r->ProtocolName = astr(m, g->protocol_name);
    }
}

static void sync_error(eddy_coord *c, eddy_group_msg *m, int16_t err)
{
    sync_fill(NULL, NULL, m, err);
    coord_reply(c, m);
}

/* Answers the member's held JoinGroup and SyncGroup with err. */
static void member_fail_held(eddy_coord *c, member *mb, int16_t err)
{
    if (mb->join_msg) {
        eddy_group_msg *m = mb->join_msg;
        mb->join_msg = NULL;
        join_error(c, m, err, mb->id);
    }
    if (mb->sync_msg) {
        eddy_group_msg *m = mb->sync_msg;
        mb->sync_msg = NULL;
        sync_error(c, m, err);
    }
}

/* ---- groups ---- */

group *coord_group_get(eddy_coord *c, const char *id, size_t len)
{
    return eddy_map_get(&c->groups, id, len);
}

group *coord_group_create(eddy_coord *c, const char *id, size_t len)
{
    group *g = calloc(1, sizeof *g);
    if (!g) {
        return NULL;
    }
    g->id = dupn(id, len);
    if (!g->id) {
        free(g);
        return NULL;
    }
    g->coord = c;
    g->idlen = len;
    g->incarnation = c->next_incarnation++;
    g->state = GROUP_EMPTY;
    g->empty_since_ms = coord_now_wall();
    eddy_map_init(&g->offsets);
    if (eddy_map_put(&c->groups, g->id, len, g, NULL)) {
        eddy_map_deinit(&g->offsets);
        free(g->id);
        free(g);
        return NULL;
    }
    return g;
}

static void pending_free(eddy_coord *c, pending_member *pm)
{
    if (pm->timer) {
        eddy_loop_timer_cancel(c->loop, pm->timer);
    }
    free(pm->id);
    free(pm);
}

/* Frees a group that is no longer in the map. Held messages get
 * UNKNOWN_MEMBER_ID, or are dropped when the coordinator shuts down. */
static void group_free(eddy_coord *c, group *g, bool dropping)
{
    if (g->join_timer) {
        eddy_loop_timer_cancel(c->loop, g->join_timer);
    }
    if (g->sync_timer) {
        eddy_loop_timer_cancel(c->loop, g->sync_timer);
    }
    for (int i = 0; i < g->nmembers; i++) {
        member *mb = g->members[i];
        if (dropping) {
            if (mb->join_msg) {
                c->cfg.drop(c->cfg.reply_ctx, mb->join_msg);
            }
            if (mb->sync_msg) {
                c->cfg.drop(c->cfg.reply_ctx, mb->sync_msg);
            }
            mb->join_msg = mb->sync_msg = NULL;
        } else {
            member_fail_held(c, mb, EDDY_ERR_UNKNOWN_MEMBER_ID);
        }
        member_free(c, mb);
    }
    free(g->members);
    for (int i = 0; i < g->npending; i++) {
        pending_free(c, g->pending[i]);
    }
    free(g->pending);
    offsets_group_clear(g);
    eddy_map_deinit(&g->offsets);
    free(g->protocol_type);
    free(g->protocol_name);
    free(g->id);
    free(g);
}

void coord_group_remove(eddy_coord *c, group *g)
{
    eddy_map_del(&c->groups, g->id, g->idlen);
    group_free(c, g, false);
}

/* Forgets a group that holds nothing: no members, offsets or appends, and
 * not declared in the config. */
static void group_maybe_drop(eddy_coord *c, group *g)
{
    if (g->state == GROUP_EMPTY && g->nmembers == 0 && g->npending == 0 && g->offsets.count == 0 &&
        g->pending_appends == 0 && !g->declared) {
        coord_group_remove(c, g);
    }
}

static int32_t group_rebalance_timeout(const group *g)
{
    int32_t t = 0;
    for (int i = 0; i < g->nmembers; i++) {
        if (g->members[i]->rebalance_timeout_ms > t) {
            t = g->members[i]->rebalance_timeout_ms;
        }
    }
    return t;
}

static bool member_supports(const member *mb, const char *name)
{
    return member_proto_find(mb, name) != NULL;
}

/* Kafka's supportsProtocols: an empty group takes any non-empty protocol
 * list; otherwise the type must match and one of the protocols must be
 * supported by every member. */
static bool group_supports(const group *g, const eddy_kafka_JoinGroupRequest *rq)
{
    if (rq->ProtocolType.len <= 0 || rq->Protocols.count <= 0) {
        return false;
    }
    if (g->nmembers == 0) {
        return true;
    }
    if (!keq(rq->ProtocolType, g->protocol_type)) {
        return false;
    }
    for (int32_t i = 0; i < rq->Protocols.count; i++) {
        eddy_kstr name = rq->Protocols.items[i].Name;
        bool all = true;
        for (int j = 0; all && j < g->nmembers; j++) {
            bool found = false;
            for (int k = 0; k < g->members[j]->nprotos && !found; k++) {
                found = keq(name, g->members[j]->protos[k].name);
            }
            all = found;
        }
        if (all) {
            return true;
        }
    }
    return false;
}

/* Kafka's selectProtocol: among the protocols every member supports, each
 * member votes for its first; most votes wins (ties: the leader's order).
 * Returns a heap string or NULL. */
static char *group_select_protocol(const group *g)
{
    const member *first = g->leader ? g->leader : g->nmembers ? g->members[0] : NULL;
    if (!first) {
        return NULL;
    }
    const char *best = NULL;
    int best_votes = -1;
    for (int i = 0; i < first->nprotos; i++) {
        const char *cand = first->protos[i].name;
        bool all = true;
        for (int j = 0; all && j < g->nmembers; j++) {
            all = member_supports(g->members[j], cand);
        }
        if (!all) {
            continue;
        }
        int votes = 0;
        for (int j = 0; j < g->nmembers; j++) {
            const member *mb = g->members[j];
            for (int k = 0; k < mb->nprotos; k++) {
                /* The member's first protocol that every member supports. */
                bool cand_all = true;
                for (int x = 0; cand_all && x < g->nmembers; x++) {
                    cand_all = member_supports(g->members[x], mb->protos[k].name);
                }
                if (cand_all) {
                    votes += strcmp(mb->protos[k].name, cand) == 0;
                    break;
                }
            }
        }
        if (votes > best_votes) {
            best = cand;
            best_votes = votes;
        }
    }
    return best ? strdup(best) : NULL;
}

/* ---- the rebalance ---- */

static void join_timer_fired(eddy_loop *loop, void *arg);
static void sync_timer_fired(eddy_loop *loop, void *arg);
static void complete_join(eddy_coord *c, group *g);

static void cancel_join_timer(eddy_coord *c, group *g)
{
    if (g->join_timer) {
        eddy_loop_timer_cancel(c->loop, g->join_timer);
        g->join_timer = 0;
    }
}

static void cancel_sync_timer(eddy_coord *c, group *g)
{
    if (g->sync_timer) {
        eddy_loop_timer_cancel(c->loop, g->sync_timer);
        g->sync_timer = 0;
    }
}

/* Members waiting in SyncGroup get err; assignments are forgotten. */
static void reset_assignments(eddy_coord *c, group *g, int16_t err)
{
    for (int i = 0; i < g->nmembers; i++) {
        member *mb = g->members[i];
        free(mb->assignment);
        mb->assignment = NULL;
        mb->assignment_len = 0;
        if (mb->sync_msg) {
            eddy_group_msg *m = mb->sync_msg;
            mb->sync_msg = NULL;
            sync_error(c, m, err);
        }
    }
}

static void prepare_rebalance(eddy_coord *c, group *g, const char *reason)
{
    if (g->state == GROUP_COMPLETING) {
        reset_assignments(c, g, EDDY_ERR_REBALANCE_IN_PROGRESS);
    }
    cancel_sync_timer(c, g);
    cancel_join_timer(c, g);
    int64_t now = now_mono(c);
    int32_t timeout = group_rebalance_timeout(g);
    if (g->state == GROUP_EMPTY) {
        /* Kafka's group.initial.rebalance.delay.ms: let more members of a
         * starting group arrive before the first generation. */
        int64_t delay = c->cfg.initial_rebalance_delay_ms;
        g->initial_delay = true;
        g->new_member_added = false;
        g->initial_remaining_ms = timeout > delay ? timeout - delay : 0;
        g->join_timer = eddy_loop_timer_at(c->loop, now + delay, join_timer_fired, g);
    } else {
        g->initial_delay = false;
        g->join_timer = eddy_loop_timer_at(c->loop, now + timeout, join_timer_fired, g);
    }
    eddy_log_info("group.rebalance", "group=%s generation=%d members=%d reason=\"%s\"", g->id,
                  g->generation, g->nmembers, reason);
    g->state = GROUP_PREPARING;
}

static void maybe_prepare_rebalance(eddy_coord *c, group *g, const char *reason)
{
    if (g->state == GROUP_STABLE || g->state == GROUP_COMPLETING || g->state == GROUP_EMPTY) {
        prepare_rebalance(c, g, reason);
    }
}

static bool all_members_joined(const group *g)
{
    if (g->npending) {
        return false;
    }
    for (int i = 0; i < g->nmembers; i++) {
        if (!g->members[i]->join_msg) {
            return false;
        }
    }
    return true;
}

/* Completes the join phase when every member has rejoined. May free g
 * (a group that ends Empty with nothing in it). */
static void try_complete_join(eddy_coord *c, group *g)
{
    if (g->state == GROUP_PREPARING && !g->initial_delay && all_members_joined(g)) {
        complete_join(c, g);
    }
}

static void join_timer_fired(eddy_loop *loop, void *arg)
{
    group *g = arg;
    eddy_coord *c = g->coord;
    g->join_timer = 0;
    if (g->initial_delay) {
        if (g->new_member_added && g->initial_remaining_ms > 0) {
            /* New members keep arriving: wait another delay, within the
             * rebalance timeout. */
            int64_t delay = c->cfg.initial_rebalance_delay_ms < g->initial_remaining_ms
                                ? c->cfg.initial_rebalance_delay_ms
                                : g->initial_remaining_ms;
            g->new_member_added = false;
            g->initial_remaining_ms -= delay;
            g->join_timer = eddy_loop_timer_at(loop, now_mono(c) + delay, join_timer_fired, g);
            return;
        }
        g->initial_delay = false;
    }
    complete_join(c, g);
}

/* The end of PreparingRebalance (all rejoined, or the timer): members that
 * did not rejoin go (static ones stay until their session ends), a new
 * generation starts, and every waiting JoinGroup is answered. */
static void complete_join(eddy_coord *c, group *g)
{
    if (g->state != GROUP_PREPARING) {
        return;
    }
    cancel_join_timer(c, g);
    g->initial_delay = false;
    for (int i = g->nmembers - 1; i >= 0; i--) {
        member *mb = g->members[i];
        if (!mb->join_msg && !mb->instance_id) {
            eddy_log_info("group.member_removed", "group=%s member=%s reason=\"did not rejoin\"",
                          g->id, mb->id);
            member_fail_held(c, mb, EDDY_ERR_UNKNOWN_MEMBER_ID);
            group_remove_member(g, mb);
        }
    }
    bool any_joined = false;
    for (int i = 0; i < g->nmembers && !any_joined; i++) {
        any_joined = g->members[i]->join_msg != NULL;
    }
    if (g->nmembers > 0 && !any_joined) {
        /* Only static members that have not rejoined: wait for them (their
         * sessions end them otherwise). */
        g->join_timer = eddy_loop_timer_at(c->loop, now_mono(c) + group_rebalance_timeout(g),
                                           join_timer_fired, g);
        return;
    }
    if (g->leader && !g->leader->join_msg) {
        for (int i = 0; i < g->nmembers; i++) {
            if (g->members[i]->join_msg) {
                g->leader = g->members[i];
                break;
            }
        }
    }
    g->generation++;
    free(g->protocol_name);
    g->protocol_name = NULL;
    if (g->nmembers == 0) {
        g->state = GROUP_EMPTY;
        g->leader = NULL;
        g->empty_since_ms = coord_now_wall();
        eddy_log_info("group.empty", "group=%s generation=%d", g->id, g->generation);
        group_maybe_drop(c, g);
        return;
    }
    g->protocol_name = group_select_protocol(g);
    g->state = GROUP_COMPLETING;
    eddy_log_info("group.generation", "group=%s generation=%d protocol=%s members=%d leader=%s",
                  g->id, g->generation, g->protocol_name ? g->protocol_name : "", g->nmembers,
                  g->leader ? g->leader->id : "");
    for (int i = 0; i < g->nmembers; i++) {
        member *mb = g->members[i];
        mb->pending_sync = true;
        if (mb->join_msg) {
            eddy_group_msg *m = mb->join_msg;
            mb->join_msg = NULL;
            join_fill_ok(g, mb, m, NULL, false);
            coord_reply(c, m);
            member_touch(mb);
        }
    }
    g->sync_timer =
        eddy_loop_timer_at(c->loop, now_mono(c) + group_rebalance_timeout(g), sync_timer_fired, g);
}

/* Removes a member (left, expired, fenced) and moves the group on. May
 * free g. */
static void remove_member_and_update(eddy_coord *c, group *g, member *mb, const char *reason)
{
    eddy_log_info("group.member_removed", "group=%s member=%s reason=\"%s\"", g->id, mb->id,
                  reason);
    member_fail_held(c, mb, EDDY_ERR_UNKNOWN_MEMBER_ID);
    group_remove_member(g, mb);
    switch (g->state) {
    case GROUP_STABLE:
    case GROUP_COMPLETING:
        maybe_prepare_rebalance(c, g, reason);
        try_complete_join(c, g);
        break;
    case GROUP_PREPARING:
        try_complete_join(c, g);
        break;
    default:
        break;
    }
}

static void sync_timer_fired(eddy_loop *loop, void *arg)
{
    group *g = arg;
    eddy_coord *c = g->coord;
    g->sync_timer = 0;
    if (g->state != GROUP_COMPLETING && g->state != GROUP_STABLE) {
        return;
    }
    /* Kafka's DelayedSync: members that never sent SyncGroup for this
     * generation are removed, which starts a new rebalance. */
    int removed = 0;
    for (int i = g->nmembers - 1; i >= 0; i--) {
        member *mb = g->members[i];
        if (mb->pending_sync) {
            eddy_log_info("group.member_removed", "group=%s member=%s reason=\"no SyncGroup\"",
                          g->id, mb->id);
            member_fail_held(c, mb, EDDY_ERR_UNKNOWN_MEMBER_ID);
            group_remove_member(g, mb);
            removed++;
        }
    }
    if (removed) {
        maybe_prepare_rebalance(c, g, "members did not sync");
        try_complete_join(c, g);
    }
}

static void member_session_fired(eddy_loop *loop, void *arg)
{
    member *mb = arg;
    group *g = mb->group;
    eddy_coord *c = g->coord;
    mb->session_timer = 0;
    int64_t now = now_mono(c);
    if (mb->join_msg || mb->sync_msg) {
        /* Waiting in JoinGroup or SyncGroup counts as alive. */
        mb->session_deadline = now + mb->session_timeout_ms;
    }
    if (now < mb->session_deadline) {
        mb->session_timer =
            eddy_loop_timer_at(loop, mb->session_deadline, member_session_fired, mb);
        return;
    }
    remove_member_and_update(c, g, mb, "session timeout");
}

static void pending_timer_fired(eddy_loop *loop, void *arg)
{
    pending_member *pm = arg;
    group *g = pm->group;
    eddy_coord *c = g->coord;
    pm->timer = 0;
    for (int i = 0; i < g->npending; i++) {
        if (g->pending[i] == pm) {
            g->pending[i] = g->pending[--g->npending];
            break;
        }
    }
    pending_free(c, pm);
    if (g->state == GROUP_PREPARING) {
        try_complete_join(c, g);
    } else {
        group_maybe_drop(c, g);
    }
}

static pending_member *pending_find(group *g, eddy_kstr id)
{
    for (int i = 0; i < g->npending; i++) {
        if (keq(id, g->pending[i]->id)) {
            return g->pending[i];
        }
    }
    return NULL;
}

/* Removes pm from g's pending list and returns its id (owned). */
static char *pending_take(eddy_coord *c, group *g, pending_member *pm)
{
    for (int i = 0; i < g->npending; i++) {
        if (g->pending[i] == pm) {
            g->pending[i] = g->pending[--g->npending];
            break;
        }
    }
    char *id = pm->id;
    pm->id = NULL;
    pending_free(c, pm);
    return id;
}

static int pending_add(eddy_coord *c, group *g, char *id, int32_t session_timeout_ms)
{
    if (g->npending == g->cappending) {
        int cap = g->cappending ? g->cappending * 2 : 4;
        pending_member **np = realloc(g->pending, (size_t)cap * sizeof *np);
        if (!np) {
            return EDDY_ERR_NOMEM;
        }
        g->pending = np;
        g->cappending = cap;
    }
    pending_member *pm = calloc(1, sizeof *pm);
    if (!pm) {
        return EDDY_ERR_NOMEM;
    }
    pm->group = g;
    pm->id = id;
    pm->timer =
        eddy_loop_timer_at(c->loop, now_mono(c) + session_timeout_ms, pending_timer_fired, pm);
    g->pending[g->npending++] = pm;
    return 0;
}

/* ---- JoinGroup ---- */

/* Adds a member (taking ownership of id) that waits in m for the
 * rebalance it starts. */
static void add_member_and_rebalance(eddy_coord *c, group *g, eddy_group_msg *m, char *id)
{
    const eddy_kafka_JoinGroupRequest *rq = &m->req.JoinGroup;
    member *mb = calloc(1, sizeof *mb);
    if (!mb) {
        free(id);
        join_error(c, m, EDDY_ERR_COORDINATOR_NOT_AVAILABLE, NULL);
        return;
    }
    mb->group = g;
    mb->id = id;
    mb->instance_id = kdup(rq->GroupInstanceId);
    if (!member_update(mb, m) || (rq->GroupInstanceId.len >= 0 && !mb->instance_id) ||
        group_add_member(g, mb)) {
        join_error(c, m, EDDY_ERR_COORDINATOR_NOT_AVAILABLE, id);
        member_free(c, mb);
        return;
    }
    mb->join_msg = m;
    if (g->state == GROUP_PREPARING && g->initial_delay) {
        g->new_member_added = true;
    }
    member_touch(mb);
    eddy_log_info("group.member_joined", "group=%s member=%s client=%s", g->id, mb->id,
                  mb->client_id);
    maybe_prepare_rebalance(c, g, "new member joined");
}

/* A known member's new JoinGroup replaces its protocols and waits for the
 * rebalance. */
static void update_member_and_rebalance(eddy_coord *c, group *g, member *mb, eddy_group_msg *m,
                                        const char *reason)
{
    if (!member_update(mb, m)) {
        join_error(c, m, EDDY_ERR_COORDINATOR_NOT_AVAILABLE, mb->id);
        return;
    }
    if (mb->join_msg) {
        /* A second JoinGroup from the same member (a retry on another
         * connection): the first one is over. */
        eddy_group_msg *old = mb->join_msg;
        mb->join_msg = NULL;
        join_error(c, old, EDDY_ERR_REBALANCE_IN_PROGRESS, mb->id);
    }
    mb->join_msg = m;
    member_touch(mb);
    maybe_prepare_rebalance(c, g, reason);
}

/* A static member (group.instance.id) joining without a member id. */
static void static_join(eddy_coord *c, group *g, eddy_group_msg *m, char *new_id)
{
    const eddy_kafka_JoinGroupRequest *rq = &m->req.JoinGroup;
    member *mb = group_static_find(g, rq->GroupInstanceId);
    if (!mb) {
        add_member_and_rebalance(c, g, m, new_id);
        return;
    }
    /* The instance comes back under a new member id: the old id is fenced
     * (its held requests get FENCED_INSTANCE_ID) and the member keeps its
     * place and assignment. */
    char *leader_before =
        g->leader ? eddy_arena_strndup(&m->arena, g->leader->id, strlen(g->leader->id)) : NULL;
    eddy_log_info("group.static_member_replaced", "group=%s instance=%s old=%s new=%s", g->id,
                  mb->instance_id, mb->id, new_id);
    member_fail_held(c, mb, EDDY_ERR_FENCED_INSTANCE_ID);
    free(mb->id);
    mb->id = new_id;
    if (!member_update(mb, m)) {
        join_error(c, m, EDDY_ERR_COORDINATOR_NOT_AVAILABLE, mb->id);
        return;
    }
    member_touch(mb);
    switch (g->state) {
    case GROUP_STABLE: {
        char *sel = group_select_protocol(g);
        bool same = sel && g->protocol_name && strcmp(sel, g->protocol_name) == 0;
        free(sel);
        if (same) {
            /* Nothing changes for the group: answer with the current
             * generation. The old leader id is returned, so that a
             * replaced leader does not compute an assignment a Stable
             * group would not hand out. */
            join_fill_ok(g, mb, m, leader_before, true);
            coord_reply(c, m);
            return;
        }
        mb->join_msg = m;
        prepare_rebalance(c, g, "static member rejoined with other protocols");
        return;
    }
    case GROUP_COMPLETING:
        mb->join_msg = m;
        prepare_rebalance(c, g, "static member rejoined");
        return;
    default:
        mb->join_msg = m;
        return;
    }
}

static void new_member_join(eddy_coord *c, group *g, eddy_group_msg *m)
{
    const eddy_kafka_JoinGroupRequest *rq = &m->req.JoinGroup;
    if (!group_supports(g, rq)) {
        join_error(c, m, EDDY_ERR_INCONSISTENT_GROUP_PROTOCOL, NULL);
        group_maybe_drop(c, g);
        return;
    }
    char prefix[256];
    if (rq->GroupInstanceId.len >= 0) {
        snprintf(prefix, sizeof prefix, "%.*s", rq->GroupInstanceId.len, rq->GroupInstanceId.p);
    } else {
        snprintf(prefix, sizeof prefix, "%s", m->client_id);
    }
    char *id = make_member_id(c, prefix);
    if (!id) {
        join_error(c, m, EDDY_ERR_COORDINATOR_NOT_AVAILABLE, NULL);
        group_maybe_drop(c, g);
        return;
    }
    if (rq->GroupInstanceId.len >= 0) {
        static_join(c, g, m, id);
    } else if (m->version >= 4) {
        /* KIP-394: the member must come back with this id. */
        if (pending_add(c, g, id, rq->SessionTimeoutMs)) {
            free(id);
            join_error(c, m, EDDY_ERR_COORDINATOR_NOT_AVAILABLE, NULL);
            return;
        }
        join_error(c, m, EDDY_ERR_MEMBER_ID_REQUIRED, id);
    } else {
        add_member_and_rebalance(c, g, m, id);
    }
}

static void current_member_join(eddy_coord *c, group *g, eddy_group_msg *m)
{
    const eddy_kafka_JoinGroupRequest *rq = &m->req.JoinGroup;
    pending_member *pm = pending_find(g, rq->MemberId);
    if (pm) {
        if (rq->GroupInstanceId.len >= 0) {
            join_error(c, m, EDDY_ERR_UNKNOWN_MEMBER_ID, NULL);
        } else if (!group_supports(g, rq)) {
            join_error(c, m, EDDY_ERR_INCONSISTENT_GROUP_PROTOCOL, NULL);
        } else {
            add_member_and_rebalance(c, g, m, pending_take(c, g, pm));
        }
        return;
    }
    if (!group_supports(g, rq)) {
        join_error(c, m, EDDY_ERR_INCONSISTENT_GROUP_PROTOCOL, NULL);
        return;
    }
    if (static_fenced(g, rq->MemberId, rq->GroupInstanceId)) {
        join_error(c, m, EDDY_ERR_FENCED_INSTANCE_ID, NULL);
        return;
    }
    member *mb = group_member_find(g, rq->MemberId);
    if (!mb) {
        join_error(c, m, EDDY_ERR_UNKNOWN_MEMBER_ID, NULL);
        return;
    }
    switch (g->state) {
    case GROUP_PREPARING:
        update_member_and_rebalance(c, g, mb, m, "member rejoined");
        return;
    case GROUP_COMPLETING:
        if (member_matches(mb, rq)) {
            /* The member lost our answer: send it again. */
            member_touch(mb);
            join_fill_ok(g, mb, m, NULL, false);
            coord_reply(c, m);
            return;
        }
        update_member_and_rebalance(c, g, mb, m, "member changed its protocols");
        return;
    case GROUP_STABLE:
        if (mb == g->leader || !member_matches(mb, rq)) {
            update_member_and_rebalance(
                c, g, mb, m, mb == g->leader ? "leader rejoined" : "member changed its protocols");
            return;
        }
        member_touch(mb);
        join_fill_ok(g, mb, m, NULL, false);
        coord_reply(c, m);
        return;
    default:
        join_error(c, m, EDDY_ERR_UNKNOWN_MEMBER_ID, NULL);
        return;
    }
}

static bool group_id_ok(eddy_kstr id)
{
    return id.len > 0 && id.len <= GROUP_MAX_ID_LEN;
}

static void handle_join(eddy_coord *c, eddy_group_msg *m)
{
    const eddy_kafka_JoinGroupRequest *rq = &m->req.JoinGroup;
    if (!group_id_ok(rq->GroupId)) {
        join_error(c, m, EDDY_ERR_INVALID_GROUP_ID, NULL);
        return;
    }
    if (rq->SessionTimeoutMs < c->cfg.min_session_timeout_ms ||
        rq->SessionTimeoutMs > c->cfg.max_session_timeout_ms) {
        join_error(c, m, EDDY_ERR_INVALID_SESSION_TIMEOUT, NULL);
        return;
    }
    if (rq->MemberId.len > GROUP_MAX_ID_LEN || rq->GroupInstanceId.len > GROUP_MAX_ID_LEN ||
        rq->GroupInstanceId.len == 0) {
        join_error(c, m, EDDY_ERR_INVALID_REQUEST, NULL);
        return;
    }
    bool unknown = rq->MemberId.len <= 0;
    group *g = coord_group_get(c, rq->GroupId.p, (size_t)rq->GroupId.len);
    if (!g) {
        if (!unknown) {
            join_error(c, m, EDDY_ERR_UNKNOWN_MEMBER_ID, NULL);
            return;
        }
        g = coord_group_create(c, rq->GroupId.p, (size_t)rq->GroupId.len);
        if (!g) {
            join_error(c, m, EDDY_ERR_COORDINATOR_NOT_AVAILABLE, NULL);
            return;
        }
    }
    /* m may be answered (and gone) below, and g freed: keep the id. */
    uint64_t inc = g->incarnation;
    char *gid = dupn(g->id, g->idlen);
    size_t glen = g->idlen;
    if (unknown) {
        new_member_join(c, g, m);
    } else {
        current_member_join(c, g, m);
    }
    /* The join may have been the last one missing. */
    g = gid ? coord_group_get(c, gid, glen) : NULL;
    if (g && g->incarnation == inc) {
        try_complete_join(c, g);
    }
    free(gid);
}

/* ---- SyncGroup ---- */

/* Stores the leader's assignments (members it left out get empty bytes),
 * answers every member waiting in SyncGroup, and makes the group Stable. */
static void apply_assignments(eddy_coord *c, group *g, const eddy_group_msg *leader_msg)
{
    const eddy_kafka_SyncGroupRequest *rq = &leader_msg->req.SyncGroup;
    for (int i = 0; i < g->nmembers; i++) {
        member *mb = g->members[i];
        free(mb->assignment);
        mb->assignment = NULL;
        mb->assignment_len = 0;
        for (int32_t k = 0; k < rq->Assignments.count; k++) {
            const eddy_kafka_SyncGroupRequest_SyncGroupRequestAssignment *a =
                &rq->Assignments.items[k];
            if (keq(a->MemberId, mb->id) && a->Assignment.len > 0) {
                mb->assignment = malloc((size_t)a->Assignment.len);
                if (mb->assignment) {
                    memcpy(mb->assignment, a->Assignment.p, (size_t)a->Assignment.len);
                    mb->assignment_len = a->Assignment.len;
                }
                break;
            }
        }
    }
    g->state = GROUP_STABLE;
    eddy_log_info("group.stable", "group=%s generation=%d members=%d", g->id, g->generation,
                  g->nmembers);
    for (int i = 0; i < g->nmembers; i++) {
        member *mb = g->members[i];
        if (mb->sync_msg) {
            eddy_group_msg *m = mb->sync_msg;
            mb->sync_msg = NULL;
            sync_fill(g, mb, m, 0);
            coord_reply(c, m);
        }
    }
}

static void handle_sync(eddy_coord *c, eddy_group_msg *m)
{
    const eddy_kafka_SyncGroupRequest *rq = &m->req.SyncGroup;
    if (!group_id_ok(rq->GroupId)) {
        sync_error(c, m, EDDY_ERR_INVALID_GROUP_ID);
        return;
    }
    group *g = coord_group_get(c, rq->GroupId.p, (size_t)rq->GroupId.len);
    if (!g) {
        sync_error(c, m, EDDY_ERR_UNKNOWN_MEMBER_ID);
        return;
    }
    if (static_fenced(g, rq->MemberId, rq->GroupInstanceId)) {
        sync_error(c, m, EDDY_ERR_FENCED_INSTANCE_ID);
        return;
    }
    member *mb = group_member_find(g, rq->MemberId);
    if (!mb) {
        sync_error(c, m, EDDY_ERR_UNKNOWN_MEMBER_ID);
        return;
    }
    if (rq->GenerationId != g->generation) {
        sync_error(c, m, EDDY_ERR_ILLEGAL_GENERATION);
        return;
    }
    if ((rq->ProtocolType.len >= 0 && !keq(rq->ProtocolType, g->protocol_type)) ||
        (rq->ProtocolName.len >= 0 && !keq(rq->ProtocolName, g->protocol_name))) {
        sync_error(c, m, EDDY_ERR_INCONSISTENT_GROUP_PROTOCOL);
        return;
    }
    switch (g->state) {
    case GROUP_EMPTY:
        sync_error(c, m, EDDY_ERR_UNKNOWN_MEMBER_ID);
        return;
    case GROUP_PREPARING:
        sync_error(c, m, EDDY_ERR_REBALANCE_IN_PROGRESS);
        return;
    case GROUP_COMPLETING:
        if (mb->sync_msg) {
            eddy_group_msg *old = mb->sync_msg;
            mb->sync_msg = NULL;
            sync_error(c, old, EDDY_ERR_REBALANCE_IN_PROGRESS);
        }
        mb->sync_msg = m;
        mb->pending_sync = false;
        member_touch(mb);
        if (mb == g->leader) {
            apply_assignments(c, g, m);
        }
        return;
    case GROUP_STABLE:
        mb->pending_sync = false;
        member_touch(mb);
        sync_fill(g, mb, m, 0);
        coord_reply(c, m);
        return;
    default:
        sync_error(c, m, EDDY_ERR_COORDINATOR_NOT_AVAILABLE);
        return;
    }
}

/* ---- Heartbeat ---- */

static void handle_heartbeat(eddy_coord *c, eddy_group_msg *m)
{
    const eddy_kafka_HeartbeatRequest *rq = &m->req.Heartbeat;
    int16_t err = 0;
    group *g = group_id_ok(rq->GroupId) ? coord_group_get(c, rq->GroupId.p, (size_t)rq->GroupId.len)
                                        : NULL;
    member *mb = g ? group_member_find(g, rq->MemberId) : NULL;
    if (!group_id_ok(rq->GroupId)) {
        err = EDDY_ERR_INVALID_GROUP_ID;
    } else if (!g) {
        err = EDDY_ERR_UNKNOWN_MEMBER_ID;
    } else if (static_fenced(g, rq->MemberId, rq->GroupInstanceId)) {
        err = EDDY_ERR_FENCED_INSTANCE_ID;
    } else if (!mb) {
        err = EDDY_ERR_UNKNOWN_MEMBER_ID;
    } else if (rq->GenerationId != g->generation) {
        err = EDDY_ERR_ILLEGAL_GENERATION;
    } else if (g->state == GROUP_EMPTY) {
        err = EDDY_ERR_UNKNOWN_MEMBER_ID;
    } else {
        member_touch(mb);
        /* PreparingRebalance: this is how members learn to rejoin. */
        err = g->state == GROUP_PREPARING ? EDDY_ERR_REBALANCE_IN_PROGRESS : 0;
    }
    m->resp.Heartbeat.ErrorCode = err;
    coord_reply(c, m);
}

/* ---- LeaveGroup ---- */

static int16_t leave_one(eddy_coord *c, group *g, eddy_kstr member_id, eddy_kstr instance_id)
{
    if (member_id.len <= 0 && instance_id.len >= 0) {
        member *mb = group_static_find(g, instance_id);
        if (!mb) {
            return EDDY_ERR_UNKNOWN_MEMBER_ID;
        }
        remove_member_and_update(c, g, mb, "static member left");
        return 0;
    }
    pending_member *pm = pending_find(g, member_id);
    if (pm) {
        free(pending_take(c, g, pm));
        try_complete_join(c, g);
        return 0;
    }
    if (static_fenced(g, member_id, instance_id)) {
        return EDDY_ERR_FENCED_INSTANCE_ID;
    }
    member *mb = group_member_find(g, member_id);
    if (!mb) {
        return EDDY_ERR_UNKNOWN_MEMBER_ID;
    }
    remove_member_and_update(c, g, mb, "member left");
    return 0;
}

static void handle_leave(eddy_coord *c, eddy_group_msg *m)
{
    const eddy_kafka_LeaveGroupRequest *rq = &m->req.LeaveGroup;
    eddy_kafka_LeaveGroupResponse *r = &m->resp.LeaveGroup;
    int32_t n = m->version >= 3 ? (rq->Members.count > 0 ? rq->Members.count : 0) : 1;
    eddy_kafka_LeaveGroupResponse_MemberResponse *out =
        eddy_arena_calloc(&m->arena, (size_t)n + 1, sizeof *out);
    if (!out) {
        r->ErrorCode = EDDY_ERR_COORDINATOR_NOT_AVAILABLE;
        coord_reply(c, m);
        return;
    }
    if (!group_id_ok(rq->GroupId)) {
        r->ErrorCode = EDDY_ERR_INVALID_GROUP_ID;
        coord_reply(c, m);
        return;
    }
    int16_t first_err = 0;
    for (int32_t i = 0; i < n; i++) {
        eddy_kstr mid = m->version >= 3 ? rq->Members.items[i].MemberId : rq->MemberId;
        eddy_kstr iid = m->version >= 3 ? rq->Members.items[i].GroupInstanceId : EDDY_KSTR_NULL;
        eddy_kafka_LeaveGroupResponse_MemberResponse_init(&out[i]);
        out[i].MemberId = mid.len >= 0 ? mid : (eddy_kstr){"", 0};
        out[i].GroupInstanceId = iid;
        /* Looked up per member: a departure may end an Empty group. */
        group *g = coord_group_get(c, rq->GroupId.p, (size_t)rq->GroupId.len);
        out[i].ErrorCode = g ? leave_one(c, g, mid, iid) : EDDY_ERR_UNKNOWN_MEMBER_ID;
        if (out[i].ErrorCode && !first_err) {
            first_err = out[i].ErrorCode;
        }
    }
    if (m->version >= 3) {
        r->Members.items = out;
        r->Members.count = n;
    } else {
        r->ErrorCode = first_err;
    }
    coord_reply(c, m);
}

/* ---- ListGroups, DescribeGroups, DeleteGroups ---- */

static bool state_listed(const eddy_karray_str *filter, group_state s)
{
    if (filter->count <= 0) {
        return true;
    }
    const char *name = group_state_name(s);
    for (int32_t i = 0; i < filter->count; i++) {
        eddy_kstr f = filter->items[i];
        if (f.len == (int32_t)strlen(name) && strncasecmp(f.p, name, (size_t)f.len) == 0) {
            return true;
        }
    }
    return false;
}

static bool type_listed(const eddy_karray_str *filter)
{
    if (filter->count <= 0) {
        return true;
    }
    for (int32_t i = 0; i < filter->count; i++) {
        eddy_kstr f = filter->items[i];
        if (f.len == 7 && strncasecmp(f.p, "classic", 7) == 0) {
            return true;
        }
    }
    return false;
}

static void handle_list(eddy_coord *c, eddy_group_msg *m)
{
    const eddy_kafka_ListGroupsRequest *rq = &m->req.ListGroups;
    eddy_kafka_ListGroupsResponse *r = &m->resp.ListGroups;
    r->Groups.items = eddy_arena_calloc(&m->arena, c->groups.count + 1, sizeof *r->Groups.items);
    if (!r->Groups.items) {
        r->ErrorCode = EDDY_ERR_COORDINATOR_NOT_AVAILABLE;
        coord_reply(c, m);
        return;
    }
    int32_t n = 0;
    size_t it = 0;
    void *v;
    bool types_ok = m->version < 5 || type_listed(&rq->TypesFilter);
    while (types_ok && eddy_map_next(&c->groups, &it, NULL, NULL, &v)) {
        group *g = v;
        if (m->version >= 4 && !state_listed(&rq->StatesFilter, g->state)) {
            continue;
        }
        eddy_kafka_ListGroupsResponse_ListedGroup *lg = &r->Groups.items[n++];
        eddy_kafka_ListGroupsResponse_ListedGroup_init(lg);
        lg->GroupId = astr(m, g->id);
        lg->ProtocolType = astr(m, g->protocol_type ? g->protocol_type : "");
        lg->GroupState = astr(m, group_state_name(g->state));
        lg->GroupType = astr(m, "classic");
    }
    r->Groups.count = n;
    coord_reply(c, m);
}

static void handle_describe(eddy_coord *c, eddy_group_msg *m)
{
    const eddy_kafka_DescribeGroupsRequest *rq = &m->req.DescribeGroups;
    eddy_kafka_DescribeGroupsResponse *r = &m->resp.DescribeGroups;
    int32_t n = rq->Groups.count > 0 ? rq->Groups.count : 0;
    r->Groups.items = eddy_arena_calloc(&m->arena, (size_t)n + 1, sizeof *r->Groups.items);
    if (!r->Groups.items) {
        n = 0;
    }
    for (int32_t i = 0; i < n; i++) {
        eddy_kstr id = rq->Groups.items[i];
        eddy_kafka_DescribeGroupsResponse_DescribedGroup *dg = &r->Groups.items[i];
        eddy_kafka_DescribeGroupsResponse_DescribedGroup_init(dg);
        dg->GroupId = id.len >= 0 ? id : (eddy_kstr){"", 0};
        dg->ProtocolType = (eddy_kstr){"", 0};
        dg->ProtocolData = (eddy_kstr){"", 0};
        group *g = id.len >= 0 ? coord_group_get(c, id.p, (size_t)id.len) : NULL;
        if (!g) {
            /* Kafka (v0-5) describes a missing group as Dead. */
            dg->GroupState = astr(m, "Dead");
            continue;
        }
        bool stable = g->state == GROUP_STABLE;
        dg->GroupState = astr(m, group_state_name(g->state));
        dg->ProtocolType = astr(m, g->protocol_type ? g->protocol_type : "");
        dg->ProtocolData = astr(m, stable && g->protocol_name ? g->protocol_name : "");
        dg->Members.items =
            eddy_arena_calloc(&m->arena, (size_t)g->nmembers + 1, sizeof *dg->Members.items);
        if (!dg->Members.items) {
            dg->ErrorCode = EDDY_ERR_COORDINATOR_NOT_AVAILABLE;
            continue;
        }
        for (int k = 0; k < g->nmembers; k++) {
            member *mb = g->members[k];
            eddy_kafka_DescribeGroupsResponse_DescribedGroupMember *dm = &dg->Members.items[k];
            eddy_kafka_DescribeGroupsResponse_DescribedGroupMember_init(dm);
            dm->MemberId = astr(m, mb->id);
            dm->GroupInstanceId = astr(m, mb->instance_id);
            dm->ClientId = astr(m, mb->client_id ? mb->client_id : "");
            dm->ClientHost = astr(m, mb->client_host ? mb->client_host : "");
            const member_proto *p = stable ? member_proto_find(mb, g->protocol_name) : NULL;
            dm->MemberMetadata =
                p ? abytes(m, p->meta, p->meta_len) : (eddy_kbytes){(const uint8_t *)"", 0};
            dm->MemberAssignment = stable ? abytes(m, mb->assignment, mb->assignment_len)
                                          : (eddy_kbytes){(const uint8_t *)"", 0};
        }
        dg->Members.count = g->nmembers;
    }
    r->Groups.count = n;
    coord_reply(c, m);
}

static void handle_delete(eddy_coord *c, eddy_group_msg *m)
{
    const eddy_kafka_DeleteGroupsRequest *rq = &m->req.DeleteGroups;
    eddy_kafka_DeleteGroupsResponse *r = &m->resp.DeleteGroups;
    int32_t n = rq->GroupsNames.count > 0 ? rq->GroupsNames.count : 0;
    r->Results.items = eddy_arena_calloc(&m->arena, (size_t)n + 1, sizeof *r->Results.items);
    group **del = calloc((size_t)n + 1, sizeof *del);
    if (!r->Results.items || !del) {
        free(del);
        r->Results.count = 0;
        coord_reply(c, m);
        return;
    }
    int ndel = 0;
    for (int32_t i = 0; i < n; i++) {
        eddy_kstr id = rq->GroupsNames.items[i];
        eddy_kafka_DeleteGroupsResponse_DeletableGroupResult *res = &r->Results.items[i];
        eddy_kafka_DeleteGroupsResponse_DeletableGroupResult_init(res);
        res->GroupId = id.len >= 0 ? id : (eddy_kstr){"", 0};
        group *g = id.len >= 0 ? coord_group_get(c, id.p, (size_t)id.len) : NULL;
        bool dup = false;
        for (int k = 0; g && k < ndel; k++) {
            dup = dup || del[k] == g;
        }
        if (!g || dup) {
            res->ErrorCode = EDDY_ERR_GROUP_ID_NOT_FOUND;
        } else if (g->state != GROUP_EMPTY || g->nmembers || g->npending) {
            res->ErrorCode = EDDY_ERR_NON_EMPTY_GROUP;
        } else {
            del[ndel++] = g;
        }
    }
    r->Results.count = n;
    if (ndel == 0) {
        free(del);
        coord_reply(c, m);
        return;
    }
    for (int k = 0; k < ndel; k++) {
        eddy_log_info("group.deleted", "group=%s", del[k]->id);
    }
    /* The tombstones are written first (the reply waits for them); the
     * groups go from memory at once, so later commits make new ones. */
    offsets_delete_groups(c, del, ndel, m);
    for (int k = 0; k < ndel; k++) {
        coord_group_remove(c, del[k]);
    }
    free(del);
}

/* ---- the coordinator thread ---- */

static void coord_dispatch(eddy_coord *c, eddy_group_msg *m)
{
    switch (m->api_key) {
    case EDDY_KAFKA_API_JoinGroup:
        handle_join(c, m);
        break;
    case EDDY_KAFKA_API_SyncGroup:
        handle_sync(c, m);
        break;
    case EDDY_KAFKA_API_Heartbeat:
        handle_heartbeat(c, m);
        break;
    case EDDY_KAFKA_API_LeaveGroup:
        handle_leave(c, m);
        break;
    case EDDY_KAFKA_API_OffsetCommit:
        offsets_handle_commit(c, m);
        break;
    case EDDY_KAFKA_API_OffsetFetch:
        offsets_handle_fetch(c, m);
        break;
    case EDDY_KAFKA_API_ListGroups:
        handle_list(c, m);
        break;
    case EDDY_KAFKA_API_DescribeGroups:
        handle_describe(c, m);
        break;
    case EDDY_KAFKA_API_DeleteGroups:
        handle_delete(c, m);
        break;
    default:
        coord_reply(c, m);
        break;
    }
}

static void coord_on_msg(eddy_loop *loop, void *arg)
{
    eddy_group_msg *m = arg;
    coord_dispatch(m->coord, m);
}

int eddy_coord_submit(eddy_coord *c, eddy_group_msg *m)
{
    m->coord = c;
    return eddy_loop_post(c->loop, coord_on_msg, m);
}

static void *coord_main(void *arg)
{
    eddy_coord *c = arg;
    int rc = eddy_loop_run(c->loop);
    if (rc) {
        eddy_log_error("group.coordinator_failed", "err=%s", eddy_err_name(rc));
    }
    return NULL;
}

void eddy_coord_config_defaults(eddy_coord_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->fsync = EDDY_FSYNC_ALWAYS;
    cfg->fsync_interval_ms = 1000;
    cfg->initial_rebalance_delay_ms = 300;
    cfg->offsets_retention_ms = 7LL * 24 * 3600 * 1000;
    cfg->min_session_timeout_ms = 6000;
    cfg->max_session_timeout_ms = 1800000;
}

int eddy_coord_new(const eddy_coord_config *cfg, eddy_coord **out, char *err, size_t errlen)
{
    *out = NULL;
    if (!cfg->reply || !cfg->drop || !cfg->store || !cfg->dir) {
        snprintf(err, errlen, "group coordinator: incomplete configuration");
        return EDDY_ERR_INVALID_ARG;
    }
    eddy_coord *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return EDDY_ERR_NOMEM;
    }
    c->cfg = *cfg;
    c->cfg.groups = NULL;
    c->cfg.ngroups = 0;
    c->next_incarnation = 1;
    if (getrandom(&c->rng, sizeof c->rng, 0) != (ssize_t)sizeof c->rng) {
        c->rng = (uint64_t)eddy_clock_wall_ns();
    }
    eddy_map_init(&c->groups);
    int rc = eddy_loop_new(&c->loop);
    if (rc) {
        snprintf(err, errlen, "cannot create the group coordinator's loop: %s", eddy_err_str(rc));
        eddy_map_deinit(&c->groups);
        free(c);
        return rc;
    }
    for (int i = 0; i < cfg->ngroups; i++) {
        const char *name = cfg->groups[i];
        size_t n = strlen(name);
        if (n == 0 || n > GROUP_MAX_ID_LEN) {
            continue;
        }
        group *g = coord_group_get(c, name, n);
        if (!g) {
            g = coord_group_create(c, name, n);
        }
        if (!g) {
            snprintf(err, errlen, "out of memory");
            eddy_coord_free(c);
            return EDDY_ERR_NOMEM;
        }
        g->declared = true;
    }
    rc = offsets_open(c, err, errlen);
    c->cfg.dir = NULL;
    if (rc) {
        eddy_coord_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

int eddy_coord_start(eddy_coord *c)
{
    offsets_expiry_start(c);
    if (pthread_create(&c->thread, NULL, coord_main, c) != 0) {
        return EDDY_ERR_NOMEM;
    }
    c->started = true;
    return 0;
}

static void coord_stop_now(eddy_loop *loop, void *arg)
{
    eddy_loop_stop(loop);
}

/* The last work of the coordinator thread: answer every held request (no
 * rebalance will finish now), then close the offsets log, which completes
 * the appends still pending; their completions, posted to this loop, run
 * before the stop posted after them, so every commit is answered. */
static void coord_shutdown(eddy_loop *loop, void *arg)
{
    eddy_coord *c = arg;
    if (c->expiry_timer) {
        eddy_loop_timer_cancel(loop, c->expiry_timer);
        c->expiry_timer = 0;
    }
    size_t it = 0;
    void *v;
    while (eddy_map_next(&c->groups, &it, NULL, NULL, &v)) {
        group *g = v;
        for (int i = 0; i < g->nmembers; i++) {
            member_fail_held(c, g->members[i], EDDY_ERR_COORDINATOR_NOT_AVAILABLE);
        }
    }
    if (c->log) {
        eddy_log_close(c->log);
        c->log = NULL;
    }
    if (eddy_loop_post(loop, coord_stop_now, c)) {
        eddy_loop_stop(loop);
    }
}

void eddy_coord_stop(eddy_coord *c)
{
    if (!c || !c->started) {
        return;
    }
    if (eddy_loop_post(c->loop, coord_shutdown, c)) {
        eddy_loop_stop(c->loop);
    }
    pthread_join(c->thread, NULL);
    c->started = false;
}

void eddy_coord_free(eddy_coord *c)
{
    if (!c) {
        return;
    }
    eddy_coord_stop(c);
    offsets_close(c);
    size_t it = 0;
    void *v;
    while (eddy_map_next(&c->groups, &it, NULL, NULL, &v)) {
        group_free(c, v, true);
    }
    eddy_map_deinit(&c->groups);
    eddy_loop_free(c->loop);
    free(c);
}
