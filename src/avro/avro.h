/* Avro: schemas, the binary encoding, and object container files (docs/avro.md).
 *
 * The lake is made of Avro object container files: a header (magic, a
 * metadata map holding the schema and the codec, a 16-byte sync marker), then
 * blocks of datums, each block [count][size][data][sync], the data
 * compressed with the file's codec (null, deflate or snappy here).
 *
 * Writing: capture appends each event's encoded datum to the writer's block
 * buffer (eddy_avro_writer_datum / _end_datum); a full block is compressed
 * and written with one writev. Reading: a container reader over memory or an
 * fd yields blocks and datums; a compiled schema (eddy_avro_schema) drives a
 * decoder that skips values cheaply, reads selected ones into borrowed
 * pointers, or prints a datum as JSON. eventdata.h has the Event Hubs
 * Capture record and a fast path for it.
 *
 * Every byte read is untrusted: reads are bounded, counts and sizes are
 * checked against limits, nothing asserts on input, and an error names the
 * block and byte offset where it was found. Objects are not thread-safe; use
 * one per thread. */
#ifndef EDDY_AVRO_AVRO_H
#define EDDY_AVRO_AVRO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/reader.h"

/* ---- codecs --------------------------------------------------------- */

typedef enum eddy_avro_codec {
    EDDY_AVRO_CODEC_NULL,
    EDDY_AVRO_CODEC_DEFLATE,
    EDDY_AVRO_CODEC_SNAPPY,
} eddy_avro_codec;

/* Parses "null", "deflate" or "snappy". Returns 0, or EDDY_ERR_UNSUPPORTED
 * for any other name (NULL included). */
int eddy_avro_codec_parse(const char *s, eddy_avro_codec *out);

/* Returns "null", "deflate", "snappy" (the avro.codec metadata value), or
 * "unknown". */
const char *eddy_avro_codec_name(eddy_avro_codec c);

/* ---- binary encoding ------------------------------------------------ */

/* Appends v as a zigzag varint (Avro int and long). Errors stick in b. */
void eddy_avro_put_long(eddy_buf *b, int64_t v);

/* Appends a length (long) and the n bytes at p (Avro bytes and string). */
void eddy_avro_put_bytes(eddy_buf *b, const void *p, size_t n);

/* Appends v as 8 little-endian bytes (IEEE 754). */
void eddy_avro_put_double(eddy_buf *b, double v);

/* Writes v as a zigzag varint at out (room for 10 bytes); returns the
 * length. The encoders' hot path, without a buffer check per field. */
static inline size_t eddy_avro_long_encode(uint8_t *out, int64_t v)
{
    return eddy_uvarint_encode(out, eddy_zigzag64(v));
}

/* Reads an Avro long (a zigzag varint of at most 10 bytes) or int (at most
 * 5) from r; failures stick in r. */
static inline int64_t eddy_avro_read_long(eddy_reader *r)
{
    return eddy_reader_varlong(r);
}

static inline int32_t eddy_avro_read_int(eddy_reader *r)
{
    return eddy_reader_varint(r);
}

/* ---- container file writer ------------------------------------------ */

#define EDDY_AVRO_DEFAULT_BLOCK_BYTES (256 * 1024)
#define EDDY_AVRO_DEFAULT_LEVEL       1
#define EDDY_AVRO_SYNC_SIZE           16

typedef struct eddy_avro_writer eddy_avro_writer;

/* Writer options. Zero-initialised (or a NULL pointer) means the defaults. */
typedef struct eddy_avro_writer_opts {
    eddy_avro_codec codec;
    int level;          /* deflate level 1..12 (libdeflate); 0 = default 1 */
    size_t block_bytes; /* uncompressed block target; 0 = 256 KiB */
} eddy_avro_writer_opts;

/* Starts a container file on fd (borrowed; positioned where the file
 * begins, normally a new empty file): writes the header with the metadata
 * avro.schema = schema_json (checked with eddy_avro_schema_parse) and
 * avro.codec, and a random sync marker (getrandom). Returns 0 with *out
 * (owned; release with eddy_avro_writer_close), or EDDY_ERR_INVALID_ARG (bad
 * schema or options), EDDY_ERR_NOMEM, or a write error (EDDY_ERR_IO,
 * EDDY_ERR_NOSPACE). */
int eddy_avro_writer_open(eddy_avro_writer **out, int fd, const char *schema_json,
                          const eddy_avro_writer_opts *opts);

/* The buffer to append one encoded datum to (borrowed; valid until the
 * writer's next call). The caller appends exactly one datum, then calls
 * eddy_avro_writer_end_datum. */
eddy_buf *eddy_avro_writer_datum(eddy_avro_writer *w);

/* Counts the datum just appended; writes the block once it holds
 * block_bytes or more. Returns 0, the datum buffer's error, or a write
 * error. Any error makes the writer fail sticky: every later call returns
 * EDDY_ERR_FAILED (the file must be discarded or recovered). */
int eddy_avro_writer_end_datum(eddy_avro_writer *w);

/* Writes the pending block, if any. Same errors as end_datum. Does not
 * fsync. */
int eddy_avro_writer_flush(eddy_avro_writer *w);

/* Bytes written to fd so far (header and whole blocks). */
uint64_t eddy_avro_writer_file_bytes(const eddy_avro_writer *w);

/* Encoded (uncompressed) bytes of the datums not yet written. */
uint64_t eddy_avro_writer_pending_bytes(const eddy_avro_writer *w);

/* Datums counted so far (written and pending). */
uint64_t eddy_avro_writer_datums(const eddy_avro_writer *w);

/* Flushes and frees the writer (also on error). Neither fsyncs nor closes
 * fd. Returns 0 or the first error (EDDY_ERR_FAILED if it failed before). */
int eddy_avro_writer_close(eddy_avro_writer *w);

/* ---- schemas -------------------------------------------------------- */

/* Deepest nesting accepted, for schemas and for datums of recursive types. */
#define EDDY_AVRO_MAX_DEPTH 256

typedef enum eddy_avro_type {
    EDDY_AVRO_NULL,
    EDDY_AVRO_BOOLEAN,
    EDDY_AVRO_INT,
    EDDY_AVRO_LONG,
    EDDY_AVRO_FLOAT,
    EDDY_AVRO_DOUBLE,
    EDDY_AVRO_BYTES,
    EDDY_AVRO_STRING,
    EDDY_AVRO_RECORD,
    EDDY_AVRO_ENUM,
    EDDY_AVRO_ARRAY,
    EDDY_AVRO_MAP,
    EDDY_AVRO_UNION,
    EDDY_AVRO_FIXED,
} eddy_avro_type;

/* One node of a compiled schema. Named types are shared: every reference to
 * a record, enum or fixed points at its one node, so a recursive type is a
 * cycle. Nodes live as long as their schema. */
typedef struct eddy_avro_node eddy_avro_node;
struct eddy_avro_node {
    eddy_avro_type type;
    uint32_t min_size;      /* fewest bytes a datum of this type encodes to */
    const char *name;       /* record/enum/fixed: the full name; else the type name */
    const char *logical;    /* the logicalType attribute, or NULL (not interpreted) */
    size_t count;           /* record: fields; enum: symbols; union: branches; fixed: size */
    eddy_avro_node **items; /* record: field types; union: branches; array, map: items[0] */
    const char **names;     /* record: field names; enum: symbols */
    const uint32_t *name_lens;
};

typedef struct eddy_avro_schema eddy_avro_schema;

/* Parses and compiles an Avro schema (JSON text json[0..len), untrusted):
 * primitives, record (and "error"), enum, array, map, union, fixed, named
 * references and namespaces; logical types are kept as a name only. Returns
 * 0 with *out (owned; free with eddy_avro_schema_free), or
 * EDDY_ERR_PARSE with a message naming the problem in err (e.g. "field
 * 'x' of record 'a.B': unknown type 'c.D'"), or EDDY_ERR_NOMEM. */
int eddy_avro_schema_parse(const char *json, size_t len, eddy_avro_schema **out, char *err,
                           size_t errlen);

void eddy_avro_schema_free(eddy_avro_schema *s);

/* The top-level type (borrowed from s). */
const eddy_avro_node *eddy_avro_schema_root(const eddy_avro_schema *s);

/* A named type by full name, or NULL. */
const eddy_avro_node *eddy_avro_schema_find(const eddy_avro_schema *s, const char *fullname);

/* Index of a record's field, or -1. */
int eddy_avro_field_index(const eddy_avro_node *rec, const char *name);

/* "null", "boolean", ..., "fixed". */
const char *eddy_avro_type_name(eddy_avro_type t);

/* ---- datum decoding ------------------------------------------------- */

/* Decoder state and the first error. One decoder serves any number of
 * datums; eddy_avro_decoder_reset clears the error and the per-datum
 * budget. The budget caps elements of zero-size types (an array of nulls
 * costs no bytes, so its count cannot be checked against the input). */
typedef struct eddy_avro_decoder {
    uint64_t zero_budget; /* elements of zero-size types still allowed in this datum */
    int depth;
    int err;          /* 0, EDDY_ERR_PARSE or EDDY_ERR_LIMIT; sticky */
    const char *what; /* static description of the first error */
    size_t at;        /* reader position where the failing value began */
} eddy_avro_decoder;

#define EDDY_AVRO_ZERO_BUDGET (1u << 20)

void eddy_avro_decoder_init(eddy_avro_decoder *d);

/* Clears the error and restores the budget (call before each datum). */
void eddy_avro_decoder_reset(eddy_avro_decoder *d);

/* A decoded value. Scalars are decoded; bytes, string and fixed point into
 * the input; a record, array or map is given as its encoded span (walk it
 * with a sub-reader: eddy_avro_read_record, eddy_avro_coll_*). All pointers
 * borrow the input. */
typedef struct eddy_avro_value {
    const eddy_avro_node *node; /* the value's type: for a union, the branch taken */
    int32_t branch;             /* the union branch taken, or -1 */
    union {
        bool boolean;
        int64_t l; /* int, long; enum: the symbol index */
        double d;  /* float, double */
        struct {
            const uint8_t *p;
            size_t n;
        } bytes; /* bytes, string, fixed; record, array, map: the encoded span */
    } u;
} eddy_avro_value;

/* Skips one datum of type n. Returns 0 or the decoder's error (then r has
 * failed too). Arrays and maps written with block sizes are skipped in one
 * step. */
int eddy_avro_skip(eddy_avro_decoder *d, const eddy_avro_node *n, eddy_reader *r);

/* Reads one datum of type n into *v (resolving a union to its branch). */
int eddy_avro_read_value(eddy_avro_decoder *d, const eddy_avro_node *n, eddy_reader *r,
                         eddy_avro_value *v);

/* Reads a record datum field by field: fields[i] receives field i when want
 * is NULL or want[i] is true; other fields are skipped. fields holds
 * rec->count entries. */
int eddy_avro_read_record(eddy_avro_decoder *d, const eddy_avro_node *rec, eddy_reader *r,
                          eddy_avro_value *fields, const bool *want);

/* Walks the elements of an array or map datum. After _begin, each _next
 * that returns 1 leaves r at one element (for a map, *key receives the
 * key); the caller reads or skips exactly one value of node->items[0] before
 * the next call. _next returns 0 after the last element, or the decoder's
 * error. */
typedef struct eddy_avro_coll {
    eddy_avro_decoder *d;
    const eddy_avro_node *node;
    eddy_reader *r;
    int64_t left;     /* elements left in the current block */
    size_t block_end; /* where a block with a byte size must end; SIZE_MAX if none */
    bool done;
} eddy_avro_coll;

void eddy_avro_coll_begin(eddy_avro_coll *c, eddy_avro_decoder *d, const eddy_avro_node *n,
                          eddy_reader *r);
int eddy_avro_coll_next(eddy_avro_coll *c, const uint8_t **key, size_t *klen);

/* JSON output flags. The default is Avro's JSON encoding: a non-null union
 * value is wrapped as {"type name": value}; bytes and fixed map each byte to
 * the code point U+0000..U+00FF. */
#define EDDY_AVRO_JSON_PLAIN_UNIONS 1u /* a union value without the wrapper */

/* Appends one datum of type n as JSON to out (docs/avro.md "JSON"). Strings
 * that are not valid UTF-8 have each bad byte written as \u00XX; NaN and
 * infinities are the strings "NaN", "Infinity", "-Infinity". Returns 0, the
 * decoder's error, or out's error. */
int eddy_avro_datum_to_json(eddy_avro_decoder *d, const eddy_avro_node *n, eddy_reader *r,
                            eddy_buf *out, unsigned flags);

/* Appends s[0..n) as a JSON string literal (with quotes), escaping bytes
 * that are not valid UTF-8 as \u00XX. */
void eddy_avro_json_put_string(eddy_buf *out, const uint8_t *s, size_t n);

/* ---- container file reader ------------------------------------------ */

/* Reader limits. Zero-initialised (or a NULL pointer) means the defaults. */
typedef struct eddy_avro_reader_opts {
    size_t max_header_bytes;      /* metadata map and schema; 0 = 4 MiB */
    size_t max_block_bytes;       /* a block's stored data; 0 = 64 MiB */
    size_t max_block_datum_bytes; /* a block's data after decompression; 0 = 64 MiB */
    int64_t max_block_count;      /* datums in one block; 0 = 16 Mi */
    size_t read_size;             /* fd reads; 0 = 1 MiB */
} eddy_avro_reader_opts;

/* A reader's (or decoder's) error with its position. */
typedef struct eddy_avro_error {
    int code;        /* 0, or an eddy error (EDDY_ERR_CORRUPT, _PARSE, _LIMIT, _UNSUPPORTED, ...) */
    int64_t block;   /* the block's index from 0; -1 in the header */
    uint64_t offset; /* file offset of the block (or of the header problem) */
    bool truncated;  /* the file ends early: a torn write or a copy cut short */
    char msg[384];   /* "block 3 at byte 123456: sync marker mismatch"; callers prefix the file */
} eddy_avro_error;

typedef struct eddy_avro_reader eddy_avro_reader;

/* A block as stored (data decompressed). Pointers are borrowed and valid
 * until the reader's next call. */
typedef struct eddy_avro_block {
    int64_t index;   /* from 0 */
    uint64_t offset; /* file offset of the block's count */
    uint64_t stored; /* bytes in the file: count, size, data, sync */
    int64_t count;   /* datums */
    const uint8_t *data;
    size_t len;
} eddy_avro_block;

/* Opens a container held in memory (borrowed; must outlive the reader).
 * Reads and checks the header and compiles the schema. Returns 0 with *out
 * (owned; free with eddy_avro_reader_close), or an error described in *err. */
int eddy_avro_reader_open_mem(eddy_avro_reader **out, const void *data, size_t len,
                              const eddy_avro_reader_opts *opts, eddy_avro_error *err);

/* Opens a container read from fd (borrowed, not closed) from its current
 * position, in pieces: memory stays about one block, whatever the file's
 * size. */
int eddy_avro_reader_open_fd(eddy_avro_reader **out, int fd, const eddy_avro_reader_opts *opts,
                             eddy_avro_error *err);

void eddy_avro_reader_close(eddy_avro_reader *r);

/* The writer's schema (borrowed from r). */
const eddy_avro_schema *eddy_avro_reader_schema(const eddy_avro_reader *r);

/* The schema's JSON text as stored (borrowed; not NUL-terminated). */
const uint8_t *eddy_avro_reader_schema_json(const eddy_avro_reader *r, size_t *len);

eddy_avro_codec eddy_avro_reader_codec(const eddy_avro_reader *r);

/* A metadata value by key. Returns 0 with *val, *len borrowed from r, or
 * EDDY_ERR_NOT_FOUND. */
int eddy_avro_reader_meta(const eddy_avro_reader *r, const char *key, const uint8_t **val,
                          size_t *len);

/* Reads the next block: checks its count and size against the limits,
 * reads its data and sync marker, checks the marker, decompresses (and for
 * snappy checks the CRC-32). Returns 1 with *blk, 0 at a clean end of file,
 * or a negative error (see eddy_avro_reader_error). Errors are sticky. Do
 * not mix with eddy_avro_reader_next on one reader. */
int eddy_avro_reader_next_block(eddy_avro_reader *r, eddy_avro_block *blk);

/* Steps to the next datum, across blocks. Returns 1 with *datum pointing at
 * the reader over the current block's data, positioned at the datum: the
 * caller decodes exactly one datum of the schema's root type from it (with
 * the decoder of eddy_avro_reader_decoder, reset here). Returns 0 at the end
 * of the file, or a negative error. It checks that the previous datum
 * decoded and that a block's datums fill exactly its data. */
int eddy_avro_reader_next(eddy_avro_reader *r, eddy_reader **datum);

/* The reader's decoder, for the datums eddy_avro_reader_next hands out. */
eddy_avro_decoder *eddy_avro_reader_decoder(eddy_avro_reader *r);

/* Records the decoder's failure on the current datum as the reader's error
 * ("block N at byte X: datum K: what, at byte P of the block's data") and
 * returns its code. The reader then refuses further reads. */
int eddy_avro_reader_fail_datum(eddy_avro_reader *r);

/* The first error (code 0 when none). */
const eddy_avro_error *eddy_avro_reader_error(const eddy_avro_reader *r);

/* Bytes of the file consumed so far (header and whole blocks). */
uint64_t eddy_avro_reader_offset(const eddy_avro_reader *r);

/* Index of the current (last read) block and the datum within it. */
int64_t eddy_avro_reader_block_index(const eddy_avro_reader *r);

#endif
