/* Avro schemas: JSON text (jansson) compiled into a graph of nodes (see
 * avro.h).
 *
 * The rules are the Avro 1.11 specification's, as the Java implementation
 * applies them: names are [A-Za-z_][A-Za-z0-9_]* per dotted part; a named
 * type is defined once and may be referenced (by full name, or by a name
 * relative to the enclosing namespace, or in the null namespace) only after
 * its definition starts, which lets a record refer to itself; a union holds
 * no union and no two branches of one unnamed type or one name; record
 * fields and enum symbols are unique. Defaults, aliases, order and doc are
 * accepted and ignored; logicalType is kept as a name.
 *
 * Everything lives in one arena per schema; plain primitives share static
 * nodes. Each node gets min_size, the fewest bytes a datum can take (the
 * decoder bounds element counts with it), when its definition is complete:
 * children are complete by then, except a record still being defined (a
 * recursive reference), which counts 0 -- an underestimate, which only
 * loosens a bound. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avro/avro.h"
#include "core/arena.h"
#include "core/error.h"
#include "core/map.h"

struct eddy_avro_schema {
    eddy_arena arena;
    eddy_map named; /* full name -> node */
    eddy_avro_node *root;
};

#define PRIM(t, n, m)                                                                              \
    {                                                                                              \
        .type = (t), .min_size = (m), .name = (n)                                                  \
    }
static eddy_avro_node prims[] = {
    PRIM(EDDY_AVRO_NULL, "null", 0),   PRIM(EDDY_AVRO_BOOLEAN, "boolean", 1),
    PRIM(EDDY_AVRO_INT, "int", 1),     PRIM(EDDY_AVRO_LONG, "long", 1),
    PRIM(EDDY_AVRO_FLOAT, "float", 4), PRIM(EDDY_AVRO_DOUBLE, "double", 8),
    PRIM(EDDY_AVRO_BYTES, "bytes", 1), PRIM(EDDY_AVRO_STRING, "string", 1),
};
#undef PRIM
#define NPRIMS (sizeof prims / sizeof prims[0])

static const char *const type_names[] = {
    "null",   "boolean", "int",  "long",  "float", "double", "bytes",
    "string", "record",  "enum", "array", "map",   "union",  "fixed",
};

const char *eddy_avro_type_name(eddy_avro_type t)
{
    if ((unsigned)t < sizeof type_names / sizeof type_names[0]) {
        return type_names[t];
    }
    return "unknown";
}

typedef struct parse_ctx {
    eddy_avro_schema *s;
    char *err;
    size_t errlen;
    bool failed;
    bool located; /* the message already names a field */
    int depth;
    int rc;
} parse_ctx;

__attribute__((format(printf, 2, 3))) static eddy_avro_node *fail(parse_ctx *c, const char *fmt,
                                                                  ...)
{
    if (!c->failed) {
        c->failed = true;
        c->rc = EDDY_ERR_PARSE;
        va_list ap;
        va_start(ap, fmt);
        if (c->errlen) {
            vsnprintf(c->err, c->errlen, fmt, ap);
        }
        va_end(ap);
    }
    return NULL;
}

static eddy_avro_node *fail_nomem(parse_ctx *c)
{
    fail(c, "out of memory");
    c->rc = EDDY_ERR_NOMEM;
    return NULL;
}

/* Prefixes the message with where it happened, once (the innermost
 * place). */
static void locate(parse_ctx *c, const char *field, const char *record)
{
    if (!c->failed || c->located || c->rc == EDDY_ERR_NOMEM || !c->errlen) {
        return;
    }
    c->located = true;
    char tmp[512];
    snprintf(tmp, sizeof tmp, "field '%s' of record '%s': %s", field, record, c->err);
    snprintf(c->err, c->errlen, "%s", tmp);
}

static const eddy_avro_node *prim_by_name(const char *s)
{
    for (size_t i = 0; i < NPRIMS; i++) {
        if (strcmp(prims[i].name, s) == 0) {
            return &prims[i];
        }
    }
    return NULL;
}

static bool valid_name_part(const char *s, size_t n)
{
    if (n == 0 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_')) {
        return false;
    }
    for (size_t i = 1; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '_')) {
            return false;
        }
    }
    return true;
}

/* A dotted name: every part valid (an empty string is the null namespace
 * when allow_empty). */
static bool valid_dotted(const char *s, bool allow_empty)
{
    if (!*s) {
        return allow_empty;
    }
    const char *part = s;
    for (const char *p = s;; p++) {
        if (*p == '.' || *p == '\0') {
            if (!valid_name_part(part, (size_t)(p - part))) {
                return false;
            }
            if (*p == '\0') {
                return true;
            }
            part = p + 1;
        }
    }
}

static char *dup_str(parse_ctx *c, const char *s)
{
    char *d = eddy_arena_strndup(&c->s->arena, s, strlen(s));
    if (!d) {
        fail_nomem(c);
    }
    return d;
}

/* Full name of a definition: name with a dot is full; else ns.name, or
 * name in the null namespace. *ns_out receives the new enclosing
 * namespace. */
static char *full_name(parse_ctx *c, const char *name, const char *ns, const char **ns_out)
{
    const char *dot = strrchr(name, '.');
    if (dot) {
        char *full = dup_str(c, name);
        if (full) {
            char *nsd = eddy_arena_strndup(&c->s->arena, name, (size_t)(dot - name));
            if (!nsd) {
                return fail_nomem(c), NULL;
            }
            *ns_out = nsd;
        }
        return full;
    }
    size_t nl = strlen(name), sl = strlen(ns);
    char *full = eddy_arena_alloc(&c->s->arena, sl + 1 + nl + 1);
    if (!full) {
        return fail_nomem(c), NULL;
    }
    if (sl) {
        memcpy(full, ns, sl);
        full[sl] = '.';
        memcpy(full + sl + 1, name, nl + 1);
    } else {
        memcpy(full, name, nl + 1);
    }
    *ns_out = ns;
    return full;
}

static eddy_avro_node *parse_node(parse_ctx *c, json_t *j, const char *ns);

static uint32_t sat_add(uint32_t a, uint32_t b)
{
    return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

static eddy_avro_node *new_node(parse_ctx *c, eddy_avro_type type)
{
    eddy_avro_node *n = eddy_arena_calloc(&c->s->arena, 1, sizeof *n);
    if (!n) {
        return fail_nomem(c);
    }
    n->type = type;
    n->name = type_names[type];
    return n;
}

/* Resolves a type name (a primitive or a defined named type). */
static eddy_avro_node *resolve(parse_ctx *c, const char *name, const char *ns)
{
    const eddy_avro_node *p = prim_by_name(name);
    if (p) {
        return (eddy_avro_node *)p;
    }
    eddy_avro_node *n = NULL;
    if (!strchr(name, '.') && *ns) {
        char buf[1024];
        int len = snprintf(buf, sizeof buf, "%s.%s", ns, name);
        if (len > 0 && (size_t)len < sizeof buf) {
            n = eddy_map_get(&c->s->named, buf, (size_t)len);
        }
    }
    if (!n) {
        n = eddy_map_gets(&c->s->named, name);
    }
    if (!n) {
        if (strcmp(name, "record") == 0 || strcmp(name, "enum") == 0 ||
            strcmp(name, "array") == 0 || strcmp(name, "map") == 0 || strcmp(name, "fixed") == 0 ||
            strcmp(name, "error") == 0) {
            return fail(c, "type '%s' must be written as an object {\"type\":\"%s\",...}", name,
                        name);
        }
        return fail(c, "unknown type '%s'", name);
    }
    return n;
}

static const char *get_string(parse_ctx *c, json_t *obj, const char *key, const char *what,
                              bool required)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required) {
            fail(c, "%s has no \"%s\"", what, key);
        }
        return NULL;
    }
    if (!json_is_string(v)) {
        fail(c, "%s: \"%s\" must be a string", what, key);
        return NULL;
    }
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v)) {
        fail(c, "%s: \"%s\" holds a NUL character", what, key);
        return NULL;
    }
    return s;
}

/* Defines a named type: checks the name, registers it. */
static eddy_avro_node *define(parse_ctx *c, json_t *j, eddy_avro_type type, const char *ns,
                              const char **ns_out)
{
    const char *what = type_names[type];
    const char *name = get_string(c, j, "name", what, true);
    if (!name) {
        return NULL;
    }
    const char *nsattr = get_string(c, j, "namespace", what, false);
    if (c->failed) {
        return NULL;
    }
    if (nsattr && !strchr(name, '.')) {
        if (!valid_dotted(nsattr, true)) {
            return fail(c, "%s '%s': bad namespace '%s'", what, name, nsattr);
        }
        ns = nsattr;
    }
    if (!valid_dotted(name, false)) {
        return fail(c, "bad %s name '%s' (letters, digits and _ per dotted part)", what, name);
    }
    const char *simple = strrchr(name, '.');
    simple = simple ? simple + 1 : name;
    if (prim_by_name(simple)) {
        return fail(c, "a %s may not be named after the primitive type '%s'", what, simple);
    }
    eddy_avro_node *n = new_node(c, type);
    if (!n) {
        return NULL;
    }
    char *full = full_name(c, name, ns, ns_out);
    if (!full) {
        return NULL;
    }
    if (eddy_map_has(&c->s->named, full, strlen(full))) {
        return fail(c, "type '%s' is defined twice", full);
    }
    if (eddy_map_put(&c->s->named, full, strlen(full), n, NULL)) {
        return fail_nomem(c);
    }
    n->name = full;
    return n;
}

static eddy_avro_node *parse_record(parse_ctx *c, json_t *j, const char *ns)
{
    const char *rec_ns;
    eddy_avro_node *n = define(c, j, EDDY_AVRO_RECORD, ns, &rec_ns);
    if (!n) {
        return NULL;
    }
    json_t *fields = json_object_get(j, "fields");
    if (!fields || !json_is_array(fields)) {
        return fail(c, "record '%s' needs a \"fields\" array", n->name);
    }
    size_t count = json_array_size(fields);
    n->items = eddy_arena_calloc(&c->s->arena, count ? count : 1, sizeof *n->items);
    n->names = eddy_arena_calloc(&c->s->arena, count ? count : 1, sizeof *n->names);
    uint32_t *lens = eddy_arena_calloc(&c->s->arena, count ? count : 1, sizeof *lens);
    if (!n->items || !n->names || !lens) {
        return fail_nomem(c);
    }
    n->name_lens = lens;
    for (size_t i = 0; i < count; i++) {
        json_t *f = json_array_get(fields, i);
        if (!json_is_object(f)) {
            return fail(c, "record '%s': field %zu is not an object", n->name, i);
        }
        const char *fname = get_string(c, f, "name", "field", true);
        if (!fname) {
            return fail(c, "record '%s': field %zu has no name", n->name, i);
        }
        if (!valid_name_part(fname, strlen(fname))) {
            return fail(c, "record '%s': bad field name '%s'", n->name, fname);
        }
        for (size_t k = 0; k < i; k++) {
            if (strcmp(n->names[k], fname) == 0) {
                return fail(c, "record '%s': field '%s' appears twice", n->name, fname);
            }
        }
        json_t *ft = json_object_get(f, "type");
        if (!ft) {
            return fail(c, "field '%s' of record '%s' has no type", fname, n->name);
        }
        n->names[i] = dup_str(c, fname);
        if (!n->names[i]) {
            return NULL;
        }
        lens[i] = (uint32_t)strlen(fname);
        n->items[i] = parse_node(c, ft, rec_ns);
        if (!n->items[i]) {
            locate(c, fname, n->name);
            return NULL;
        }
        n->min_size = sat_add(n->min_size, n->items[i]->min_size);
    }
    n->count = count;
    return n;
}

static eddy_avro_node *parse_enum(parse_ctx *c, json_t *j, const char *ns)
{
    const char *enum_ns;
    eddy_avro_node *n = define(c, j, EDDY_AVRO_ENUM, ns, &enum_ns);
    if (!n) {
        return NULL;
    }
    json_t *syms = json_object_get(j, "symbols");
    if (!syms || !json_is_array(syms)) {
        return fail(c, "enum '%s' needs a \"symbols\" array", n->name);
    }
    size_t count = json_array_size(syms);
    n->names = eddy_arena_calloc(&c->s->arena, count ? count : 1, sizeof *n->names);
    uint32_t *lens = eddy_arena_calloc(&c->s->arena, count ? count : 1, sizeof *lens);
    if (!n->names || !lens) {
        return fail_nomem(c);
    }
    n->name_lens = lens;
    /* Symbols are checked for duplicates through a temporary map. */
    eddy_map seen;
    eddy_map_init(&seen);
    for (size_t i = 0; i < count; i++) {
        json_t *s = json_array_get(syms, i);
        const char *sym = json_is_string(s) ? json_string_value(s) : NULL;
        if (!sym || !valid_name_part(sym, json_string_length(s))) {
            eddy_map_deinit(&seen);
            return fail(c, "enum '%s': symbol %zu is not a valid name", n->name, i);
        }
        size_t sl = json_string_length(s);
        if (eddy_map_has(&seen, sym, sl)) {
            eddy_map_deinit(&seen);
            return fail(c, "enum '%s': symbol '%s' appears twice", n->name, sym);
        }
        if (eddy_map_put(&seen, sym, sl, NULL, NULL)) {
            eddy_map_deinit(&seen);
            return fail_nomem(c);
        }
        n->names[i] = dup_str(c, sym);
        if (!n->names[i]) {
            eddy_map_deinit(&seen);
            return NULL;
        }
        lens[i] = (uint32_t)sl;
    }
    eddy_map_deinit(&seen);
    n->count = count;
    n->min_size = 1;
    return n;
}

static eddy_avro_node *parse_fixed(parse_ctx *c, json_t *j, const char *ns)
{
    const char *fixed_ns;
    eddy_avro_node *n = define(c, j, EDDY_AVRO_FIXED, ns, &fixed_ns);
    if (!n) {
        return NULL;
    }
    json_t *size = json_object_get(j, "size");
    if (!size || !json_is_integer(size) || json_integer_value(size) < 0 ||
        json_integer_value(size) > INT32_MAX) {
        return fail(c, "fixed '%s' needs a \"size\" from 0 to 2147483647", n->name);
    }
    n->count = (size_t)json_integer_value(size);
    n->min_size = (uint32_t)n->count;
    return n;
}

/* array and map: one child. */
static eddy_avro_node *parse_container(parse_ctx *c, json_t *j, const char *ns, eddy_avro_type type,
                                       const char *key)
{
    json_t *child = json_object_get(j, key);
    if (!child) {
        return fail(c, "%s needs \"%s\"", type_names[type], key);
    }
    eddy_avro_node *n = new_node(c, type);
    if (!n) {
        return NULL;
    }
    n->items = eddy_arena_calloc(&c->s->arena, 1, sizeof *n->items);
    if (!n->items) {
        return fail_nomem(c);
    }
    n->items[0] = parse_node(c, child, ns);
    if (!n->items[0]) {
        return NULL;
    }
    n->count = 1;
    n->min_size = 1;
    return n;
}

static eddy_avro_node *parse_union(parse_ctx *c, json_t *j, const char *ns)
{
    size_t count = json_array_size(j);
    eddy_avro_node *n = new_node(c, EDDY_AVRO_UNION);
    if (!n) {
        return NULL;
    }
    n->items = eddy_arena_calloc(&c->s->arena, count ? count : 1, sizeof *n->items);
    if (!n->items) {
        return fail_nomem(c);
    }
    for (size_t i = 0; i < count; i++) {
        eddy_avro_node *b = parse_node(c, json_array_get(j, i), ns);
        if (!b) {
            return NULL;
        }
        if (b->type == EDDY_AVRO_UNION) {
            return fail(c, "a union may not hold a union (branch %zu)", i);
        }
        bool named =
            b->type == EDDY_AVRO_RECORD || b->type == EDDY_AVRO_ENUM || b->type == EDDY_AVRO_FIXED;
        for (size_t k = 0; k < i; k++) {
            const eddy_avro_node *o = n->items[k];
            if (o->type == b->type && (!named || strcmp(o->name, b->name) == 0)) {
                return fail(c, "union holds '%s' twice (branches %zu and %zu)", b->name, k, i);
            }
        }
        n->items[i] = b;
    }
    uint32_t best = 0;
    for (size_t i = 0; i < count; i++) {
        if (i == 0 || n->items[i]->min_size < best) {
            best = n->items[i]->min_size;
        }
    }
    n->count = count;
    n->min_size = sat_add(1, best);
    return n;
}

static eddy_avro_node *parse_object(parse_ctx *c, json_t *j, const char *ns)
{
    json_t *t = json_object_get(j, "type");
    if (!t) {
        return fail(c, "a schema object needs \"type\"");
    }
    if (!json_is_string(t)) {
        return fail(c, "\"type\" of a schema object must be a string");
    }
    const char *type = json_string_value(t);
    const char *logical = get_string(c, j, "logicalType", "logicalType", false);
    if (c->failed) {
        return NULL;
    }
    eddy_avro_node *n;
    if (strcmp(type, "record") == 0 || strcmp(type, "error") == 0) {
        n = parse_record(c, j, ns);
    } else if (strcmp(type, "enum") == 0) {
        n = parse_enum(c, j, ns);
    } else if (strcmp(type, "fixed") == 0) {
        n = parse_fixed(c, j, ns);
    } else if (strcmp(type, "array") == 0) {
        n = parse_container(c, j, ns, EDDY_AVRO_ARRAY, "items");
    } else if (strcmp(type, "map") == 0) {
        n = parse_container(c, j, ns, EDDY_AVRO_MAP, "values");
    } else {
        const eddy_avro_node *p = prim_by_name(type);
        if (p && logical) {
            /* Its own node, to carry the logical type's name. */
            n = new_node(c, p->type);
            if (n) {
                n->min_size = p->min_size;
            }
        } else if (p) {
            return (eddy_avro_node *)p;
        } else {
            /* {"type": "a.Named"} refers to a defined type. */
            return resolve(c, type, ns);
        }
    }
    if (n && logical && !n->logical) {
        n->logical = dup_str(c, logical);
        if (!n->logical) {
            return NULL;
        }
    }
    return n;
}

static eddy_avro_node *parse_node(parse_ctx *c, json_t *j, const char *ns)
{
    if (c->failed) {
        return NULL;
    }
    if (++c->depth > EDDY_AVRO_MAX_DEPTH) {
        c->depth--;
        return fail(c, "schema nested deeper than %d levels", EDDY_AVRO_MAX_DEPTH);
    }
    eddy_avro_node *n;
    if (json_is_string(j)) {
        const char *s = json_string_value(j);
        n = strlen(s) == json_string_length(j) ? resolve(c, s, ns)
                                               : fail(c, "type name holds a NUL character");
    } else if (json_is_object(j)) {
        n = parse_object(c, j, ns);
    } else if (json_is_array(j)) {
        n = parse_union(c, j, ns);
    } else {
        n = fail(c, "a schema must be a type name, an object or an array (a union)");
    }
    c->depth--;
    return n;
}

int eddy_avro_schema_parse(const char *json, size_t len, eddy_avro_schema **out, char *err,
                           size_t errlen)
{
    *out = NULL;
    if (errlen) {
        err[0] = '\0';
    }
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_DECODE_ANY, &jerr);
    if (!root) {
        if (errlen) {
            snprintf(err, errlen, "schema is not JSON: %s at line %d column %d", jerr.text,
                     jerr.line, jerr.column);
        }
        return EDDY_ERR_PARSE;
    }
    eddy_avro_schema *s = calloc(1, sizeof *s);
    if (!s) {
        json_decref(root);
        return EDDY_ERR_NOMEM;
    }
    eddy_arena_init(&s->arena, 0, 0);
    eddy_map_init(&s->named);
    parse_ctx c = {.s = s, .err = err, .errlen = errlen};
    s->root = parse_node(&c, root, "");
    json_decref(root);
    if (!s->root) {
        eddy_avro_schema_free(s);
        return c.rc ? c.rc : EDDY_ERR_PARSE;
    }
    *out = s;
    return 0;
}

void eddy_avro_schema_free(eddy_avro_schema *s)
{
    if (!s) {
        return;
    }
    eddy_map_deinit(&s->named);
    eddy_arena_deinit(&s->arena);
    free(s);
}

const eddy_avro_node *eddy_avro_schema_root(const eddy_avro_schema *s)
{
    return s->root;
}

const eddy_avro_node *eddy_avro_schema_find(const eddy_avro_schema *s, const char *fullname)
{
    return eddy_map_gets(&s->named, fullname);
}

int eddy_avro_field_index(const eddy_avro_node *rec, const char *name)
{
    if (rec->type != EDDY_AVRO_RECORD) {
        return -1;
    }
    for (size_t i = 0; i < rec->count; i++) {
        if (strcmp(rec->names[i], name) == 0) {
            return (int)i;
        }
    }
    return -1;
}
