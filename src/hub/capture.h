/* Capture: each partition's log into Avro files in the lake, in the exact
 * Azure Event Hubs Capture schema and folder layout (docs/capture.md).
 *
 * One capture thread per hub process reads the partitions' logs below the
 * high watermark (durable events only), cuts them into time windows aligned
 * to multiples of the interval (by LogAppendTime; by arrival for CreateTime
 * hubs) and size windows, and writes one file per window and partition:
 * temporary name, fsync, rename, fsync the folder, then the partition's
 * capture state (the first offset not yet in a file) is persisted. File
 * names are a function of that state, so after a crash the window is
 * written again under the same name: every event lands in exactly one file.
 * Retention keeps what capture has not written yet (up to capture-hold). */
#ifndef EDDY_HUB_CAPTURE_H
#define EDDY_HUB_CAPTURE_H

#include "hub/hub_int.h"

typedef struct eddy_capture eddy_capture;
typedef struct eddy_capture_part eddy_capture_part;

/* Creates the capture of hub (does not start it). Returns 0 or NOMEM. */
int eddy_capture_new(eddy_hub *hub, eddy_capture **out);

/* Starts the capture thread. Returns 0 or an error. */
int eddy_capture_start(eddy_capture *c);

/* Stops and joins the thread (an open window's temporary file is dropped:
 * the next start writes that window again). Safe when never started. */
void eddy_capture_stop(eddy_capture *c);

/* Frees the capture (after stop). NULL is a no-op. */
void eddy_capture_free(eddy_capture *c);

/* Frees a partition's capture state (topic destruction, after the capture
 * thread let go of the topic). NULL is a no-op. */
void eddy_capture_part_free(eddy_capture_part *cp);

typedef struct eddy_capture_stats {
    uint64_t files;  /* files written (data and empty) */
    uint64_t events; /* events written into files */
    uint64_t bytes;  /* file bytes written */
    uint64_t errors; /* failed attempts (retried) */
    uint64_t lost;   /* events deleted by retention before capture */
} eddy_capture_stats;

void eddy_capture_get_stats(eddy_capture *c, eddy_capture_stats *out);

#endif
