#!/usr/bin/python3
"""Generates eddy's Kafka wire codec from Apache Kafka's JSON message definitions.

Reads every *.json in the messages folder (default: ../shared/kafka-messages
relative to the repository root) and writes, in the repository:

  src/kafka/gen/kafka_msgs.h   structs, init/decode/encode prototypes, API table
  src/kafka/gen/kafka_msgs.c   their implementation
  tests/unit/kafka_samples.h   test-only: fill any message with non-default values
  tests/unit/kafka_samples.c

then runs clang-format on them, so regenerating is byte-for-byte stable. The
output is committed; the build needs neither Python nor the JSON files. See
docs/kafka-codec.md for the layout of the generated code.

Python 3 standard library only:  /usr/bin/python3 tools/kafka_codegen.py [--messages DIR]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# type -> (C type, reader, writer cast+function, size, primitive array type)
PRIMS = {
    "bool": ("bool", None, None, 1, "eddy_karray_bool"),
    "int8": ("int8_t", "eddy_reader_i8", ("uint8_t", "eddy_buf_put_u8"), 1, "eddy_karray_i8"),
    "int16": ("int16_t", "eddy_reader_i16", ("uint16_t", "eddy_buf_put_be16"), 2, "eddy_karray_i16"),
    "uint16": ("uint16_t", "eddy_reader_u16", ("uint16_t", "eddy_buf_put_be16"), 2, "eddy_karray_u16"),
    "int32": ("int32_t", "eddy_reader_i32", ("uint32_t", "eddy_buf_put_be32"), 4, "eddy_karray_i32"),
    "uint32": ("uint32_t", "eddy_reader_u32", ("uint32_t", "eddy_buf_put_be32"), 4, "eddy_karray_u32"),
    "int64": ("int64_t", "eddy_reader_i64", ("uint64_t", "eddy_buf_put_be64"), 8, "eddy_karray_i64"),
    "float64": ("double", "eddy_reader_f64", None, 8, "eddy_karray_f64"),
    "uuid": ("eddy_kuuid", None, None, 16, "eddy_karray_uuid"),
    "string": ("eddy_kstr", None, None, None, "eddy_karray_str"),
    "bytes": ("eddy_kbytes", None, None, None, "eddy_karray_bytes"),
    "records": ("eddy_kbytes", None, None, None, None),
}
INT_RANGES = {
    "int8": (-(2**7), 2**7 - 1),
    "int16": (-(2**15), 2**15 - 1),
    "uint16": (0, 2**16 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "uint32": (0, 2**32 - 1),
    "int64": (-(2**63), 2**63 - 1),
}
C_KEYWORDS = set(
    "auto break case char const continue default do double else enum extern float for goto if "
    "inline int long register restrict return short signed sizeof static struct switch typedef "
    "union unsigned void volatile while bool true false alignas alignof".split()
)
# Suffixes the generator itself appends to a struct's C name.
RESERVED_STRUCT_NAMES = {"init", "decode", "encode", "encode_gaps"}


class GenError(Exception):
    pass


# ---------------------------------------------------------------------------
# Reading the JSON definitions


def strip_comments(text):
    """Removes // comments outside strings (Kafka's JSON allows them)."""
    out = []
    i, n = 0, len(text)
    in_str = False
    while i < n:
        c = text[i]
        if in_str:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if c == '"':
                in_str = False
            i += 1
        elif c == '"':
            in_str = True
            out.append(c)
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def parse_versions(spec, top):
    """'3+', '0-2', '5', 'none' -> (lo, hi) inclusive, or None for no versions."""
    spec = str(spec).strip()
    if spec == "none" or spec == "":
        return None
    if spec.endswith("+"):
        return (int(spec[:-1]), top)
    if "-" in spec:
        lo, hi = spec.split("-")
        return (int(lo), int(hi))
    return (int(spec), int(spec))


def intersect(a, b):
    if a is None or b is None:
        return None
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    return (lo, hi) if lo <= hi else None


def contains(rng, v):
    return rng is not None and rng[0] <= v <= rng[1]


class Field:
    def __init__(self, msg, js, ctx):
        self.js = js
        self.name = js["name"]
        self.cname = self.name + "_" if self.name in C_KEYWORDS else self.name
        self.type = js["type"]
        top = msg.valid[1]
        self.versions = intersect(parse_versions(js.get("versions", "none"), top), ctx)
        self.nullable = intersect(parse_versions(js.get("nullableVersions", "none"), top), ctx)
        self.tagged = intersect(parse_versions(js.get("taggedVersions", "none"), top), ctx)
        self.tag = js.get("tag")
        if (self.tag is None) != ("taggedVersions" not in js):
            raise GenError(f"{msg.name}.{self.name}: tag and taggedVersions go together")
        self.flex_override = None
        if "flexibleVersions" in js:
            self.flex_override = ("set", parse_versions(js["flexibleVersions"], top))
        self.default = js.get("default")
        self.kind = None  # prim name, 'array', 'struct'
        self.elem = None  # array element: prim name or Struct
        self.struct = None

    def regular_versions(self):
        """Versions in which the field is an ordinary (untagged) field."""
        if self.versions is None:
            return None
        if self.tagged is None:
            return self.versions
        if self.tagged[0] <= self.versions[0]:
            return None
        if self.tagged[1] < self.versions[1]:
            raise GenError(f"{self.name}: taggedVersions must be open-ended")
        return (self.versions[0], self.tagged[0] - 1)

    def tagged_versions(self):
        return intersect(self.versions, self.tagged)

    def present_in(self, v):
        return contains(self.versions, v)

    def is_nullable_struct(self):
        return self.kind == "struct" and self.nullable is not None


class Struct:
    def __init__(self, msg, name, ctx):
        self.msg = msg
        self.name = name
        self.ctx = ctx  # versions in which it can appear
        self.fields = []
        self.cname = None
        self.needs_isdef = False

    def suffix(self):
        """Name part after eddy_kafka_ (e.g. ProduceRequest_TopicProduceData)."""
        return self.cname[len("eddy_kafka_"):]


class Message:
    def __init__(self, js, path):
        self.js = js
        self.path = path
        self.name = js["name"]
        self.kind = js["type"]
        self.api_key = js.get("apiKey")
        self.valid = parse_versions(js["validVersions"], None)
        if self.valid is None or self.valid[1] is None:
            raise GenError(f"{self.name}: validVersions must be a closed range")
        fv = parse_versions(js.get("flexibleVersions", "none"), self.valid[1])
        self.flex = intersect(fv, self.valid)
        self.unstable = bool(js.get("latestVersionUnstable", False))
        self.structs = []  # every struct, children before parents
        self.by_name = {}
        self.has_records = False
        self.top = None


def fields_signature(fields_js):
    def clean(o):
        if isinstance(o, dict):
            return {k: clean(v) for k, v in o.items() if k != "about"}
        if isinstance(o, list):
            return [clean(x) for x in o]
        return o

    return json.dumps(clean(fields_js), sort_keys=True)


def build_message(js, path):
    msg = Message(js, path)
    ctx = msg.valid
    common_js = {c["name"]: c for c in js.get("commonStructs", [])}
    common = {}
    order = []
    used_cnames = set()

    def make_cname(name, parent):
        base = name
        if base in RESERVED_STRUCT_NAMES:
            base = base + "_"
        cname = f"eddy_kafka_{msg.name}_{base}"
        if cname in used_cnames and parent is not None:
            cname = f"eddy_kafka_{msg.name}_{parent}{base}"
        n = 2
        while cname in used_cnames:
            cname = f"eddy_kafka_{msg.name}_{base}{n}"
            n += 1
        used_cnames.add(cname)
        return cname

    inline_sigs = {}

    def get_common(name):
        if name in common:
            s = common[name]
            if s is None:
                raise GenError(f"{msg.name}: common struct {name} refers to itself")
            return s
        if name not in common_js:
            raise GenError(f"{msg.name}: unknown struct type {name}")
        cj = common_js[name]
        common[name] = None
        s = Struct(msg, name, intersect(parse_versions(cj.get("versions", "0+"), ctx[1]), ctx))
        s.cname = make_cname(name, None)
        s.fields = [parse_field(fj, s.ctx, name) for fj in cj["fields"]]
        common[name] = s
        order.append(s)
        return s

    def parse_struct_field(f, sname, fj, fctx, parent):
        if "fields" in fj:
            sig = fields_signature(fj["fields"])
            prev = inline_sigs.get(sname)
            if prev is not None and prev[0] == sig:
                return prev[1]
            s = Struct(msg, sname, fctx)
            s.cname = make_cname(sname, parent if (prev or sname in common_js) else None)
            s.fields = [parse_field(x, fctx, sname) for x in fj["fields"]]
            if prev is None:
                inline_sigs[sname] = (sig, s)
            order.append(s)
            return s
        return get_common(sname)

    def parse_field(fj, sctx, parent):
        f = Field(msg, fj, sctx)
        t = f.type
        fctx = f.versions if f.versions is not None else sctx
        if t.startswith("[]"):
            et = t[2:]
            f.kind = "array"
            if et in PRIMS:
                if et == "records":
                    raise GenError(f"{msg.name}.{f.name}: arrays of records")
                f.elem = et
            else:
                f.elem = parse_struct_field(f, et, fj, fctx, parent)
        elif t in PRIMS:
            f.kind = t
            if "fields" in fj:
                raise GenError(f"{msg.name}.{f.name}: a {t} field with fields")
            if t == "records":
                msg.has_records = True
        else:
            f.kind = "struct"
            f.struct = parse_struct_field(f, t, fj, fctx, parent)
        return f

    top = Struct(msg, msg.name, ctx)
    top.cname = f"eddy_kafka_{msg.name}"
    used_cnames.add(top.cname)
    top.fields = [parse_field(fj, ctx, msg.name) for fj in js["fields"]]
    for name in common_js:
        get_common(name)
    order.append(top)
    msg.top = top
    msg.structs = order
    check_message(msg)
    return msg


def check_message(msg):
    for s in msg.structs:
        names = set()
        tags = set()
        for f in s.fields:
            if f.name in names:
                raise GenError(f"{s.cname}: duplicate field {f.name}")
            names.add(f.name)
            if f.tag is not None:
                if f.tag in tags:
                    raise GenError(f"{s.cname}: duplicate tag {f.tag}")
                tags.add(f.tag)
                tv = f.tagged_versions()
                if tv is not None and (msg.flex is None or tv[0] < msg.flex[0]):
                    raise GenError(f"{s.cname}.{f.name}: tagged outside flexible versions")
                if tv is not None and contains_records(f):
                    raise GenError(f"{s.cname}.{f.name}: records inside a tagged field")
            if f.kind == "struct" and f.nullable is not None and f.default != "null":
                raise GenError(f"{s.cname}.{f.name}: nullable struct needs default null")
            if f.kind == "struct" and f.tag is not None and f.nullable is None:
                mark_isdef(f.struct)


def contains_records(f, seen=None):
    if f.kind == "records":
        return True
    sub = f.struct if f.kind == "struct" else (f.elem if isinstance(f.elem, Struct) else None)
    if sub is None:
        return False
    seen = seen or set()
    if sub.cname in seen:
        return False
    seen.add(sub.cname)
    return any(contains_records(x, seen) for x in sub.fields)


def mark_isdef(s):
    if s.needs_isdef:
        return
    s.needs_isdef = True
    for f in s.fields:
        if f.kind == "struct" and f.nullable is None:
            mark_isdef(f.struct)


def load_messages(folder):
    msgs = []
    for fn in sorted(os.listdir(folder)):
        if not fn.endswith(".json"):
            continue
        path = os.path.join(folder, fn)
        with open(path, encoding="utf-8") as fh:
            js = json.loads(strip_comments(fh.read()))
        if js.get("type") not in ("request", "response"):
            continue  # headers are hand-written (src/kafka/header.c)
        msgs.append(build_message(js, path))
    return msgs


# ---------------------------------------------------------------------------
# C expressions


def c_int(v, kind):
    lo, hi = INT_RANGES[kind]
    if not lo <= v <= hi:
        raise GenError(f"default {v} out of range for {kind}")
    if kind == "int64":
        if v == lo:
            return "INT64_MIN"
        return f"INT64_C({v})"
    if kind == "int32" and v == lo:
        return "INT32_MIN"
    if kind == "uint32":
        return f"UINT32_C({v})"
    return str(v)


def parse_int_default(d, kind):
    if isinstance(d, bool):
        raise GenError(f"bad default {d!r} for {kind}")
    if isinstance(d, int):
        return d
    s = str(d).strip()
    neg = s.startswith("-")
    body = s[1:] if neg else s
    if body.lower().startswith("0x"):
        v = int(body, 16)
    elif len(body) > 1 and body.startswith("0"):
        v = int(body, 8)
    else:
        v = int(body)
    return -v if neg else v


def default_value(f):
    """The field's default as a Python value: int/float/bool/str, None for
    null, '' for empty (strings, bytes, arrays), 'struct' for a struct."""
    d = f.default
    k = f.kind
    if k in INT_RANGES:
        return 0 if d is None else parse_int_default(d, k)
    if k == "bool":
        if d is None:
            return False
        if isinstance(d, bool):
            return d
        if str(d).lower() in ("true", "false"):
            return str(d).lower() == "true"
        raise GenError(f"{f.name}: bad bool default {d!r}")
    if k == "float64":
        return 0.0 if d is None else float(d)
    if k == "uuid":
        if d not in (None, "", "AAAAAAAAAAAAAAAAAAAAAA"):
            raise GenError(f"{f.name}: unsupported uuid default {d!r}")
        return "zero"
    if d == "null":
        if f.nullable is None:
            raise GenError(f"{f.name}: null default on a non-nullable field")
        return None
    if k == "string":
        return "" if d is None else str(d)
    if k in ("bytes", "records", "array"):
        if d not in (None, ""):
            raise GenError(f"{f.name}: {k} fields take no default but null")
        return ""
    if k == "struct":
        return "struct"
    raise GenError(f"{f.name}: unhandled kind {k}")


def c_str_lit(s):
    out = ['"']
    for ch in s.encode("utf-8"):
        c = chr(ch)
        if c in '"\\':
            out.append("\\" + c)
        elif 32 <= ch < 127:
            out.append(c)
        else:
            out.append(f"\\{ch:03o}")
    out.append('"')
    return "".join(out)


def vcond(rng, ctx):
    """C condition for 'version in rng' given that version is in ctx; None
    when always true, 'false' when never."""
    r = intersect(rng, ctx)
    if r is None:
        return "false"
    parts = []
    if r[0] > ctx[0]:
        parts.append(f"version >= {r[0]}")
    if r[1] < ctx[1]:
        parts.append(f"version <= {r[1]}")
    if r[0] == r[1] and len(parts) == 2:
        return f"version == {r[0]}"
    return " && ".join(parts) if parts else None


def bool_cond(rng, ctx):
    c = vcond(rng, ctx)
    return "true" if c is None else c


def paren(c):
    return f"({c})" if ("&&" in c or "||" in c) else c


# ---------------------------------------------------------------------------
# Code emission


class Out:
    def __init__(self):
        self.lines = []

    def __call__(self, line=""):
        self.lines.append(line)

    def text(self):
        return "\n".join(self.lines) + "\n"


def field_ctype(f):
    if f.kind == "array":
        if isinstance(f.elem, Struct):
            return f"struct {{\n{f.elem.cname} *items;\nint32_t count;\n}}"
        return PRIMS[f.elem][4]
    if f.kind == "struct":
        return f"{f.struct.cname} *" if f.nullable is not None else f.struct.cname
    return PRIMS[f.kind][0]


def field_comment(f, msg):
    parts = []
    v = f.versions
    if v is None:
        parts.append("no versions")
    else:
        parts.append(vtext(v, msg))
    if f.nullable is not None:
        parts.append("nullable " + vtext(f.nullable, msg))
    if f.tagged_versions() is not None:
        parts.append(f"tag {f.tag} " + vtext(f.tagged_versions(), msg))
    d = f.default
    if d is not None and f.kind not in ("struct",):
        parts.append(f"default {d}")
    if f.kind == "array" and isinstance(f.elem, str):
        parts.append(f"[]{f.elem}")
    if f.kind == "records":
        parts.append("records")
    return "/* " + ", ".join(parts) + " */"


def vtext(v, msg):
    if v[0] == v[1]:
        return f"v{v[0]}"
    if v[1] == msg.valid[1]:
        return f"v{v[0]}+"
    return f"v{v[0]}-{v[1]}"


class Gen:
    def __init__(self, msgs):
        self.msgs = msgs

    # -- header ------------------------------------------------------------

    def header(self):
        o = Out()
        o("/* Kafka messages: structs, init/decode/encode and the API table.")
        o(" *")
        o(" * GENERATED by tools/kafka_codegen.py from Apache Kafka's JSON message")
        o(" * definitions; do not edit (docs/kafka-codec.md explains regenerating).")
        o(" *")
        o(" * Every message X (ProduceRequest, FetchResponse, ...) has a struct")
        o(" * eddy_kafka_X holding the union of its fields over all valid versions,")
        o(" * named as in the JSON; the comment on a field gives the versions it")
        o(" * exists in, where it may be null, its tag and its default. Arrays of")
        o(" * structs use eddy_kafka_X_<Struct> (common structs too), each with an")
        o(" * eddy_kafka_X_<Struct>_init(). For every message:")
        o(" *")
        o(" *   void eddy_kafka_X_init(eddy_kafka_X *m)")
        o(" *       sets every field to its JSON default; decoding keeps these for")
        o(" *       fields absent in the version.")
        o(" *   int eddy_kafka_X_decode(eddy_reader *r, int16_t version,")
        o(" *                           eddy_arena *arena, eddy_kafka_X *out)")
        o(" *       reads one message of that version. Strings and bytes borrow r's")
        o(" *       buffer (keep it alive), arrays come from arena. Returns 0,")
        o(" *       EDDY_ERR_PARSE (malformed or truncated), EDDY_ERR_NOMEM (arena")
        o(" *       cap or memory) or EDDY_ERR_UNSUPPORTED_VERSION. r may hold")
        o(" *       bytes after the message: checking that is the caller's choice.")
        o(" *   int eddy_kafka_X_encode(eddy_buf *b, int16_t version,")
        o(" *                           const eddy_kafka_X *in)")
        o(" *       appends the message; returns 0 or b's sticky error. A null in a")
        o(" *       version where the field is not nullable is written as empty.")
        o(" *   int eddy_kafka_X_encode_gaps(..., eddy_kafka_gaps *gaps)")
        o(" *       (messages with records only) leaves records with p == NULL")
        o(" *       out for the caller to send (see eddy_kafka_gaps).")
        o(" *")
        o(" * All functions are reentrant; the tables are static constant data. */")
        o("#ifndef EDDY_KAFKA_GEN_KAFKA_MSGS_H")
        o("#define EDDY_KAFKA_GEN_KAFKA_MSGS_H")
        o()
        o("#include <stdbool.h>")
        o("#include <stddef.h>")
        o("#include <stdint.h>")
        o()
        o('#include "core/arena.h"')
        o('#include "core/buf.h"')
        o('#include "core/reader.h"')
        o('#include "kafka/types.h"')
        o()
        o("/* API keys, named as in Kafka. */")
        o("typedef enum eddy_kafka_api {")
        for m in self.requests():
            o(f"    EDDY_KAFKA_API_{api_name(m)} = {m.api_key},")
        o("} eddy_kafka_api;")
        o()
        o(f"#define EDDY_KAFKA_API_KEY_MAX {max(m.api_key for m in self.requests())}")
        o()
        o("/* Type-erased access to one message type (tests, fuzzing, generic code). */")
        o("typedef struct eddy_kafka_msg_ops {")
        o('    const char *name; /* "ProduceRequest" */')
        o("    size_t size;      /* sizeof the message struct */")
        o("    void (*init)(void *m);")
        o("    int (*decode)(eddy_reader *r, int16_t version, eddy_arena *arena, void *out);")
        o("    int (*encode)(eddy_buf *b, int16_t version, const void *in);")
        o("} eddy_kafka_msg_ops;")
        o()
        o("/* One API as the JSON definitions describe it. */")
        o("typedef struct eddy_kafka_api_info {")
        o("    int16_t key;")
        o('    const char *name;        /* "Produce" */')
        o("    int16_t min_version;     /* validVersions */")
        o("    int16_t max_version;")
        o("    int16_t first_flexible;  /* first flexible version; -1 if none */")
        o("    bool latest_unstable;    /* max_version is still under development */")
        o("    const eddy_kafka_msg_ops *request;")
        o("    const eddy_kafka_msg_ops *response;")
        o("} eddy_kafka_api_info;")
        o()
        o("/* Every API, by key order; eddy_kafka_api_count entries. Static data. */")
        o("extern const eddy_kafka_api_info eddy_kafka_apis[];")
        o("extern const size_t eddy_kafka_api_count;")
        o()
        o("/* Returns the API's entry, or NULL for a key this codec does not know. */")
        o("const eddy_kafka_api_info *eddy_kafka_api_get(int16_t key);")
        o()
        o('/* Returns the API\'s name ("Produce"), or "Unknown"; never NULL. */')
        o("const char *eddy_kafka_api_name(int16_t key);")
        o()
        o("/* True when key is known and version is in its validVersions. */")
        o("bool eddy_kafka_api_version_valid(int16_t key, int16_t version);")
        o()
        o("/* Request header version for (key, version): 2 from the API's first")
        o(" * flexible version on (also above max_version), else 1; 1 for unknown keys. */")
        o("int eddy_kafka_request_header_version(int16_t key, int16_t version);")
        o()
        o("/* Response header version: 1 for flexible versions, else 0; always 0 for")
        o(" * ApiVersions (KIP-511) and for unknown keys. */")
        o("int eddy_kafka_response_header_version(int16_t key, int16_t version);")
        o()
        for m in self.msgs:
            self.header_message(o, m)
        o("#endif")
        return o.text()

    def requests(self):
        return [m for m in self.msgs if m.kind == "request"]

    def header_message(self, o, m):
        o(f"/* ---- {m.name} (key {m.api_key}, v{m.valid[0]}-{m.valid[1]}"
          + (f", flexible v{m.flex[0]}+" if m.flex else ", never flexible") + ") ---- */")
        o()
        for s in m.structs:
            o(f"typedef struct {s.cname} {{")
            for f in s.fields:
                if f.versions is None:
                    continue
                o(f"    {field_ctype(f)} {f.cname}; {field_comment(f, m)}")
            if not any(f.versions is not None for f in s.fields):
                o("    char unused_; /* no fields */")
            o(f"}} {s.cname};")
            o()
        for s in m.structs:
            if s is m.top:
                continue
            o(f"void {s.cname}_init({s.cname} *s);")
        t = m.top.cname
        o(f"void {t}_init({t} *m);")
        o(f"int {t}_decode(eddy_reader *r, int16_t version, eddy_arena *arena, {t} *out);")
        o(f"int {t}_encode(eddy_buf *b, int16_t version, const {t} *in);")
        if m.has_records:
            o(f"int {t}_encode_gaps(eddy_buf *b, int16_t version, const {t} *in,")
            o("    eddy_kafka_gaps *gaps);")
        o()

    # -- source ------------------------------------------------------------

    def source(self):
        o = Out()
        o("/* Kafka messages: init, decode and encode of every message (see")
        o(" * kafka_msgs.h). GENERATED by tools/kafka_codegen.py; do not edit.")
        o(" *")
        o(" * Decoders read through the bounded reader and check it once per struct;")
        o(" * encoders append to a sticky buffer. The primitives live in kafka/codec.h. */")
        o('#include "kafka/gen/kafka_msgs.h"')
        o()
        o("#include <string.h>")
        o()
        o('#include "core/error.h"')
        o('#include "kafka/codec.h"')
        o()
        for m in self.msgs:
            self.source_message(o, m)
        self.source_tables(o)
        return o.text()

    def source_message(self, o, m):
        o(f"/* ---- {m.name} ---- */")
        o()
        g = "eddy_kafka_gaps *gaps" if m.has_records else None
        # prototypes of the static helpers (structs may refer to each other)
        for s in m.structs:
            o(f"static int dec_{s.suffix()}(eddy_reader *r, int16_t version, eddy_arena *arena,")
            o(f"    {s.cname} *out);")
            o(f"static void enc_{s.suffix()}(eddy_buf *b, int16_t version, const {s.cname} *in"
              + (f", {g}" if g else "") + ");")
            if s.needs_isdef:
                o(f"static bool isdef_{s.suffix()}(const {s.cname} *s);")
        o()
        for s in m.structs:
            self.gen_init(o, m, s)
            if s.needs_isdef:
                self.gen_isdef(o, m, s)
            self.gen_decode(o, m, s)
            self.gen_encode(o, m, s)
        t = m.top.cname
        o(f"int {t}_decode(eddy_reader *r, int16_t version, eddy_arena *arena, {t} *out)")
        o("{")
        o(f"    {t}_init(out);")
        o(f"    if (version < {m.valid[0]} || version > {m.valid[1]}) {{")
        o("        return EDDY_ERR_UNSUPPORTED_VERSION;")
        o("    }")
        o(f"    return dec_{m.top.suffix()}(r, version, arena, out);")
        o("}")
        o()
        if m.has_records:
            o(f"int {t}_encode_gaps(eddy_buf *b, int16_t version, const {t} *in,")
            o("    eddy_kafka_gaps *gaps)")
        else:
            o(f"int {t}_encode(eddy_buf *b, int16_t version, const {t} *in)")
        o("{")
        o(f"    if (version < {m.valid[0]} || version > {m.valid[1]}) {{")
        o("        eddy_kafka_buf_fail(b, EDDY_ERR_UNSUPPORTED_VERSION);")
        o("        return b->err;")
        o("    }")
        o(f"    enc_{m.top.suffix()}(b, version, in" + (", gaps" if m.has_records else "") + ");")
        o("    return b->err;")
        o("}")
        o()
        if m.has_records:
            o(f"int {t}_encode(eddy_buf *b, int16_t version, const {t} *in)")
            o("{")
            o(f"    return {t}_encode_gaps(b, version, in, NULL);")
            o("}")
            o()
        # type-erased wrappers
        sfx = m.top.suffix()
        o(f"static void ops_init_{sfx}(void *m)")
        o("{")
        o(f"    {t}_init(m);")
        o("}")
        o()
        o(f"static int ops_decode_{sfx}(eddy_reader *r, int16_t version, eddy_arena *arena, void *out)")
        o("{")
        o(f"    return {t}_decode(r, version, arena, out);")
        o("}")
        o()
        o(f"static int ops_encode_{sfx}(eddy_buf *b, int16_t version, const void *in)")
        o("{")
        o(f"    return {t}_encode(b, version, in);")
        o("}")
        o()
        o(f"static const eddy_kafka_msg_ops ops_{sfx} = {{")
        o(f'    "{m.name}", sizeof({t}), ops_init_{sfx}, ops_decode_{sfx}, ops_encode_{sfx},')
        o("};")
        o()

    # init

    def gen_init(self, o, m, s):
        arg = "m" if s is m.top else "s"
        o(f"void {s.cname}_init({s.cname} *{arg})")
        o("{")
        o(f"    memset({arg}, 0, sizeof *{arg});")
        for f in s.fields:
            if f.versions is None:
                continue
            for line in self.init_field(f, f"{arg}->{f.cname}"):
                o("    " + line)
        o("}")
        o()

    def init_field(self, f, dst):
        d = default_value(f)
        k = f.kind
        if k in INT_RANGES:
            return [] if d == 0 else [f"{dst} = {c_int(d, k)};"]
        if k == "bool":
            return [f"{dst} = true;"] if d else []
        if k == "float64":
            return [] if d == 0.0 else [f"{dst} = {d!r};"]
        if k == "uuid":
            return []
        if k == "string":
            if d is None:
                return [f"{dst}.len = -1;"]
            if d == "":
                return []
            return [f"{dst}.p = {c_str_lit(d)};", f"{dst}.len = {len(d.encode())};"]
        if k in ("bytes", "records"):
            return [f"{dst}.len = -1;"] if d is None else []
        if k == "array":
            return [f"{dst}.count = -1;"] if d is None else []
        if k == "struct":
            if f.nullable is not None:
                return []  # NULL
            return [f"{f.struct.cname}_init(&{dst});"]
        raise GenError(k)

    # isdef: does a struct equal its default (for tagged struct fields)

    def gen_isdef(self, o, m, s):
        o(f"static bool isdef_{s.suffix()}(const {s.cname} *s)")
        o("{")
        conds = []
        for f in s.fields:
            if f.versions is None:
                continue
            conds.append(self.isdef_cond(f, f"s->{f.cname}"))
        if conds:
            o("    return " + " &&\n        ".join(conds) + ";")
        else:
            o("    (void)s;")
            o("    return true;")
        o("}")
        o()

    def isdef_cond(self, f, src):
        """C expression: true when src holds the field's default."""
        d = default_value(f)
        k = f.kind
        if k in INT_RANGES:
            return f"{src} == {c_int(d, k)}"
        if k == "bool":
            return f"{src} == {'true' if d else 'false'}"
        if k == "float64":
            return f"{src} == {d!r}"
        if k == "uuid":
            return f"eddy_kafka_uuid_is_zero(&{src})"
        if k == "string":
            if d is None:
                return f"{src}.len < 0"
            return f"eddy_kafka_str_is({src}, {c_str_lit(d)}, {len(d.encode())})"
        if k in ("bytes", "records"):
            return f"{src}.len < 0" if d is None else f"{src}.len == 0"
        if k == "array":
            return f"{src}.count < 0" if d is None else f"{src}.count == 0"
        if k == "struct":
            if f.nullable is not None:
                return f"{src} == NULL"
            return f"isdef_{f.struct.suffix()}(&{src})"
        raise GenError(k)

    # decode

    def compact(self, m, f):
        if m.flex is None:
            return "false"
        if f.flex_override is not None:
            # The field's own flexibleVersions narrows the message's.
            return bool_cond(intersect(m.flex, f.flex_override[1]), m.valid)
        return "flex"

    def nullable_expr(self, m, f, rng):
        """C condition for 'nullable in this version', for code that already
        knows that version is in rng."""
        if f.nullable is None or rng is None:
            return "false"
        return bool_cond(intersect(f.nullable, rng), rng)

    def gen_decode(self, o, m, s):
        o(f"static int dec_{s.suffix()}(eddy_reader *r, int16_t version, eddy_arena *arena,")
        o(f"    {s.cname} *out)")
        o("{")
        if s is m.top:
            pass  # the public decode has initialised *out
        else:
            o(f"    {s.cname}_init(out);")
        if m.flex is not None:
            o(f"    const bool flex = {bool_cond(m.flex, m.valid)};")
        for f in s.fields:
            rng = f.regular_versions()
            if rng is None:
                continue
            c = vcond(rng, m.valid)
            body = self.dec_value(m, f, "r", f"out->{f.cname}", rng, tagged=False)
            self.emit_cond(o, c, body, 1)
        if m.flex is not None:
            tagged = sorted((f for f in s.fields if f.tagged_versions() is not None),
                            key=lambda f: f.tag)
            if not tagged:
                o("    if (flex) {")
                o("        eddy_kafka_skip_tags(r);")
                o("    }")
            else:
                o("    if (flex) {")
                o("        uint32_t ntags = eddy_reader_uvarint(r);")
                o("        for (uint32_t t = 0; t < ntags && !r->err; t++) {")
                o("            uint32_t tag = eddy_reader_uvarint(r);")
                o("            eddy_reader sub = eddy_reader_sub(r, eddy_reader_uvarint(r));")
                o("            switch (tag) {")
                for f in tagged:
                    tv = f.tagged_versions()
                    o(f"            case {f.tag}:")
                    c = vcond(tv, m.valid)
                    body = self.dec_value(m, f, "&sub", f"out->{f.cname}", tv, tagged=True)
                    body.append("eddy_kafka_rd_tag_end(&sub, r);")
                    self.emit_cond(o, c, body, 4)
                    o("                break;")
                o("            default:")
                o("                break;")
                o("            }")
                o("        }")
                o("    }")
        o("    return r->err ? EDDY_ERR_PARSE : 0;")
        o("}")
        o()

    def emit_cond(self, o, c, body, depth):
        """Emits body under 'if (c)' (c None: always; 'false': never). Bodies
        that declare variables come braced, so they can stand alone."""
        ind = "    " * depth
        if c == "false":
            return
        if c is None:
            for l in body:
                o(ind + l)
            return
        if is_block(body):
            body = [l[4:] for l in body[1:-1]]
        o(f"{ind}if ({c}) {{")
        for l in body:
            o(ind + "    " + l)
        o(ind + "}")

    def dec_value(self, m, f, rd, dst, rng, tagged):
        """Lines decoding field f (present in versions rng) from reader rd."""
        k = f.kind
        comp = self.compact(m, f)
        if tagged:
            comp = "true"
        nul = self.nullable_expr(m, f, rng)
        if k == "array":
            return self.dec_array(m, f, rd, dst, comp, nul, rng)
        if k == "struct":
            sub = f.struct
            call = f"dec_{sub.suffix()}({rd}, version, arena, {{dst}})"
            if f.nullable is None:
                return ["{", f"    int rc = {call.format(dst='&' + dst)};",
                        "    if (rc) {", "        return rc;", "    }", "}"]
            marker = (f"eddy_reader_uvarint({rd}) == 0" if tagged else f"eddy_reader_i8({rd}) < 0")
            lines = []
            alloc = [f"{dst} = eddy_arena_alloc(arena, sizeof *{dst});",
                     f"if (!{dst}) {{", "    return EDDY_ERR_NOMEM;", "}",
                     f"int rc = {call.format(dst=dst)};", "if (rc) {", "    return rc;", "}"]
            if nul == "false":
                lines.append("{")
                lines += ["    " + l for l in alloc]
                lines.append("}")
                return lines
            if nul == "true":
                lines.append(f"if (!({marker})) {{")
            else:
                lines.append(f"if (!{paren(nul)} || !({marker})) {{")
            lines += ["    " + l for l in alloc]
            lines.append("}")
            return lines
        return [self.dec_prim(k, rd, dst, comp, nul)]

    def dec_prim(self, k, rd, dst, comp, nul):
        if k == "bool":
            return f"{dst} = eddy_reader_u8({rd}) != 0;"
        if k == "uuid":
            return f"eddy_kafka_rd_uuid({rd}, &{dst});"
        if k == "string":
            return f"eddy_kafka_rd_str({rd}, {comp}, {nul}, &{dst});"
        if k in ("bytes", "records"):
            return f"eddy_kafka_rd_bytes({rd}, {comp}, {nul}, &{dst});"
        return f"{dst} = {PRIMS[k][1]}({rd});"

    def elem_min(self, m, f, rng, tagged):
        """C expression: the fewest bytes one array element can take, for the
        hostile-count check (never below 1)."""
        e = f.elem
        if isinstance(e, str):
            size = PRIMS[e][3]
            if size:
                return str(size)
            return "1" if tagged or m.flex is not None else "2"
        best = {True: None, False: None}
        for v in range(rng[0], rng[1] + 1):
            fl = contains(m.flex, v)
            n = self.min_size(m, e, v)
            best[fl] = n if best[fl] is None else min(best[fl], n)
        lo_flex = max(1, best[True] or 0) if best[True] is not None else None
        lo_plain = max(1, best[False] or 0) if best[False] is not None else None
        if lo_flex is None or tagged:
            return str(lo_plain if lo_flex is None else lo_flex)
        if lo_plain is None or lo_plain == lo_flex:
            return str(lo_flex)
        return f"flex ? {lo_flex} : {lo_plain}"

    def min_size(self, m, s, v, depth=0):
        if depth > 20:
            return 0
        flex = contains(m.flex, v)
        n = 1 if flex else 0
        for f in s.fields:
            if not contains(f.regular_versions(), v):
                continue
            k = f.kind
            if k in ("string",):
                n += 1 if flex else 2
            elif k in ("bytes", "records", "array"):
                n += 1 if flex else 4
            elif k == "struct":
                n += 1 if contains(f.nullable, v) else self.min_size(m, f.struct, v, depth + 1)
            else:
                n += PRIMS[k][3]
        return n

    def dec_array(self, m, f, rd, dst, comp, nul, rng):
        e = f.elem
        emin = self.elem_min(m, f, rng, comp == "true")
        if " " in emin:
            emin = f"({emin})"
        lines = [f"int32_t n = eddy_kafka_rd_count({rd}, {comp}, {nul}, {emin});",
                 f"{dst}.count = n;",
                 "if (n > 0) {",
                 f"    {dst}.items = eddy_arena_alloc(arena, (size_t)n * sizeof *{dst}.items);",
                 f"    if (!{dst}.items) {{",
                 "        return EDDY_ERR_NOMEM;",
                 "    }",
                 "    for (int32_t i = 0; i < n; i++) {"]
        if isinstance(e, Struct):
            lines += [f"        int rc = dec_{e.suffix()}({rd}, version, arena, &{dst}.items[i]);",
                      "        if (rc) {",
                      "            return rc;",
                      "        }"]
        else:
            lines.append("        " + self.dec_prim(e, rd, f"{dst}.items[i]", comp, "false"))
        lines += ["    }", "}"]
        return ["{"] + ["    " + l for l in lines] + ["}"]

    # encode

    def gen_encode(self, o, m, s):
        g = ", eddy_kafka_gaps *gaps" if m.has_records else ""
        o(f"static void enc_{s.suffix()}(eddy_buf *b, int16_t version, const {s.cname} *in{g})")
        o("{")
        if m.flex is not None:
            o(f"    const bool flex = {bool_cond(m.flex, m.valid)};")
        for f in s.fields:
            rng = f.regular_versions()
            if rng is None:
                continue
            c = vcond(rng, m.valid)
            body = self.enc_value(m, f, f"in->{f.cname}", rng, tagged=False)
            self.emit_cond(o, c, body, 1)
        if m.flex is not None:
            tagged = sorted((f for f in s.fields if f.tagged_versions() is not None),
                            key=lambda f: f.tag)
            o("    if (flex) {")
            if not tagged:
                o("        eddy_buf_put_u8(b, 0);")
            else:
                for f in tagged:
                    tv = f.tagged_versions()
                    c = vcond(tv, m.valid)
                    nd = negate(self.isdef_cond(f, f"in->{f.cname}"))
                    o(f"        const bool has_{f.tag} = " + (f"{paren(c)} && {nd};" if c else f"{nd};"))
                o("        eddy_buf_put_uvarint(b, " + " + ".join(f"(uint32_t)has_{f.tag}" for f in tagged) + ");")
                for f in tagged:
                    o(f"        if (has_{f.tag}) {{")
                    o(f"            size_t start = eddy_kafka_tag_begin(b, {f.tag});")
                    for l in self.enc_value(m, f, f"in->{f.cname}", f.tagged_versions(), tagged=True):
                        o("            " + l)
                    o("            eddy_kafka_tag_end(b, start);")
                    o("        }")
            o("    }")
        o("}")
        o()

    def enc_prim(self, k, src, comp, nul, gaps):
        if k == "bool":
            return f"eddy_buf_put_u8(b, {src} ? 1 : 0);"
        if k == "float64":
            return f"eddy_kafka_wr_f64(b, {src});"
        if k == "uuid":
            return f"eddy_buf_append(b, {src}.b, sizeof {src}.b);"
        if k == "string":
            return f"eddy_kafka_wr_str(b, {comp}, {nul}, {src});"
        if k == "bytes":
            return f"eddy_kafka_wr_bytes(b, {comp}, {nul}, {src});"
        if k == "records":
            return f"eddy_kafka_wr_records(b, {comp}, {nul}, {src}, {gaps});"
        cast, fn = PRIMS[k][2]
        return f"{fn}(b, ({cast}){src});"

    def enc_value(self, m, f, src, rng, tagged):
        k = f.kind
        comp = "true" if tagged else self.compact(m, f)
        nul = self.nullable_expr(m, f, rng)
        gaps = "gaps" if m.has_records else "NULL"
        garg = ", gaps" if m.has_records else ""
        if k == "array":
            e = f.elem
            lines = [f"int32_t n = eddy_kafka_wr_count(b, {comp}, {nul}, {src}.count, {src}.items != NULL);",
                     "for (int32_t i = 0; i < n; i++) {"]
            if isinstance(e, Struct):
                lines.append(f"    enc_{e.suffix()}(b, version, &{src}.items[i]{garg});")
            else:
                lines.append("    " + self.enc_prim(e, f"{src}.items[i]", comp, "false", gaps))
            lines.append("}")
            return ["{"] + ["    " + l for l in lines] + ["}"]
        if k == "struct":
            sub = f.struct
            if f.nullable is None:
                return [f"enc_{sub.suffix()}(b, version, &{src}{garg});"]
            null_mark = "eddy_buf_put_uvarint(b, 0);" if tagged else "eddy_buf_put_u8(b, 0xff);"
            one_mark = "eddy_buf_put_uvarint(b, 1);" if tagged else "eddy_buf_put_u8(b, 1);"
            lines = []
            with_marker = [f"if ({src}) {{", f"    {one_mark}",
                           f"    enc_{sub.suffix()}(b, version, {src}{garg});",
                           "} else {", f"    {null_mark}", "}"]
            without = [f"if ({src}) {{", f"    enc_{sub.suffix()}(b, version, {src}{garg});",
                       "} else {", f"    {sub.cname} d;", f"    {sub.cname}_init(&d);",
                       f"    enc_{sub.suffix()}(b, version, &d{garg});", "}"]
            if nul == "true":
                return with_marker
            if nul == "false":
                return without
            lines.append(f"if ({nul}) {{")
            lines += ["    " + l for l in with_marker]
            lines.append("} else {")
            lines += ["    " + l for l in without]
            lines.append("}")
            return lines
        return [self.enc_prim(k, src, comp, nul, gaps)]

    # tables

    def source_tables(self, o):
        reqs = {m.api_key: m for m in self.msgs if m.kind == "request"}
        resps = {m.api_key: m for m in self.msgs if m.kind == "response"}
        for k in reqs:
            if k not in resps:
                raise GenError(f"API key {k}: request without response")
            if reqs[k].valid != resps[k].valid or reqs[k].flex != resps[k].flex:
                raise GenError(f"API key {k}: request and response versions differ")
        o("/* ---- API table ---- */")
        o()
        o("const eddy_kafka_api_info eddy_kafka_apis[] = {")
        for k in sorted(reqs):
            q, p = reqs[k], resps[k]
            ff = q.flex[0] if q.flex else -1
            o(f'    {{{k}, "{api_name(q)}", {q.valid[0]}, {q.valid[1]}, {ff}, '
              f'{"true" if q.unstable else "false"}, &ops_{q.top.suffix()}, &ops_{p.top.suffix()}}},')
        o("};")
        o()
        o(f"const size_t eddy_kafka_api_count = {len(reqs)};")
        o()
        o("const eddy_kafka_api_info *eddy_kafka_api_get(int16_t key)")
        o("{")
        o("    switch (key) {")
        for i, k in enumerate(sorted(reqs)):
            o(f"    case EDDY_KAFKA_API_{api_name(reqs[k])}:")
            o(f"        return &eddy_kafka_apis[{i}];")
        o("    default:")
        o("        return NULL;")
        o("    }")
        o("}")
        o()
        o("const char *eddy_kafka_api_name(int16_t key)")
        o("{")
        o("    const eddy_kafka_api_info *api = eddy_kafka_api_get(key);")
        o('    return api ? api->name : "Unknown";')
        o("}")
        o()
        o("bool eddy_kafka_api_version_valid(int16_t key, int16_t version)")
        o("{")
        o("    const eddy_kafka_api_info *api = eddy_kafka_api_get(key);")
        o("    return api && version >= api->min_version && version <= api->max_version;")
        o("}")
        o()
        o("int eddy_kafka_request_header_version(int16_t key, int16_t version)")
        o("{")
        o("    const eddy_kafka_api_info *api = eddy_kafka_api_get(key);")
        o("    return api && api->first_flexible >= 0 && version >= api->first_flexible ? 2 : 1;")
        o("}")
        o()
        o("int eddy_kafka_response_header_version(int16_t key, int16_t version)")
        o("{")
        o("    if (key == EDDY_KAFKA_API_ApiVersions) {")
        o("        return 0; /* KIP-511: clients read it before they know the version */")
        o("    }")
        o("    return eddy_kafka_request_header_version(key, version) == 2 ? 1 : 0;")
        o("}")

    # -- test samples --------------------------------------------------------

    def samples_header(self):
        o = Out()
        o("/* Test samples: fill any Kafka message with non-default values.")
        o(" *")
        o(" * GENERATED by tools/kafka_codegen.py; do not edit. For the round-trip")
        o(" * tests: every field that exists in the given version gets a value other")
        o(" * than its default, arrays get two elements; variant 1 makes every field")
        o(" * that is nullable in that version null. */")
        o("#ifndef EDDY_TESTS_KAFKA_SAMPLES_H")
        o("#define EDDY_TESTS_KAFKA_SAMPLES_H")
        o()
        o("#include <stdbool.h>")
        o("#include <stdint.h>")
        o()
        o('#include "core/arena.h"')
        o()
        o("/* Initialises and fills *msg, the request (or response) struct of api_key,")
        o(" * for version. Arrays come from arena. Returns false for an unknown key. */")
        o("bool kafka_sample_fill(int16_t api_key, bool response, void *msg, int16_t version,")
        o("                       int variant, eddy_arena *arena);")
        o()
        o("#endif")
        return o.text()

    def samples_source(self):
        o = Out()
        o("/* Test samples (see kafka_samples.h). GENERATED by tools/kafka_codegen.py;")
        o(" * do not edit. */")
        o('#include "kafka_samples.h"')
        o()
        o("#include <stdlib.h>")
        o("#include <string.h>")
        o()
        o('#include "kafka/gen/kafka_msgs.h"')
        o()
        o("static void *sample_alloc(eddy_arena *arena, size_t size)")
        o("{")
        o("    void *p = eddy_arena_calloc(arena, 1, size);")
        o("    if (!p) {")
        o("        abort();")
        o("    }")
        o("    return p;")
        o("}")
        o()
        self.seq = 0
        for m in self.msgs:
            o(f"/* ---- {m.name} ---- */")
            o()
            for s in m.structs:
                o(f"static void fill_{s.suffix()}({s.cname} *s, int16_t version, int variant,")
                o("    eddy_arena *arena);")
            o()
            for s in m.structs:
                self.gen_fill(o, m, s)
        o("bool kafka_sample_fill(int16_t api_key, bool response, void *msg, int16_t version,")
        o("                       int variant, eddy_arena *arena)")
        o("{")
        o("    switch (api_key) {")
        reqs = {m.api_key: m for m in self.msgs if m.kind == "request"}
        resps = {m.api_key: m for m in self.msgs if m.kind == "response"}
        for k in sorted(reqs):
            o(f"    case {k}:")
            o("        if (response) {")
            o(f"            fill_{resps[k].top.suffix()}(msg, version, variant, arena);")
            o("        } else {")
            o(f"            fill_{reqs[k].top.suffix()}(msg, version, variant, arena);")
            o("        }")
            o("        return true;")
        o("    default:")
        o("        return false;")
        o("    }")
        o("}")
        return o.text()

    def sample_int(self, f, k):
        d = default_value(f)
        lo, hi = INT_RANGES[k]
        self.seq += 1
        v = (self.seq * 37) % 100 + 1
        if k in ("int32", "int64", "uint32"):
            v = v * 1000003 + self.seq
        if k == "int64":
            v = v * 1000000007
        v = min(v, hi)
        if v == d:
            v = v - 1 if v > lo else v + 1
        return c_int(v, k)

    def gen_fill(self, o, m, s):
        o(f"static void fill_{s.suffix()}({s.cname} *s, int16_t version, int variant,")
        o("    eddy_arena *arena)")
        o("{")
        o(f"    {s.cname}_init(s);")
        for f in s.fields:
            if f.versions is None:
                continue
            c = vcond(f.versions, m.valid)
            body = self.fill_value(m, f, f"s->{f.cname}")
            if not body:
                continue
            nul = self.nullable_expr(m, f, f.versions)
            if nul != "false" and f.kind in ("string", "bytes", "records", "array", "struct"):
                nullv = {"string": "EDDY_KSTR_NULL", "bytes": "EDDY_KBYTES_NULL",
                         "records": "EDDY_KBYTES_NULL"}.get(f.kind)
                null_lines = ([f"s->{f.cname} = {nullv};"] if nullv else
                              [f"s->{f.cname}.count = -1;"] if f.kind == "array" else
                              [f"s->{f.cname} = NULL;"])
                cond = "variant == 1" if nul == "true" else f"variant == 1 && {paren(nul)}"
                body = [f"if ({cond}) {{"] + ["    " + l for l in null_lines] + ["} else {"] + \
                       ["    " + l for l in body] + ["}"]
            self.emit_cond(o, c, body, 1)
        o("    (void)version;")
        o("    (void)variant;")
        o("    (void)arena;")
        o("}")
        o()

    def fill_prim(self, f, k, dst):
        if k in INT_RANGES:
            return [f"{dst} = {self.sample_int(f, k)};"]
        if k == "bool":
            d = default_value(f) if f.kind == "bool" else False
            return [f"{dst} = {'false' if d else 'true'};"]
        if k == "float64":
            return [f"{dst} = 1.5;"]
        self.seq += 1
        if k == "uuid":
            vals = ", ".join(str((self.seq * 7 + i) % 256) for i in range(16))
            return ["{", f"    static const eddy_kuuid u = {{{{{vals}}}}};", f"    {dst} = u;", "}"]
        if k == "string":
            txt = f"{f.name}-{self.seq}"
            return [f"{dst}.p = {c_str_lit(txt)};", f"{dst}.len = {len(txt)};"]
        if k in ("bytes", "records"):
            n = 3 + self.seq % 5
            vals = ", ".join(str((self.seq + i * 13) % 256) for i in range(n))
            return ["{", f"    static const uint8_t v[] = {{{vals}}};", f"    {dst}.p = v;",
                    f"    {dst}.len = sizeof v;", "}"]
        raise GenError(k)

    def fill_value(self, m, f, dst):
        k = f.kind
        if k == "array":
            e = f.elem
            lines = [f"{dst}.count = 2;",
                     f"{dst}.items = sample_alloc(arena, 2 * sizeof *{dst}.items);"]
            if isinstance(e, Struct):
                lines += [f"fill_{e.suffix()}(&{dst}.items[0], version, variant, arena);",
                          f"fill_{e.suffix()}(&{dst}.items[1], version, variant, arena);"]
            else:
                lines += self.fill_prim(f, e, f"{dst}.items[0]")
                lines += self.fill_prim(f, e, f"{dst}.items[1]")
            return lines
        if k == "struct":
            if f.nullable is not None:
                return [f"{dst} = sample_alloc(arena, sizeof *{dst});",
                        f"fill_{f.struct.suffix()}({dst}, version, variant, arena);"]
            return [f"fill_{f.struct.suffix()}(&{dst}, version, variant, arena);"]
        return self.fill_prim(f, k, dst)


def negate(c):
    """Negates a simple C condition the generator produced."""
    m = re.fullmatch(r"([\w.>-]+) (==|<) (.+)", c)
    if m and "&&" not in c and "||" not in c:
        return f"{m.group(1)} {'!=' if m.group(2) == '==' else '>='} {m.group(3)}"
    if re.fullmatch(r"[\w]+\([^()]*\)", c):
        return "!" + c
    return f"!({c})"


def is_block(lines):
    """True when lines are one braced block: '{', indented lines, '}'."""
    return (len(lines) >= 2 and lines[0] == "{" and lines[-1] == "}"
            and all(l.startswith("    ") for l in lines[1:-1]))


def api_name(m):
    n = m.name
    return n[: -len("Request")] if n.endswith("Request") else n


# ---------------------------------------------------------------------------


def write_outputs(outputs, clang_format):
    for path, text in outputs.items():
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    subprocess.run([clang_format, "-i", "--style=file"] + list(outputs), check=True, cwd=REPO)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--messages", default=os.path.join(REPO, "..", "shared", "kafka-messages"),
                    help="folder of Kafka's *.json message definitions")
    ap.add_argument("--out", default=REPO, help="repository root to write into")
    ap.add_argument("--clang-format", default=shutil.which("clang-format") or "clang-format")
    args = ap.parse_args()
    try:
        msgs = load_messages(args.messages)
    except (GenError, ValueError, KeyError) as e:
        sys.exit(f"kafka_codegen: {e}")
    if not msgs:
        sys.exit(f"kafka_codegen: no message definitions in {args.messages}")
    # Requests first by key, then responses: a stable order for the output.
    msgs.sort(key=lambda m: (m.api_key, 0 if m.kind == "request" else 1))
    gen = Gen(msgs)
    try:
        outputs = {
            os.path.join(args.out, "src/kafka/gen/kafka_msgs.h"): gen.header(),
            os.path.join(args.out, "src/kafka/gen/kafka_msgs.c"): gen.source(),
            os.path.join(args.out, "tests/unit/kafka_samples.h"): gen.samples_header(),
            os.path.join(args.out, "tests/unit/kafka_samples.c"): gen.samples_source(),
        }
    except GenError as e:
        sys.exit(f"kafka_codegen: {e}")
    write_outputs(outputs, args.clang_format)
    n = sum(len(m.structs) for m in msgs)
    print(f"kafka_codegen: {len(msgs)} messages, {n} structs -> {', '.join(os.path.relpath(p, args.out) for p in outputs)}")


if __name__ == "__main__":
    main()
