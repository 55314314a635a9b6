/* The files of a source's pattern (src_int.h): a file, a folder (every
 * regular file below it, names starting with '.' skipped: capture's
 * temporary files and hidden folders), or a glob(3) pattern (*, ?, [...];
 * a folder it matches is expanded like a folder). Sorted by path, so a
 * lake's files come in time order per partition. Symbolic links to files
 * are followed, links to folders are not (no cycles). */
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "sql/src_int.h"

#define MAX_DEPTH 64

typedef struct flist {
    src_file *v;
    size_t n, cap;
} flist;

static int add(flist *l, const char *path, uint64_t size)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 16;
        src_file *nv = realloc(l->v, ncap * sizeof *nv);
        if (!nv) {
            return EDDY_ERR_NOMEM;
        }
        l->v = nv;
        l->cap = ncap;
    }
    char *p = strdup(path);
    if (!p) {
        return EDDY_ERR_NOMEM;
    }
    l->v[l->n].path = p;
    l->v[l->n].size = size;
    l->v[l->n].partition = -1;
    l->n++;
    return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static int walk(flist *l, const char *dir, bool only_avro, int depth, char *err, size_t errlen)
{
    if (depth > MAX_DEPTH) {
        snprintf(err, errlen, "%s: folders nested too deeply", dir);
        return EDDY_ERR_LIMIT;
    }
    DIR *d = opendir(dir);
    if (!d) {
        int rc = eddy_err_from_errno(errno);
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return rc;
    }
    int rc = 0;
    struct dirent *e;
    size_t dlen = strlen(dir);
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') {
            continue;
        }
        size_t n = dlen + 1 + strlen(e->d_name) + 1;
        char *path = malloc(n);
        if (!path) {
            rc = EDDY_ERR_NOMEM;
            break;
        }
        snprintf(path, n, "%s%s%s", dir, dlen && dir[dlen - 1] == '/' ? "" : "/", e->d_name);
        /* A link counts only when it leads to a file. */
        struct stat st;
        if (lstat(path, &st) != 0 ||
            (S_ISLNK(st.st_mode) && (stat(path, &st) != 0 || !S_ISREG(st.st_mode)))) {
            free(path);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            rc = walk(l, path, only_avro, depth + 1, err, errlen);
        } else if (S_ISREG(st.st_mode) && (!only_avro || ends_with(e->d_name, ".avro"))) {
            rc = add(l, path, (uint64_t)st.st_size);
        }
        free(path);
        if (rc) {
            break;
        }
    }
    closedir(d);
    return rc;
}

/* One path: a file or a folder. */
static int add_path(flist *l, const char *path, bool only_avro, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        int rc = eddy_err_from_errno(errno);
        snprintf(err, errlen, "'%s': %s", path, strerror(errno));
        return rc;
    }
    if (S_ISDIR(st.st_mode)) {
        return walk(l, path, only_avro, 0, err, errlen);
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "'%s' is not a file or folder", path);
        return EDDY_ERR_INVALID_ARG;
    }
    return add(l, path, (uint64_t)st.st_size);
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(((const src_file *)a)->path, ((const src_file *)b)->path);
}

int src_files_list(const char *pattern, bool only_avro, src_file **files, size_t *n, char *err,
                   size_t errlen)
{
    flist l = {0};
    int rc = 0;
    *files = NULL;
    *n = 0;
    if (!pattern || !*pattern) {
        snprintf(err, errlen, "no file named: the pattern is empty");
        return EDDY_ERR_NOT_FOUND;
    }
    if (strpbrk(pattern, "*?[")) {
        glob_t g;
        int grc = glob(pattern, 0, NULL, &g);
        if (grc == GLOB_NOMATCH) {
            snprintf(err, errlen, "no file matches '%s'", pattern);
            return EDDY_ERR_NOT_FOUND;
        }
        if (grc != 0) {
            snprintf(err, errlen, "'%s': %s", pattern,
                     grc == GLOB_NOSPACE ? "out of memory" : "read error");
            return grc == GLOB_NOSPACE ? EDDY_ERR_NOMEM : EDDY_ERR_IO;
        }
        for (size_t i = 0; i < g.gl_pathc && !rc; i++) {
            struct stat st;
            if (stat(g.gl_pathv[i], &st) != 0) {
                continue; /* a dangling link */
            }
            if (S_ISDIR(st.st_mode)) {
                rc = walk(&l, g.gl_pathv[i], only_avro, 0, err, errlen);
            } else if (S_ISREG(st.st_mode)) {
                rc = add(&l, g.gl_pathv[i], (uint64_t)st.st_size);
            }
        }
        globfree(&g);
        if (!rc && l.n == 0) {
            snprintf(err, errlen, "no file matches '%s'", pattern);
            rc = EDDY_ERR_NOT_FOUND;
        }
    } else {
        rc = add_path(&l, pattern, only_avro, err, errlen);
        if (rc == EDDY_ERR_NOT_FOUND) {
            snprintf(err, errlen, "no file matches '%s' (no such file or folder)", pattern);
        }
    }
    if (rc) {
        if (rc == EDDY_ERR_NOMEM) {
            snprintf(err, errlen, "out of memory listing '%s'", pattern);
        }
        src_files_free(l.v, l.n);
        return rc;
    }
    qsort(l.v, l.n, sizeof *l.v, cmp_path);
    *files = l.v;
    *n = l.n;
    return 0;
}

void src_files_free(src_file *files, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(files[i].path);
    }
    free(files);
}
