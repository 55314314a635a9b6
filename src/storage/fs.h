/* Small filesystem helpers for writers that must survive a crash.
 *
 * An atomic file write is temp file + write + fsync + rename + fsync of the
 * folder: after a crash the file is either the old one or the new one, never
 * a mix. These live in storage for now and may move to io later; they do
 * blocking I/O, so call them off the network threads. Every function returns
 * 0 or an eddy_err translated once from errno. Thread-safe. */
#ifndef EDDY_STORAGE_FS_H
#define EDDY_STORAGE_FS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Creates path and its missing parents (like mkdir -p). */
int eddy_fs_mkdir_p(const char *path, mode_t mode);

/* Removes path and everything below it (like rm -r). A missing path is 0. */
int eddy_fs_rm_r(const char *path);

/* fsyncs a folder, making created, renamed and removed names durable. */
int eddy_fs_fsync_dir(const char *path);

/* fsyncs the folder that holds path. */
int eddy_fs_fsync_parent(const char *path);

/* Replaces path with data[0..len) atomically: writes "<path>.tmp", fsyncs
 * it, renames it over path and fsyncs the folder. */
int eddy_fs_write_atomic(const char *path, const void *data, size_t len);

/* Reads a whole file of at most max bytes. Returns 0 and *out (owned; free
 * with free()), EDDY_ERR_NOT_FOUND, EDDY_ERR_LIMIT (larger than max) or an
 * I/O error. */
int eddy_fs_read_file(const char *path, size_t max, uint8_t **out, size_t *len);

/* pread until n bytes or end of file; *got receives the count. */
int eddy_fs_pread_full(int fd, void *buf, size_t n, int64_t pos, size_t *got);

/* pwrite all n bytes (retrying short writes and EINTR). */
int eddy_fs_pwrite_full(int fd, const void *buf, size_t n, int64_t pos);

#endif
