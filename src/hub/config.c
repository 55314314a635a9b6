/* Hub configuration (see config.h and docs/config.md). */
#include "hub/config.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"

void eddy_hub_config_defaults(eddy_hub_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->data_dir, sizeof cfg->data_dir, "./eddy-data");
    snprintf(cfg->listen, sizeof cfg->listen, "127.0.0.1:9092");
    snprintf(cfg->namespace_name, sizeof cfg->namespace_name, "eddy");
    cfg->auto_create = true;
    cfg->partitions = 4;
    cfg->threads = 0;
    cfg->fsync = EDDY_HUB_FSYNC_ALWAYS;
    cfg->fsync_interval_ms = 0;
    cfg->max_event_bytes = 1024 * 1024;
    cfg->max_request_bytes = 100 * 1024 * 1024;
    cfg->retention_ms = 7LL * 24 * 3600 * 1000;
    cfg->retention_bytes = -1;
    cfg->segment_bytes = 1024LL * 1024 * 1024;
    cfg->segment_ms = 7LL * 24 * 3600 * 1000;
    cfg->retention_check_ms = 30000;
    cfg->timestamp_type = EDDY_TS_APPEND;
    cfg->offsets_retention_ms = 7LL * 24 * 3600 * 1000;
    cfg->group_initial_rebalance_delay_ms = 300;
    cfg->capture = (eddy_capture_config){.enabled = -1,
                                         .dir = NULL,
                                         .interval_ms = 300000,
                                         .size_bytes = 300LL * 1024 * 1024,
                                         .codec = EDDY_CAPTURE_DEFLATE,
                                         .skip_empty = 0};
    cfg->capture_hold_ms = 24LL * 3600 * 1000;
}

static void topic_deinit(eddy_hub_topic_config *t)
{
    for (int i = 0; i < t->ngroups; i++) {
        free(t->groups[i]);
    }
    free(t->groups);
    t->groups = NULL;
    t->ngroups = 0;
    free(t->capture.dir);
    t->capture.dir = NULL;
}

void eddy_hub_config_deinit(eddy_hub_config *cfg)
{
    for (int i = 0; i < cfg->ntopics; i++) {
        topic_deinit(&cfg->topics[i]);
    }
    free(cfg->topics);
    cfg->topics = NULL;
    cfg->ntopics = 0;
    free(cfg->capture.dir);
    cfg->capture.dir = NULL;
}

int eddy_parse_capture_codec(const char *s, eddy_capture_codec *out)
{
    if (strcmp(s, "null") == 0) {
        *out = EDDY_CAPTURE_NULL;
    } else if (strcmp(s, "deflate") == 0) {
        *out = EDDY_CAPTURE_DEFLATE;
    } else if (strcmp(s, "snappy") == 0) {
        *out = EDDY_CAPTURE_SNAPPY;
    } else {
        return EDDY_ERR_INVALID_ARG;
    }
    return 0;
}

const char *eddy_capture_codec_name(eddy_capture_codec c)
{
    return c == EDDY_CAPTURE_NULL ? "null" : c == EDDY_CAPTURE_SNAPPY ? "snappy" : "deflate";
}

void eddy_hub_config_capture(const eddy_hub_config *cfg, const char *name, eddy_capture_config *out)
{
    *out = cfg->capture;
    const eddy_hub_topic_config *t = eddy_hub_config_topic(cfg, name);
    if (t) {
        const eddy_capture_config *c = &t->capture;
        out->enabled = c->enabled >= 0 ? c->enabled : out->enabled;
        out->dir = c->dir ? c->dir : out->dir;
        out->interval_ms = c->interval_ms > 0 ? c->interval_ms : out->interval_ms;
        out->size_bytes = c->size_bytes > 0 ? c->size_bytes : out->size_bytes;
        out->codec = c->codec >= 0 ? c->codec : out->codec;
        out->skip_empty = c->skip_empty >= 0 ? c->skip_empty : out->skip_empty;
    }
    if (out->enabled < 0) {
        out->enabled = out->dir != NULL;
    }
    if (!out->dir) {
        out->enabled = 0;
    }
}

static int errorf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int errorf(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return EDDY_ERR_INVALID_CONFIG;
}

/* --- value parsers --- */

int eddy_parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"on", "true", "yes", "1"};
    static const char *const no[] = {"off", "false", "no", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return EDDY_ERR_INVALID_ARG;
}

/* Parses a non-negative integer prefix; returns the end or NULL. */
static const char *parse_num(const char *s, int64_t *v)
{
    if (!isdigit((unsigned char)*s)) {
        return NULL;
    }
    errno = 0;
    char *end;
    long long n = strtoll(s, &end, 10);
    if (errno || n < 0) {
        return NULL;
    }
    *v = n;
    return end;
}

static int scale(int64_t n, int64_t mul, int64_t *out)
{
    if (n > INT64_MAX / mul) {
        return EDDY_ERR_INVALID_ARG;
    }
    *out = n * mul;
    return 0;
}

int eddy_parse_duration_ms(const char *s, int64_t *out)
{
    if (strcmp(s, "-1") == 0 || strcasecmp(s, "forever") == 0) {
        *out = -1;
        return 0;
    }
    int64_t n;
    const char *u = parse_num(s, &n);
    if (!u) {
        return EDDY_ERR_INVALID_ARG;
    }
    static const struct {
        const char *unit;
        int64_t ms;
    } units[] = {{"", 1},        {"ms", 1},      {"s", 1000},    {"m", 60000},
                 {"min", 60000}, {"h", 3600000}, {"d", 86400000}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcasecmp(u, units[i].unit) == 0) {
            return scale(n, units[i].ms, out);
        }
    }
    return EDDY_ERR_INVALID_ARG;
}

int eddy_parse_size(const char *s, int64_t *out)
{
    if (strcmp(s, "-1") == 0 || strcasecmp(s, "unlimited") == 0) {
        *out = -1;
        return 0;
    }
    int64_t n;
    const char *u = parse_num(s, &n);
    if (!u) {
        return EDDY_ERR_INVALID_ARG;
    }
    static const struct {
        const char *unit;
        int64_t mul;
    } units[] = {{"", 1},
                 {"b", 1},
                 {"kb", 1000},
                 {"kib", 1024},
                 {"k", 1024},
                 {"mb", 1000 * 1000},
                 {"mib", 1024 * 1024},
                 {"m", 1024 * 1024},
                 {"gb", 1000LL * 1000 * 1000},
                 {"gib", 1024LL * 1024 * 1024},
                 {"g", 1024LL * 1024 * 1024}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcasecmp(u, units[i].unit) == 0) {
            return scale(n, units[i].mul, out);
        }
    }
    return EDDY_ERR_INVALID_ARG;
}

int eddy_parse_fsync(const char *s, eddy_fsync_policy *policy, int64_t *interval_ms)
{
    if (strcmp(s, "always") == 0) {
        *policy = EDDY_HUB_FSYNC_ALWAYS;
        *interval_ms = 0;
        return 0;
    }
    if (strcmp(s, "never") == 0) {
        *policy = EDDY_HUB_FSYNC_NEVER;
        *interval_ms = 0;
        return 0;
    }
    if (strncmp(s, "interval:", 9) == 0) {
        int64_t ms;
        if (eddy_parse_duration_ms(s + 9, &ms) || ms <= 0) {
            return EDDY_ERR_INVALID_ARG;
        }
        *policy = EDDY_HUB_FSYNC_INTERVAL;
        *interval_ms = ms;
        return 0;
    }
    return EDDY_ERR_INVALID_ARG;
}

bool eddy_hub_name_valid(const char *name, size_t len)
{
    if (len == 0 || len > EDDY_NAME_MAX) {
        return false;
    }
    if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.')) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!(isalnum(c) || c == '.' || c == '_' || c == '-')) {
            return false;
        }
    }
    return true;
}

const eddy_hub_topic_config *eddy_hub_config_topic(const eddy_hub_config *cfg, const char *name)
{
    for (int i = 0; i < cfg->ntopics; i++) {
        if (strcmp(cfg->topics[i].name, name) == 0) {
            return &cfg->topics[i];
        }
    }
    return NULL;
}

/* --- settings --- */

/* Parses a size or count and checks lo <= v <= hi. */
static int size_in(const char *value, int64_t lo, int64_t hi, int64_t *v)
{
    int rc = eddy_parse_size(value, v);
    return rc ? rc : (*v < lo || *v > hi ? EDDY_ERR_INVALID_ARG : 0);
}

static int set_ts_type(const char *value, eddy_ts_type *out)
{
    if (strcasecmp(value, "append") == 0 || strcasecmp(value, "LogAppendTime") == 0) {
        *out = EDDY_TS_APPEND;
    } else if (strcasecmp(value, "create") == 0 || strcasecmp(value, "CreateTime") == 0) {
        *out = EDDY_TS_CREATE;
    } else {
        return EDDY_ERR_INVALID_ARG;
    }
    return 0;
}

static int copy_str(char *dst, size_t cap, const char *value)
{
    size_t n = strlen(value);
    if (n == 0 || n >= cap) {
        return EDDY_ERR_INVALID_ARG;
    }
    memcpy(dst, value, n + 1);
    return 0;
}

/* The capture-* keys, shared by the hub-wide settings and hub sections.
 * Returns 1 when key is not one of them, else 0 or EDDY_ERR_INVALID_ARG
 * with *expect describing the value wanted. */
static int capture_set(eddy_capture_config *c, const char *key, const char *value,
                       const char **expect)
{
    int rc = EDDY_ERR_INVALID_ARG;
    int64_t v;
    bool b;
    if (strcmp(key, "capture") == 0) {
        *expect = "on or off";
        rc = eddy_parse_bool(value, &b);
        if (!rc) {
            c->enabled = b;
        }
    } else if (strcmp(key, "capture-dir") == 0) {
        *expect = "a folder";
        if (*value) {
            char *d = strdup(value);
            if (d) {
                free(c->dir);
                c->dir = d;
                rc = 0;
            }
        }
    } else if (strcmp(key, "capture-interval") == 0) {
        /* A bare number is seconds here (Event Hubs' intervalInSeconds). */
        *expect = "whole seconds >= 1, such as 300, 60s or 5m";
        char *end;
        errno = 0;
        long long secs = strtoll(value, &end, 10);
        if (end != value && *end == '\0' && errno == 0) {
            rc = secs >= 1 && secs <= 366LL * 86400 ? 0 : EDDY_ERR_INVALID_ARG;
            v = secs * 1000;
        } else {
            rc = eddy_parse_duration_ms(value, &v);
            rc = rc ? rc
                    : (v < 1000 || v % 1000 || v > 366LL * 86400 * 1000 ? EDDY_ERR_INVALID_ARG : 0);
        }
        if (!rc) {
            c->interval_ms = v;
        }
    } else if (strcmp(key, "capture-size") == 0) {
        *expect = "a size of at least 1KiB, such as 300MiB";
        rc = size_in(value, 1024, INT64_MAX, &v);
        if (!rc) {
            c->size_bytes = v;
        }
    } else if (strcmp(key, "capture-codec") == 0) {
        *expect = "null, deflate or snappy";
        eddy_capture_codec codec;
        rc = eddy_parse_capture_codec(value, &codec);
        if (!rc) {
            c->codec = codec;
        }
    } else if (strcmp(key, "capture-skip-empty") == 0) {
        *expect = "on or off";
        rc = eddy_parse_bool(value, &b);
        if (!rc) {
            c->skip_empty = b;
        }
    } else {
        return 1;
    }
    return rc;
}

int eddy_hub_config_set(eddy_hub_config *cfg, const char *key, const char *value, char *err,
                        size_t errlen)
{
    int rc = EDDY_ERR_INVALID_ARG;
    const char *expect = "a value";
    int64_t v;
    if (strcmp(key, "data-dir") == 0) {
        rc = copy_str(cfg->data_dir, sizeof cfg->data_dir, value);
        expect = "a folder path";
    } else if (strcmp(key, "listen") == 0) {
        rc = copy_str(cfg->listen, sizeof cfg->listen, value);
        rc = rc ? rc : (strchr(value, ':') ? 0 : EDDY_ERR_INVALID_ARG);
        expect = "HOST:PORT";
    } else if (strcmp(key, "advertise") == 0) {
        rc = copy_str(cfg->advertise, sizeof cfg->advertise, value);
        rc = rc ? rc : (strchr(value, ':') ? 0 : EDDY_ERR_INVALID_ARG);
        expect = "HOST:PORT";
    } else if (strcmp(key, "namespace") == 0) {
        rc = eddy_hub_name_valid(value, strlen(value))
                 ? copy_str(cfg->namespace_name, sizeof cfg->namespace_name, value)
                 : EDDY_ERR_INVALID_ARG;
        expect = "a name of letters, digits, '.', '_' or '-'";
    } else if (strcmp(key, "auto-create") == 0) {
        rc = eddy_parse_bool(value, &cfg->auto_create);
        expect = "on or off";
    } else if (strcmp(key, "partitions") == 0) {
        rc = size_in(value, 1, 10000, &v);
        if (!rc) {
            cfg->partitions = (int32_t)v;
        }
        expect = "a number from 1 to 10000";
    } else if (strcmp(key, "threads") == 0) {
        rc = size_in(value, 0, 256, &v);
        if (!rc) {
            cfg->threads = (int)v;
        }
        expect = "a number from 0 (one per core) to 256";
    } else if (strcmp(key, "fsync") == 0) {
        rc = eddy_parse_fsync(value, &cfg->fsync, &cfg->fsync_interval_ms);
        expect = "always, never or interval:MS";
    } else if (strcmp(key, "max-event-bytes") == 0) {
        rc = size_in(value, 1024, 64 * 1024 * 1024, &v);
        if (!rc) {
            cfg->max_event_bytes = v;
        }
        expect = "a size from 1KiB to 64MiB";
    } else if (strcmp(key, "max-request-bytes") == 0) {
        rc = size_in(value, 64 * 1024, 1024LL * 1024 * 1024, &v);
        if (!rc) {
            cfg->max_request_bytes = v;
        }
        expect = "a size from 64KiB to 1GiB";
    } else if (strcmp(key, "retention") == 0) {
        rc = eddy_parse_duration_ms(value, &cfg->retention_ms);
        expect = "a duration such as 7d, 12h, 30m, or -1 for forever";
    } else if (strcmp(key, "retention-bytes") == 0) {
        rc = eddy_parse_size(value, &cfg->retention_bytes);
        expect = "a size such as 10GiB, or -1 for unlimited";
    } else if (strcmp(key, "segment-bytes") == 0) {
        rc = size_in(value, 1024 * 1024, INT64_MAX, &v);
        if (!rc) {
            cfg->segment_bytes = v;
        }
        expect = "a size of at least 1MiB";
    } else if (strcmp(key, "retention-check") == 0) {
        rc = eddy_parse_duration_ms(value, &v);
        if (!rc && (v < 100 || v > 24LL * 3600 * 1000)) {
            rc = EDDY_ERR_INVALID_ARG;
        }
        if (!rc) {
            cfg->retention_check_ms = v;
        }
        expect = "a duration from 100ms to 1d";
    } else if (strcmp(key, "segment-age") == 0) {
        rc = eddy_parse_duration_ms(value, &cfg->segment_ms);
        expect = "a duration such as 1h or 7d";
    } else if (strcmp(key, "timestamp") == 0) {
        rc = set_ts_type(value, &cfg->timestamp_type);
        expect = "append or create";
    } else if (strcmp(key, "offsets-retention") == 0) {
        rc = eddy_parse_duration_ms(value, &cfg->offsets_retention_ms);
        expect = "a duration such as 7d, 12h, 30m, or -1 for forever";
    } else if (strcmp(key, "group-initial-rebalance-delay") == 0) {
        rc = eddy_parse_duration_ms(value, &v);
        rc = rc ? rc : (v < 0 || v > 300000 ? EDDY_ERR_INVALID_ARG : 0);
        if (!rc) {
            cfg->group_initial_rebalance_delay_ms = v;
        }
        expect = "a duration from 0 to 5m, such as 300ms";
    } else if (strcmp(key, "capture-hold") == 0) {
        rc = eddy_parse_duration_ms(value, &cfg->capture_hold_ms);
        expect = "a duration such as 1d, or -1 for forever";
    } else if ((rc = capture_set(&cfg->capture, key, value, &expect)) == 1) {
        return errorf(err, errlen, "unknown setting '%s'", key);
    }
    if (rc) {
        return errorf(err, errlen, "bad value '%s' for %s: expected %s", value, key, expect);
    }
    return 0;
}

static eddy_hub_topic_config *add_topic(eddy_hub_config *cfg, const char *name, char *err,
                                        size_t errlen)
{
    if (!eddy_hub_name_valid(name, strlen(name))) {
        errorf(err, errlen, "invalid hub name '%s': use 1-249 letters, digits, '.', '_' or '-'",
               name);
        return NULL;
    }
    if (eddy_hub_config_topic(cfg, name)) {
        errorf(err, errlen, "hub '%s' is declared twice", name);
        return NULL;
    }
    eddy_hub_topic_config *nt = realloc(cfg->topics, (size_t)(cfg->ntopics + 1) * sizeof *nt);
    if (!nt) {
        errorf(err, errlen, "out of memory");
        return NULL;
    }
    cfg->topics = nt;
    eddy_hub_topic_config *t = &nt[cfg->ntopics++];
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    t->partitions = -1;
    t->retention_ms = -2;
    t->retention_bytes = -2;
    t->segment_bytes = -1;
    t->max_event_bytes = -1;
    t->timestamp_type = EDDY_TS_DEFAULT;
    t->capture = (eddy_capture_config){-1, NULL, -1, -1, -1, -1};
    return t;
}

static int add_group(eddy_hub_topic_config *t, const char *name, size_t len)
{
    if (len == 0 || len > EDDY_NAME_MAX) {
        return EDDY_ERR_INVALID_ARG;
    }
    char **ng = realloc(t->groups, (size_t)(t->ngroups + 1) * sizeof *ng);
    if (!ng) {
        return EDDY_ERR_NOMEM;
    }
    t->groups = ng;
    char *g = strndup(name, len);
    if (!g) {
        return EDDY_ERR_NOMEM;
    }
    t->groups[t->ngroups++] = g;
    return 0;
}

static int topic_set(eddy_hub_topic_config *t, const char *key, const char *value, char *err,
                     size_t errlen)
{
    int rc = EDDY_ERR_INVALID_ARG;
    const char *expect = "a value";
    int64_t v;
    if (strcmp(key, "partitions") == 0) {
        rc = size_in(value, 1, 10000, &v);
        if (!rc) {
            t->partitions = (int32_t)v;
        }
        expect = "a number from 1 to 10000";
    } else if (strcmp(key, "retention") == 0) {
        rc = eddy_parse_duration_ms(value, &t->retention_ms);
        expect = "a duration such as 7d, or -1 for forever";
    } else if (strcmp(key, "retention-bytes") == 0) {
        rc = eddy_parse_size(value, &t->retention_bytes);
        expect = "a size, or -1 for unlimited";
    } else if (strcmp(key, "segment-bytes") == 0) {
        rc = size_in(value, 1024 * 1024, INT64_MAX, &v);
        if (!rc) {
            t->segment_bytes = v;
        }
        expect = "a size of at least 1MiB";
    } else if (strcmp(key, "max-event-bytes") == 0) {
        rc = size_in(value, 1024, 64 * 1024 * 1024, &v);
        if (!rc) {
            t->max_event_bytes = v;
        }
        expect = "a size from 1KiB to 64MiB";
    } else if (strcmp(key, "timestamp") == 0) {
        rc = set_ts_type(value, &t->timestamp_type);
        expect = "append or create";
    } else if (strcmp(key, "consumer-groups") == 0) {
        /* Comma-separated list. */
        const char *p = value;
        rc = 0;
        while (*p && !rc) {
            while (*p == ' ' || *p == ',') {
                p++;
            }
            const char *e = p;
            while (*e && *e != ',') {
                e++;
            }
            size_t n = (size_t)(e - p);
            while (n && p[n - 1] == ' ') {
                n--;
            }
            if (n) {
                rc = add_group(t, p, n);
            }
            p = e;
        }
        expect = "a comma-separated list of group names";
    } else if ((rc = capture_set(&t->capture, key, value, &expect)) == 1) {
        return errorf(err, errlen, "unknown hub setting '%s'", key);
    }
    if (rc) {
        return errorf(err, errlen, "bad value '%s' for %s: expected %s", value, key, expect);
    }
    return 0;
}

/* --- eddy's key = value format --- */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) {
        *--e = '\0';
    }
    return s;
}

static int parse_ini(eddy_hub_config *cfg, const char *name, const char *text, size_t len,
                     char *err, size_t errlen)
{
    char line[4096];
    eddy_hub_topic_config *topic = NULL;
    size_t pos = 0;
    int lineno = 0;
    char msg[512];
    while (pos < len) {
        size_t e = pos;
        while (e < len && text[e] != '\n') {
            e++;
        }
        lineno++;
        size_t n = e - pos;
        if (n >= sizeof line) {
            return errorf(err, errlen, "%s:%d: line too long", name, lineno);
        }
        memcpy(line, text + pos, n);
        line[n] = '\0';
        pos = e + 1;
        if (memchr(line, '\0', n)) {
            return errorf(err, errlen, "%s:%d: NUL byte in line", name, lineno);
        }
        char *hash = strchr(line, '#');
        if (hash) {
            *hash = '\0';
        }
        char *s = trim(line);
        if (!*s) {
            continue;
        }
        if (*s == '[') {
            char *close_br = strchr(s, ']');
            if (!close_br || *trim(close_br + 1)) {
                return errorf(err, errlen, "%s:%d: expected [hub NAME]", name, lineno);
            }
            *close_br = '\0';
            char *sec = trim(s + 1);
            if (strncmp(sec, "hub", 3) != 0 || (sec[3] != ' ' && sec[3] != '\t')) {
                return errorf(err, errlen, "%s:%d: unknown section [%s] (expected [hub NAME])",
                              name, lineno, sec);
            }
            topic = add_topic(cfg, trim(sec + 3), msg, sizeof msg);
            if (!topic) {
                return errorf(err, errlen, "%s:%d: %s", name, lineno, msg);
            }
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            return errorf(err, errlen, "%s:%d: expected key = value", name, lineno);
        }
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        if (!*key || !*value) {
            return errorf(err, errlen, "%s:%d: expected key = value", name, lineno);
        }
        int rc = topic ? topic_set(topic, key, value, msg, sizeof msg)
                       : eddy_hub_config_set(cfg, key, value, msg, sizeof msg);
        if (rc) {
            return errorf(err, errlen, "%s:%d: %s", name, lineno, msg);
        }
    }
    return 0;
}

/* --- the Event Hubs emulator's Config.json --- */

static int parse_emulator_json(eddy_hub_config *cfg, const char *name, const char *text, size_t len,
                               char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        return errorf(err, errlen, "%s:%d:%d: invalid JSON: %s", name, jerr.line, jerr.column,
                      jerr.text);
    }
    int rc = 0;
    char msg[512];
    json_t *user = json_object_get(root, "UserConfig");
    json_t *nss = user ? json_object_get(user, "NamespaceConfig") : NULL;
    if (!json_is_array(nss)) {
        rc = errorf(err, errlen, "%s: expected UserConfig.NamespaceConfig to be an array", name);
        goto done;
    }
    size_t i;
    json_t *ns;
    json_array_foreach(nss, i, ns)
    {
        const char *type = json_string_value(json_object_get(ns, "Type"));
        if (type && strcmp(type, "EventHub") != 0) {
            rc = errorf(err, errlen, "%s: NamespaceConfig[%zu].Type '%s' is not EventHub", name, i,
                        type);
            goto done;
        }
        const char *nsname = json_string_value(json_object_get(ns, "Name"));
        if (nsname && i == 0 && eddy_hub_config_set(cfg, "namespace", nsname, msg, sizeof msg)) {
            rc = errorf(err, errlen, "%s: NamespaceConfig[%zu].Name: %s", name, i, msg);
            goto done;
        }
        json_t *ents = json_object_get(ns, "Entities");
        if (ents && !json_is_array(ents)) {
            rc = errorf(err, errlen, "%s: NamespaceConfig[%zu].Entities must be an array", name, i);
            goto done;
        }
        size_t j;
        json_t *ent;
        json_array_foreach(ents, j, ent)
        {
            const char *hub = json_string_value(json_object_get(ent, "Name"));
            if (!hub) {
                rc = errorf(err, errlen, "%s: Entities[%zu].Name must be a string", name, j);
                goto done;
            }
            eddy_hub_topic_config *t = add_topic(cfg, hub, msg, sizeof msg);
            if (!t) {
                rc = errorf(err, errlen, "%s: Entities[%zu]: %s", name, j, msg);
                goto done;
            }
            json_t *pc = json_object_get(ent, "PartitionCount");
            if (pc) {
                /* The emulator writes it as a number or a numeric string. */
                long long n = json_is_integer(pc)  ? json_integer_value(pc)
                              : json_is_string(pc) ? atoll(json_string_value(pc))
                                                   : 0;
                if (n < 1 || n > 10000) {
                    rc = errorf(err, errlen, "%s: Entities[%zu].PartitionCount must be 1..10000",
                                name, j);
                    goto done;
                }
                t->partitions = (int32_t)n;
            }
            json_t *cgs = json_object_get(ent, "ConsumerGroups");
            size_t k;
            json_t *cg;
            json_array_foreach(cgs, k, cg)
            {
                const char *g = json_string_value(json_object_get(cg, "Name"));
                if (!g || add_group(t, g, strlen(g))) {
                    rc = errorf(err, errlen, "%s: Entities[%zu].ConsumerGroups[%zu].Name invalid",
                                name, j, k);
                    goto done;
                }
            }
        }
    }
done:
    json_decref(root);
    return rc;
}

int eddy_hub_config_parse(eddy_hub_config *cfg, const char *name, const char *text, size_t len,
                          char *err, size_t errlen)
{
    size_t i = 0;
    while (i < len && isspace((unsigned char)text[i])) {
        i++;
    }
    if (i < len && text[i] == '{') {
        return parse_emulator_json(cfg, name, text, len, err, errlen);
    }
    return parse_ini(cfg, name, text, len, err, errlen);
}

int eddy_hub_config_load(eddy_hub_config *cfg, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        errorf(err, errlen, "%s: %s", path, strerror(e));
        return e == ENOENT ? EDDY_ERR_NOT_FOUND : EDDY_ERR_IO;
    }
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    size_t n;
    while (text && (n = fread(text + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            if (cap >= 16 * 1024 * 1024) {
                free(text);
                fclose(f);
                return errorf(err, errlen, "%s: file too large for a config file", path);
            }
            char *nt = realloc(text, cap * 2);
            if (!nt) {
                free(text);
                text = NULL;
                break;
            }
            text = nt;
            cap *= 2;
        }
    }
    fclose(f);
    if (!text) {
        return errorf(err, errlen, "%s: out of memory", path);
    }
    int rc = eddy_hub_config_parse(cfg, path, text, len, err, errlen);
    free(text);
    return rc;
}
