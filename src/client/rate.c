/* The rate schedule (see rate.h). Due times are computed from the count,
 * start + (k - k0) * interval, never accumulated, so there is no drift over
 * long runs. */
#include "client/rate.h"

void eddy_rate_init(eddy_rate *r, double per_second, int64_t now_ns, double burst_seconds)
{
    r->interval_ns = 1e9 / per_second;
    r->start_ns = now_ns;
    r->k0 = 0;
    r->k = 0;
    r->burst_ns = (int64_t)(burst_seconds * 1e9);
    if (r->burst_ns < (int64_t)r->interval_ns) {
        r->burst_ns = (int64_t)r->interval_ns; /* at least one token */
    }
}

int64_t eddy_rate_due_ns(const eddy_rate *r)
{
    return r->start_ns + (int64_t)((double)(r->k - r->k0) * r->interval_ns);
}

bool eddy_rate_next(eddy_rate *r, int64_t now_ns, int64_t *due_ns)
{
    int64_t due = eddy_rate_due_ns(r);
    if (due > now_ns) {
        return false;
    }
    if (now_ns - due > r->burst_ns) {
        /* Behind by more than the bucket holds: forgive the rest. */
        r->start_ns = now_ns - r->burst_ns;
        r->k0 = r->k;
        due = r->start_ns;
    }
    r->k++;
    if (due_ns) {
        *due_ns = due;
    }
    return true;
}

int64_t eddy_rate_wait_ns(const eddy_rate *r, int64_t now_ns)
{
    int64_t due = eddy_rate_due_ns(r);
    return due > now_ns ? due - now_ns : 0;
}
