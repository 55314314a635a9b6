/* gen/gen.h, telemetry.h and nexmark.h: every event is valid JSON (checked
 * with jansson) with the documented fields; a seed gives the same events and
 * another seed different ones; telemetry keys are the deviceId and anomalies
 * and late events come at the configured fractions, no later than allowed;
 * Nexmark keeps the 1:3:46 mix and its id relations; replay hands lines over
 * unchanged. */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/error.h"
#include "gen/gen.h"
#include "gen/nexmark.h"
#include "gen/telemetry.h"
#include "test.h"

#define T0 1795550400000LL /* 2026-11-24T20:00:00Z */

static eddy_gen *make(const char *kind, uint64_t seed)
{
    eddy_gen_config cfg;
    eddy_gen_config_defaults(&cfg);
    cfg.kind = kind;
    cfg.seed = seed;
    char err[256];
    eddy_gen *g = NULL;
    if (eddy_gen_new(&cfg, &g, err, sizeof err)) {
        printf("  eddy_gen_new(%s): %s\n", kind, err);
    }
    return g;
}

static json_t *parse(const eddy_gen_event *ev)
{
    json_error_t e;
    json_t *j = json_loadb(ev->value, ev->value_len, 0, &e);
    if (!j) {
        printf("  not JSON (%s): %.*s\n", e.text, (int)ev->value_len, ev->value);
    }
    return j;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ s[i]) * 0x100000001b3ull;
    }
    return h;
}

/* A digest of n events (keys, bodies, times) from kind with seed. */
static uint64_t digest(const char *kind, uint64_t seed, int n)
{
    eddy_gen *g = make(kind, seed);
    uint64_t h = 0xcbf29ce484222325ull;
    for (int i = 0; g && i < n; i++) {
        eddy_gen_event ev;
        eddy_gen_next(g, T0 + i, &ev);
        h = fnv(h, ev.value, ev.value_len);
        if (ev.key) {
            h = fnv(h, ev.key, ev.key_len);
        }
        h = fnv(h, &ev.ts_ms, sizeof ev.ts_ms);
    }
    eddy_gen_free(g);
    return h;
}

TEST(same_seed_same_events_other_seed_other_events)
{
    EXPECT_EQ_UINT(digest("telemetry", 42, 20000), digest("telemetry", 42, 20000));
    EXPECT_TRUE(digest("telemetry", 42, 20000) != digest("telemetry", 43, 20000));
    EXPECT_EQ_UINT(digest("nexmark", 7, 20000), digest("nexmark", 7, 20000));
    EXPECT_TRUE(digest("nexmark", 7, 20000) != digest("nexmark", 8, 20000));
}

TEST(telemetry_events_are_documented_json_keyed_by_device)
{
    eddy_gen *g = make("telemetry", 1);
    EXPECT_TRUE(g != NULL);
    int64_t last_seq[100];
    memset(last_seq, 0xff, sizeof last_seq);
    int warn = 0, error = 0;
    const int n = 100000;
    for (int i = 0; i < n; i++) {
        eddy_gen_event ev;
        EXPECT_EQ_INT(eddy_gen_next(g, T0 + i, &ev), 1);
        json_t *j = parse(&ev);
        EXPECT_TRUE(j != NULL);
        const char *dev = json_string_value(json_object_get(j, "deviceId"));
        const char *ts = json_string_value(json_object_get(j, "ts"));
        const char *status = json_string_value(json_object_get(j, "status"));
        json_t *temp = json_object_get(j, "temperature");
        json_t *hum = json_object_get(j, "humidity");
        json_t *seq = json_object_get(j, "seq");
        EXPECT_TRUE(dev && ts && status && json_is_number(temp) && json_is_number(hum) &&
                    json_is_integer(seq));
        EXPECT_EQ_INT(json_object_size(j), 6);
        /* The key is the deviceId; seq counts each device's events. */
        EXPECT_EQ_MEM(ev.key, ev.key_len, dev, strlen(dev));
        int id = atoi(dev + 7);
        EXPECT_TRUE(strncmp(dev, "device-", 7) == 0 && id >= 0 && id < 100);
        EXPECT_EQ_INT(json_integer_value(seq), last_seq[id] + 1);
        last_seq[id] = json_integer_value(seq);
        EXPECT_EQ_INT(strlen(ts), 24);
        EXPECT_TRUE(strncmp(ts, "2026-11-24T20:0", 15) == 0);
        double h = json_number_value(hum);
        EXPECT_TRUE(h >= 5 && h <= 95);
        if (strcmp(status, "warn") == 0) {
            warn++;
        } else if (strcmp(status, "error") == 0) {
            error++;
        } else {
            EXPECT_EQ_STR(status, "ok");
        }
        json_decref(j);
    }
    eddy_gen_free(g);
    /* Default anomaly fraction 2%: 1.8% warn, 0.2% error. */
    EXPECT_TRUE(fabs((double)warn / n - 0.018) < 0.002);
    EXPECT_TRUE(fabs((double)error / n - 0.002) < 0.001);
}

TEST(late_fraction_and_max_lateness)
{
    static const double fractions[] = {0.0, 0.05, 0.3, 1.0};
    for (size_t f = 0; f < sizeof fractions / sizeof fractions[0]; f++) {
        eddy_gen_config cfg;
        eddy_gen_config_defaults(&cfg);
        cfg.seed = 3;
        cfg.late_fraction = fractions[f];
        cfg.max_lateness_ms = 2000;
        char err[128];
        eddy_gen *g;
        EXPECT_EQ_INT(eddy_gen_new(&cfg, &g, err, sizeof err), 0);
        const int n = 100000;
        int late = 0, out_of_order = 0;
        int64_t max_seen = INT64_MIN, max_lateness = 0;
        for (int i = 0; i < n; i++) {
            int64_t on_time = T0 + i * 10;
            eddy_gen_event ev;
            eddy_gen_next(g, on_time, &ev);
            /* The body carries the adjusted time. */
            json_t *j = parse(&ev);
            EXPECT_TRUE(j != NULL);
            char iso[40];
            const char *ts = json_string_value(json_object_get(j, "ts"));
            EXPECT_TRUE(ts != NULL);
            EXPECT_EQ_STR(ts, eddy_clock_format_iso_ms(ev.ts_ms, iso, sizeof iso));
            json_decref(j);
            EXPECT_TRUE(ev.ts_ms <= on_time);
            if (ev.ts_ms < on_time) {
                late++;
                if (on_time - ev.ts_ms > max_lateness) {
                    max_lateness = on_time - ev.ts_ms;
                }
            }
            if (ev.ts_ms < max_seen) {
                out_of_order++;
            }
            if (ev.ts_ms > max_seen) {
                max_seen = ev.ts_ms;
            }
        }
        eddy_gen_free(g);
        double got = (double)late / n;
        if (fabs(got - fractions[f]) > 0.005) {
            TEST_FAIL_AT("late fraction %.3f, want %.3f", got, fractions[f]);
            return;
        }
        EXPECT_TRUE(max_lateness <= 2000);
        if (fractions[f] > 0 && fractions[f] < 1) {
            /* Late events arrive after later ones: out of order. */
            EXPECT_TRUE(out_of_order > late / 2);
            EXPECT_TRUE(max_lateness > 1900);
        }
        if (fractions[f] == 0) {
            EXPECT_EQ_INT(out_of_order, 0);
        }
    }
}

TEST(anomaly_fraction_is_configurable)
{
    eddy_gen_config cfg;
    eddy_gen_config_defaults(&cfg);
    cfg.anomaly_fraction = 0.2;
    char err[128];
    eddy_gen *g;
    EXPECT_EQ_INT(eddy_gen_new(&cfg, &g, err, sizeof err), 0);
    int anomalies = 0;
    const int n = 50000;
    for (int i = 0; i < n; i++) {
        eddy_gen_event ev;
        eddy_gen_next(g, T0, &ev);
        if (!memmem(ev.value, ev.value_len, "\"status\":\"ok\"", 13)) {
            anomalies++;
        }
    }
    eddy_gen_free(g);
    EXPECT_TRUE(fabs((double)anomalies / n - 0.2) < 0.01);
}

TEST(bad_settings_are_refused)
{
    eddy_gen_config cfg;
    char err[256];
    eddy_gen *g;
    eddy_gen_config_defaults(&cfg);
    cfg.kind = "bogus";
    EXPECT_EQ_INT(eddy_gen_new(&cfg, &g, err, sizeof err), EDDY_ERR_INVALID_ARG);
    EXPECT_TRUE(strstr(err, "unknown generator 'bogus'") != NULL);
    eddy_gen_config_defaults(&cfg);
    cfg.late_fraction = 1.5;
    EXPECT_EQ_INT(eddy_gen_new(&cfg, &g, err, sizeof err), EDDY_ERR_INVALID_ARG);
    eddy_gen_config_defaults(&cfg);
    cfg.devices = 0;
    EXPECT_EQ_INT(eddy_gen_new(&cfg, &g, err, sizeof err), EDDY_ERR_INVALID_ARG);
    eddy_gen_config_defaults(&cfg);
    cfg.kind = "file:/nonexistent/eddy-test";
    EXPECT_EQ_INT(eddy_gen_new(&cfg, &g, err, sizeof err), EDDY_ERR_NOT_FOUND);
    EXPECT_TRUE(strstr(err, "/nonexistent/eddy-test") != NULL);
    eddy_gen_config_defaults(&cfg);
    cfg.kind = "file:";
    EXPECT_EQ_INT(eddy_gen_new(&cfg, &g, err, sizeof err), EDDY_ERR_INVALID_ARG);
}

static const char *const person_fields[] = {"id",   "name",  "emailAddress", "creditCard",
                                            "city", "state", "dateTime",     "extra"};
static const char *const auction_fields[] = {"id",       "itemName", "description", "initialBid",
                                             "reserve",  "dateTime", "expires",     "seller",
                                             "category", "extra"};
static const char *const bid_fields[] = {"auction", "bidder",   "price", "channel",
                                         "url",     "dateTime", "extra"};

static int has_fields(json_t *obj, const char *const *names, size_t n)
{
    if (!json_is_object(obj) || json_object_size(obj) != n) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (!json_object_get(obj, names[i])) {
            printf("  missing %s\n", names[i]);
            return 0;
        }
    }
    return 1;
}

TEST(nexmark_mix_fields_and_ids)
{
    eddy_gen *g = make("nexmark", 11);
    EXPECT_TRUE(g != NULL);
    const int n = 100000;
    long count[3] = {0, 0, 0};
    int64_t max_person = 999, max_auction = 999;
    long hot_channel = 0, bids = 0;
    for (int i = 0; i < n; i++) {
        eddy_gen_event ev;
        EXPECT_EQ_INT(eddy_gen_next(g, T0 + i / 10, &ev), 1);
        EXPECT_TRUE(ev.key == NULL);
        json_t *j = parse(&ev);
        EXPECT_TRUE(j != NULL);
        int type = (int)json_integer_value(json_object_get(j, "event_type"));
        EXPECT_EQ_INT(type, ev.type);
        EXPECT_TRUE(type >= 0 && type <= 2);
        count[type]++;
        EXPECT_TRUE(json_is_string(json_object_get(j, "dateTime")));
        if (type == EDDY_NEXMARK_PERSON) {
            json_t *p = json_object_get(j, "person");
            EXPECT_TRUE(has_fields(p, person_fields, 8));
            int64_t id = json_integer_value(json_object_get(p, "id"));
            EXPECT_EQ_INT(id, max_person + 1); /* people are numbered in order */
            max_person = id;
            const char *card = json_string_value(json_object_get(p, "creditCard"));
            EXPECT_EQ_INT(strlen(card), 19);
        } else if (type == EDDY_NEXMARK_AUCTION) {
            json_t *a = json_object_get(j, "auction");
            EXPECT_TRUE(has_fields(a, auction_fields, 10));
            int64_t id = json_integer_value(json_object_get(a, "id"));
            EXPECT_EQ_INT(id, max_auction + 1);
            max_auction = id;
            int64_t seller = json_integer_value(json_object_get(a, "seller"));
            int64_t category = json_integer_value(json_object_get(a, "category"));
            EXPECT_TRUE(seller >= 1000 && seller <= max_person + 10);
            EXPECT_TRUE(category >= 10 && category <= 14);
            EXPECT_TRUE(json_integer_value(json_object_get(a, "reserve")) >=
                        json_integer_value(json_object_get(a, "initialBid")));
            const char *dt = json_string_value(json_object_get(a, "dateTime"));
            const char *ex = json_string_value(json_object_get(a, "expires"));
            EXPECT_TRUE(strcmp(ex, dt) > 0); /* ISO strings sort by time */
        } else {
            json_t *b = json_object_get(j, "bid");
            EXPECT_TRUE(has_fields(b, bid_fields, 7));
            int64_t auction = json_integer_value(json_object_get(b, "auction"));
            int64_t bidder = json_integer_value(json_object_get(b, "bidder"));
            /* Bids are for existing auctions (or a few ids ahead). */
            EXPECT_TRUE(auction >= 1000 && auction <= max_auction + 10);
            EXPECT_TRUE(bidder >= 1000 && bidder <= max_person + 10);
            EXPECT_TRUE(json_integer_value(json_object_get(b, "price")) >= 100);
            const char *channel = json_string_value(json_object_get(b, "channel"));
            const char *url = json_string_value(json_object_get(b, "url"));
            EXPECT_TRUE(strncmp(url, "https://www.nexmark.com/", 24) == 0);
            bids++;
            if (strncmp(channel, "channel-", 8) != 0) {
                hot_channel++;
                EXPECT_TRUE(strcmp(channel, "Google") == 0 || strcmp(channel, "Facebook") == 0 ||
                            strcmp(channel, "Baidu") == 0 || strcmp(channel, "Apple") == 0);
            }
        }
        json_decref(j);
    }
    eddy_gen_free(g);
    /* 1:3:46 within 1% of each share. */
    double share[3] = {1.0 / 50, 3.0 / 50, 46.0 / 50};
    for (int t = 0; t < 3; t++) {
        double got = (double)count[t] / n;
        if (fabs(got - share[t]) > 0.01 * share[t]) {
            TEST_FAIL_AT("type %d: share %.5f, want %.5f", t, got, share[t]);
            return;
        }
    }
    /* Half the bids on the four hot channels. */
    EXPECT_TRUE(fabs((double)hot_channel / bids - 0.5) < 0.01);
}

TEST(nexmark_event_depends_only_on_seed_and_id)
{
    eddy_nexmark a, b;
    eddy_nexmark_init(&a, 5, 10000);
    eddy_nexmark_init(&b, 5, 10000);
    char va[EDDY_NEXMARK_VALUE_MAX], vb[EDDY_NEXMARK_VALUE_MAX];
    /* Skip ahead in one: event 1234 is the same either way. */
    for (int i = 0; i < 1234; i++) {
        eddy_nexmark_next(&a, T0, va, sizeof va, NULL);
    }
    b.next_id = 1234;
    size_t na = eddy_nexmark_next(&a, T0, va, sizeof va, NULL);
    size_t nb = eddy_nexmark_next(&b, T0, vb, sizeof vb, NULL);
    EXPECT_EQ_MEM(va, na, vb, nb);
    /* Too small a buffer is refused, not overrun. */
    char small[64];
    EXPECT_EQ_INT(eddy_nexmark_next(&a, T0, small, sizeof small, NULL), 0);
}

TEST(telemetry_api_direct)
{
    eddy_telemetry t;
    EXPECT_EQ_INT(eddy_telemetry_init(&t, 5, 9), 0);
    char key[EDDY_TELEMETRY_KEY_MAX], value[EDDY_TELEMETRY_VALUE_MAX];
    size_t n = eddy_telemetry_next(&t, T0, key, sizeof key, value, sizeof value);
    EXPECT_TRUE(n > 0 && n == strlen(value));
    EXPECT_TRUE(strncmp(key, "device-000", 10) == 0);
    char tiny[8];
    EXPECT_EQ_INT(eddy_telemetry_next(&t, T0, key, sizeof key, tiny, sizeof tiny), 0);
    eddy_telemetry_deinit(&t);
}

TEST(replay_from_a_descriptor_is_unchanged)
{
    int fds[2];
    EXPECT_TRUE(pipe(fds) == 0);
    const char *data = "{\"x\":1}\nraw \xff bytes\r\n\nend";
    EXPECT_EQ_INT(write(fds[1], data, strlen(data)), (long long)strlen(data));
    close(fds[1]);
    eddy_gen_config cfg;
    eddy_gen_config_defaults(&cfg);
    cfg.kind = "-";
    cfg.fd = fds[0];
    char err[128];
    eddy_gen *g;
    EXPECT_EQ_INT(eddy_gen_new(&cfg, &g, err, sizeof err), 0);
    EXPECT_TRUE(eddy_gen_is_replay(g));
    static const char *const want[] = {"{\"x\":1}", "raw \xff bytes\r", "", "end"};
    for (int i = 0; i < 4; i++) {
        eddy_gen_event ev;
        EXPECT_EQ_INT(eddy_gen_next(g, T0, &ev), 1);
        EXPECT_EQ_MEM(ev.value, ev.value_len, want[i], strlen(want[i]));
        EXPECT_TRUE(ev.key == NULL);
        EXPECT_EQ_INT(ev.ts_ms, -1);
    }
    eddy_gen_event ev;
    EXPECT_EQ_INT(eddy_gen_next(g, T0, &ev), 0);
    eddy_gen_free(g);
    close(fds[0]);
}

int main(void)
{
    RUN(same_seed_same_events_other_seed_other_events);
    RUN(telemetry_events_are_documented_json_keyed_by_device);
    RUN(late_fraction_and_max_lateness);
    RUN(anomaly_fraction_is_configurable);
    RUN(bad_settings_are_refused);
    RUN(nexmark_mix_fields_and_ids);
    RUN(nexmark_event_depends_only_on_seed_and_id);
    RUN(telemetry_api_direct);
    RUN(replay_from_a_descriptor_is_unchanged);
    return test_summary();
}
