/* eddy groups: consumer groups through the Kafka admin API, so the same
 * commands work against eddy, Kafka, Redpanda or Azure Event Hubs.
 *
 *   eddy groups list               every group with its state
 *   eddy groups describe GROUP [--hub NAME]
 *       state, members and, per partition the group has offsets for (or every
 *       partition of --hub), the committed offset, the end offset (high
 *       watermark) and the lag = end - committed.
 *
 * Built on ListConsumerGroups, DescribeConsumerGroups and
 * ListConsumerGroupOffsets (librdkafka 2.0), with watermarks from
 * ListOffsets. */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "client/config.h"
#include "client/kafka.h"

#define TIMEOUT_MS 30000

typedef struct group_row {
    const char *name;
    const char *state;
    bool simple;
} group_row;

static int cmp_row(const void *a, const void *b)
{
    return strcmp(((const group_row *)a)->name, ((const group_row *)b)->name);
}

static int groups_list(rd_kafka_t *rk)
{
    char err[512];
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_AdminOptions_t *ao =
        eddy_client_admin_options(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS, TIMEOUT_MS);
    rd_kafka_ListConsumerGroups(rk, ao, q);
    int status = EDDY_EXIT_FAIL;
    rd_kafka_event_t *ev = eddy_client_admin_wait(q, TIMEOUT_MS, err, sizeof err);
    if (!ev) {
        fprintf(stderr, "eddy groups: list: %s\n", err);
        goto out;
    }
    const rd_kafka_ListConsumerGroups_result_t *res = rd_kafka_event_ListConsumerGroups_result(ev);
    size_t n, nerr;
    const rd_kafka_ConsumerGroupListing_t **valid =
        rd_kafka_ListConsumerGroups_result_valid(res, &n);
    const rd_kafka_error_t **errors = rd_kafka_ListConsumerGroups_result_errors(res, &nerr);
    group_row *rows = calloc(n ? n : 1, sizeof *rows);
    if (!rows) {
        rd_kafka_event_destroy(ev);
        goto out;
    }
    size_t width = 5;
    for (size_t i = 0; i < n; i++) {
        rows[i].name = rd_kafka_ConsumerGroupListing_group_id(valid[i]);
        rows[i].state =
            rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupListing_state(valid[i]));
        rows[i].simple = rd_kafka_ConsumerGroupListing_is_simple_consumer_group(valid[i]);
        if (strlen(rows[i].name) > width) {
            width = strlen(rows[i].name);
        }
    }
    qsort(rows, n, sizeof *rows, cmp_row);
    printf("%-*s  %-18s  TYPE\n", (int)width, "GROUP", "STATE");
    for (size_t i = 0; i < n; i++) {
        printf("%-*s  %-18s  %s\n", (int)width, rows[i].name, rows[i].state,
               rows[i].simple ? "simple" : "consumer");
    }
    for (size_t i = 0; i < nerr; i++) {
        fprintf(stderr, "eddy groups: list: %s\n", rd_kafka_error_string(errors[i]));
    }
    status = nerr ? EDDY_EXIT_FAIL : EDDY_EXIT_OK;
    free(rows);
    rd_kafka_event_destroy(ev);
out:
    rd_kafka_AdminOptions_destroy(ao);
    rd_kafka_queue_destroy(q);
    return status;
}

/* Who holds a partition: "client-id (host)" of the member assigned it. */
static const char *holder(const rd_kafka_ConsumerGroupDescription_t *desc, const char *topic,
                          int32_t partition, char *buf, size_t buflen)
{
    size_t members = desc ? rd_kafka_ConsumerGroupDescription_member_count(desc) : 0;
    for (size_t i = 0; i < members; i++) {
        const rd_kafka_MemberDescription_t *m = rd_kafka_ConsumerGroupDescription_member(desc, i);
        const rd_kafka_topic_partition_list_t *parts =
            rd_kafka_MemberAssignment_partitions(rd_kafka_MemberDescription_assignment(m));
        for (int k = 0; parts && k < parts->cnt; k++) {
            if (parts->elems[k].partition == partition &&
                strcmp(parts->elems[k].topic, topic) == 0) {
                snprintf(buf, buflen, "%s (%s)", rd_kafka_MemberDescription_client_id(m),
                         rd_kafka_MemberDescription_host(m));
                return buf;
            }
        }
    }
    return "-";
}

static int cmp_tp(const void *a, const void *b)
{
    const rd_kafka_topic_partition_t *x = a, *y = b;
    int c = strcmp(x->topic, y->topic);
    return c ? c : (x->partition > y->partition) - (x->partition < y->partition);
}

/* The group's committed offsets, as a list (owned), or NULL with err set. */
static rd_kafka_topic_partition_list_t *committed_offsets(rd_kafka_t *rk, const char *group,
                                                          char *err, size_t errlen)
{
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_AdminOptions_t *ao =
        eddy_client_admin_options(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, TIMEOUT_MS);
    rd_kafka_ListConsumerGroupOffsets_t *req = rd_kafka_ListConsumerGroupOffsets_new(group, NULL);
    rd_kafka_ListConsumerGroupOffsets(rk, &req, 1, ao, q);
    rd_kafka_topic_partition_list_t *out = NULL;
    rd_kafka_event_t *ev = eddy_client_admin_wait(q, TIMEOUT_MS, err, errlen);
    if (ev) {
        size_t n;
        const rd_kafka_group_result_t **res = rd_kafka_ListConsumerGroupOffsets_result_groups(
            rd_kafka_event_ListConsumerGroupOffsets_result(ev), &n);
        const rd_kafka_error_t *e = n ? rd_kafka_group_result_error(res[0]) : NULL;
        if (n == 0) {
            snprintf(err, errlen, "no answer for the group");
        } else if (e) {
            snprintf(err, errlen, "%s", rd_kafka_error_string(e));
        } else {
            const rd_kafka_topic_partition_list_t *parts = rd_kafka_group_result_partitions(res[0]);
            out = parts ? rd_kafka_topic_partition_list_copy(parts)
                        : rd_kafka_topic_partition_list_new(0);
        }
        rd_kafka_event_destroy(ev);
    }
    rd_kafka_ListConsumerGroupOffsets_destroy(req);
    rd_kafka_AdminOptions_destroy(ao);
    rd_kafka_queue_destroy(q);
    return out;
}

static int groups_describe(rd_kafka_t *rk, const eddy_client_config *cfg, const char *group,
                           const char *hub)
{
    char err[512];
    int status = EDDY_EXIT_FAIL;
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_AdminOptions_t *ao =
        eddy_client_admin_options(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS, TIMEOUT_MS);
    const char *groups[] = {group};
    rd_kafka_DescribeConsumerGroups(rk, groups, 1, ao, q);
    rd_kafka_topic_partition_list_t *offsets = NULL;
    const rd_kafka_ConsumerGroupDescription_t *desc = NULL;
    rd_kafka_event_t *ev = eddy_client_admin_wait(q, TIMEOUT_MS, err, sizeof err);
    if (!ev) {
        fprintf(stderr, "eddy groups: describe %s: %s\n", group, err);
        goto out;
    }
    size_t n;
    const rd_kafka_ConsumerGroupDescription_t **descs =
        rd_kafka_DescribeConsumerGroups_result_groups(
            rd_kafka_event_DescribeConsumerGroups_result(ev), &n);
    if (n == 0) {
        fprintf(stderr, "eddy groups: describe %s: no answer for the group\n", group);
        goto out;
    }
    desc = descs[0];
    const rd_kafka_error_t *derr = rd_kafka_ConsumerGroupDescription_error(desc);
    if (derr) {
        fprintf(stderr, "eddy groups: describe %s: %s\n", group, rd_kafka_error_string(derr));
        goto out;
    }
    rd_kafka_consumer_group_state_t state = rd_kafka_ConsumerGroupDescription_state(desc);
    size_t members = rd_kafka_ConsumerGroupDescription_member_count(desc);
    const char *assignor = rd_kafka_ConsumerGroupDescription_partition_assignor(desc);
    printf("group %s: %s, %zu member%s%s%s\n", group, rd_kafka_consumer_group_state_name(state),
           members, members == 1 ? "" : "s", assignor && *assignor ? ", assignor " : "",
           assignor && *assignor ? assignor : "");
    for (size_t i = 0; i < members; i++) {
        const rd_kafka_MemberDescription_t *m = rd_kafka_ConsumerGroupDescription_member(desc, i);
        const rd_kafka_topic_partition_list_t *parts =
            rd_kafka_MemberAssignment_partitions(rd_kafka_MemberDescription_assignment(m));
        printf("  member %s  client %s  host %s  partitions %d\n",
               rd_kafka_MemberDescription_consumer_id(m), rd_kafka_MemberDescription_client_id(m),
               rd_kafka_MemberDescription_host(m), parts ? parts->cnt : 0);
    }

    offsets = committed_offsets(rk, group, err, sizeof err);
    if (!offsets) {
        fprintf(stderr, "eddy groups: committed offsets of %s: %s\n", group, err);
        goto out;
    }
    /* With --hub, every partition of the hub, committed or not. */
    rd_kafka_topic_partition_list_t *rows = rd_kafka_topic_partition_list_new(offsets->cnt + 16);
    for (int i = 0; i < offsets->cnt; i++) {
        const rd_kafka_topic_partition_t *tp = &offsets->elems[i];
        if (!hub || strcmp(tp->topic, hub) == 0) {
            rd_kafka_topic_partition_list_add(rows, tp->topic, tp->partition)->offset = tp->offset;
        }
    }
    if (hub) {
        const struct rd_kafka_metadata *md;
        if (eddy_client_metadata(rk, cfg, hub, TIMEOUT_MS, &md, err, sizeof err)) {
            fprintf(stderr, "eddy groups: %s\n", err);
            rd_kafka_topic_partition_list_destroy(rows);
            goto out;
        }
        for (int i = 0; i < md->topic_cnt; i++) {
            if (strcmp(md->topics[i].topic, hub) != 0) {
                continue;
            }
            for (int p = 0; p < md->topics[i].partition_cnt; p++) {
                int32_t id = md->topics[i].partitions[p].id;
                if (!rd_kafka_topic_partition_list_find(rows, hub, id)) {
                    rd_kafka_topic_partition_list_add(rows, hub, id)->offset =
                        RD_KAFKA_OFFSET_INVALID;
                }
            }
        }
        rd_kafka_metadata_destroy(md);
    }
    qsort(rows->elems, (size_t)rows->cnt, sizeof *rows->elems, cmp_tp);
    size_t width = 3;
    for (int i = 0; i < rows->cnt; i++) {
        if (strlen(rows->elems[i].topic) > width) {
            width = strlen(rows->elems[i].topic);
        }
    }
    if (rows->cnt == 0) {
        printf("no committed offsets%s%s\n", hub ? " for hub " : "", hub ? hub : "");
    } else {
        printf("%-*s  PARTITION  COMMITTED  END-OFFSET  LAG       MEMBER\n", (int)width, "HUB");
    }
    int64_t total = 0;
    status = EDDY_EXIT_OK;
    for (int i = 0; i < rows->cnt; i++) {
        const rd_kafka_topic_partition_t *tp = &rows->elems[i];
        int64_t low, high;
        char who[300], committed[24], end[24], lag[24];
        rd_kafka_resp_err_t e =
            rd_kafka_query_watermark_offsets(rk, tp->topic, tp->partition, &low, &high, TIMEOUT_MS);
        if (tp->offset >= 0) {
            snprintf(committed, sizeof committed, "%lld", (long long)tp->offset);
        } else {
            snprintf(committed, sizeof committed, "-");
        }
        if (e) {
            snprintf(end, sizeof end, "?");
            snprintf(lag, sizeof lag, "?");
            status = EDDY_EXIT_FAIL;
            fprintf(stderr, "eddy groups: end offset of %s/%d: %s\n", tp->topic, tp->partition,
                    rd_kafka_err2str(e));
        } else {
            snprintf(end, sizeof end, "%lld", (long long)high);
            if (tp->offset >= 0) {
                int64_t l = high - tp->offset > 0 ? high - tp->offset : 0;
                snprintf(lag, sizeof lag, "%lld", (long long)l);
                total += l;
            } else {
                snprintf(lag, sizeof lag, "-");
            }
        }
        printf("%-*s  %-9d  %-9s  %-10s  %-8s  %s\n", (int)width, tp->topic, tp->partition,
               committed, end, lag, holder(desc, tp->topic, tp->partition, who, sizeof who));
    }
    if (rows->cnt) {
        printf("total lag: %lld\n", (long long)total);
    }
    rd_kafka_topic_partition_list_destroy(rows);
out:
    if (offsets) {
        rd_kafka_topic_partition_list_destroy(offsets);
    }
    if (ev) {
        rd_kafka_event_destroy(ev);
    }
    rd_kafka_AdminOptions_destroy(ao);
    rd_kafka_queue_destroy(q);
    return status;
}

int eddy_cmd_groups(int argc, char **argv)
{
    const char *bootstrap = NULL, *conn = NULL, *hub = NULL;
    eddy_client_props props = {0};
    eddy_cli_opt opts[] = {
        EDDY_CLI_OPT_BOOTSTRAP(&bootstrap),
        EDDY_CLI_OPT_CONNECTION_STRING(&conn),
        {.name = "hub",
         .metavar = "NAME",
         .help = "describe: only this hub, with every partition",
         .value = &hub},
        EDDY_CLI_OPT_CLIENT_SET(&props),
        {.name = NULL},
    };
    int npos = 0;
    int rc =
        eddy_cli_parse("groups",
                       "Usage: eddy groups list\n"
                       "       eddy groups describe GROUP [--hub NAME]\n"
                       "       (each with [--bootstrap HOST:PORT | --connection-string STR])\n\n"
                       "Lists consumer groups; describes a group's members and, per\n"
                       "partition, committed offset, end offset and lag (end - committed).",
                       opts, argc, argv, &npos);
    int status = EDDY_EXIT_USAGE;
    eddy_client_config ccfg = {0};
    rd_kafka_t *rk = NULL;
    if (rc >= 0) {
        status = rc;
        goto done;
    }
    if (npos < 1) {
        eddy_cli_usage_error("groups", "say what to do: list or describe GROUP");
        goto done;
    }
    const char *action = argv[1];
    if (strcmp(action, "list") == 0) {
        if (npos != 1 || hub) {
            eddy_cli_usage_error("groups", "list takes no group name and no --hub");
            goto done;
        }
    } else if (strcmp(action, "describe") == 0) {
        if (npos != 2) {
            eddy_cli_usage_error("groups", "describe takes one group name");
            goto done;
        }
    } else {
        eddy_cli_usage_error("groups", "unknown action '%s' (list, describe)", action);
        goto done;
    }
    char err[512];
    eddy_client_opts copts = {
        .bootstrap = bootstrap, .connection_string = conn, .props = props.v, .nprops = props.n};
    if (eddy_client_config_build(&copts, &ccfg, err, sizeof err) ||
        eddy_client_config_set(&ccfg, "allow.auto.create.topics", "false")) {
        eddy_cli_usage_error("groups", "%s", err);
        goto done;
    }
    rk = eddy_client_new(RD_KAFKA_PRODUCER, "groups", &ccfg, NULL, NULL, err, sizeof err);
    if (!rk) {
        eddy_cli_usage_error("groups", "%s", err);
        goto done;
    }
    status =
        strcmp(action, "list") == 0 ? groups_list(rk) : groups_describe(rk, &ccfg, argv[2], hub);
done:
    if (rk) {
        rd_kafka_destroy(rk);
    }
    eddy_client_config_deinit(&ccfg);
    eddy_client_props_free(&props);
    return status;
}
