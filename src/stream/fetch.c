/* The native Fetch client (fetch.h). Fetch v11: topic names, sessionless
 * (SessionId 0, epoch -1: every request names its partitions),
 * read_uncommitted. */
#include "stream/fetch.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/reader.h"
#include "kafka/gen/kafka_msgs.h"
#include "kafka/header.h"

#define FETCH_VERSION 11
#define MAX_RESPONSE  ((size_t)256 << 20)
#define PARTITION_MAX (16 << 20)
#define RESPONSE_MAX  (64 << 20)

struct nfetch {
    int fd;
    int32_t correlation;
    int pending;
    eddy_buf out;
    /* the response being read: 4-byte size, then the body */
    uint8_t *in;
    size_t incap, inlen, want;
    eddy_arena arena;  /* the request */
    eddy_arena rarena; /* the response's decoded structure */
    nf_data *data;
    size_t ndata, capdata;
};

nfetch *nfetch_open(const char *host, int port, char *err, size_t errlen)
{
    char portstr[16];
    snprintf(portstr, sizeof portstr, "%d", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;
    int gai = getaddrinfo(host, portstr, &hints, &res);
    if (gai != 0) {
        snprintf(err, errlen, "cannot resolve %s: %s", host, gai_strerror(gai));
        return NULL;
    }
    int fd = -1;
    for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0) {
        snprintf(err, errlen, "cannot connect to %s:%d: %s", host, port, strerror(errno));
        return NULL;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    nfetch *f = calloc(1, sizeof *f);
    if (!f) {
        close(fd);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    f->fd = fd;
    eddy_buf_init(&f->out, 0);
    eddy_arena_init(&f->arena, 0, 0);
    eddy_arena_init(&f->rarena, 0, 0);
    return f;
}

int nfetch_pending(const nfetch *f)
{
    return f->pending;
}

int nfetch_send(nfetch *f, const nf_part *parts, size_t n, int max_wait_ms, char *err,
                size_t errlen)
{
    eddy_arena_reset(&f->arena);
    eddy_kafka_FetchRequest req;
    eddy_kafka_FetchRequest_init(&req);
    req.ReplicaId = -1;
    req.MaxWaitMs = max_wait_ms;
    req.MinBytes = 1;
    req.MaxBytes = RESPONSE_MAX;
    req.IsolationLevel = 0;
    req.SessionId = 0;
    req.SessionEpoch = -1;
    /* one topic entry per distinct hub, in order of first appearance */
    eddy_kafka_FetchRequest_FetchTopic *topics =
        eddy_arena_calloc(&f->arena, n ? n : 1, sizeof *topics);
    eddy_kafka_FetchRequest_FetchPartition *ps =
        eddy_arena_calloc(&f->arena, n ? n : 1, sizeof *ps);
    if (!topics || !ps) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t nt = 0, at = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t t = 0; t < nt && !seen; t++) {
            seen = strcmp(topics[t].Topic.p, parts[i].hub) == 0;
        }
        if (seen) {
            continue;
        }
        eddy_kafka_FetchRequest_FetchTopic *t = &topics[nt++];
        eddy_kafka_FetchRequest_FetchTopic_init(t);
        t->Topic.p = parts[i].hub;
        t->Topic.len = (int32_t)strlen(parts[i].hub);
        t->Partitions.items = &ps[at];
        for (size_t j = i; j < n; j++) {
            if (strcmp(parts[j].hub, parts[i].hub) != 0) {
                continue;
            }
            eddy_kafka_FetchRequest_FetchPartition *p = &ps[at++];
            eddy_kafka_FetchRequest_FetchPartition_init(p);
            p->Partition = parts[j].partition;
            p->FetchOffset = parts[j].offset;
            p->PartitionMaxBytes = PARTITION_MAX;
            t->Partitions.count++;
        }
    }
    req.Topics.items = topics;
    req.Topics.count = (int32_t)nt;
    eddy_buf_reset(&f->out);
    size_t start = eddy_kafka_frame_begin(&f->out);
    eddy_kafka_request_header h = {.api_key = EDDY_KAFKA_API_Fetch,
                                   .api_version = FETCH_VERSION,
                                   .correlation_id = ++f->correlation,
                                   .client_id = {.p = "eddy-query", .len = 10}};
    if (eddy_kafka_request_header_encode(&f->out, &h) ||
        eddy_kafka_FetchRequest_encode(&f->out, FETCH_VERSION, &req) ||
        eddy_kafka_frame_end(&f->out, start, 0)) {
        snprintf(err, errlen, "cannot encode a Fetch request");
        return -1;
    }
    size_t off = 0;
    while (off < f->out.len) {
        ssize_t w = send(f->fd, f->out.data + off, f->out.len - off, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            snprintf(err, errlen, "cannot send a Fetch request: %s", strerror(errno));
            return -1;
        }
        off += (size_t)w;
    }
    f->pending = 1;
    f->inlen = 0;
    f->want = 4;
    return 0;
}

static int add_data(nfetch *f, const nf_data *d)
{
    if (f->ndata == f->capdata) {
        size_t nc = f->capdata ? f->capdata * 2 : 16;
        nf_data *nd = realloc(f->data, sizeof *nd * nc);
        if (!nd) {
            return -1;
        }
        f->data = nd;
        f->capdata = nc;
    }
    f->data[f->ndata++] = *d;
    return 0;
}

static int parse(nfetch *f, char *err, size_t errlen)
{
    eddy_reader r;
    eddy_reader_init(&r, f->in + 4, f->inlen - 4);
    int32_t corr;
    if (eddy_kafka_response_header_decode(&r, EDDY_KAFKA_API_Fetch, FETCH_VERSION, &corr) != 0 ||
        corr != f->correlation) {
        snprintf(err, errlen, "a Fetch response out of order");
        return -1;
    }
    eddy_arena_reset(&f->rarena);
    eddy_kafka_FetchResponse resp;
    int rc = eddy_kafka_FetchResponse_decode(&r, FETCH_VERSION, &f->rarena, &resp);
    if (rc) {
        snprintf(err, errlen, "a malformed Fetch response");
        return -1;
    }
    if (resp.ErrorCode != 0) {
        snprintf(err, errlen, "Fetch failed with error %d", resp.ErrorCode);
        return -1;
    }
    f->ndata = 0;
    for (int32_t t = 0; t < resp.Responses.count; t++) {
        const eddy_kafka_FetchResponse_FetchableTopicResponse *tr = &resp.Responses.items[t];
        /* the topic's name, NUL-terminated, in the arena */
        char *hub = eddy_arena_strndup(&f->rarena, tr->Topic.p ? tr->Topic.p : "",
                                       tr->Topic.len > 0 ? (size_t)tr->Topic.len : 0);
        if (!hub) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        for (int32_t p = 0; p < tr->Partitions.count; p++) {
            const eddy_kafka_FetchResponse_PartitionData *pd = &tr->Partitions.items[p];
            nf_data d = {.hub = hub,
                         .partition = pd->PartitionIndex,
                         .error = pd->ErrorCode,
                         .high_watermark = pd->HighWatermark,
                         .log_start = pd->LogStartOffset,
                         .records = pd->Records.p,
                         .len = pd->Records.len > 0 ? (size_t)pd->Records.len : 0};
            if (add_data(f, &d) != 0) {
                snprintf(err, errlen, "out of memory");
                return -1;
            }
        }
    }
    return 0;
}

int nfetch_recv(nfetch *f, int timeout_ms, const nf_data **data, size_t *n, char *err,
                size_t errlen)
{
    if (!f->pending) {
        snprintf(err, errlen, "no Fetch request in flight");
        return -1;
    }
    for (;;) {
        if (f->inlen == f->want) {
            if (f->want == 4) {
                uint32_t size = ((uint32_t)f->in[0] << 24) | ((uint32_t)f->in[1] << 16) |
                                ((uint32_t)f->in[2] << 8) | f->in[3];
                if (size < 4 || size > MAX_RESPONSE) {
                    snprintf(err, errlen, "a Fetch response of %u bytes", size);
                    return -1;
                }
                f->want = 4 + (size_t)size;
            } else {
                f->pending = 0;
                if (parse(f, err, errlen) != 0) {
                    return -1;
                }
                *data = f->data;
                *n = f->ndata;
                return 1;
            }
        }
        if (f->incap < f->want) {
            size_t nc = f->want < 65536 ? 65536 : f->want;
            uint8_t *ni = realloc(f->in, nc);
            if (!ni) {
                snprintf(err, errlen, "out of memory");
                return -1;
            }
            f->in = ni;
            f->incap = nc;
        }
        struct pollfd pfd = {.fd = f->fd, .events = POLLIN};
        int pr = poll(&pfd, 1, timeout_ms);
        if (pr < 0 && errno == EINTR) {
            return 0;
        }
        if (pr == 0) {
            return 0;
        }
        if (pr < 0) {
            snprintf(err, errlen, "poll: %s", strerror(errno));
            return -1;
        }
        ssize_t got = recv(f->fd, f->in + f->inlen, f->want - f->inlen, 0);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (got <= 0) {
            snprintf(err, errlen, "the hub closed the connection%s%s", got < 0 ? ": " : "",
                     got < 0 ? strerror(errno) : "");
            return -1;
        }
        f->inlen += (size_t)got;
    }
}

void nfetch_close(nfetch *f)
{
    if (!f) {
        return;
    }
    if (f->fd >= 0) {
        close(f->fd);
    }
    eddy_buf_deinit(&f->out);
    eddy_arena_deinit(&f->arena);
    eddy_arena_deinit(&f->rarena);
    free(f->in);
    free(f->data);
    free(f);
}
