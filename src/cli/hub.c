/* eddy hub: run the Kafka-protocol event hub. */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/error.h"
#include "core/log.h"
#include "hub/hub.h"

static eddy_hub *running_hub;

static void on_signal(int sig)
{
    if (running_hub) {
        eddy_hub_stop(running_hub);
    }
}

/* Settings that are both flags and config-file keys. */
static const char *const setting_flags[][3] = {
    {"data-dir", "DIR", "data folder (default ./eddy-data)"},
    {"listen", "HOST:PORT", "address to listen on (default 127.0.0.1:9092)"},
    {"advertise", "HOST:PORT", "address clients should connect to (default: listen)"},
    {"auto-create", "on|off", "create hubs on first use (default on)"},
    {"partitions", "N", "partitions of auto-created hubs (default 4)"},
    {"fsync", "POLICY", "always (default, group commit) | interval:MS | never"},
    {"max-event-bytes", "SIZE", "largest event batch accepted (default 1MiB)"},
    {"retention", "DURATION", "keep events this long (default 7d; -1 forever)"},
    {"retention-bytes", "SIZE", "per-partition size cap (default -1, none)"},
    {"segment-bytes", "SIZE", "roll log segments at this size (default 1GiB)"},
    {"retention-check", "DURATION", "how often retention deletes old segments (default 30s)"},
    {"timestamp", "append|create", "enqueued time: hub append time (default) or producer's"},
    {"threads", "N", "network threads (default: one per core)"},
    {"namespace", "NAME", "Event Hubs namespace name (default eddy)"},
    {"offsets-retention", "DURATION", "drop a group's offsets after it is empty this long (7d)"},
    {"group-initial-rebalance-delay", "DURATION",
     "wait for more members before a new group's first rebalance (300ms)"},
    {"capture-dir", "DIR", "capture every hub into this lake folder (Avro, Event Hubs layout)"},
    {"capture-interval", "SECONDS", "capture time window (default 300)"},
    {"capture-size", "SIZE", "capture size window (default 300MiB)"},
    {"capture-codec", "CODEC", "null | deflate (default) | snappy"},
    {"capture-hold", "DURATION", "retention waits this long for capture (default 1d; -1 forever)"},
};

#define NSETTINGS (sizeof setting_flags / sizeof setting_flags[0])

int eddy_cmd_hub(int argc, char **argv)
{
    eddy_hub_config cfg;
    eddy_hub_config_defaults(&cfg);
    const char *config_path = NULL;
    const char *log_level = NULL;
    /* Flags are applied after the config file so they win: collect first. */
    const char *values[NSETTINGS] = {0};
    bool skip_empty = false;
    eddy_cli_opt opts[NSETTINGS + 4];
    size_t n = 0;
    opts[n++] =
        (eddy_cli_opt){.name = "config",
                       .metavar = "FILE",
                       .help = "config file (eddy format or Event Hubs emulator Config.json)",
                       .value = &config_path};
    for (size_t i = 0; i < NSETTINGS; i++) {
        opts[n++] = (eddy_cli_opt){.name = setting_flags[i][0],
                                   .metavar = setting_flags[i][1],
                                   .help = setting_flags[i][2],
                                   .value = &values[i]};
    }
    opts[n++] = (eddy_cli_opt){.name = "capture-skip-empty",
                               .help = "write no capture file for a window without events",
                               .flag = &skip_empty};
    opts[n++] = (eddy_cli_opt){.name = "log-level",
                               .metavar = "LEVEL",
                               .help = "debug | info (default) | warn | error",
                               .value = &log_level};
    opts[n] = (eddy_cli_opt){.name = NULL};
    int npos = 0;
    int rc =
        eddy_cli_parse("hub",
                       "Usage: eddy hub [--config FILE] [--data-dir DIR] [--listen HOST:PORT]\n"
                       "                [--advertise HOST:PORT] [options]\n\n"
                       "Runs the event hub: a Kafka-protocol broker with a durable log.",
                       opts, argc, argv, &npos);
    if (rc >= 0) {
        return rc;
    }
    if (npos > 0) {
        return eddy_cli_usage_error("hub", "unexpected argument '%s'", argv[1]);
    }
    if (log_level) {
        int l = eddy_log_level_parse(log_level);
        if (l < 0) {
            return eddy_cli_usage_error("hub", "bad --log-level '%s'", log_level);
        }
        eddy_log_set_level((eddy_log_level)l);
    }
    char err[512];
    if (config_path && eddy_hub_config_load(&cfg, config_path, err, sizeof err)) {
        fprintf(stderr, "eddy hub: %s\n", err);
        eddy_hub_config_deinit(&cfg);
        return EDDY_EXIT_USAGE;
    }
    for (size_t i = 0; i < NSETTINGS; i++) {
        if (values[i] &&
            eddy_hub_config_set(&cfg, setting_flags[i][0], values[i], err, sizeof err)) {
            eddy_hub_config_deinit(&cfg);
            return eddy_cli_usage_error("hub", "--%s: %s", setting_flags[i][0], err);
        }
    }
    if (skip_empty) {
        eddy_hub_config_set(&cfg, "capture-skip-empty", "on", err, sizeof err);
    }
    /* Produced batches (up to 1 MiB) are copied into the log's pending
     * chain and freed once written: keep such blocks in the heap instead of
     * an mmap/munmap (and page zeroing) per batch, and give memory back to
     * the kernel less eagerly. Measured: page faults were ~15% of the hub's
     * CPU at 1 KiB events (bench_hub profile). */
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
    eddy_hub *hub;
    rc = eddy_hub_new(&cfg, &hub, err, sizeof err);
    eddy_hub_config_deinit(&cfg);
    if (rc) {
        fprintf(stderr, "eddy hub: %s\n", err);
        return rc == EDDY_ERR_INVALID_CONFIG ? EDDY_EXIT_USAGE : EDDY_EXIT_FAIL;
    }
    running_hub = hub;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    rc = eddy_hub_run(hub);
    running_hub = NULL;
    eddy_hub_free(hub);
    return rc ? EDDY_EXIT_FAIL : EDDY_EXIT_OK;
}
