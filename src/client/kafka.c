/* librdkafka plumbing (see kafka.h). */
#include "client/kafka.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"

int eddy_client_props_add(const char *value, void *ctx)
{
    eddy_client_props *p = ctx;
    if (!strchr(value, '=') || value[0] == '=') {
        fprintf(stderr, "eddy: -X takes name=value (a librdkafka setting), got '%s'\n", value);
        return 1;
    }
    const char **grown = realloc(p->v, (p->n + 1) * sizeof *grown);
    if (!grown) {
        fprintf(stderr, "eddy: out of memory\n");
        return 1;
    }
    p->v = grown;
    p->v[p->n++] = value;
    return 0;
}

void eddy_client_props_free(eddy_client_props *p)
{
    free(p->v);
    p->v = NULL;
    p->n = 0;
}

/* The error callback: librdkafka repeats a down broker's error on every
 * reconnect attempt; print each distinct message at most every 30 s. The
 * callback runs on whichever thread polls, hence the lock. */
#define SEEN_MAX 16

static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char text[200];
    int64_t at_ms;
} seen[SEEN_MAX];
static char error_cmd[32] = "eddy";

static void on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
        return; /* says nothing the connect error did not */
    }
    int64_t now = eddy_clock_mono_ms();
    pthread_mutex_lock(&seen_lock);
    int slot = -1, oldest = 0;
    for (int i = 0; i < SEEN_MAX; i++) {
        if (strncmp(seen[i].text, reason, sizeof seen[i].text - 1) == 0) {
            slot = i;
            break;
        }
        if (seen[i].at_ms < seen[oldest].at_ms) {
            oldest = i;
        }
    }
    bool print = slot < 0 || now - seen[slot].at_ms >= 30000;
    if (slot < 0) {
        slot = oldest;
        snprintf(seen[slot].text, sizeof seen[slot].text, "%s", reason);
    }
    if (print) {
        seen[slot].at_ms = now;
        fprintf(stderr, "eddy %s: %s\n", error_cmd, reason);
    }
    pthread_mutex_unlock(&seen_lock);
}

rd_kafka_t *eddy_client_new(rd_kafka_type_t type, const char *cmd, const eddy_client_config *cfg,
                            void (*prepare)(rd_kafka_conf_t *conf, void *arg), void *arg, char *err,
                            size_t errlen)
{
    snprintf(error_cmd, sizeof error_cmd, "%s", cmd);
    rd_kafka_conf_t *conf = eddy_client_conf_new(cfg, err, errlen);
    if (!conf) {
        return NULL;
    }
    char why[256];
    /* Quiet by default: errors come through on_error. -X log_level=7 (and
     * -X debug=...) bring librdkafka's own log back. */
    if (!eddy_client_config_get(cfg, "log_level")) {
        rd_kafka_conf_set(conf, "log_level", "2", why, sizeof why);
    }
    if (!eddy_client_config_get(cfg, "client.id")) {
        char id[48];
        snprintf(id, sizeof id, "eddy-%s", cmd);
        rd_kafka_conf_set(conf, "client.id", id, why, sizeof why);
    }
    rd_kafka_conf_set_error_cb(conf, on_error);
    if (prepare) {
        prepare(conf, arg);
    }
    rd_kafka_t *rk = rd_kafka_new(type, conf, why, sizeof why);
    if (!rk) {
        snprintf(err, errlen, "%s", why);
        rd_kafka_conf_destroy(conf); /* rd_kafka_new owns it only on success */
        return NULL;
    }
    return rk;
}

int eddy_client_metadata(rd_kafka_t *rk, const eddy_client_config *cfg, const char *hub,
                         int timeout_ms, const struct rd_kafka_metadata **md, char *err,
                         size_t errlen)
{
    rd_kafka_topic_t *rkt = hub ? rd_kafka_topic_new(rk, hub, NULL) : NULL;
    rd_kafka_resp_err_t e = rd_kafka_metadata(rk, hub ? 0 : 1, rkt, md, timeout_ms);
    if (rkt) {
        rd_kafka_topic_destroy(rkt);
    }
    if (e) {
        snprintf(err, errlen, "cannot get metadata from %s: %s", cfg->endpoint,
                 rd_kafka_err2str(e));
        return -1;
    }
    if (hub) {
        const struct rd_kafka_metadata_topic *t = NULL;
        for (int i = 0; i < (*md)->topic_cnt; i++) {
            if (strcmp((*md)->topics[i].topic, hub) == 0) {
                t = &(*md)->topics[i];
            }
        }
        rd_kafka_resp_err_t te = t ? t->err : RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
        if (te == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
            snprintf(err, errlen,
                     "event hub '%s' does not exist at %s (create it: eddy hubs create %s)", hub,
                     cfg->endpoint, hub);
            rd_kafka_metadata_destroy(*md);
            return -1;
        }
        if (te && te != RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE) {
            snprintf(err, errlen, "event hub '%s' at %s: %s", hub, cfg->endpoint,
                     rd_kafka_err2str(te));
            rd_kafka_metadata_destroy(*md);
            return -1;
        }
    }
    return 0;
}

rd_kafka_AdminOptions_t *eddy_client_admin_options(rd_kafka_t *rk, rd_kafka_admin_op_t op,
                                                   int timeout_ms)
{
    rd_kafka_AdminOptions_t *ao = rd_kafka_AdminOptions_new(rk, op);
    char why[256];
    rd_kafka_AdminOptions_set_request_timeout(ao, timeout_ms, why, sizeof why);
    if (op == RD_KAFKA_ADMIN_OP_CREATETOPICS || op == RD_KAFKA_ADMIN_OP_DELETETOPICS) {
        rd_kafka_AdminOptions_set_operation_timeout(ao, timeout_ms, why, sizeof why);
    }
    return ao;
}

rd_kafka_event_t *eddy_client_admin_wait(rd_kafka_queue_t *q, int timeout_ms, char *err,
                                         size_t errlen)
{
    /* The request timeout fires first; the margin covers connecting. */
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, timeout_ms + 5000);
    if (!ev) {
        snprintf(err, errlen, "no answer within %d ms", timeout_ms);
        return NULL;
    }
    if (rd_kafka_event_error(ev)) {
        snprintf(err, errlen, "%s", rd_kafka_event_error_string(ev));
        rd_kafka_event_destroy(ev);
        return NULL;
    }
    return ev;
}
