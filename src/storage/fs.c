/* Filesystem helpers (see fs.h). */
#include "storage/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"

int eddy_fs_mkdir_p(const char *path, mode_t mode)
{
    char buf[PATH_MAX];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) {
        return EDDY_ERR_INVALID_ARG;
    }
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0') {
            continue;
        }
        char saved = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, mode) != 0 && errno != EEXIST) {
            return eddy_err_from_errno(errno);
        }
        buf[i] = saved;
    }
    struct stat sb;
    if (stat(path, &sb) != 0) {
        return eddy_err_from_errno(errno);
    }
    return S_ISDIR(sb.st_mode) ? 0 : EDDY_ERR_EXISTS;
}

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)type;
    (void)ftw;
    if (remove(path) != 0 && errno != ENOENT) {
        return errno;
    }
    return 0;
}

int eddy_fs_rm_r(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0) {
        return errno == ENOENT ? 0 : eddy_err_from_errno(errno);
    }
    int rc = nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    if (rc < 0) {
        return eddy_err_from_errno(errno);
    }
    return rc ? eddy_err_from_errno(rc) : 0;
}

int eddy_fs_fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return eddy_err_from_errno(errno);
    }
    int rc = 0;
    if (fsync(fd) != 0) {
        rc = eddy_err_from_errno(errno);
    }
    close(fd);
    return rc;
}

int eddy_fs_fsync_parent(const char *path)
{
    char buf[PATH_MAX];
    size_t n = strlen(path);
    if (n >= sizeof buf) {
        return EDDY_ERR_INVALID_ARG;
    }
    memcpy(buf, path, n + 1);
    char *slash = strrchr(buf, '/');
    if (!slash) {
        return eddy_fs_fsync_dir(".");
    }
    if (slash == buf) {
        slash[1] = '\0';
    } else {
        *slash = '\0';
    }
    return eddy_fs_fsync_dir(buf);
}

int eddy_fs_pwrite_full(int fd, const void *buf, size_t n, int64_t pos)
{
    const uint8_t *p = buf;
    while (n > 0) {
        ssize_t w = pwrite(fd, p, n, (off_t)pos);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return eddy_err_from_errno(errno);
        }
        if (w == 0) {
            return EDDY_ERR_IO;
        }
        p += w;
        n -= (size_t)w;
        pos += w;
    }
    return 0;
}

int eddy_fs_pread_full(int fd, void *buf, size_t n, int64_t pos, size_t *got)
{
    uint8_t *p = buf;
    size_t done = 0;
    while (done < n) {
        ssize_t r = pread(fd, p + done, n - done, (off_t)(pos + (int64_t)done));
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            *got = done;
            return eddy_err_from_errno(errno);
        }
        if (r == 0) {
            break;
        }
        done += (size_t)r;
    }
    *got = done;
    return 0;
}

int eddy_fs_write_atomic(const char *path, const void *data, size_t len)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        return EDDY_ERR_INVALID_ARG;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return eddy_err_from_errno(errno);
    }
    int rc = eddy_fs_pwrite_full(fd, data, len, 0);
    if (rc == 0 && fsync(fd) != 0) {
        rc = eddy_err_from_errno(errno);
    }
    if (close(fd) != 0 && rc == 0) {
        rc = eddy_err_from_errno(errno);
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = eddy_err_from_errno(errno);
    }
    if (rc != 0) {
        unlink(tmp);
        return rc;
    }
    return eddy_fs_fsync_parent(path);
}

int eddy_fs_read_file(const char *path, size_t max, uint8_t **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return eddy_err_from_errno(errno);
    }
    int rc = 0;
    uint8_t *data = NULL;
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        rc = eddy_err_from_errno(errno);
        goto out;
    }
    if (sb.st_size < 0 || (uint64_t)sb.st_size > max) {
        rc = EDDY_ERR_LIMIT;
        goto out;
    }
    size_t n = (size_t)sb.st_size;
    data = malloc(n ? n : 1);
    if (!data) {
        rc = EDDY_ERR_NOMEM;
        goto out;
    }
    size_t got = 0;
    rc = eddy_fs_pread_full(fd, data, n, 0, &got);
    if (rc != 0) {
        goto out;
    }
    *out = data;
    *len = got;
    data = NULL;
out:
    free(data);
    close(fd);
    return rc;
}
