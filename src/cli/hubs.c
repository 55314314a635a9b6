/* eddy hubs: manage event hubs (Kafka topics) through the Kafka admin API,
 * so the same commands work against eddy, Kafka, Redpanda or Azure Event
 * Hubs.
 *
 *   eddy hubs list                       every hub and its partition count
 *   eddy hubs create NAME [--partitions N] [--config k=v ...]
 *   eddy hubs describe NAME              partitions, offsets, event counts,
 *                                        non-default settings
 *   eddy hubs delete NAME
 *
 * Errors from the service come back as its own words (e.g. "Topic 'x'
 * already exists") with exit status 1; usage errors exit 2. */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "client/config.h"
#include "client/kafka.h"
#include "client/parse.h"

#define TIMEOUT_MS 30000

typedef struct hubs_opts {
    const char *partitions;
    const char *replication;
    bool if_not_exists;
    bool if_exists;
    bool all;
    const char **configs; /* "name=value" for create */
    size_t nconfigs;
} hubs_opts;

static int add_config(const char *value, void *ctx)
{
    hubs_opts *o = ctx;
    const char *eq = strchr(value, '=');
    if (!eq || eq == value) {
        fprintf(stderr, "eddy hubs: --config takes name=value, got '%s'\n", value);
        return 1;
    }
    const char **grown = realloc(o->configs, (o->nconfigs + 1) * sizeof *grown);
    if (!grown) {
        return 1;
    }
    o->configs = grown;
    o->configs[o->nconfigs++] = value;
    return 0;
}

static int cmp_topic(const void *a, const void *b)
{
    const struct rd_kafka_metadata_topic *x = a, *y = b;
    return strcmp(x->topic, y->topic);
}

static int hubs_list(rd_kafka_t *rk, const eddy_client_config *cfg, const hubs_opts *o)
{
    const struct rd_kafka_metadata *md;
    char err[512];
    if (eddy_client_metadata(rk, cfg, NULL, TIMEOUT_MS, &md, err, sizeof err)) {
        fprintf(stderr, "eddy hubs: %s\n", err);
        return EDDY_EXIT_FAIL;
    }
    struct rd_kafka_metadata_topic *topics = NULL;
    int n = 0;
    if (md->topic_cnt > 0) {
        topics = malloc((size_t)md->topic_cnt * sizeof *topics);
        if (!topics) {
            rd_kafka_metadata_destroy(md);
            return EDDY_EXIT_FAIL;
        }
    }
    size_t width = 3;
    for (int i = 0; i < md->topic_cnt; i++) {
        /* Internal topics (__consumer_offsets, ...) only with --all. */
        if (!o->all && strncmp(md->topics[i].topic, "__", 2) == 0) {
            continue;
        }
        topics[n++] = md->topics[i];
        if (strlen(md->topics[i].topic) > width) {
            width = strlen(md->topics[i].topic);
        }
    }
    if (n > 0) {
        qsort(topics, (size_t)n, sizeof *topics, cmp_topic);
    }
    printf("%-*s  PARTITIONS\n", (int)width, "HUB");
    for (int i = 0; i < n; i++) {
        printf("%-*s  %d\n", (int)width, topics[i].topic, topics[i].partition_cnt);
    }
    free(topics);
    rd_kafka_metadata_destroy(md);
    return EDDY_EXIT_OK;
}

static int hubs_create(rd_kafka_t *rk, const char *name, const hubs_opts *o)
{
    int64_t partitions = -1, replication = -1;
    if (o->partitions && (eddy_client_parse_count(o->partitions, &partitions) || partitions < 1 ||
                          partitions > 100000)) {
        return eddy_cli_usage_error("hubs", "--partitions must be 1..100000");
    }
    if (o->replication && (eddy_client_parse_count(o->replication, &replication) ||
                           replication < 1 || replication > 100)) {
        return eddy_cli_usage_error("hubs", "--replication-factor must be 1..100");
    }
    char err[512];
    rd_kafka_NewTopic_t *nt =
        rd_kafka_NewTopic_new(name, (int)partitions, (int)replication, err, sizeof err);
    if (!nt) {
        return eddy_cli_usage_error("hubs", "%s", err);
    }
    for (size_t i = 0; i < o->nconfigs; i++) {
        const char *eq = strchr(o->configs[i], '=');
        char key[256];
        snprintf(key, sizeof key, "%.*s", (int)(eq - o->configs[i]), o->configs[i]);
        rd_kafka_NewTopic_set_config(nt, key, eq + 1);
    }
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_AdminOptions_t *ao =
        eddy_client_admin_options(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS, TIMEOUT_MS);
    rd_kafka_CreateTopics(rk, &nt, 1, ao, q);
    int status = EDDY_EXIT_FAIL;
    rd_kafka_event_t *ev = eddy_client_admin_wait(q, TIMEOUT_MS, err, sizeof err);
    if (!ev) {
        fprintf(stderr, "eddy hubs: create %s: %s\n", name, err);
        goto out;
    }
    size_t cnt;
    const rd_kafka_topic_result_t **res =
        rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &cnt);
    rd_kafka_resp_err_t e = cnt ? rd_kafka_topic_result_error(res[0]) : RD_KAFKA_RESP_ERR_NO_ERROR;
    if (e == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS && o->if_not_exists) {
        printf("hub %s exists already\n", name);
        status = EDDY_EXIT_OK;
    } else if (e) {
        const char *msg = rd_kafka_topic_result_error_string(res[0]);
        fprintf(stderr, "eddy hubs: create %s: %s\n", name,
                msg && *msg ? msg : rd_kafka_err2str(e));
    } else {
        if (partitions > 0) {
            printf("created hub %s with %lld partitions\n", name, (long long)partitions);
        } else {
            printf("created hub %s\n", name);
        }
        status = EDDY_EXIT_OK;
    }
    rd_kafka_event_destroy(ev);
out:
    rd_kafka_AdminOptions_destroy(ao);
    rd_kafka_queue_destroy(q);
    rd_kafka_NewTopic_destroy(nt);
    return status;
}

static int hubs_delete(rd_kafka_t *rk, const char *name, const hubs_opts *o)
{
    char err[512];
    rd_kafka_DeleteTopic_t *dt = rd_kafka_DeleteTopic_new(name);
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_AdminOptions_t *ao =
        eddy_client_admin_options(rk, RD_KAFKA_ADMIN_OP_DELETETOPICS, TIMEOUT_MS);
    rd_kafka_DeleteTopics(rk, &dt, 1, ao, q);
    int status = EDDY_EXIT_FAIL;
    rd_kafka_event_t *ev = eddy_client_admin_wait(q, TIMEOUT_MS, err, sizeof err);
    if (!ev) {
        fprintf(stderr, "eddy hubs: delete %s: %s\n", name, err);
        goto out;
    }
    size_t cnt;
    const rd_kafka_topic_result_t **res =
        rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(ev), &cnt);
    rd_kafka_resp_err_t e = cnt ? rd_kafka_topic_result_error(res[0]) : RD_KAFKA_RESP_ERR_NO_ERROR;
    if (e == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART && o->if_exists) {
        printf("hub %s does not exist\n", name);
        status = EDDY_EXIT_OK;
    } else if (e == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
        fprintf(stderr, "eddy hubs: delete %s: no such hub\n", name);
    } else if (e) {
        const char *msg = rd_kafka_topic_result_error_string(res[0]);
        fprintf(stderr, "eddy hubs: delete %s: %s\n", name,
                msg && *msg ? msg : rd_kafka_err2str(e));
    } else {
        printf("deleted hub %s\n", name);
        status = EDDY_EXIT_OK;
    }
    rd_kafka_event_destroy(ev);
out:
    rd_kafka_AdminOptions_destroy(ao);
    rd_kafka_queue_destroy(q);
    rd_kafka_DeleteTopic_destroy(dt);
    return status;
}

/* Prints the hub's settings that are not defaults (all with --all). A
 * service without DescribeConfigs just gets a note. */
static void describe_configs(rd_kafka_t *rk, const char *name, const hubs_opts *o)
{
    char err[512];
    rd_kafka_ConfigResource_t *cr = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, name);
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_AdminOptions_t *ao =
        eddy_client_admin_options(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, TIMEOUT_MS);
    rd_kafka_DescribeConfigs(rk, &cr, 1, ao, q);
    rd_kafka_event_t *ev = eddy_client_admin_wait(q, TIMEOUT_MS, err, sizeof err);
    if (!ev) {
        printf("settings: not available (%s)\n", err);
        goto out;
    }
    size_t nres;
    const rd_kafka_ConfigResource_t **res =
        rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev), &nres);
    if (nres == 0 || rd_kafka_ConfigResource_error(res[0])) {
        printf("settings: not available (%s)\n",
               nres ? rd_kafka_ConfigResource_error_string(res[0]) : "no answer");
    } else {
        size_t n;
        const rd_kafka_ConfigEntry_t **entries = rd_kafka_ConfigResource_configs(res[0], &n);
        size_t shown = 0, hidden = 0;
        for (size_t i = 0; i < n; i++) {
            const rd_kafka_ConfigEntry_t *ce = entries[i];
            if (!o->all && rd_kafka_ConfigEntry_is_default(ce)) {
                hidden++;
                continue;
            }
            if (shown++ == 0) {
                printf("settings:\n");
            }
            const char *v = rd_kafka_ConfigEntry_value(ce);
            printf("  %s = %s\n", rd_kafka_ConfigEntry_name(ce),
                   rd_kafka_ConfigEntry_is_sensitive(ce) ? "(sensitive)"
                   : v                                   ? v
                                                         : "(null)");
        }
        if (shown == 0) {
            printf("settings: all defaults");
        }
        if (hidden) {
            printf("%s(%zu default settings; --all shows them)\n", shown ? "  " : " ", hidden);
        } else if (shown == 0) {
            printf("\n");
        }
    }
    rd_kafka_event_destroy(ev);
out:
    rd_kafka_AdminOptions_destroy(ao);
    rd_kafka_queue_destroy(q);
    rd_kafka_ConfigResource_destroy(cr);
}

static int hubs_describe(rd_kafka_t *rk, const eddy_client_config *cfg, const char *name,
                         const hubs_opts *o)
{
    const struct rd_kafka_metadata *md;
    char err[512];
    if (eddy_client_metadata(rk, cfg, name, TIMEOUT_MS, &md, err, sizeof err)) {
        fprintf(stderr, "eddy hubs: %s\n", err);
        return EDDY_EXIT_FAIL;
    }
    const struct rd_kafka_metadata_topic *t = NULL;
    for (int i = 0; i < md->topic_cnt; i++) {
        if (strcmp(md->topics[i].topic, name) == 0) {
            t = &md->topics[i];
        }
    }
    if (!t) {
        fprintf(stderr, "eddy hubs: no hub %s\n", name);
        rd_kafka_metadata_destroy(md);
        return EDDY_EXIT_FAIL;
    }
    printf("hub %s: %d partitions\n", name, t->partition_cnt);
    printf("PARTITION  LEADER  FIRST-OFFSET  NEXT-OFFSET  EVENTS\n");
    int64_t total = 0;
    int status = EDDY_EXIT_OK;
    for (int i = 0; i < t->partition_cnt; i++) {
        const struct rd_kafka_metadata_partition *p = &t->partitions[i];
        int64_t low = -1, high = -1;
        rd_kafka_resp_err_t e =
            rd_kafka_query_watermark_offsets(rk, name, p->id, &low, &high, TIMEOUT_MS);
        if (e) {
            printf("%-9d  %-6d  %s\n", p->id, p->leader, rd_kafka_err2str(e));
            status = EDDY_EXIT_FAIL;
            continue;
        }
        printf("%-9d  %-6d  %-12lld  %-11lld  %lld\n", p->id, p->leader, (long long)low,
               (long long)high, (long long)(high - low));
        total += high - low;
    }
    printf("events: %lld\n", (long long)total);
    rd_kafka_metadata_destroy(md);
    describe_configs(rk, name, o);
    return status;
}

int eddy_cmd_hubs(int argc, char **argv)
{
    const char *bootstrap = NULL, *conn = NULL;
    hubs_opts o = {0};
    eddy_client_props props = {0};
    eddy_cli_opt opts[] = {
        EDDY_CLI_OPT_BOOTSTRAP(&bootstrap),
        EDDY_CLI_OPT_CONNECTION_STRING(&conn),
        {.name = "partitions",
         .metavar = "N",
         .help = "create: partitions (default: the service's)",
         .value = &o.partitions},
        {.name = "replication-factor",
         .metavar = "N",
         .help = "create: replicas (default: the service's)",
         .value = &o.replication},
        {.name = "config",
         .metavar = "NAME=VALUE",
         .help = "create: a hub setting, e.g. retention.ms=3600000 (repeatable)",
         .each = add_config,
         .ctx = &o},
        {.name = "if-not-exists",
         .help = "create: succeed if the hub exists",
         .flag = &o.if_not_exists},
        {.name = "if-exists",
         .help = "delete: succeed if there is no such hub",
         .flag = &o.if_exists},
        {.name = "all",
         .help = "list: internal hubs too; describe: default settings too",
         .flag = &o.all},
        EDDY_CLI_OPT_CLIENT_SET(&props),
        {.name = NULL},
    };
    int npos = 0;
    int rc =
        eddy_cli_parse("hubs",
                       "Usage: eddy hubs list\n"
                       "       eddy hubs create NAME [--partitions N] [--config NAME=VALUE ...]\n"
                       "       eddy hubs describe NAME\n"
                       "       eddy hubs delete NAME\n"
                       "       (each with [--bootstrap HOST:PORT | --connection-string STR])\n\n"
                       "Manages event hubs through the Kafka admin API.",
                       opts, argc, argv, &npos);
    int status = EDDY_EXIT_USAGE;
    eddy_client_config ccfg = {0};
    rd_kafka_t *rk = NULL;
    if (rc >= 0) {
        status = rc;
        goto done;
    }
    if (npos < 1) {
        eddy_cli_usage_error("hubs", "say what to do: list, create, describe or delete");
        goto done;
    }
    const char *action = argv[1];
    bool needs_name = strcmp(action, "create") == 0 || strcmp(action, "describe") == 0 ||
                      strcmp(action, "delete") == 0;
    if (!needs_name && strcmp(action, "list") != 0) {
        eddy_cli_usage_error("hubs", "unknown action '%s' (list, create, describe, delete)",
                             action);
        goto done;
    }
    if (needs_name ? npos != 2 : npos != 1) {
        eddy_cli_usage_error("hubs", needs_name ? "%s takes one hub name" : "%s takes no name",
                             action);
        goto done;
    }
    if (strcmp(action, "create") != 0 &&
        (o.partitions || o.replication || o.nconfigs || o.if_not_exists)) {
        eddy_cli_usage_error("hubs", "--partitions, --replication-factor, --config and "
                                     "--if-not-exists are for create");
        goto done;
    }
    if (strcmp(action, "delete") != 0 && o.if_exists) {
        eddy_cli_usage_error("hubs", "--if-exists is for delete");
        goto done;
    }
    char err[512];
    eddy_client_opts copts = {
        .bootstrap = bootstrap, .connection_string = conn, .props = props.v, .nprops = props.n};
    if (eddy_client_config_build(&copts, &ccfg, err, sizeof err) ||
        eddy_client_config_set(&ccfg, "allow.auto.create.topics", "false")) {
        eddy_cli_usage_error("hubs", "%s", err);
        goto done;
    }
    rk = eddy_client_new(RD_KAFKA_PRODUCER, "hubs", &ccfg, NULL, NULL, err, sizeof err);
    if (!rk) {
        eddy_cli_usage_error("hubs", "%s", err);
        goto done;
    }
    if (strcmp(action, "list") == 0) {
        status = hubs_list(rk, &ccfg, &o);
    } else if (strcmp(action, "create") == 0) {
        status = hubs_create(rk, argv[2], &o);
    } else if (strcmp(action, "delete") == 0) {
        status = hubs_delete(rk, argv[2], &o);
    } else {
        status = hubs_describe(rk, &ccfg, argv[2], &o);
    }
done:
    if (rk) {
        rd_kafka_destroy(rk);
    }
    eddy_client_config_deinit(&ccfg);
    eddy_client_props_free(&props);
    free(o.configs);
    return status;
}
