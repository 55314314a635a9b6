/* Client configuration and Event Hubs connection strings (see config.h). */
#include "client/config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"

/* A trimmed slice of the input. */
typedef struct slice {
    const char *p;
    size_t n;
} slice;

static slice trim(const char *p, size_t n)
{
    while (n && isspace((unsigned char)*p)) {
        p++;
        n--;
    }
    while (n && isspace((unsigned char)p[n - 1])) {
        n--;
    }
    return (slice){p, n};
}

static bool slice_is(slice s, const char *word)
{
    return strlen(word) == s.n && strncasecmp(s.p, word, s.n) == 0;
}

static char *slice_dup(slice s)
{
    return strndup(s.p, s.n);
}

void eddy_conn_string_deinit(eddy_conn_string *cs)
{
    free(cs->host);
    free(cs->key_name);
    free(cs->key);
    free(cs->entity_path);
    memset(cs, 0, sizeof *cs);
}

/* A host name or address we are willing to put into bootstrap.servers:
 * letters, digits, '.', '-', '_' (a bracketed IPv6 address is checked
 * apart). Anything else (',' would add a server) is refused. */
static bool host_ok(slice h)
{
    if (h.n == 0 || h.n > 253) {
        return false;
    }
    for (size_t i = 0; i < h.n; i++) {
        unsigned char c = (unsigned char)h.p[i];
        if (!isalnum(c) && c != '.' && c != '-' && c != '_') {
            return false;
        }
    }
    return true;
}

static bool ipv6_ok(slice h)
{
    /* "[...]" with hex digits, ':' and '.' inside. */
    if (h.n < 4 || h.p[0] != '[' || h.p[h.n - 1] != ']') {
        return false;
    }
    for (size_t i = 1; i + 1 < h.n; i++) {
        unsigned char c = (unsigned char)h.p[i];
        if (!isxdigit(c) && c != ':' && c != '.') {
            return false;
        }
    }
    return true;
}

/* Endpoint=sb://HOST[:PORT][/...] */
static int parse_endpoint(slice v, eddy_conn_string *cs, char *err, size_t errlen)
{
    static const char scheme[] = "sb://";
    const size_t sn = sizeof scheme - 1;
    if (v.n < sn || strncasecmp(v.p, scheme, sn) != 0) {
        snprintf(err, errlen,
                 "connection string: Endpoint must start with sb:// (as in "
                 "Endpoint=sb://NAMESPACE.servicebus.windows.net/), got '%.*s'",
                 (int)(v.n > 60 ? 60 : v.n), v.p);
        return EDDY_ERR_INVALID_ARG;
    }
    const char *p = v.p + sn, *end = v.p + v.n;
    const char *slash = memchr(p, '/', (size_t)(end - p));
    const char *authority_end = slash ? slash : end;
    slice host;
    const char *after;
    if (p < authority_end && *p == '[') {
        const char *close = memchr(p, ']', (size_t)(authority_end - p));
        if (!close) {
            snprintf(err, errlen, "connection string: Endpoint has an unclosed '[' in its host");
            return EDDY_ERR_INVALID_ARG;
        }
        host = (slice){p, (size_t)(close - p) + 1};
        after = close + 1;
        if (!ipv6_ok(host)) {
            snprintf(err, errlen, "connection string: Endpoint host '%.*s' is not an address",
                     (int)host.n, host.p);
            return EDDY_ERR_INVALID_ARG;
        }
    } else {
        const char *colon = memchr(p, ':', (size_t)(authority_end - p));
        after = colon ? colon : authority_end;
        host = (slice){p, (size_t)(after - p)};
        if (host.n == 0) {
            snprintf(err, errlen, "connection string: Endpoint has no host (sb://HOST/)");
            return EDDY_ERR_INVALID_ARG;
        }
        if (!host_ok(host)) {
            snprintf(err, errlen,
                     "connection string: Endpoint host '%.*s' has characters a host name "
                     "cannot have",
                     (int)(host.n > 60 ? 60 : host.n), host.p);
            return EDDY_ERR_INVALID_ARG;
        }
    }
    if (after < authority_end) {
        /* ":PORT": checked, then ignored (it is the AMQP port). */
        if (*after != ':' || after + 1 == authority_end) {
            snprintf(err, errlen, "connection string: Endpoint has a bad port");
            return EDDY_ERR_INVALID_ARG;
        }
        long port = 0;
        for (const char *q = after + 1; q < authority_end; q++) {
            if (!isdigit((unsigned char)*q) || (port = port * 10 + (*q - '0')) > 65535) {
                snprintf(err, errlen, "connection string: Endpoint has a bad port");
                return EDDY_ERR_INVALID_ARG;
            }
        }
    }
    cs->host = slice_dup(host);
    return cs->host ? 0 : EDDY_ERR_NOMEM;
}

int eddy_conn_string_parse(const char *s, eddy_conn_string *cs, char *err, size_t errlen)
{
    memset(cs, 0, sizeof *cs);
    slice all = trim(s ? s : "", s ? strlen(s) : 0);
    if (all.n == 0) {
        snprintf(err, errlen, "connection string is empty");
        return EDDY_ERR_INVALID_ARG;
    }
    bool seen_endpoint = false, seen_name = false, seen_key = false, seen_entity = false,
         seen_emulator = false, seen_sas = false;
    int rc = 0;
    const char *p = all.p, *end = all.p + all.n;
    int index = 0;
    while (p < end) {
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *seg_end = semi ? semi : end;
        slice seg = trim(p, (size_t)(seg_end - p));
        p = semi ? semi + 1 : end;
        index++;
        if (seg.n == 0) {
            continue; /* "a=b;;c=d" and a trailing ';' are fine */
        }
        const char *eq = memchr(seg.p, '=', seg.n);
        if (!eq) {
            snprintf(err, errlen,
                     "connection string: part %d ('%.*s') is not Key=Value; parts are "
                     "separated by ';'",
                     index, (int)(seg.n > 40 ? 40 : seg.n), seg.p);
            rc = EDDY_ERR_INVALID_ARG;
            goto fail;
        }
        slice key = trim(seg.p, (size_t)(eq - seg.p));
        slice val = trim(eq + 1, (size_t)(seg.p + seg.n - eq - 1));
        if (key.n == 0) {
            snprintf(err, errlen, "connection string: part %d has no key before '='", index);
            rc = EDDY_ERR_INVALID_ARG;
            goto fail;
        }
        bool *seen = NULL;
        if (slice_is(key, "Endpoint")) {
            seen = &seen_endpoint;
        } else if (slice_is(key, "SharedAccessKeyName")) {
            seen = &seen_name;
        } else if (slice_is(key, "SharedAccessKey")) {
            seen = &seen_key;
        } else if (slice_is(key, "EntityPath")) {
            seen = &seen_entity;
        } else if (slice_is(key, "UseDevelopmentEmulator")) {
            seen = &seen_emulator;
        } else if (slice_is(key, "SharedAccessSignature")) {
            seen = &seen_sas;
        } else {
            continue; /* e.g. TransportType: not ours to judge */
        }
        if (*seen) {
            snprintf(err, errlen, "connection string: %.*s appears more than once", (int)key.n,
                     key.p);
            rc = EDDY_ERR_INVALID_ARG;
            goto fail;
        }
        *seen = true;
        if (val.n == 0) {
            snprintf(err, errlen, "connection string: %.*s is empty", (int)key.n, key.p);
            rc = EDDY_ERR_INVALID_ARG;
            goto fail;
        }
        if (seen == &seen_endpoint) {
            rc = parse_endpoint(val, cs, err, errlen);
        } else if (seen == &seen_name) {
            rc = (cs->key_name = slice_dup(val)) ? 0 : EDDY_ERR_NOMEM;
        } else if (seen == &seen_key) {
            rc = (cs->key = slice_dup(val)) ? 0 : EDDY_ERR_NOMEM;
        } else if (seen == &seen_entity) {
            rc = (cs->entity_path = slice_dup(val)) ? 0 : EDDY_ERR_NOMEM;
        } else if (seen == &seen_emulator) {
            if (slice_is(val, "true")) {
                cs->emulator = true;
            } else if (!slice_is(val, "false")) {
                snprintf(err, errlen,
                         "connection string: UseDevelopmentEmulator must be true or false, "
                         "got '%.*s'",
                         (int)(val.n > 20 ? 20 : val.n), val.p);
                rc = EDDY_ERR_INVALID_ARG;
            }
        }
        if (rc) {
            if (rc == EDDY_ERR_NOMEM) {
                snprintf(err, errlen, "out of memory");
            }
            goto fail;
        }
    }
    if (!seen_endpoint) {
        snprintf(err, errlen,
                 "connection string has no Endpoint (Endpoint=sb://NAMESPACE.servicebus."
                 "windows.net/;SharedAccessKeyName=...;SharedAccessKey=...)");
        rc = EDDY_ERR_INVALID_ARG;
        goto fail;
    }
    if (seen_sas && !(seen_name && seen_key)) {
        snprintf(err, errlen,
                 "connection string: a SharedAccessSignature is not accepted by the Kafka "
                 "endpoint of Event Hubs; use a string with SharedAccessKeyName and "
                 "SharedAccessKey");
        rc = EDDY_ERR_INVALID_ARG;
        goto fail;
    }
    if (!seen_name || !seen_key) {
        snprintf(err, errlen, "connection string has no %s",
                 !seen_name ? "SharedAccessKeyName" : "SharedAccessKey");
        rc = EDDY_ERR_INVALID_ARG;
        goto fail;
    }
    return 0;
fail:
    eddy_conn_string_deinit(cs);
    return rc;
}

/* Settings lists. */

static eddy_client_setting *find(eddy_client_setting *list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(list[i].name, name) == 0) {
            return &list[i];
        }
    }
    return NULL;
}

static int set_in(eddy_client_setting **list, size_t *n, const char *name, size_t name_len,
                  const char *value)
{
    char *nm = strndup(name, name_len);
    char *val = strdup(value);
    if (!nm || !val) {
        free(nm);
        free(val);
        return EDDY_ERR_NOMEM;
    }
    eddy_client_setting *s = find(*list, *n, nm);
    if (s) {
        free(nm);
        free(s->value);
        s->value = val;
        return 0;
    }
    eddy_client_setting *grown = realloc(*list, (*n + 1) * sizeof **list);
    if (!grown) {
        free(nm);
        free(val);
        return EDDY_ERR_NOMEM;
    }
    *list = grown;
    grown[*n] = (eddy_client_setting){nm, val};
    (*n)++;
    return 0;
}

int eddy_client_config_set(eddy_client_config *cfg, const char *name, const char *value)
{
    return set_in(&cfg->base, &cfg->nbase, name, strlen(name), value);
}

const char *eddy_client_config_get(const eddy_client_config *cfg, const char *name)
{
    eddy_client_setting *s = find(cfg->overrides, cfg->noverrides, name);
    if (!s) {
        s = find(cfg->base, cfg->nbase, name);
    }
    return s ? s->value : NULL;
}

void eddy_client_config_deinit(eddy_client_config *cfg)
{
    for (size_t i = 0; i < cfg->nbase; i++) {
        free(cfg->base[i].name);
        free(cfg->base[i].value);
    }
    for (size_t i = 0; i < cfg->noverrides; i++) {
        free(cfg->overrides[i].name);
        free(cfg->overrides[i].value);
    }
    free(cfg->base);
    free(cfg->overrides);
    free(cfg->hub);
    free(cfg->endpoint);
    memset(cfg, 0, sizeof *cfg);
}

static int from_conn_string(const char *str, eddy_client_config *cfg, const char *hub, char *err,
                            size_t errlen)
{
    eddy_conn_string cs;
    int rc = eddy_conn_string_parse(str, &cs, err, errlen);
    if (rc) {
        return rc;
    }
    if (hub && cs.entity_path && strcmp(hub, cs.entity_path) != 0) {
        snprintf(err, errlen,
                 "--hub %s, but the connection string is for event hub '%s' (EntityPath)", hub,
                 cs.entity_path);
        eddy_conn_string_deinit(&cs);
        return EDDY_ERR_INVALID_ARG;
    }
    char bootstrap[300];
    snprintf(bootstrap, sizeof bootstrap, "%s:%d", cs.host, cs.emulator ? 9092 : 9093);
    slice whole = trim(str, strlen(str));
    char *password = slice_dup(whole);
    rc = password ? 0 : EDDY_ERR_NOMEM;
    rc = rc ? rc : eddy_client_config_set(cfg, "bootstrap.servers", bootstrap);
    rc = rc ? rc
            : eddy_client_config_set(cfg, "security.protocol",
                                     cs.emulator ? "SASL_PLAINTEXT" : "SASL_SSL");
    rc = rc ? rc : eddy_client_config_set(cfg, "sasl.mechanisms", "PLAIN");
    rc = rc ? rc : eddy_client_config_set(cfg, "sasl.username", "$ConnectionString");
    rc = rc ? rc : eddy_client_config_set(cfg, "sasl.password", password);
    if (!cs.emulator) {
        /* Azure closes idle connections after 240 s: keep them alive and
         * refresh metadata before that (Azure's librdkafka guidance). */
        rc = rc ? rc : eddy_client_config_set(cfg, "socket.keepalive.enable", "true");
        rc = rc ? rc : eddy_client_config_set(cfg, "metadata.max.age.ms", "180000");
    }
    if (!rc && !hub && cs.entity_path) {
        cfg->hub = strdup(cs.entity_path);
        rc = cfg->hub ? 0 : EDDY_ERR_NOMEM;
    }
    if (!rc) {
        cfg->endpoint = strdup(bootstrap);
        rc = cfg->endpoint ? 0 : EDDY_ERR_NOMEM;
    }
    cfg->event_hubs = true;
    free(password);
    eddy_conn_string_deinit(&cs);
    if (rc) {
        snprintf(err, errlen, "out of memory");
    }
    return rc;
}

int eddy_client_config_build(const eddy_client_opts *opts, eddy_client_config *cfg, char *err,
                             size_t errlen)
{
    memset(cfg, 0, sizeof *cfg);
    const char *conn = opts->connection_string;
    if (!conn && !opts->bootstrap && !opts->no_env) {
        const char *env = getenv("EDDY_CONNECTION_STRING");
        if (env && *env) {
            conn = env;
        }
    }
    int rc = 0;
    if (opts->bootstrap && opts->connection_string) {
        snprintf(err, errlen, "give --bootstrap or --connection-string, not both");
        return EDDY_ERR_INVALID_ARG;
    }
    if (opts->hub && !(cfg->hub = strdup(opts->hub))) {
        rc = EDDY_ERR_NOMEM;
        goto nomem;
    }
    if (conn) {
        rc = from_conn_string(conn, cfg, opts->hub, err, errlen);
        if (rc) {
            eddy_client_config_deinit(cfg);
            return rc;
        }
    } else {
        const char *b = opts->bootstrap ? opts->bootstrap : EDDY_CLIENT_DEFAULT_BOOTSTRAP;
        if (!*b) {
            snprintf(err, errlen, "--bootstrap is empty (HOST:PORT[,HOST:PORT...])");
            eddy_client_config_deinit(cfg);
            return EDDY_ERR_INVALID_ARG;
        }
        rc = eddy_client_config_set(cfg, "bootstrap.servers", b);
        if (!rc && !(cfg->endpoint = strdup(b))) {
            rc = EDDY_ERR_NOMEM;
        }
        if (rc) {
            goto nomem;
        }
    }
    for (size_t i = 0; i < opts->nprops; i++) {
        const char *prop = opts->props[i];
        const char *eq = strchr(prop, '=');
        if (!eq || eq == prop) {
            snprintf(err, errlen, "-X takes name=value (a librdkafka setting), got '%s'", prop);
            eddy_client_config_deinit(cfg);
            return EDDY_ERR_INVALID_ARG;
        }
        rc = set_in(&cfg->overrides, &cfg->noverrides, prop, (size_t)(eq - prop), eq + 1);
        if (rc) {
            goto nomem;
        }
    }
    return 0;
nomem:
    snprintf(err, errlen, "out of memory");
    eddy_client_config_deinit(cfg);
    return rc;
}

static int apply(rd_kafka_conf_t *conf, const eddy_client_setting *s, bool from_x, char *err,
                 size_t errlen)
{
    char why[256];
    if (rd_kafka_conf_set(conf, s->name, s->value, why, sizeof why) != RD_KAFKA_CONF_OK) {
        snprintf(err, errlen, "%s%s=%s: %s", from_x ? "-X " : "", s->name,
                 strcmp(s->name, "sasl.password") == 0 ? "(hidden)" : s->value, why);
        return -1;
    }
    return 0;
}

rd_kafka_conf_t *eddy_client_conf_new(const eddy_client_config *cfg, char *err, size_t errlen)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    for (size_t i = 0; i < cfg->nbase; i++) {
        if (apply(conf, &cfg->base[i], false, err, errlen)) {
            goto fail;
        }
    }
    for (size_t i = 0; i < cfg->noverrides; i++) {
        if (apply(conf, &cfg->overrides[i], true, err, errlen)) {
            goto fail;
        }
    }
    return conf;
fail:
    rd_kafka_conf_destroy(conf);
    return NULL;
}
