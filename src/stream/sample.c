/* The columns of a hub before a query binds: a look at its latest events
 * (stream.h eddy_stream_src_api). */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <string.h>

#include "client/kafka.h"
#include "core/clock.h"
#include "stream/stream.h"

#define SAMPLE_EVENTS 1000
#define SAMPLE_MS     2000

static const eddy_client_config *sample_cfg;

/* A consumer needs a group id even when it assigns partitions itself; it
 * commits nothing. */
static void prepare(rd_kafka_conf_t *conf, void *arg)
{
    (void)arg;
    char e[256];
    rd_kafka_conf_set(conf, "group.id", "eddy-query-sample", e, sizeof e);
    rd_kafka_conf_set(conf, "enable.auto.commit", "false", e, sizeof e);
}

/* Reads up to SAMPLE_EVENTS of the hub's latest events (spread over its
 * partitions) for their Body's keys. Best effort: a hub that cannot be
 * reached or has no events gives none. */
static void sample(eddy_sql_src *s, const char *hub)
{
    char err[512];
    rd_kafka_t *rk =
        eddy_client_new(RD_KAFKA_CONSUMER, "query", sample_cfg, prepare, NULL, err, sizeof err);
    if (!rk) {
        return;
    }
    rd_kafka_poll_set_consumer(rk);
    const struct rd_kafka_metadata *md;
    if (eddy_client_metadata(rk, sample_cfg, hub, 5000, &md, err, sizeof err) != 0) {
        rd_kafka_destroy(rk);
        return; /* the run reports it */
    }
    int np = md->topic_cnt > 0 ? md->topics[0].partition_cnt : 0;
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(np > 0 ? np : 1);
    int64_t want = 0;
    for (int p = 0; p < np; p++) {
        int64_t low = 0, high = 0;
        int32_t id = md->topics[0].partitions[p].id;
        if (rd_kafka_query_watermark_offsets(rk, hub, id, &low, &high, 5000) != 0 || high <= low) {
            continue;
        }
        int64_t n = SAMPLE_EVENTS / np + 1;
        rd_kafka_topic_partition_list_add(l, hub, id)->offset = high - n > low ? high - n : low;
        want += high - low < n ? high - low : n;
    }
    rd_kafka_metadata_destroy(md);
    if (l->cnt > 0 && rd_kafka_assign(rk, l) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        int64_t until = eddy_clock_mono_ms() + SAMPLE_MS;
        int64_t got = 0;
        while (got < want && eddy_clock_mono_ms() < until) {
            rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
            if (!m) {
                continue;
            }
            if (!m->err) {
                got++;
                if (m->payload && m->len > 0) {
                    eddy_sql_hub_add_sample(s, m->payload, m->len);
                }
            }
            rd_kafka_message_destroy(m);
        }
    }
    rd_kafka_topic_partition_list_destroy(l);
    rd_kafka_destroy(rk);
}

static int open_sampled(const eddy_sql_src_opts *opts, eddy_sql_src **out, char *err, size_t errlen)
{
    int rc = eddy_sql_src_default.open(opts, out, err, errlen);
    if (rc == 0 && opts->kind == EDDY_SQL_SRC_HUB && sample_cfg) {
        sample(*out, opts->pattern);
    }
    return rc;
}

const eddy_sql_src_api *eddy_stream_src_api(const eddy_client_config *cfg)
{
    static eddy_sql_src_api api;
    api = eddy_sql_src_default;
    api.open = open_sampled;
    sample_cfg = cfg;
    return &api;
}
