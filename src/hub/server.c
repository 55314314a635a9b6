/* The hub's lifecycle: open storage and hubs, start the network threads and
 * the housekeeping thread, stop gracefully.
 *
 * Network threads each run an eddy_loop with their own SO_REUSEPORT
 * listening socket. The housekeeping thread runs an eddy_loop too: hub
 * creation and deletion, retention, anything that touches the disk outside
 * the log writer. The caller's thread waits on an eventfd for stop. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/log.h"
#include "hub/capture.h"
#include "hub/handlers.h"
#include "hub/hub_int.h"
#include "hub/topics.h"
#include "io/net.h"
#include "storage/fs.h"

static void *worker_main(void *arg)
{
    eddy_worker *wk = arg;
    eddy_worker_start_accepting(wk);
    int rc = eddy_loop_run(wk->loop);
    if (rc) {
        eddy_log_error("hub.worker_failed", "worker=%d err=%s", wk->index, eddy_err_name(rc));
    }
    eddy_worker_close_all(wk);
    return NULL;
}

static void *admin_main(void *arg)
{
    eddy_hub *hub = arg;
    eddy_loop_run(hub->admin);
    return NULL;
}

/* Periodic retention on the housekeeping thread. */
static void retention_tick(eddy_loop *loop, void *arg)
{
    eddy_hub *hub = arg;
    int64_t now = eddy_clock_wall_ms();
    pthread_rwlock_rdlock(&hub->topics_lock);
    size_t it = 0;
    void *v;
    eddy_topic **list = NULL;
    size_t n = 0;
    list = malloc(hub->topics.count * sizeof *list + 1);
    while (list && eddy_map_next(&hub->topics, &it, NULL, NULL, &v)) {
        eddy_topic *t = v;
        atomic_fetch_add(&t->refs, 1);
        list[n++] = t;
    }
    pthread_rwlock_unlock(&hub->topics_lock);
    for (size_t i = 0; i < n; i++) {
        for (int32_t p = 0; p < list[i]->npartitions; p++) {
            eddy_log_enforce_retention(list[i]->parts[p].log, now);
        }
        eddy_hub_topic_put(list[i]);
    }
    free(list);
    if (!hub->threads_stopped) {
        eddy_loop_timer_at(loop, eddy_loop_now_ms(loop) + hub->cfg.retention_check_ms,
                           retention_tick, hub);
    }
}

static int parse_addresses(eddy_hub *hub, char *host, size_t hostlen, char *err, size_t errlen)
{
    int port;
    if (eddy_net_split_hostport(hub->cfg.listen, host, hostlen, &port)) {
        snprintf(err, errlen, "bad listen address '%s': expected HOST:PORT", hub->cfg.listen);
        return EDDY_ERR_INVALID_CONFIG;
    }
    hub->port = port;
    const char *adv = hub->cfg.advertise[0] ? hub->cfg.advertise : hub->cfg.listen;
    if (eddy_net_split_hostport(adv, hub->adv_host, sizeof hub->adv_host, &hub->adv_port)) {
        snprintf(err, errlen, "bad advertise address '%s': expected HOST:PORT", adv);
        return EDDY_ERR_INVALID_CONFIG;
    }
    if (strcmp(hub->adv_host, "0.0.0.0") == 0 || strcmp(hub->adv_host, "::") == 0) {
        snprintf(err, errlen,
                 "listening on %s: give --advertise HOST:PORT, the address clients connect to",
                 hub->adv_host);
        return EDDY_ERR_INVALID_CONFIG;
    }
    return 0;
}

/* The cluster id is made once and kept in the data folder. */
static int load_cluster_id(eddy_hub *hub)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/cluster.id", hub->cfg.data_dir);
    FILE *f = fopen(path, "r");
    if (f) {
        char line[sizeof hub->cluster_id] = {0};
        if (fgets(line, sizeof line, f)) {
            line[strcspn(line, "\n")] = '\0';
            memcpy(hub->cluster_id, line, sizeof line);
        }
        fclose(f);
        if (hub->cluster_id[0]) {
            return 0;
        }
    }
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    uint64_t x = (uint64_t)eddy_clock_wall_ns() ^ ((uint64_t)getpid() << 32);
    for (int i = 0; i < 22; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        hub->cluster_id[i] = alphabet[x & 63];
    }
    hub->cluster_id[22] = '\0';
    char text[64];
    int n = snprintf(text, sizeof text, "%s\n", hub->cluster_id);
    return eddy_fs_write_atomic(path, text, (size_t)n);
}

int eddy_hub_new(const eddy_hub_config *cfg, eddy_hub **out, char *err, size_t errlen)
{
    /* sendfile(2) has no MSG_NOSIGNAL: a fetch answered to a client that
     * went away must not kill the process (also when the hub is embedded,
     * as in eddy demo). */
    signal(SIGPIPE, SIG_IGN);
    eddy_hub *hub = calloc(1, sizeof *hub);
    if (!hub) {
        snprintf(err, errlen, "out of memory");
        return EDDY_ERR_NOMEM;
    }
    hub->cfg = *cfg;
    hub->cfg.topics = NULL; /* the hub keeps no pointer into the caller's config */
    hub->cfg.ntopics = 0;
    hub->cfg.capture.dir = NULL;
    if (cfg->capture.dir && !(hub->cfg.capture.dir = strdup(cfg->capture.dir))) {
        free(hub);
        return EDDY_ERR_NOMEM;
    }
    for (int i = 0; i < cfg->ntopics; i++) {
        /* Declared hubs are copied by name and settings (groups kept by
         * the caller's config). */
        eddy_hub_topic_config *nt =
            realloc(hub->cfg.topics, (size_t)(hub->cfg.ntopics + 1) * sizeof *nt);
        if (!nt) {
            eddy_hub_config_deinit(&hub->cfg);
            free(hub);
            return EDDY_ERR_NOMEM;
        }
        hub->cfg.topics = nt;
        nt[hub->cfg.ntopics] = cfg->topics[i];
        nt[hub->cfg.ntopics].groups = NULL;
        nt[hub->cfg.ntopics].ngroups = 0;
        const char *cdir = cfg->topics[i].capture.dir;
        nt[hub->cfg.ntopics].capture.dir = cdir ? strdup(cdir) : NULL;
        hub->cfg.ntopics++;
        if (cdir && !nt[hub->cfg.ntopics - 1].capture.dir) {
            eddy_hub_config_deinit(&hub->cfg);
            free(hub);
            return EDDY_ERR_NOMEM;
        }
    }
    pthread_rwlock_init(&hub->topics_lock, NULL);
    eddy_map_init(&hub->topics);
    atomic_init(&hub->next_conn_id, 1);
    hub->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    hub->lfd = -1;
    int nthreads = cfg->threads > 0 ? cfg->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (nthreads < 1) {
        nthreads = 1;
    }
    char host[256];
    int rc = parse_addresses(hub, host, sizeof host, err, errlen);
    if (rc) {
        goto fail;
    }
    rc = eddy_fs_mkdir_p(cfg->data_dir, 0755);
    if (rc) {
        snprintf(err, errlen, "cannot create data folder %s: %s", cfg->data_dir, eddy_err_str(rc));
        goto fail;
    }
    rc = load_cluster_id(hub);
    if (rc) {
        snprintf(err, errlen, "cannot write %s/cluster.id: %s", cfg->data_dir, eddy_err_str(rc));
        goto fail;
    }
    rc = eddy_hub_producer_ids_init(hub, err, errlen);
    if (rc) {
        goto fail;
    }
    eddy_store_config sc;
    eddy_store_config_defaults(&sc);
    sc.dir = cfg->data_dir; /* locked: one hub per data folder */
    rc = eddy_store_open(&sc, &hub->store);
    if (rc) {
        snprintf(err, errlen, "cannot open the data folder %s: %s", cfg->data_dir,
                 rc == EDDY_ERR_AGAIN || rc == EDDY_ERR_EXISTS ? "another eddy hub is using it"
                                                               : eddy_err_str(rc));
        goto fail;
    }
    rc = eddy_loop_new(&hub->admin);
    if (rc) {
        snprintf(err, errlen, "cannot create the housekeeping loop: %s", eddy_err_str(rc));
        goto fail;
    }
    rc = eddy_hub_topics_load(hub, err, errlen);
    if (rc) {
        goto fail;
    }
    rc = eddy_hub_groups_open(hub, cfg, err, errlen); /* consumer groups, offsets */
    if (rc) {
        goto fail;
    }
    hub->workers = calloc((size_t)nthreads, sizeof *hub->workers);
    if (!hub->workers) {
        rc = EDDY_ERR_NOMEM;
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    for (int i = 0; i < nthreads; i++) {
        eddy_worker *wk = &hub->workers[i];
        wk->hub = hub;
        wk->index = i;
        wk->lfd = -1;
        rc = eddy_loop_new(&wk->loop);
        if (rc) {
            snprintf(err, errlen, "cannot create an event loop: %s", eddy_err_str(rc));
            goto fail;
        }
        hub->nworkers++;
    }
    /* One listening socket, watched by every worker with EPOLLEXCLUSIVE (one
     * worker wakes per connection). Not SO_REUSEPORT: that would let a
     * second hub bind the same port and take half of the connections. */
    hub->lfd = eddy_net_listen(host, hub->port, false, 1024);
    if (hub->lfd < 0) {
        rc = hub->lfd;
        hub->lfd = -1;
        snprintf(err, errlen, "cannot listen on %s: %s", cfg->listen,
                 rc == EDDY_ERR_EXISTS ? "address in use (another eddy hub?)" : eddy_err_str(rc));
        goto fail;
    }
    if (hub->port == 0) {
        hub->port = eddy_net_local_port(hub->lfd);
        if (hub->adv_port == 0) {
            hub->adv_port = hub->port;
        }
    }
    for (int i = 0; i < nthreads; i++) {
        hub->workers[i].lfd = hub->lfd;
    }
    *out = hub;
    return 0;
fail:
    eddy_hub_free(hub);
    return rc;
}

int eddy_hub_port(const eddy_hub *hub)
{
    return hub->port;
}

/* Whether any hub may be captured: a hub-wide lake folder, or one in a
 * declared hub's section. */
static bool capture_configured(const eddy_hub_config *cfg)
{
    bool any = cfg->capture.dir && cfg->capture.enabled != 0;
    for (int i = 0; i < cfg->ntopics; i++) {
        eddy_capture_config cc;
        eddy_hub_config_capture(cfg, cfg->topics[i].name, &cc);
        any = any || cc.enabled;
    }
    return any;
}

void eddy_hub_get_capture_stats(eddy_hub *hub, eddy_hub_capture_stats *out)
{
    eddy_capture_stats s;
    eddy_capture_get_stats(hub->capture, &s);
    *out = (eddy_hub_capture_stats){s.files, s.events, s.bytes, s.errors};
}

void eddy_hub_stop(eddy_hub *hub)
{
    uint64_t one = 1;
    ssize_t w = write(hub->stop_fd, &one, sizeof one);
    (void)w;
}

int eddy_hub_run(eddy_hub *hub)
{
    eddy_loop_timer_at(hub->admin, eddy_loop_now_ms(hub->admin) + hub->cfg.retention_check_ms,
                       retention_tick, hub);
    if (pthread_create(&hub->admin_thread, NULL, admin_main, hub) != 0) {
        return EDDY_ERR_NOMEM;
    }
    hub->threads_started = true;
    if (eddy_hub_groups_start(hub)) {
        return EDDY_ERR_NOMEM;
    }
    if (capture_configured(&hub->cfg)) {
        int rc = eddy_capture_new(hub, &hub->capture);
        rc = rc ? rc : eddy_capture_start(hub->capture);
        if (rc) {
            return rc;
        }
    }
    int started = 0;
    for (int i = 0; i < hub->nworkers; i++) {
        if (pthread_create(&hub->workers[i].thread, NULL, worker_main, &hub->workers[i]) != 0) {
            break;
        }
        started++;
    }
    eddy_log_info(
        "hub.listening", "listen=%s port=%d advertise=%s:%d threads=%d data_dir=%s fsync=%s",
        hub->cfg.listen, hub->port, hub->adv_host, hub->adv_port, started, hub->cfg.data_dir,
        hub->cfg.fsync == EDDY_HUB_FSYNC_ALWAYS     ? "always"
        : hub->cfg.fsync == EDDY_HUB_FSYNC_INTERVAL ? "interval"
                                                    : "never");
    struct pollfd pfd = {.fd = hub->stop_fd, .events = POLLIN};
    while (poll(&pfd, 1, -1) < 0 && errno == EINTR) {
    }
    eddy_log_info("hub.stopping", "%s", "");
    for (int i = 0; i < started; i++) {
        eddy_loop_stop(hub->workers[i].loop);
    }
    for (int i = 0; i < started; i++) {
        pthread_join(hub->workers[i].thread, NULL);
    }
    eddy_capture_stop(hub->capture);
    eddy_hub_groups_stop(hub);
    eddy_loop_stop(hub->admin);
    pthread_join(hub->admin_thread, NULL);
    hub->threads_stopped = true;
    eddy_hub_settle(hub);
    return started == hub->nworkers ? 0 : EDDY_ERR_NOMEM;
}

/* After the threads stopped: let every request in flight end. Long polls
 * end at once (their timers fire), admin jobs run, appends complete as the
 * log writer (still running) makes them durable; closed connections are
 * freed. Bounded: after 30 s whatever is left is reported and left. */
void eddy_hub_settle(eddy_hub *hub)
{
    if (!hub->admin) {
        return;
    }
    int64_t deadline = eddy_clock_mono_ms() + 30000;
    for (;;) {
        size_t ran = eddy_loop_drain(hub->admin, true);
        int live = 0;
        for (int i = 0; i < hub->nworkers; i++) {
            ran += eddy_loop_drain(hub->workers[i].loop, true);
            live += hub->workers[i].nconns_alloc;
        }
        live += atomic_load(&hub->ops_inflight);
        if (live == 0 && ran == 0) {
            return;
        }
        if (eddy_clock_mono_ms() > deadline) {
            eddy_log_warn("hub.settle_timeout", "connections=%d", live);
            return;
        }
        if (ran == 0) {
            struct timespec ts = {0, 1000000};
            nanosleep(&ts, NULL);
        }
    }
}

void eddy_hub_free(eddy_hub *hub)
{
    if (!hub) {
        return;
    }
    if (hub->threads_started && !hub->threads_stopped) {
        eddy_hub_settle(hub);
    }
    eddy_capture_free(hub->capture); /* before the hubs close */
    hub->capture = NULL;
    eddy_hub_groups_close(hub); /* before the network loops are freed */
    for (int i = 0; i < hub->nworkers; i++) {
        eddy_loop_free(hub->workers[i].loop);
    }
    if (hub->lfd >= 0) {
        close(hub->lfd);
    }
    free(hub->workers);
    eddy_hub_topics_close(hub);
    if (hub->store) {
        eddy_store_close(hub->store);
    }
    eddy_loop_free(hub->admin);
    if (hub->stop_fd >= 0) {
        close(hub->stop_fd);
    }
    pthread_rwlock_destroy(&hub->topics_lock);
    eddy_hub_config_deinit(&hub->cfg);
    free(hub);
    eddy_log_info("hub.stopped", "%s", "");
}
