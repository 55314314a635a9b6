/* Rate control for `eddy produce`: a token bucket expressed as a schedule.
 *
 * Event k is due at start + k / rate. The sender asks for every event that
 * is due (eddy_rate_next), sends them in one go and sleeps until the next is
 * due (eddy_rate_wait_ns), so there is no sleep per event and the rate is
 * exact from 1/s up to whatever the machine can send: the count over any
 * span is rate * span within one event. The bucket holds at most
 * burst_seconds of tokens: a sender that fell behind by more (a stall, a
 * full queue) catches up only that much, then the schedule moves on rather
 * than bursting without limit. Pure arithmetic on the caller's clock, so it
 * is tested without sleeping. */
#ifndef EDDY_CLIENT_RATE_H
#define EDDY_CLIENT_RATE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct eddy_rate {
    double interval_ns; /* 1e9 / rate */
    int64_t start_ns;   /* due time of event k0 */
    int64_t k0;         /* events before the schedule was last moved on */
    int64_t k;          /* events handed out */
    int64_t burst_ns;
} eddy_rate;

/* Starts the schedule at now_ns for per_second events a second (> 0). */
void eddy_rate_init(eddy_rate *r, double per_second, int64_t now_ns, double burst_seconds);

/* Due time of the next event (not yet handed out). */
int64_t eddy_rate_due_ns(const eddy_rate *r);

/* When the next event is due at or before now_ns, hands it out: returns true
 * with its due time in *due_ns (may be NULL). */
bool eddy_rate_next(eddy_rate *r, int64_t now_ns, int64_t *due_ns);

/* Nanoseconds from now_ns until the next event is due; 0 when it is. */
int64_t eddy_rate_wait_ns(const eddy_rate *r, int64_t now_ns);

#endif
