/* Fuzz target: a hub's events as rows (sql/stream.h eddy_sql_hub_read).
 * The bytes are cut at 0xFF into events whose Bodies a client could send;
 * each becomes a row of the projected columns or is skipped as bad, never
 * both, and text values point inside the Body or the reader's arena. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sql/source.h"
#include "sql/stream.h"

#define MAXEV 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);
    if (!text) {
        return 0;
    }
    memcpy(text, data, size);
    eddy_sql_event ev[MAXEV];
    uint32_t n = 0;
    size_t start = 0;
    for (size_t i = 0; i <= size && n < MAXEV; i++) {
        if (i == size || data[i] == 0xFF) {
            ev[n] = (eddy_sql_event){.body = text + start,
                                     .body_len = (int32_t)(i - start),
                                     .key = n % 3 ? "k" : NULL,
                                     .key_len = n % 3 ? 1 : -1,
                                     .offset = n,
                                     .enqueued_ms = 1764000000000 + n,
                                     .processed_us = 1764000000000000,
                                     .partition = (int32_t)(n & 3)};
            if (n % 5 == 4) {
                ev[n].body_len = -1; /* a null body */
            }
            n++;
            start = i + 1;
        }
    }
    eddy_sql_src_opts o = {.kind = EDDY_SQL_SRC_HUB, .pattern = "h"};
    eddy_sql_src *s;
    char err[256];
    if (eddy_sql_src_open(&o, &s, err, sizeof err) != 0) {
        abort();
    }
    static const char *const p0[] = {"deviceId"}, *const p1[] = {"a", "b"},
                             *const p2[] = {"PartitionKey"}, *const p3[] = {"SequenceNumber"},
                             *const p4[] = {"a"};
    static const uint32_t l0[] = {8}, l1[] = {1, 1}, l2[] = {12}, l3[] = {14}, l4[] = {1};
    eddy_sql_src_col cols[] = {
        {p0, l0, 1}, {p1, l1, 2}, {p2, l2, 1}, {p3, l3, 1}, {p4, l4, 1},
    };
    if (eddy_sql_src_project(s, cols, 5, err, sizeof err) != 0) {
        abort();
    }
    eddy_sql_src_reader *r;
    if (eddy_sql_hub_reader_open(s, &r) != 0) {
        abort();
    }
    eddy_sql_chunk chunk;
    eddy_sql_bad_event bad;
    uint32_t rows_of[MAXEV];
    if (eddy_sql_hub_read(r, ev, n, &chunk, rows_of, &bad, err, sizeof err) == 0) {
        if (chunk.nrows + bad.count != n || chunk.ncols != 5) {
            abort();
        }
        for (uint32_t row = 0; row < chunk.nrows; row++) {
            if (rows_of[row] >= n || (row > 0 && rows_of[row] <= rows_of[row - 1])) {
                abort();
            }
            const eddy_sql_vec *sq = &chunk.cols[3];
            if (sq->type != EDDY_SQL_V_INT || sq->i[row] != ev[rows_of[row]].offset) {
                abort();
            }
        }
    }
    eddy_sql_src_reader_close(r);
    eddy_sql_src_close(s);
    free(text);
    return 0;
}
