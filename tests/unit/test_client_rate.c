/* client/rate.h, hist.h and parse.h: the rate schedule hands out exactly
 * rate x span events however irregularly it is polled (1/s to millions/s),
 * never bursts past its bucket after a stall and never drifts; the
 * histogram's percentiles are within its stated precision; command-line
 * values parse and bad ones are refused. All on a simulated clock. */
#include <math.h>

#include "client/hist.h"
#include "client/parse.h"
#include "client/rate.h"
#include "core/error.h"
#include "test.h"

#define SEC 1000000000LL

/* Polls a schedule of `rate` from t=0 to t<span_ns, the poll times stepping
 * by a pseudo-random amount up to max_step_ns; counts events due before the
 * end (as eddy produce does for --duration). */
static int64_t run(double rate, int64_t span_ns, int64_t max_step_ns, uint64_t seed)
{
    eddy_rate r;
    eddy_rate_init(&r, rate, 0, 1.0);
    int64_t now = 0, n = 0, last_due = -1;
    uint64_t s = seed | 1;
    while (now < span_ns + max_step_ns) {
        int64_t due;
        while (eddy_rate_due_ns(&r) < span_ns && eddy_rate_next(&r, now, &due)) {
            if (due < last_due || due > now) {
                return -1; /* due times go forward and are never in the future */
            }
            last_due = due;
            n++;
        }
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        now += 1 + (int64_t)(s % (uint64_t)max_step_ns);
    }
    return n;
}

TEST(rate_is_exact_over_a_span)
{
    EXPECT_EQ_INT(run(2000, 5 * SEC, 3000000, 1), 10000);      /* 2000/s for 5 s */
    EXPECT_EQ_INT(run(1, 10 * SEC, 300000000, 2), 10);         /* 1/s */
    EXPECT_EQ_INT(run(0.5, 10 * SEC, 100000000, 3), 5);        /* below 1/s */
    EXPECT_EQ_INT(run(10000, 2 * SEC, 1000000, 4), 20000);     /* polled every <=1 ms */
    EXPECT_EQ_INT(run(1000000, 1 * SEC, 5000000, 5), 1000000); /* 1M/s, 5 ms steps */
    EXPECT_EQ_INT(run(333.3, 3 * SEC, 7000000, 6), 1000);      /* fractional rates */
}

TEST(rate_waits_until_the_next_event)
{
    eddy_rate r;
    eddy_rate_init(&r, 4, 1000, 1.0); /* every 250 ms */
    EXPECT_EQ_INT(eddy_rate_wait_ns(&r, 1000), 0);
    EXPECT_TRUE(eddy_rate_next(&r, 1000, NULL));
    EXPECT_TRUE(!eddy_rate_next(&r, 1000, NULL));
    EXPECT_EQ_INT(eddy_rate_wait_ns(&r, 1000), 250000000);
    EXPECT_EQ_INT(eddy_rate_wait_ns(&r, 100000000), 150001000);
    EXPECT_TRUE(eddy_rate_next(&r, 250001000, NULL));
}

TEST(rate_catches_up_at_most_one_bucket_after_a_stall)
{
    eddy_rate r;
    eddy_rate_init(&r, 1000, 0, 1.0); /* bucket: 1 s = 1000 events */
    int64_t n = 0;
    /* Stalled for 10 s: only a bucket's worth is due at once. */
    while (eddy_rate_next(&r, 10 * SEC, NULL)) {
        n++;
    }
    EXPECT_TRUE(n >= 1000 && n <= 1001);
    /* Then the schedule goes on at the rate. */
    int64_t m = 0;
    while (eddy_rate_next(&r, 11 * SEC, NULL)) {
        m++;
    }
    EXPECT_TRUE(m >= 999 && m <= 1001);
}

TEST(rate_does_not_drift_over_long_runs)
{
    eddy_rate r;
    eddy_rate_init(&r, 3, 0, 1.0);
    int64_t n = 0;
    for (int64_t now = 0; now <= 86400 * SEC; now += SEC / 2) {
        while (eddy_rate_next(&r, now, NULL)) {
            n++;
        }
    }
    EXPECT_EQ_INT(n, 86400 * 3 + 1); /* events at 0, 1/3 s, ..., 86400 s */
}

TEST(histogram_percentiles_within_precision)
{
    static eddy_hist h;
    eddy_hist_init(&h);
    EXPECT_EQ_INT(eddy_hist_percentile(&h, 50), 0);
    for (int64_t v = 1; v <= 100000; v++) {
        eddy_hist_record(&h, v * 1000); /* 1 us .. 100 ms */
    }
    EXPECT_EQ_INT(h.count, 100000);
    EXPECT_EQ_INT(h.min, 1000);
    EXPECT_EQ_INT(h.max, 100000000);
    static const double ps[] = {1, 50, 90, 99, 99.9};
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        double want = ps[i] * 1000.0 * 1000.0;
        double got = (double)eddy_hist_percentile(&h, ps[i]);
        if (fabs(got - want) / want > 1.0 / 64) {
            TEST_FAIL_AT("p%g: got %.0f, want %.0f", ps[i], got, want);
            return;
        }
    }
    EXPECT_EQ_INT(eddy_hist_percentile(&h, 100), 100000000);
    /* Small values are exact; negative ones count as zero; huge ones fit. */
    eddy_hist_init(&h);
    for (int v = 0; v < 100; v++) {
        eddy_hist_record(&h, v);
    }
    EXPECT_EQ_INT(eddy_hist_percentile(&h, 50), 49);
    eddy_hist_record(&h, -5);
    eddy_hist_record(&h, INT64_MAX);
    EXPECT_EQ_INT(h.min, 0);
    EXPECT_EQ_INT(eddy_hist_percentile(&h, 100), INT64_MAX);
    static eddy_hist a, b;
    eddy_hist_init(&a);
    eddy_hist_init(&b);
    eddy_hist_record(&a, 10);
    eddy_hist_record(&b, 1000);
    eddy_hist_merge(&a, &b);
    EXPECT_EQ_INT(a.count, 2);
    EXPECT_EQ_INT(a.max, 1000);
    EXPECT_EQ_INT(eddy_hist_percentile(&a, 50), 10);
}

TEST(parse_times)
{
    int64_t ms;
    EXPECT_EQ_INT(eddy_client_parse_time("2026-11-24T20:00:00Z", &ms), 0);
    EXPECT_EQ_INT(ms, 1795550400000LL);
    EXPECT_EQ_INT(eddy_client_parse_time("2026-11-24T20:00:00.123Z", &ms), 0);
    EXPECT_EQ_INT(ms, 1795550400123LL);
    EXPECT_EQ_INT(eddy_client_parse_time("2026-11-24T20:00:00.1239Z", &ms), 0);
    EXPECT_EQ_INT(ms, 1795550400123LL);
    EXPECT_EQ_INT(eddy_client_parse_time("2026-11-24 21:00:00+01:00", &ms), 0);
    EXPECT_EQ_INT(ms, 1795550400000LL);
    EXPECT_EQ_INT(eddy_client_parse_time("2026-11-24T15:30-0430", &ms), 0);
    EXPECT_EQ_INT(ms, 1795550400000LL);
    EXPECT_EQ_INT(eddy_client_parse_time("2026-11-24", &ms), 0);
    EXPECT_EQ_INT(ms, 1795478400000LL);
    EXPECT_EQ_INT(eddy_client_parse_time("1970-01-01T00:00:00", &ms), 0);
    EXPECT_EQ_INT(ms, 0);
    EXPECT_EQ_INT(eddy_client_parse_time("2024-02-29", &ms), 0);
    static const char *const bad[] = {"",
                                      "2026",
                                      "2026-13-01",
                                      "2026-02-30",
                                      "2025-02-29",
                                      "2026-11-24T",
                                      "2026-11-24T25:00",
                                      "2026-11-24T20:00:00.Z",
                                      "2026-11-24T20:00:00Q",
                                      "2026-11-24T20:00:00+2",
                                      "26-11-24",
                                      "yesterday"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (eddy_client_parse_time(bad[i], &ms) != EDDY_ERR_INVALID_ARG) {
            TEST_FAIL_AT("accepted '%s'", bad[i]);
            return;
        }
    }
}

TEST(parse_durations_counts_rates)
{
    int64_t v;
    double d;
    EXPECT_EQ_INT(eddy_client_parse_duration_ms("5", &v), 0);
    EXPECT_EQ_INT(v, 5000);
    EXPECT_EQ_INT(eddy_client_parse_duration_ms("1.5s", &v), 0);
    EXPECT_EQ_INT(v, 1500);
    EXPECT_EQ_INT(eddy_client_parse_duration_ms("250ms", &v), 0);
    EXPECT_EQ_INT(v, 250);
    EXPECT_EQ_INT(eddy_client_parse_duration_ms("2m", &v), 0);
    EXPECT_EQ_INT(v, 120000);
    EXPECT_EQ_INT(eddy_client_parse_duration_ms("1h", &v), 0);
    EXPECT_EQ_INT(v, 3600000);
    EXPECT_EQ_INT(eddy_client_parse_duration_ms("-1s", &v), EDDY_ERR_INVALID_ARG);
    EXPECT_EQ_INT(eddy_client_parse_duration_ms("5 s", &v), EDDY_ERR_INVALID_ARG);
    EXPECT_EQ_INT(eddy_client_parse_duration_ms("s", &v), EDDY_ERR_INVALID_ARG);
    EXPECT_EQ_INT(eddy_client_parse_duration_ms("5parsecs", &v), EDDY_ERR_INVALID_ARG);
    EXPECT_EQ_INT(eddy_client_parse_duration_ms("inf", &v), EDDY_ERR_INVALID_ARG);
    EXPECT_EQ_INT(eddy_client_parse_count("50000", &v), 0);
    EXPECT_EQ_INT(v, 50000);
    EXPECT_EQ_INT(eddy_client_parse_count("100k", &v), 0);
    EXPECT_EQ_INT(v, 100000);
    EXPECT_EQ_INT(eddy_client_parse_count("1M", &v), 0);
    EXPECT_EQ_INT(v, 1000000);
    EXPECT_EQ_INT(eddy_client_parse_count("1e6", &v), 0);
    EXPECT_EQ_INT(v, 1000000);
    EXPECT_EQ_INT(eddy_client_parse_count("0", &v), 0);
    EXPECT_EQ_INT(eddy_client_parse_count("1.5", &v), EDDY_ERR_INVALID_ARG);
    EXPECT_EQ_INT(eddy_client_parse_count("-3", &v), EDDY_ERR_INVALID_ARG);
    EXPECT_EQ_INT(eddy_client_parse_count("0x10", &v), EDDY_ERR_INVALID_ARG);
    EXPECT_EQ_INT(eddy_client_parse_count("12abc", &v), EDDY_ERR_INVALID_ARG);
    EXPECT_EQ_INT(eddy_client_parse_count("", &v), EDDY_ERR_INVALID_ARG);
    EXPECT_EQ_INT(eddy_client_parse_rate("2000", &d), 0);
    EXPECT_TRUE(d == 2000);
    EXPECT_EQ_INT(eddy_client_parse_rate("0.5", &d), 0);
    EXPECT_TRUE(d == 0.5);
    EXPECT_EQ_INT(eddy_client_parse_rate("10k", &d), 0);
    EXPECT_TRUE(d == 10000);
    EXPECT_EQ_INT(eddy_client_parse_rate("0", &d), EDDY_ERR_INVALID_ARG);
    EXPECT_EQ_INT(eddy_client_parse_rate("nan", &d), EDDY_ERR_INVALID_ARG);
}

int main(void)
{
    RUN(rate_is_exact_over_a_span);
    RUN(rate_waits_until_the_next_event);
    RUN(rate_catches_up_at_most_one_bucket_after_a_stall);
    RUN(rate_does_not_drift_over_long_runs);
    RUN(histogram_percentiles_within_precision);
    RUN(parse_times);
    RUN(parse_durations_counts_rates);
    return test_summary();
}
