/* Shared helpers of the server benchmarks (bench_hub.c, bench_groups.c).
 *
 * Those benchmarks start real servers (`eddy hub`, redis-server, perf) as
 * child processes, drive them over loopback TCP and read the servers' own
 * CPU time from the kernel. This file pair holds what they have in common:
 * progress and failure messages with the program's name, an environment
 * knob reader, the temp folder and the clean-up that kills every child and
 * removes that folder on exit, on failure and on SIGINT/SIGTERM/SIGHUP
 * (children also get PR_SET_PDEATHSIG), child processes, small file
 * helpers, CPU clocks, loopback sockets with a check that no other process
 * shares our port, starting and stopping a hub or a Redis server, a minimal
 * RESP (Redis protocol) client, perf recording and librdkafka settings.
 *
 * Call bench_set_name first, then bench_setup_tmp before starting any child.
 * Children may be started only from the main thread (the death signal
 * follows the thread that forked). */
#ifndef EDDY_BENCHLIB_H
#define EDDY_BENCHLIB_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bench.h"

/* --- messages and set-up --- */

/* Sets the name ("bench_hub") that prefixes every message of this file. */
void bench_set_name(const char *name);

/* Prints "name: message" to stderr. */
void bench_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "name: error: message" to stderr and exits with status 1 (the
 * clean-up registered by bench_setup_tmp runs). */
_Noreturn void bench_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The positive number in environment variable name, def when it is unset or
 * empty; anything else is an error (exit status 2). */
double bench_env_double(const char *name, double def);

/* Makes the temp folder from tmpl ("/tmp/...-XXXXXX", as for mkdtemp),
 * registers the clean-up (kill every child, remove the folder) at exit and
 * on SIGINT/SIGTERM/SIGHUP, and ignores SIGPIPE. Returns the folder. */
const char *bench_setup_tmp(const char *tmpl);

/* The temp folder made by bench_setup_tmp ("" before). */
const char *bench_tmp_dir(void);

/* Notes the load average; when says when ("at start"). */
void bench_loadavg_note(const char *when);

/* Fills p with n printable letters from a fixed pseudo-random sequence. */
void bench_fill_letters(void *p, size_t n);

/* --- child processes and files --- */

/* Starts argv[0] (searched in PATH) with stdout and stderr into out_path;
 * the child is killed by the clean-up and dies with this process
 * (PR_SET_PDEATHSIG). Call only from the main thread. */
pid_t bench_spawn(char *const argv[], const char *out_path);

/* Returns true once pid has exited (and reaps it; its wait status goes to
 * *status when given). */
bool bench_child_exited(pid_t pid, int *status);

/* Sends sig to pid, waits up to timeout seconds, then SIGKILL. */
void bench_child_stop(pid_t pid, int sig, double timeout);

/* Removes a folder and everything in it (not from a signal handler). */
void bench_remove_tree(const char *path);

/* Makes a folder (an existing one is fine); fatal on failure. */
void bench_make_dir(const char *path);

/* Reads a whole small file into buf (NUL-terminated; at most cap - 1
 * bytes); returns its length, 0 when it cannot be read. */
size_t bench_read_text(const char *path, char *buf, size_t cap);

/* --- CPU time and clocks --- */

/* utime + stime of every thread of pid, in seconds, from /proc/<pid>/stat:
 * a resolution of one clock tick (10 ms). -1 when unreadable. */
double bench_proc_stat_cpu_seconds(pid_t pid);

/* The same from the kernel's CPU clock of pid (ns resolution), falling back
 * to bench_proc_stat_cpu_seconds when that clock is not available. */
double bench_proc_cpu_seconds(pid_t pid);

/* CPU seconds of this process (who = RUSAGE_SELF) or thread (RUSAGE_THREAD). */
double bench_own_cpu_seconds(int who);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t bench_now_ns(void);

/* --- loopback sockets --- */

/* A TCP connection (TCP_NODELAY) to 127.0.0.1:port, or -1. */
int bench_tcp_connect(int port);

/* A listening socket on a loopback port the kernel picks (into *port), or -1. */
int bench_tcp_listen_any(int *port);

/* A port nobody holds right now (the server then binds it; a lost race
 * makes that server fail to start, and the caller retries). */
int bench_free_port(void);

/* Writes all n bytes (retrying on EINTR); false on failure. */
bool bench_write_all(int fd, const void *p, size_t n);

/* True when every listening socket on port belongs to pid. Other engineers'
 * hubs on this machine bind with SO_REUSEPORT, so a port can be shared
 * silently; a shared port would mix their traffic into ours. */
bool bench_port_only_ours(int port, pid_t pid);

/* --- servers --- */

typedef struct bench_server {
    pid_t pid;
    int port;
    char dir[300]; /* its own folder in the temp folder */
    char log[400]; /* its stdout and stderr */
} bench_server;

/* Starts `eddy` (the binary) hub with a fresh data folder, the given
 * --fsync policy and --partitions, and extra_args (more flags split at
 * spaces; NULL for none). The kernel picks the port and the hub's
 * hub.listening log line tells it; a port shared with another process
 * restarts the hub. Fatal when it cannot start. */
void bench_hub_start(bench_server *s, const char *eddy, const char *fsync_policy, int partitions,
                     const char *extra_args);

/* Starts redis-server on a free port without snapshots; durable = AOF with
 * appendfsync always, else no AOF. Fatal when it cannot start. */
void bench_redis_start(bench_server *s, bool durable);

/* Stops the server (SIGTERM, SIGKILL after 10 s) and removes its folder. */
void bench_server_stop(bench_server *s);

/* --- a minimal RESP client (Redis' protocol) --- */

typedef struct bench_resp_conn {
    int fd;
    char *buf;
    size_t len, off, cap;
    size_t last; /* where the last reply read starts */
    /* Where the scan of an incomplete reply stopped, so that a reply
     * arriving in many reads is scanned once, not once per read. */
    size_t scan_pos;
    int scan_depth;
    long scan_left[8];
    /* Commands to send, gathered by bench_resp_cmd and bench_resp_arg. */
    char *out;
    size_t out_len, out_cap;
} bench_resp_conn;

/* Receives each bulk string of a reply with its array depth (0 = top). */
typedef void (*bench_resp_bulk_fn)(void *ctx, int depth, const char *p, long n);

/* Connects to 127.0.0.1:port; false when that fails. */
bool bench_resp_connect(bench_resp_conn *c, int port);

void bench_resp_close(bench_resp_conn *c);

/* Starts a command of argc arguments; bench_resp_arg appends each. Nothing
 * is sent before bench_resp_flush, so commands can be pipelined. */
void bench_resp_cmd(bench_resp_conn *c, int argc);
void bench_resp_arg(bench_resp_conn *c, const void *p, size_t n);
void bench_resp_arg_str(bench_resp_conn *c, const char *s);

/* Appends bytes already in RESP form (such as pre-encoded arguments). */
void bench_resp_out(bench_resp_conn *c, const void *p, size_t n);

/* Sends what bench_resp_cmd/bench_resp_arg gathered; false on failure. */
bool bench_resp_flush(bench_resp_conn *c);

/* Sends one command of string arguments (without reading the reply). */
bool bench_resp_send(bench_resp_conn *c, int argc, const char *const *argv);

/* Reads one reply (blocking). When t_done is given it is set to the time the
 * reply was complete (bench_now_ns) before the bulk strings go to on_bulk.
 * Returns the reply's type byte (its text is at c->buf + c->last), or 0 on a
 * broken connection. */
char bench_resp_read(bench_resp_conn *c, bench_resp_bulk_fn on_bulk, void *ctx, uint64_t *t_done);

/* Sends one command of string arguments and reads the reply: its type
 * byte, 0 when the connection broke. */
char bench_resp_call(bench_resp_conn *c, int argc, const char *const *argv);

/* Runs one command on a new connection: true on a +OK-style reply. */
bool bench_resp_ok(int port, int argc, const char *const *argv);

/* Runs one command on a new connection and returns its integer reply, or -1. */
long long bench_resp_integer(int port, int argc, const char *const *argv);

/* --- perf and librdkafka --- */

/* When dir is set, starts `perf record -g` of target into dir/tag.perf.data
 * (*perf = its pid, else 0) and gives it time to attach. */
void bench_perf_start(pid_t *perf, const char *dir, pid_t target, const char *tag);

/* Stops a perf started by bench_perf_start (SIGINT, so it writes its data). */
void bench_perf_stop(pid_t perf);

/* Sets one librdkafka property; fatal when it is refused. */
void bench_kafka_set(rd_kafka_conf_t *conf, const char *key, const char *value);

/* A librdkafka configuration bootstrapping from 127.0.0.1:port (log level 4). */
rd_kafka_conf_t *bench_kafka_conf(int port);

/* bench_kafka_conf plus the producer settings both benchmarks use: acks=all,
 * 1 MB batches of up to batch_messages, no compression, no idempotence, a
 * queue of queue_messages (and 1 GiB), and linger_ms. */
rd_kafka_conf_t *bench_kafka_producer_conf(int port, const char *linger_ms,
                                           const char *batch_messages, const char *queue_messages);

#endif
