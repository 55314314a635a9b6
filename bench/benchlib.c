/* Shared helpers of the server benchmarks (bench_hub.c, bench_groups.c):
 * messages, the temp folder and the clean-up of child processes on exit and
 * on signals, loopback sockets, CPU clocks, starting `eddy hub` and
 * redis-server, a minimal RESP client, perf and librdkafka settings. See
 * benchlib.h for the interface.
 *
 * The clean-up works from a signal handler too: it only kills and reaps the
 * recorded children and removes the temp folder with a forked /bin/rm (fork
 * and execve are async-signal-safe; nftw may take malloc's lock that
 * another thread holds). */
#include "benchlib.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CHILDREN 16

static const char *prog = "bench";

/* --- failure, children and clean-up --- */

static volatile pid_t children[MAX_CHILDREN];
static char topdir[256];

static void remove_tree_now(void)
{
    if (!topdir[0]) {
        return;
    }
    /* fork+execve are async-signal-safe, so the signal handler can use this
     * too (nftw may take malloc's lock another thread holds). */
    pid_t pid = fork();
    if (pid == 0) {
        char *const argv[] = {"/bin/rm", "-rf", "--", topdir, NULL};
        char *const envp[] = {NULL};
        execve(argv[0], argv, envp);
        _exit(127);
    }
    if (pid > 0) {
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
        }
    }
}

static void kill_children_now(void)
{
    for (int i = 0; i < MAX_CHILDREN; i++) {
        pid_t pid = children[i];
        if (pid > 0) {
            kill(pid, SIGKILL);
            while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
            }
            children[i] = 0;
        }
    }
}

static void cleanup_at_exit(void)
{
    kill_children_now();
    remove_tree_now();
}

static void on_signal(int sig)
{
    kill_children_now();
    remove_tree_now();
    _exit(128 + sig);
}

/* "prog: <kind>message" and a newline to stderr. */
static void say(const char *kind, const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: %s", prog, kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    fflush(stderr);
}

void bench_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say("", fmt, ap);
    va_end(ap);
}

_Noreturn void bench_fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say("error: ", fmt, ap);
    va_end(ap);
    exit(1); /* cleanup_at_exit runs */
}

void bench_set_name(const char *name)
{
    prog = name;
}

double bench_env_double(const char *name, double def)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        return def;
    }
    char *end;
    double d = strtod(v, &end);
    if (*end || !(d > 0)) {
        fprintf(stderr, "%s: %s=%s: expected a positive number\n", prog, name, v);
        exit(2);
    }
    return d;
}

const char *bench_setup_tmp(const char *tmpl)
{
    snprintf(topdir, sizeof topdir, "%s", tmpl);
    if (!mkdtemp(topdir)) {
        topdir[0] = '\0';
        bench_fatal("mkdtemp: %s", strerror(errno));
    }
    atexit(cleanup_at_exit);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    return topdir;
}

const char *bench_tmp_dir(void)
{
    return topdir;
}

void bench_loadavg_note(const char *when)
{
    char text[128];
    bench_read_text("/proc/loadavg", text, sizeof text);
    text[strcspn(text, "\n")] = '\0';
    bench_note("load average %s: %s (2 cores; other work on the machine perturbs throughput)", when,
               text);
}

void bench_fill_letters(void *p, size_t n)
{
    unsigned char *c = p;
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        c[i] = (unsigned char)('a' + (x >> 16) % 26); /* printable: also a redis argv */
    }
}

static void child_add(pid_t pid)
{
    for (int i = 0; i < MAX_CHILDREN; i++) {
        if (children[i] == 0) {
            children[i] = pid;
            return;
        }
    }
    kill(pid, SIGKILL);
    bench_fatal("too many child processes");
}

static void child_forget(pid_t pid)
{
    for (int i = 0; i < MAX_CHILDREN; i++) {
        if (children[i] == pid) {
            children[i] = 0;
        }
    }
}

/* Starts argv[0] (searched in PATH) with stdout and stderr into out_path.
 * The child dies with this process (PR_SET_PDEATHSIG). Call only from the
 * main thread: the death signal follows the thread that forked. */
pid_t bench_spawn(char *const argv[], const char *out_path)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        bench_fatal("fork: %s", strerror(errno));
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) {
            _exit(127);
        }
        int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int in = open("/dev/null", O_RDONLY);
        if (fd < 0 || in < 0) {
            _exit(127);
        }
        dup2(in, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        execvp(argv[0], argv);
        _exit(127);
    }
    child_add(pid);
    return pid;
}

/* Returns true once pid has exited (and reaps it). */
bool bench_child_exited(pid_t pid, int *status)
{
    int st = 0;
    if (waitpid(pid, &st, WNOHANG) == pid) {
        child_forget(pid);
        if (status) {
            *status = st;
        }
        return true;
    }
    return false;
}

/* Sends sig, waits up to timeout seconds, then SIGKILL. */
void bench_child_stop(pid_t pid, int sig, double timeout)
{
    kill(pid, sig);
    double end = bench_now() + timeout;
    while (bench_now() < end) {
        if (bench_child_exited(pid, NULL)) {
            return;
        }
        usleep(10000);
    }
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
    }
    child_forget(pid);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    remove(path);
    return 0;
}

void bench_remove_tree(const char *path)
{
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void bench_make_dir(const char *path)
{
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        bench_fatal("mkdir %s: %s", path, strerror(errno));
    }
}

/* Reads a whole small file into buf (NUL-terminated); returns its length. */
size_t bench_read_text(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        buf[0] = '\0';
        return 0;
    }
    size_t len = 0;
    while (len + 1 < cap) {
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n <= 0) {
            break;
        }
        len += (size_t)n;
    }
    close(fd);
    buf[len] = '\0';
    return len;
}

/* --- CPU time and clocks --- */

double bench_proc_stat_cpu_seconds(pid_t pid)
{
    char path[64], text[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if (bench_read_text(path, text, sizeof text) == 0) {
        return -1;
    }
    const char *p = strrchr(text, ')'); /* the command name may hold spaces */
    if (!p) {
        return -1;
    }
    unsigned long long utime = 0, stime = 0;
    /* After ") ": field 3 (state) ... field 14 utime, 15 stime. */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) !=
        2) {
        return -1;
    }
    return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

double bench_proc_cpu_seconds(pid_t pid)
{
    clockid_t clk;
    struct timespec ts;
    if (clock_getcpuclockid(pid, &clk) == 0 && clock_gettime(clk, &ts) == 0) {
        return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
    }
    return bench_proc_stat_cpu_seconds(pid);
}

double bench_own_cpu_seconds(int who)
{
    struct rusage ru;
    getrusage(who, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* --- loopback sockets --- */

int bench_tcp_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int bench_tcp_listen_any(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 16) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &alen) != 0) {
        close(fd);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return fd;
}

int bench_free_port(void)
{
    int port = 0;
    int fd = bench_tcp_listen_any(&port);
    if (fd < 0) {
        bench_fatal("cannot bind a loopback port: %s", strerror(errno));
    }
    close(fd);
    return port;
}

bool bench_write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return false;
        }
        c += w;
        n -= (size_t)w;
    }
    return true;
}

/* True when every listening socket on port belongs to pid. Other engineers'
 * hubs on this machine bind with SO_REUSEPORT, so a port can be shared
 * silently; a shared port would mix their traffic into ours. */
bool bench_port_only_ours(int port, pid_t pid)
{
    unsigned long ours[256];
    int nours = 0;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
    DIR *d = opendir(path);
    if (!d) {
        return false;
    }
    struct dirent *e;
    while ((e = readdir(d)) && nours < 256) {
        char lp[340], target[64];
        snprintf(lp, sizeof lp, "%s/%s", path, e->d_name);
        ssize_t n = readlink(lp, target, sizeof target - 1);
        if (n > 0) {
            target[n] = '\0';
            unsigned long ino;
            if (sscanf(target, "socket:[%lu]", &ino) == 1) {
                ours[nours++] = ino;
            }
        }
    }
    closedir(d);
    static const char *const tables[] = {"/proc/net/tcp", "/proc/net/tcp6"};
    int listeners = 0;
    for (int t = 0; t < 2; t++) {
        FILE *f = fopen(tables[t], "r");
        if (!f) {
            continue;
        }
        char line[512];
        while (fgets(line, sizeof line, f)) {
            char local[128];
            unsigned st;
            unsigned long ino;
            if (sscanf(line, " %*[0-9]: %127s %*s %x %*s %*s %*s %*u %*u %lu", local, &st, &ino) !=
                    3 ||
                st != 0x0A) {
                continue;
            }
            const char *colon = strrchr(local, ':');
            if (!colon || (int)strtol(colon + 1, NULL, 16) != port) {
                continue;
            }
            listeners++;
            bool found = false;
            for (int i = 0; i < nours; i++) {
                found = found || ours[i] == ino;
            }
            if (!found) {
                fclose(f);
                return false;
            }
        }
        fclose(f);
    }
    return listeners > 0;
}

/* --- a minimal RESP client (Redis' protocol) --- */

/* Parses one RESP2 value at p. Returns the bytes it spans, 0 when the buffer
 * does not hold it all yet, -1 when malformed. Bulk strings are passed to
 * on_bulk with their array depth (0 = top level). */
static long resp_parse(const char *p, const char *end, int depth, bench_resp_bulk_fn on_bulk,
                       void *ctx)
{
    if (p >= end) {
        return 0;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) {
        return 0;
    }
    const char *q = nl + 1;
    long n = strtol(p + 1, NULL, 10);
    switch (*p) {
    case '+':
    case '-':
    case ':':
        return q - p;
    case '$':
        if (n < 0) {
            return q - p;
        }
        if (end - q < n + 2) {
            return 0;
        }
        if (on_bulk) {
            on_bulk(ctx, depth, q, n);
        }
        return q + n + 2 - p;
    case '*':
        for (long i = 0; i < n; i++) {
            long k = resp_parse(q, end, depth + 1, on_bulk, ctx);
            if (k <= 0) {
                return k;
            }
            q += k;
        }
        return q - p;
    default:
        return -1;
    }
}

/* Continues the scan of the reply at c->off: 1 when it is complete (it ends
 * at c->scan_pos), 0 when more bytes are needed, -1 when malformed. */
static int resp_scan(bench_resp_conn *c)
{
    for (;;) {
        const char *p = c->buf + c->scan_pos, *end = c->buf + c->len;
        const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
        if (!nl) {
            return 0;
        }
        long n = strtol(p + 1, NULL, 10);
        size_t next = (size_t)(nl + 1 - c->buf);
        bool leaf = true;
        switch (*p) {
        case '+':
        case '-':
        case ':':
            break;
        case '$':
            if (n >= 0) {
                if (c->len - next < (size_t)n + 2) {
                    return 0;
                }
                next += (size_t)n + 2;
            }
            break;
        case '*':
            leaf = n <= 0;
            break;
        default:
            return -1;
        }
        c->scan_pos = next;
        if (!leaf) {
            if (c->scan_depth == 8) {
                return -1;
            }
            c->scan_left[c->scan_depth++] = n;
            continue;
        }
        /* An item is complete: so is every array it completes. */
        for (;;) {
            if (c->scan_depth == 0) {
                return 1;
            }
            if (--c->scan_left[c->scan_depth - 1] > 0) {
                break;
            }
            c->scan_depth--;
        }
    }
}

bool bench_resp_connect(bench_resp_conn *c, int port)
{
    memset(c, 0, sizeof *c);
    c->fd = bench_tcp_connect(port);
    if (c->fd < 0) {
        return false;
    }
    c->cap = 4 << 20;
    c->buf = malloc(c->cap);
    c->out_cap = 1 << 16;
    c->out = malloc(c->out_cap);
    if (!c->buf || !c->out) {
        bench_fatal("out of memory");
    }
    return true;
}

void bench_resp_close(bench_resp_conn *c)
{
    if (c->fd >= 0) {
        close(c->fd);
    }
    free(c->buf);
    free(c->out);
    c->fd = -1;
    c->buf = c->out = NULL;
}

void bench_resp_out(bench_resp_conn *c, const void *p, size_t n)
{
    if (c->out_len + n > c->out_cap) {
        while (c->out_len + n > c->out_cap) {
            c->out_cap *= 2;
        }
        c->out = realloc(c->out, c->out_cap);
        if (!c->out) {
            bench_fatal("out of memory");
        }
    }
    memcpy(c->out + c->out_len, p, n);
    c->out_len += n;
}

/* Starts a command of argc arguments; bench_resp_arg appends each. */
void bench_resp_cmd(bench_resp_conn *c, int argc)
{
    char h[32];
    int n = snprintf(h, sizeof h, "*%d\r\n", argc);
    bench_resp_out(c, h, (size_t)n);
}

void bench_resp_arg(bench_resp_conn *c, const void *p, size_t n)
{
    char h[32];
    int k = snprintf(h, sizeof h, "$%zu\r\n", n);
    bench_resp_out(c, h, (size_t)k);
    bench_resp_out(c, p, n);
    bench_resp_out(c, "\r\n", 2);
}

void bench_resp_arg_str(bench_resp_conn *c, const char *s)
{
    bench_resp_arg(c, s, strlen(s));
}

/* Sends what bench_resp_cmd/bench_resp_arg gathered. */
bool bench_resp_flush(bench_resp_conn *c)
{
    bool ok = bench_write_all(c->fd, c->out, c->out_len);
    c->out_len = 0;
    return ok;
}

char bench_resp_read(bench_resp_conn *c, bench_resp_bulk_fn on_bulk, void *ctx, uint64_t *t_done)
{
    if (c->scan_pos < c->off) {
        c->scan_pos = c->off;
        c->scan_depth = 0;
    }
    for (;;) {
        int k = resp_scan(c);
        if (k < 0) {
            return 0;
        }
        if (k > 0) {
            if (t_done) {
                *t_done = bench_now_ns();
            }
            char type = c->buf[c->off];
            c->last = c->off;
            if (on_bulk) {
                resp_parse(c->buf + c->off, c->buf + c->len, 0, on_bulk, ctx);
            }
            c->off = c->scan_pos;
            c->scan_depth = 0;
            return type;
        }
        if (c->off > 0) {
            memmove(c->buf, c->buf + c->off, c->len - c->off);
            c->len -= c->off;
            c->scan_pos -= c->off;
            c->off = 0;
        }
        if (c->len == c->cap) {
            c->cap *= 2;
            c->buf = realloc(c->buf, c->cap);
            if (!c->buf) {
                bench_fatal("out of memory");
            }
        }
        ssize_t n = read(c->fd, c->buf + c->len, c->cap - c->len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return 0;
        }
        c->len += (size_t)n;
    }
}

bool bench_resp_send(bench_resp_conn *c, int argc, const char *const *argv)
{
    bench_resp_cmd(c, argc);
    for (int i = 0; i < argc; i++) {
        bench_resp_arg_str(c, argv[i]);
    }
    return bench_resp_flush(c);
}

char bench_resp_call(bench_resp_conn *c, int argc, const char *const *argv)
{
    return bench_resp_send(c, argc, argv) ? bench_resp_read(c, NULL, NULL, NULL) : 0;
}

bool bench_resp_ok(int port, int argc, const char *const *argv)
{
    bench_resp_conn c;
    if (!bench_resp_connect(&c, port)) {
        return false;
    }
    bool ok = bench_resp_call(&c, argc, argv) == '+';
    bench_resp_close(&c);
    return ok;
}

long long bench_resp_integer(int port, int argc, const char *const *argv)
{
    bench_resp_conn c;
    if (!bench_resp_connect(&c, port)) {
        return -1;
    }
    long long v = -1;
    if (bench_resp_call(&c, argc, argv) == ':') {
        v = strtoll(c.buf + c.last + 1, NULL, 10);
    }
    bench_resp_close(&c);
    return v;
}

/* --- servers --- */

static int server_counter; /* numbers the servers' folders */

void bench_server_stop(bench_server *s)
{
    if (s->pid > 0) {
        bench_child_stop(s->pid, SIGTERM, 10);
        s->pid = 0;
    }
    if (s->dir[0]) {
        bench_remove_tree(s->dir);
        s->dir[0] = '\0';
    }
}

void bench_hub_start(bench_server *s, const char *eddy, const char *fsync_policy, int partitions,
                     const char *extra_args)
{
    for (int attempt = 0; attempt < 5; attempt++) {
        memset(s, 0, sizeof *s);
        snprintf(s->dir, sizeof s->dir, "%s/hub-%d", topdir, ++server_counter);
        bench_make_dir(s->dir);
        char data[320], parts[16];
        snprintf(data, sizeof data, "%s/data", s->dir);
        snprintf(s->log, sizeof s->log, "%s/hub.log", s->dir);
        snprintf(parts, sizeof parts, "%d", partitions);
        char *argv[32] = {(char *)eddy,   "hub", "--listen", "127.0.0.1:0",
                          "--data-dir",   data,  "--fsync",  (char *)fsync_policy,
                          "--partitions", parts, NULL};
        /* More flags, split at spaces. */
        char extra[512];
        snprintf(extra, sizeof extra, "%s", extra_args ? extra_args : "");
        int argc = 10;
        for (char *save = NULL, *a = strtok_r(extra, " ", &save); a && argc < 31;
             a = strtok_r(NULL, " ", &save)) {
            argv[argc++] = a;
        }
        argv[argc] = NULL;
        s->pid = bench_spawn(argv, s->log);
        double end = bench_now() + 20;
        char text[8192];
        while (s->port <= 0 && bench_now() < end) {
            int status;
            if (bench_child_exited(s->pid, &status)) {
                bench_read_text(s->log, text, sizeof text);
                bench_fatal("eddy hub exited at start-up (status %d):\n%s", status, text);
            }
            bench_read_text(s->log, text, sizeof text);
            const char *line = strstr(text, "event=hub.listening");
            const char *p = line ? strstr(line, " port=") : NULL;
            if (p) {
                s->port = atoi(p + 6);
            } else {
                usleep(20000);
            }
        }
        if (s->port <= 0) {
            bench_fatal("eddy hub did not report its port within 20 s (log %s)", s->log);
        }
        if (bench_port_only_ours(s->port, s->pid)) {
            return;
        }
        bench_note("port %d is shared with another process; restarting the hub", s->port);
        bench_server_stop(s);
    }
    bench_fatal("could not start eddy hub on an unshared port");
}

void bench_redis_start(bench_server *s, bool durable)
{
    for (int attempt = 0; attempt < 5; attempt++) {
        memset(s, 0, sizeof *s);
        snprintf(s->dir, sizeof s->dir, "%s/redis-%d", topdir, ++server_counter);
        bench_make_dir(s->dir);
        snprintf(s->log, sizeof s->log, "%s/redis.log", s->dir);
        s->port = bench_free_port();
        char port[16];
        snprintf(port, sizeof port, "%d", s->port);
        char *const argv[] = {"redis-server",
                              "--port",
                              port,
                              "--bind",
                              "127.0.0.1",
                              "--save",
                              "",
                              "--appendonly",
                              durable ? "yes" : "no",
                              "--appendfsync",
                              durable ? "always" : "everysec",
                              "--dir",
                              s->dir,
                              "--daemonize",
                              "no",
                              "--protected-mode",
                              "no",
                              NULL};
        s->pid = bench_spawn(argv, s->log);
        double end = bench_now() + 10;
        bool up = false;
        while (bench_now() < end && !up) {
            if (bench_child_exited(s->pid, NULL)) {
                s->pid = 0;
                break;
            }
            static const char *const ping[] = {"PING"};
            up = bench_resp_ok(s->port, 1, ping);
            if (!up) {
                usleep(20000);
            }
        }
        if (up && bench_port_only_ours(s->port, s->pid)) {
            return;
        }
        bench_note("redis-server did not start on port %d; retrying", s->port);
        bench_server_stop(s);
    }
    bench_fatal("could not start redis-server");
}

/* --- perf and librdkafka --- */

void bench_perf_start(pid_t *perf, const char *dir, pid_t target, const char *tag)
{
    *perf = 0;
    if (!dir) {
        return;
    }
    char out[512], log[512], pid[16];
    snprintf(out, sizeof out, "%s/%s.perf.data", dir, tag);
    snprintf(log, sizeof log, "%s/%s.perf.log", dir, tag);
    snprintf(pid, sizeof pid, "%d", (int)target);
    char *const argv[] = {"perf", "record", "-g", "-o", out, "-p", pid, NULL};
    *perf = bench_spawn(argv, log);
    usleep(300000); /* let perf attach */
}

void bench_perf_stop(pid_t perf)
{
    if (perf > 0) {
        bench_child_stop(perf, SIGINT, 30);
    }
}

void bench_kafka_set(rd_kafka_conf_t *conf, const char *key, const char *value)
{
    char err[256];
    if (rd_kafka_conf_set(conf, key, value, err, sizeof err) != RD_KAFKA_CONF_OK) {
        bench_fatal("librdkafka %s=%s: %s", key, value, err);
    }
}

rd_kafka_conf_t *bench_kafka_conf(int port)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    char bootstrap[64];
    snprintf(bootstrap, sizeof bootstrap, "127.0.0.1:%d", port);
    bench_kafka_set(conf, "bootstrap.servers", bootstrap);
    bench_kafka_set(conf, "log_level", "4");
    return conf;
}

rd_kafka_conf_t *bench_kafka_producer_conf(int port, const char *linger_ms,
                                           const char *batch_messages, const char *queue_messages)
{
    rd_kafka_conf_t *conf = bench_kafka_conf(port);
    bench_kafka_set(conf, "acks", "all");
    bench_kafka_set(conf, "linger.ms", linger_ms);
    bench_kafka_set(conf, "batch.size", "1000000");
    bench_kafka_set(conf, "batch.num.messages", batch_messages);
    bench_kafka_set(conf, "compression.codec", "none");
    bench_kafka_set(conf, "queue.buffering.max.messages", queue_messages);
    bench_kafka_set(conf, "queue.buffering.max.kbytes", "1048576");
    bench_kafka_set(conf, "enable.idempotence", "false");
    return conf;
}
