/* Hub management over the Kafka admin API: CreateTopics, DeleteTopics,
 * DescribeConfigs, AlterConfigs and IncrementalAlterConfigs.
 *
 * Anything that changes the data folder runs on the housekeeping thread:
 * the handler decodes on the network thread, posts a job, and the job posts
 * the response back. Topic settings use Kafka's config names:
 * retention.ms, retention.bytes, segment.bytes, max.message.bytes,
 * message.timestamp.type, cleanup.policy (delete only). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "hub/handlers.h"
#include "hub/topics.h"
#include "kafka/gen/kafka_msgs.h"

#define RESOURCE_TOPIC  2
#define RESOURCE_BROKER 4

/* ConfigSource values of DescribeConfigs v1+. */
#define SOURCE_DYNAMIC_TOPIC 1
#define SOURCE_STATIC_BROKER 4
#define SOURCE_DEFAULT       5

/* A generic admin job: work() runs on the housekeeping thread, respond() on
 * the connection's thread. */
typedef struct admin_job admin_job;
struct admin_job {
    eddy_conn *conn;
    eddy_loop *loop;
    eddy_hub *hub;
    int16_t version;
    void (*work)(admin_job *job);
    void (*respond)(admin_job *job);
    void *body;    /* the decoded request (conn arena; held while busy) */
    int16_t *errs; /* per item */
    char **msgs;   /* per item, heap strings or NULL */
    int32_t n;
};

static void admin_job_free(admin_job *job)
{
    for (int32_t i = 0; i < job->n; i++) {
        free(job->msgs[i]);
    }
    free(job->msgs);
    free(job->errs);
    free(job);
}

static void admin_back(eddy_loop *loop, void *arg)
{
    admin_job *job = arg;
    if (!job->conn->closing) {
        job->respond(job);
    }
    eddy_conn_release(job->conn);
    admin_job_free(job);
}

static void admin_run(eddy_loop *loop, void *arg)
{
    admin_job *job = arg;
    job->work(job);
    eddy_loop_post(job->loop, admin_back, job);
}

static admin_job *admin_job_new(eddy_hub_req *req, void *body, int32_t n)
{
    admin_job *job = calloc(1, sizeof *job);
    if (!job) {
        return NULL;
    }
    job->conn = req->conn;
    job->loop = req->conn->worker->loop;
    job->hub = req_hub(req);
    job->version = req_version(req);
    job->body = body;
    job->n = n > 0 ? n : 0;
    job->errs = calloc((size_t)job->n + 1, sizeof *job->errs);
    job->msgs = calloc((size_t)job->n + 1, sizeof *job->msgs);
    if (!job->errs || !job->msgs) {
        free(job->errs);
        free(job->msgs);
        free(job);
        return NULL;
    }
    return job;
}

static void admin_start(eddy_hub_req *req, admin_job *job)
{
    eddy_conn_hold(req->conn);
    eddy_loop_post(job->hub->admin, admin_run, job);
}

static char *msgf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *msgf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return strdup(buf);
}

/* Copies a Kafka string into a NUL-terminated buffer; false if too long. */
static bool kstr_copy(eddy_kstr s, char *out, size_t cap)
{
    if (s.len < 0 || (size_t)s.len >= cap) {
        return false;
    }
    memcpy(out, s.p, (size_t)s.len);
    out[s.len] = '\0';
    return true;
}

/* Applies one topic config (name=value) to settings; value NULL resets to
 * the hub default. Returns 0 or INVALID_CONFIG with *msg. */
static int16_t apply_topic_config(const eddy_hub *hub, eddy_kstr kname, eddy_kstr kvalue,
                                  eddy_topic_settings *s, char **msg)
{
    char name[96], value[96];
    if (!kstr_copy(kname, name, sizeof name)) {
        *msg = msgf("config name too long");
        return EDDY_ERR_INVALID_CONFIG;
    }
    bool reset = kvalue.len < 0;
    if (!reset && !kstr_copy(kvalue, value, sizeof value)) {
        *msg = msgf("value of %s too long", name);
        return EDDY_ERR_INVALID_CONFIG;
    }
    char *end = NULL;
    long long v = reset ? 0 : strtoll(value, &end, 10);
    bool numeric = !reset && end && *end == '\0' && end != value;
    if (strcmp(name, "retention.ms") == 0) {
        if (!reset && (!numeric || v < -1)) {
            goto bad;
        }
        s->retention_ms = reset ? hub->cfg.retention_ms : v;
    } else if (strcmp(name, "retention.bytes") == 0) {
        if (!reset && (!numeric || v < -1)) {
            goto bad;
        }
        s->retention_bytes = reset ? hub->cfg.retention_bytes : v;
    } else if (strcmp(name, "segment.bytes") == 0) {
        if (!reset && (!numeric || v < 1024 * 1024 || v > INT32_MAX)) {
            goto bad;
        }
        s->segment_bytes = reset ? hub->cfg.segment_bytes : v;
    } else if (strcmp(name, "max.message.bytes") == 0) {
        if (!reset && (!numeric || v < 1024 || v > 64 * 1024 * 1024)) {
            goto bad;
        }
        s->max_event_bytes = reset ? hub->cfg.max_event_bytes : v;
    } else if (strcmp(name, "message.timestamp.type") == 0) {
        if (reset) {
            s->timestamp_type = hub->cfg.timestamp_type;
        } else if (strcmp(value, "CreateTime") == 0) {
            s->timestamp_type = EDDY_TS_CREATE;
        } else if (strcmp(value, "LogAppendTime") == 0) {
            s->timestamp_type = EDDY_TS_APPEND;
        } else {
            goto bad;
        }
    } else if (strcmp(name, "cleanup.policy") == 0) {
        if (!reset && strcmp(value, "delete") != 0) {
            *msg = msgf("cleanup.policy=%s is not supported (only delete)", value);
            return EDDY_ERR_INVALID_CONFIG;
        }
    } else {
        *msg = msgf("unknown or unsupported topic config %s", name);
        return EDDY_ERR_INVALID_CONFIG;
    }
    return 0;
bad:
    *msg = msgf("invalid value %s for %s", value, name);
    return EDDY_ERR_INVALID_CONFIG;
}

/* --- CreateTopics --- */

static void create_work(admin_job *job)
{
    eddy_kafka_CreateTopicsRequest *body = job->body;
    eddy_hub *hub = job->hub;
    for (int32_t i = 0; i < job->n; i++) {
        const eddy_kafka_CreateTopicsRequest_CreatableTopic *ct = &body->Topics.items[i];
        if (ct->Name.len <= 0 || !eddy_hub_name_valid(ct->Name.p, (size_t)ct->Name.len)) {
            job->errs[i] = EDDY_ERR_INVALID_TOPIC_EXCEPTION;
            job->msgs[i] = msgf("hub names are 1-249 letters, digits, '.', '_' or '-'");
            continue;
        }
        int32_t parts = ct->NumPartitions;
        if (ct->Assignments.count > 0) {
            parts = ct->Assignments.count;
        }
        if (parts == 0 || parts < -1 || parts > 10000) {
            job->errs[i] = EDDY_ERR_INVALID_PARTITIONS;
            job->msgs[i] = msgf("partitions must be 1..10000 (or -1 for the default)");
            continue;
        }
        if (ct->ReplicationFactor != -1 && ct->ReplicationFactor != 1) {
            job->errs[i] = EDDY_ERR_INVALID_REPLICATION_FACTOR;
            job->msgs[i] = msgf("this hub has one node: replication factor must be 1");
            continue;
        }
        eddy_topic_settings s = EDDY_TOPIC_SETTINGS_KEEP;
        int16_t err = 0;
        for (int32_t c = 0; c < ct->Configs.count && !err; c++) {
            err = apply_topic_config(hub, ct->Configs.items[c].Name, ct->Configs.items[c].Value, &s,
                                     &job->msgs[i]);
        }
        if (err) {
            job->errs[i] = err;
            continue;
        }
        bool validate_only = job->version >= 1 && body->validateOnly;
        if (validate_only) {
            eddy_topic *t = eddy_hub_topic_get(hub, ct->Name.p, (size_t)ct->Name.len);
            if (t) {
                eddy_hub_topic_put(t);
                job->errs[i] = EDDY_ERR_TOPIC_ALREADY_EXISTS;
            }
            continue;
        }
        int rc = eddy_hub_topic_create(hub, ct->Name.p, (size_t)ct->Name.len, parts, &s);
        if (rc) {
            job->errs[i] = (int16_t)(rc > 0 ? rc : EDDY_ERR_KAFKA_STORAGE_ERROR);
            if (rc == EDDY_ERR_TOPIC_ALREADY_EXISTS) {
                job->msgs[i] = msgf("hub '%.*s' already exists", ct->Name.len, ct->Name.p);
            }
        }
    }
}

static void create_respond(admin_job *job)
{
    eddy_conn *conn = job->conn;
    eddy_kafka_CreateTopicsRequest *body = job->body;
    eddy_kafka_CreateTopicsResponse resp;
    eddy_kafka_CreateTopicsResponse_init(&resp);
    resp.Topics.items =
        ARENA_ARRAY(&conn->arena, eddy_kafka_CreateTopicsResponse_CreatableTopicResult, job->n + 1);
    if (!resp.Topics.items) {
        eddy_conn_close(conn, "out of memory");
        return;
    }
    resp.Topics.count = job->n;
    eddy_topic **held = ARENA_ARRAY(&conn->arena, eddy_topic *, job->n + 1);
    for (int32_t i = 0; i < job->n; i++) {
        eddy_kafka_CreateTopicsResponse_CreatableTopicResult *r = &resp.Topics.items[i];
        const eddy_kafka_CreateTopicsRequest_CreatableTopic *ct = &body->Topics.items[i];
        eddy_kafka_CreateTopicsResponse_CreatableTopicResult_init(r);
        r->Name = ct->Name;
        r->ErrorCode = job->errs[i];
        r->ErrorMessage = eddy_kstr_from(job->msgs[i]);
        r->Configs.count = -1;
        if (!job->errs[i] && held && ct->Name.len > 0) {
            eddy_topic *t = eddy_hub_topic_get(job->hub, ct->Name.p, (size_t)ct->Name.len);
            held[i] = t;
            r->NumPartitions =
                t ? t->npartitions
                  : (ct->NumPartitions > 0 ? ct->NumPartitions : job->hub->cfg.partitions);
            r->ReplicationFactor = 1;
            if (t) {
                memcpy(r->TopicId.b, t->id, 16);
            }
        }
    }
    eddy_buf *b = eddy_conn_response_begin(conn);
    if (b) {
        eddy_kafka_CreateTopicsResponse_encode(b, job->version, &resp);
    }
    for (int32_t i = 0; held && i < job->n; i++) {
        if (held[i]) {
            eddy_hub_topic_put(held[i]);
        }
    }
    if (!b) {
        eddy_conn_close(conn, "out of memory");
        return;
    }
    eddy_conn_response_end(conn, b);
}

void eddy_handle_CreateTopics(eddy_hub_req *req)
{
    eddy_kafka_CreateTopicsRequest *body = eddy_arena_alloc(&req->conn->arena, sizeof *body);
    if (!body) {
        eddy_conn_close(req->conn, "out of memory");
        return;
    }
    int rc = eddy_kafka_CreateTopicsRequest_decode(&req->body, req_version(req), &req->conn->arena,
                                                   body);
    if (rc) {
        eddy_hub_bad_request(req, rc);
        return;
    }
    admin_job *job = admin_job_new(req, body, body->Topics.count);
    if (!job) {
        eddy_conn_close(req->conn, "out of memory");
        return;
    }
    job->work = create_work;
    job->respond = create_respond;
    admin_start(req, job);
}

/* --- DeleteTopics --- */

static eddy_kstr delete_name(const admin_job *job, int32_t i, eddy_kuuid *id)
{
    const eddy_kafka_DeleteTopicsRequest *body = job->body;
    memset(id, 0, sizeof *id);
    if (job->version >= 6) {
        *id = body->Topics.items[i].TopicId;
        return body->Topics.items[i].Name;
    }
    return body->TopicNames.items[i];
}

static void delete_work(admin_job *job)
{
    for (int32_t i = 0; i < job->n; i++) {
        eddy_kuuid id;
        eddy_kstr name = delete_name(job, i, &id);
        if (name.len < 0) {
            eddy_topic *t = eddy_hub_topic_get_by_id(job->hub, id.b);
            if (!t) {
                job->errs[i] = EDDY_ERR_UNKNOWN_TOPIC_ID;
                continue;
            }
            job->errs[i] = (int16_t)eddy_hub_topic_delete(job->hub, t->name, strlen(t->name));
            eddy_hub_topic_put(t);
            continue;
        }
        int rc = eddy_hub_topic_delete(job->hub, name.p, (size_t)name.len);
        job->errs[i] = (int16_t)rc;
    }
}

static void delete_respond(admin_job *job)
{
    eddy_conn *conn = job->conn;
    eddy_kafka_DeleteTopicsResponse resp;
    eddy_kafka_DeleteTopicsResponse_init(&resp);
    resp.Responses.items =
        ARENA_ARRAY(&conn->arena, eddy_kafka_DeleteTopicsResponse_DeletableTopicResult, job->n + 1);
    if (!resp.Responses.items) {
        eddy_conn_close(conn, "out of memory");
        return;
    }
    resp.Responses.count = job->n;
    for (int32_t i = 0; i < job->n; i++) {
        eddy_kafka_DeleteTopicsResponse_DeletableTopicResult *r = &resp.Responses.items[i];
        eddy_kafka_DeleteTopicsResponse_DeletableTopicResult_init(r);
        eddy_kuuid id;
        r->Name = delete_name(job, i, &id);
        r->TopicId = id;
        r->ErrorCode = job->errs[i];
    }
    eddy_buf *b = eddy_conn_response_begin(conn);
    if (!b) {
        eddy_conn_close(conn, "out of memory");
        return;
    }
    eddy_kafka_DeleteTopicsResponse_encode(b, job->version, &resp);
    eddy_conn_response_end(conn, b);
}

void eddy_handle_DeleteTopics(eddy_hub_req *req)
{
    eddy_kafka_DeleteTopicsRequest *body = eddy_arena_alloc(&req->conn->arena, sizeof *body);
    if (!body) {
        eddy_conn_close(req->conn, "out of memory");
        return;
    }
    int rc = eddy_kafka_DeleteTopicsRequest_decode(&req->body, req_version(req), &req->conn->arena,
                                                   body);
    if (rc) {
        eddy_hub_bad_request(req, rc);
        return;
    }
    int32_t n = req_version(req) >= 6 ? body->Topics.count : body->TopicNames.count;
    admin_job *job = admin_job_new(req, body, n);
    if (!job) {
        eddy_conn_close(req->conn, "out of memory");
        return;
    }
    job->work = delete_work;
    job->respond = delete_respond;
    admin_start(req, job);
}

/* --- DescribeConfigs --- */

typedef struct config_entry {
    const char *name;
    char value[64];
    bool read_only;
    bool is_default;
} config_entry;

static size_t topic_configs(const eddy_hub *hub, const eddy_topic *t, config_entry *e)
{
    size_t n = 0;
    e[n] = (config_entry){"retention.ms", "", false, t->retention_ms == hub->cfg.retention_ms};
    snprintf(e[n++].value, sizeof e->value, "%lld", (long long)t->retention_ms);
    e[n] = (config_entry){"retention.bytes", "", false,
                          t->retention_bytes == hub->cfg.retention_bytes};
    snprintf(e[n++].value, sizeof e->value, "%lld", (long long)t->retention_bytes);
    e[n] = (config_entry){"segment.bytes", "", false, t->segment_bytes == hub->cfg.segment_bytes};
    snprintf(e[n++].value, sizeof e->value, "%lld", (long long)t->segment_bytes);
    e[n] = (config_entry){"max.message.bytes", "", false,
                          t->max_event_bytes == hub->cfg.max_event_bytes};
    snprintf(e[n++].value, sizeof e->value, "%lld", (long long)t->max_event_bytes);
    e[n] = (config_entry){"message.timestamp.type", "", false,
                          t->timestamp_type == hub->cfg.timestamp_type};
    snprintf(e[n++].value, sizeof e->value, "%s",
             t->timestamp_type == EDDY_TS_CREATE ? "CreateTime" : "LogAppendTime");
    e[n++] = (config_entry){"cleanup.policy", "delete", true, true};
    e[n] = (config_entry){"partitions", "", true, false};
    snprintf(e[n++].value, sizeof e->value, "%d", t->npartitions);
    return n;
}

static size_t broker_configs(const eddy_hub *hub, config_entry *e)
{
    size_t n = 0;
    e[n] = (config_entry){"num.partitions", "", true, false};
    snprintf(e[n++].value, sizeof e->value, "%d", hub->cfg.partitions);
    e[n++] = (config_entry){"auto.create.topics.enable", "", true, false};
    snprintf(e[n - 1].value, sizeof e->value, "%s", hub->cfg.auto_create ? "true" : "false");
    e[n++] = (config_entry){"default.replication.factor", "1", true, true};
    e[n] = (config_entry){"log.retention.ms", "", true, false};
    snprintf(e[n++].value, sizeof e->value, "%lld", (long long)hub->cfg.retention_ms);
    e[n] = (config_entry){"log.retention.bytes", "", true, false};
    snprintf(e[n++].value, sizeof e->value, "%lld", (long long)hub->cfg.retention_bytes);
    e[n] = (config_entry){"log.segment.bytes", "", true, false};
    snprintf(e[n++].value, sizeof e->value, "%lld", (long long)hub->cfg.segment_bytes);
    e[n] = (config_entry){"message.max.bytes", "", true, false};
    snprintf(e[n++].value, sizeof e->value, "%lld", (long long)hub->cfg.max_event_bytes);
    e[n] = (config_entry){"log.message.timestamp.type", "", true, false};
    snprintf(e[n++].value, sizeof e->value, "%s",
             hub->cfg.timestamp_type == EDDY_TS_CREATE ? "CreateTime" : "LogAppendTime");
    return n;
}

void eddy_handle_DescribeConfigs(eddy_hub_req *req)
{
    eddy_conn *conn = req->conn;
    eddy_hub *hub = req_hub(req);
    eddy_arena *arena = &conn->arena;
    int16_t version = req_version(req);
    eddy_kafka_DescribeConfigsRequest body;
    int rc = eddy_kafka_DescribeConfigsRequest_decode(&req->body, version, arena, &body);
    if (rc) {
        eddy_hub_bad_request(req, rc);
        return;
    }
    eddy_kafka_DescribeConfigsResponse resp;
    eddy_kafka_DescribeConfigsResponse_init(&resp);
    int32_t nr = body.Resources.count > 0 ? body.Resources.count : 0;
    resp.Results.items =
        ARENA_ARRAY(arena, eddy_kafka_DescribeConfigsResponse_DescribeConfigsResult, nr + 1);
    if (!resp.Results.items) {
        eddy_conn_close(conn, "out of memory");
        return;
    }
    resp.Results.count = nr;
    for (int32_t i = 0; i < nr; i++) {
        const eddy_kafka_DescribeConfigsRequest_DescribeConfigsResource *res =
            &body.Resources.items[i];
        eddy_kafka_DescribeConfigsResponse_DescribeConfigsResult *out = &resp.Results.items[i];
        eddy_kafka_DescribeConfigsResponse_DescribeConfigsResult_init(out);
        out->ResourceType = res->ResourceType;
        out->ResourceName = res->ResourceName;
        config_entry *entries = ARENA_ARRAY(arena, config_entry, 16);
        size_t n = 0;
        int8_t source = SOURCE_STATIC_BROKER;
        if (!entries) {
            eddy_conn_close(conn, "out of memory");
            return;
        }
        if (res->ResourceType == RESOURCE_TOPIC) {
            eddy_topic *t =
                res->ResourceName.len > 0
                    ? eddy_hub_topic_get(hub, res->ResourceName.p, (size_t)res->ResourceName.len)
                    : NULL;
            if (!t) {
                out->ErrorCode = EDDY_ERR_UNKNOWN_TOPIC_OR_PARTITION;
                out->ErrorMessage = eddy_kstr_from("no such hub");
                continue;
            }
            n = topic_configs(hub, t, entries);
            source = SOURCE_DYNAMIC_TOPIC;
            eddy_hub_topic_put(t);
        } else if (res->ResourceType == RESOURCE_BROKER) {
            n = broker_configs(hub, entries);
        } else {
            out->ErrorCode = EDDY_ERR_INVALID_REQUEST;
            out->ErrorMessage = eddy_kstr_from("only topic and broker configs are described");
            continue;
        }
        out->Configs.items = ARENA_ARRAY(
            arena, eddy_kafka_DescribeConfigsResponse_DescribeConfigsResourceResult, n + 1);
        if (!out->Configs.items) {
            eddy_conn_close(conn, "out of memory");
            return;
        }
        int32_t m = 0;
        for (size_t k = 0; k < n; k++) {
            bool wanted = res->ConfigurationKeys.count < 0;
            for (int32_t q = 0; q < res->ConfigurationKeys.count && !wanted; q++) {
                wanted = eddy_kstr_eq(res->ConfigurationKeys.items[q], entries[k].name);
            }
            if (!wanted) {
                continue;
            }
            eddy_kafka_DescribeConfigsResponse_DescribeConfigsResourceResult *c =
                &out->Configs.items[m++];
            eddy_kafka_DescribeConfigsResponse_DescribeConfigsResourceResult_init(c);
            c->Name = eddy_kstr_from(entries[k].name);
            c->Value = eddy_kstr_from(entries[k].value);
            c->ReadOnly = entries[k].read_only;
            c->IsDefault = entries[k].is_default;
            c->ConfigSource = entries[k].is_default ? SOURCE_DEFAULT : source;
            c->IsSensitive = false;
            c->Synonyms.count = 0;
        }
        out->Configs.count = m;
    }
    eddy_buf *b = eddy_conn_response_begin(conn);
    if (!b) {
        eddy_conn_close(conn, "out of memory");
        return;
    }
    eddy_kafka_DescribeConfigsResponse_encode(b, version, &resp);
    eddy_conn_response_end(conn, b);
}

/* --- AlterConfigs / IncrementalAlterConfigs --- */

typedef struct alter_item {
    int8_t type;
    eddy_kstr name;
    int32_t nconfigs;
    const eddy_kstr *cnames;
    const eddy_kstr *cvalues;
    const int8_t *ops; /* NULL for the legacy API (SET every listed) */
} alter_item;

typedef struct alter_body {
    bool incremental;
    bool validate_only;
    alter_item *items;
} alter_body;

static void alter_work(admin_job *job)
{
    alter_body *body = job->body;
    eddy_hub *hub = job->hub;
    for (int32_t i = 0; i < job->n; i++) {
        alter_item *it = &body->items[i];
        if (it->type != RESOURCE_TOPIC) {
            job->errs[i] = EDDY_ERR_INVALID_REQUEST;
            job->msgs[i] = msgf("only topic configs can be altered; broker settings come from "
                                "the command line or the config file");
            continue;
        }
        eddy_topic *t =
            it->name.len > 0 ? eddy_hub_topic_get(hub, it->name.p, (size_t)it->name.len) : NULL;
        if (!t) {
            job->errs[i] = EDDY_ERR_UNKNOWN_TOPIC_OR_PARTITION;
            continue;
        }
        /* Legacy AlterConfigs replaces the whole set: start from defaults. */
        eddy_topic_settings s = EDDY_TOPIC_SETTINGS_KEEP;
        if (!body->incremental) {
            s = (eddy_topic_settings){hub->cfg.timestamp_type, hub->cfg.retention_ms,
                                      hub->cfg.retention_bytes, hub->cfg.segment_bytes,
                                      hub->cfg.max_event_bytes};
        }
        int16_t err = 0;
        for (int32_t c = 0; c < it->nconfigs && !err; c++) {
            int8_t op = it->ops ? it->ops[c] : 0;
            eddy_kstr value = it->cvalues[c];
            if (op == 1) {
                value = EDDY_KSTR_NULL; /* DELETE: back to the default */
            } else if (op != 0) {
                err = EDDY_ERR_INVALID_CONFIG;
                job->msgs[i] = msgf("APPEND and SUBTRACT apply to list configs; none here");
                break;
            }
            err = apply_topic_config(hub, it->cnames[c], value, &s, &job->msgs[i]);
        }
        if (!err && !body->validate_only) {
            eddy_topic_settings_apply(t, &s);
            for (int32_t p = 0; p < t->npartitions; p++) {
                eddy_log_set_retention(t->parts[p].log, t->retention_ms, t->retention_bytes);
            }
            err = (int16_t)eddy_hub_topic_save(hub, t);
            if (err) {
                err = EDDY_ERR_KAFKA_STORAGE_ERROR;
            }
        }
        job->errs[i] = err;
        eddy_hub_topic_put(t);
    }
}

static void alter_respond(admin_job *job)
{
    eddy_conn *conn = job->conn;
    alter_body *body = job->body;
    /* Both responses have the same layout; the legacy type is used for
     * building and the matching encoder for the bytes. */
    eddy_kafka_AlterConfigsResponse resp;
    eddy_kafka_AlterConfigsResponse_init(&resp);
    eddy_kafka_IncrementalAlterConfigsResponse iresp;
    eddy_kafka_IncrementalAlterConfigsResponse_init(&iresp);
    resp.Responses.items = ARENA_ARRAY(
        &conn->arena, eddy_kafka_AlterConfigsResponse_AlterConfigsResourceResponse, job->n + 1);
    iresp.Responses.items = ARENA_ARRAY(
        &conn->arena, eddy_kafka_IncrementalAlterConfigsResponse_AlterConfigsResourceResponse,
        job->n + 1);
    if (!resp.Responses.items || !iresp.Responses.items) {
        eddy_conn_close(conn, "out of memory");
        return;
    }
    resp.Responses.count = iresp.Responses.count = job->n;
    for (int32_t i = 0; i < job->n; i++) {
        eddy_kafka_AlterConfigsResponse_AlterConfigsResourceResponse *r = &resp.Responses.items[i];
        eddy_kafka_IncrementalAlterConfigsResponse_AlterConfigsResourceResponse *ir =
            &iresp.Responses.items[i];
        eddy_kafka_AlterConfigsResponse_AlterConfigsResourceResponse_init(r);
        eddy_kafka_IncrementalAlterConfigsResponse_AlterConfigsResourceResponse_init(ir);
        r->ErrorCode = ir->ErrorCode = job->errs[i];
        r->ErrorMessage = ir->ErrorMessage = eddy_kstr_from(job->msgs[i]);
        r->ResourceType = ir->ResourceType = body->items[i].type;
        r->ResourceName = ir->ResourceName = body->items[i].name;
    }
    eddy_buf *b = eddy_conn_response_begin(conn);
    if (!b) {
        eddy_conn_close(conn, "out of memory");
        return;
    }
    if (body->incremental) {
        eddy_kafka_IncrementalAlterConfigsResponse_encode(b, job->version, &iresp);
    } else {
        eddy_kafka_AlterConfigsResponse_encode(b, job->version, &resp);
    }
    eddy_conn_response_end(conn, b);
}

static void alter_start(eddy_hub_req *req, alter_body *body, int32_t n)
{
    admin_job *job = admin_job_new(req, body, n);
    if (!job) {
        eddy_conn_close(req->conn, "out of memory");
        return;
    }
    job->work = alter_work;
    job->respond = alter_respond;
    admin_start(req, job);
}

void eddy_handle_AlterConfigs(eddy_hub_req *req)
{
    eddy_arena *arena = &req->conn->arena;
    eddy_kafka_AlterConfigsRequest in;
    int rc = eddy_kafka_AlterConfigsRequest_decode(&req->body, req_version(req), arena, &in);
    if (rc) {
        eddy_hub_bad_request(req, rc);
        return;
    }
    int32_t n = in.Resources.count > 0 ? in.Resources.count : 0;
    alter_body *body = eddy_arena_calloc(arena, 1, sizeof *body);
    alter_item *items = ARENA_ARRAY(arena, alter_item, n + 1);
    if (!body || !items) {
        eddy_conn_close(req->conn, "out of memory");
        return;
    }
    body->validate_only = in.ValidateOnly;
    body->items = items;
    for (int32_t i = 0; i < n; i++) {
        const eddy_kafka_AlterConfigsRequest_AlterConfigsResource *r = &in.Resources.items[i];
        int32_t nc = r->Configs.count > 0 ? r->Configs.count : 0;
        eddy_kstr *names = ARENA_ARRAY(arena, eddy_kstr, nc + 1);
        eddy_kstr *values = ARENA_ARRAY(arena, eddy_kstr, nc + 1);
        if (!names || !values) {
            eddy_conn_close(req->conn, "out of memory");
            return;
        }
        for (int32_t c = 0; c < nc; c++) {
            names[c] = r->Configs.items[c].Name;
            values[c] = r->Configs.items[c].Value;
        }
        items[i] = (alter_item){r->ResourceType, r->ResourceName, nc, names, values, NULL};
    }
    alter_start(req, body, n);
}

void eddy_handle_IncrementalAlterConfigs(eddy_hub_req *req)
{
    eddy_arena *arena = &req->conn->arena;
    eddy_kafka_IncrementalAlterConfigsRequest in;
    int rc =
        eddy_kafka_IncrementalAlterConfigsRequest_decode(&req->body, req_version(req), arena, &in);
    if (rc) {
        eddy_hub_bad_request(req, rc);
        return;
    }
    int32_t n = in.Resources.count > 0 ? in.Resources.count : 0;
    alter_body *body = eddy_arena_calloc(arena, 1, sizeof *body);
    alter_item *items = ARENA_ARRAY(arena, alter_item, n + 1);
    if (!body || !items) {
        eddy_conn_close(req->conn, "out of memory");
        return;
    }
    body->incremental = true;
    body->validate_only = in.ValidateOnly;
    body->items = items;
    for (int32_t i = 0; i < n; i++) {
        const eddy_kafka_IncrementalAlterConfigsRequest_AlterConfigsResource *r =
            &in.Resources.items[i];
        int32_t nc = r->Configs.count > 0 ? r->Configs.count : 0;
        eddy_kstr *names = ARENA_ARRAY(arena, eddy_kstr, nc + 1);
        eddy_kstr *values = ARENA_ARRAY(arena, eddy_kstr, nc + 1);
        int8_t *ops = ARENA_ARRAY(arena, int8_t, nc + 1);
        if (!names || !values || !ops) {
            eddy_conn_close(req->conn, "out of memory");
            return;
        }
        for (int32_t c = 0; c < nc; c++) {
            names[c] = r->Configs.items[c].Name;
            values[c] = r->Configs.items[c].Value;
            ops[c] = r->Configs.items[c].ConfigOperation;
        }
        items[i] = (alter_item){r->ResourceType, r->ResourceName, nc, names, values, ops};
    }
    alter_start(req, body, n);
}
