/* Internal structures of the hub module, shared by its files only. */
#ifndef EDDY_HUB_HUB_INT_H
#define EDDY_HUB_HUB_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/map.h"
#include "hub/config.h"
#include "hub/hub.h"
#include "io/loop.h"
#include "kafka/types.h"
#include "storage/storage.h"

typedef struct eddy_worker eddy_worker;
typedef struct eddy_conn eddy_conn;
typedef struct eddy_topic eddy_topic;
typedef struct eddy_partition eddy_partition;
typedef struct eddy_fetch_wait eddy_fetch_wait;
typedef struct eddy_coord eddy_coord;

/* One chunk of a response waiting to be written: memory or a file range
 * (sent with sendfile). */
typedef struct eddy_out {
    struct eddy_out *next;
    uint8_t *data; /* memory chunk: the bytes to send */
    void *owned;   /* freed with the chunk (may be shared: the last chunk of
                    * a response owns the encoded buffer) */
    size_t len;
    size_t off;
    int fd; /* >= 0: file chunk of len bytes from pos */
    int64_t pos;
    eddy_log_slice slice; /* released after sending a file chunk */
    bool has_slice;
} eddy_out;

/* A partition: a log plus the fetches waiting for it to grow. */
struct eddy_partition {
    eddy_topic *topic;
    int32_t index;
    eddy_log *log;
    pthread_mutex_t wait_mu; /* guards waiters (network threads + log writer) */
    eddy_fetch_wait **waiters;
    size_t nwaiters, capwaiters;
    struct eddy_capture_part *cap; /* the capture thread's state (capture.c) */
};

/* An event hub (Kafka topic). Looked up under the hub's topics lock and
 * held by a reference while a request uses it. */
struct eddy_topic {
    char *name;
    uint8_t id[16]; /* topic id (Metadata v10+, Fetch v13+) */
    int32_t npartitions;
    eddy_partition *parts;
    /* Settings: AlterConfigs changes them on the housekeeping thread while
     * network threads read them, hence atomics. */
    _Atomic eddy_ts_type timestamp_type;
    atomic_int_fast64_t max_event_bytes;
    atomic_int_fast64_t retention_ms;
    atomic_int_fast64_t retention_bytes;
    atomic_int_fast64_t segment_bytes;
    atomic_int refs;
    atomic_bool deleted;
    eddy_hub *hub;
};

struct eddy_worker {
    eddy_hub *hub;
    int index;
    eddy_loop *loop;
    int lfd;
    eddy_watch lw;
    pthread_t thread;
    eddy_conn *conns; /* doubly linked list of live connections */
    int nconns_alloc; /* connections not yet freed (incl. closing ones) */
};

/* A response slot: keeps the place of a detached request's response in the
 * connection's output order (see eddy_conn_detach). */
typedef struct eddy_slot {
    struct eddy_slot *next;
    eddy_out *head, *tail;
    bool ready;
} eddy_slot;

/* A client connection, owned by one worker's loop. Requests are handled one
 * at a time, strictly in order; `busy` is set while one is in progress
 * (possibly waiting for the log writer or a long poll). */
struct eddy_conn {
    eddy_worker *worker;
    eddy_conn *prev, *next;
    eddy_watch w;
    eddy_buf in; /* bytes read; [in_off, len) not yet dispatched */
    size_t in_off;
    bool in_dispatch; /* inside eddy_hub_dispatch (synchronous part) */
    eddy_out *out_head, *out_tail;
    size_t out_bytes;
    eddy_slot *slots_head, *slots_tail; /* responses waiting behind a slot */
    int ndetached;                      /* slots not yet filled */
    eddy_arena arena;                   /* request-scoped memory, reset after each request */
    bool busy;                          /* a request is being handled */
    bool closing;                       /* fd closed; free when inflight drops to 0 */
    int inflight;                       /* async operations holding this connection */
    uint64_t id;
    char peer[64];
    /* The request in progress. */
    int16_t api_key, api_version;
    int32_t correlation_id;
};

struct eddy_hub {
    eddy_hub_config cfg;
    eddy_store *store;
    char adv_host[256];
    int adv_port;
    int port;
    char cluster_id[32];
    pthread_rwlock_t topics_lock; /* topics map: read on every request */
    eddy_map topics;              /* name -> eddy_topic* */
    eddy_worker *workers;
    int nworkers;
    eddy_loop *admin; /* housekeeping thread: topic create/delete, retention */
    pthread_t admin_thread;
    atomic_int_fast64_t next_producer_id;
    int64_t producer_id_limit;    /* persisted floor of the next run */
    eddy_coord *coord;            /* group coordinator (group.h): its own thread */
    struct eddy_capture *capture; /* capture into the lake (capture.h): its own thread */
    atomic_uint_fast64_t next_conn_id;
    int stop_fd;
    int lfd; /* the listening socket, shared by the workers */
    bool threads_started;
    bool threads_stopped;
    atomic_int ops_inflight; /* produce contexts waiting for the log writer */
};

/* --- server.c --- */
void eddy_hub_settle(eddy_hub *hub);

/* --- conn.c --- */

/* Starts a response to the request in progress: returns a buffer with room
 * for the size prefix and the response header already written. NULL on
 * out of memory. */
eddy_buf *eddy_conn_response_begin(eddy_conn *conn);
/* The same for a detached request (its own key, version and correlation id). */
eddy_buf *eddy_conn_response_begin_for(int16_t api_key, int16_t api_version,
                                       int32_t correlation_id);
/* Ends the request in progress for the connection but keeps the place of
 * its response: later frames are served meanwhile and their responses wait
 * behind the slot. The request must not use the frame or the arena after
 * this. The caller holds the connection (eddy_conn_hold) until it fills the
 * slot on the connection's thread with eddy_conn_slot_fill (which takes b).
 * NULL on out of memory (the request is still in progress then). */
eddy_slot *eddy_conn_detach(eddy_conn *conn);
void eddy_conn_slot_fill(eddy_conn *conn, eddy_slot *slot, eddy_buf *b);
/* Queues the response (takes ownership of b) and finishes the request. */
void eddy_conn_response_end(eddy_conn *conn, eddy_buf *b);
/* Finishes the request without a response (acks=0 produce). */
void eddy_conn_no_response(eddy_conn *conn);
/* Queues response chunks built by hand (fetch: memory + file ranges);
 * takes ownership of the list. The caller then ends the request with
 * eddy_conn_response_end on the final chunk's buffer or, when every chunk is
 * queued, with eddy_conn_chunks_end. */
/* Responds with b (begun by eddy_conn_response_begin) where gaps[i] is
 * filled by the file range of slices[i] (taken over: released after
 * sending). Ends the request. */
void eddy_conn_respond_with_files(eddy_conn *conn, eddy_buf *b, const eddy_kafka_gap *gaps,
                                  const eddy_log_slice *const *slices, size_t n);
/* Closes the connection (protocol violation or I/O error). */
void eddy_conn_close(eddy_conn *conn, const char *why);
/* Marks / unmarks an async operation that holds the connection. */
void eddy_conn_hold(eddy_conn *conn);
void eddy_conn_release(eddy_conn *conn);

void eddy_worker_start_accepting(eddy_worker *wk);
void eddy_worker_close_all(eddy_worker *wk);

/* --- dispatch.c: handles one complete request frame (body after the size
 * prefix). Either responds (now or later) or closes the connection. */
void eddy_hub_dispatch(eddy_conn *conn, const uint8_t *frame, size_t len);

/* --- topics.c --- */
eddy_topic *eddy_hub_topic_get(eddy_hub *hub, const char *name, size_t len);
void eddy_hub_topic_put(eddy_topic *topic);

#endif
