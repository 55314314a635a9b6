/* The CSV source (src/sql/src_csv.c): RFC 4180 quoting, headers, typing per
 * chunk, files with different column orders, splitting big files at record
 * starts (quotes holding line breaks included), errors with positions. */
#include "sql_src_util.h"
#include "test.h"

static int open_csv(const char *pattern, bool header, char delim, eddy_sql_src **s, char *err,
                    size_t errlen)
{
    eddy_sql_src_opts o = {
        .kind = EDDY_SQL_SRC_CSV, .pattern = pattern, .csv_header = header, .csv_delim = delim};
    return eddy_sql_src_open(&o, s, err, errlen);
}

/* Reads the whole source with paths (comma-separated names) and part size
 * part (0 = automatic). */
static int read_csv(const char *pattern, bool header, char delim, const char *const *paths,
                    size_t n, uint64_t part, size_t read_size, rowset *rs, char *err, size_t errlen)
{
    eddy_sql_src *s;
    int rc = open_csv(pattern, header, delim, &s, err, errlen);
    if (rc) {
        return rc;
    }
    proj pj;
    proj_set(&pj, paths, n);
    rc = eddy_sql_src_project(s, pj.cols, pj.n, err, errlen);
    if (!rc) {
        size_t parts =
            part ? eddy_sql_src_split_bytes(s, part, read_size) : eddy_sql_src_split(s, 2);
        rc = read_all(s, parts, rs, err, errlen);
    }
    eddy_sql_src_close(s);
    return rc;
}

static bool is_str(const eddy_sql_value *v, const char *want)
{
    return v->type == EDDY_SQL_V_STRING && v->s.len == strlen(want) &&
           memcmp(v->s.p, want, v->s.len) == 0;
}

TEST(csv_header_quotes_types)
{
    const char *path = write_str("basic.csv", "\xEF\xBB\xBFid,name,score,note,,flag\r\n"
                                              "1,alice,1.5,\"a, \"\"quoted\"\" note\",x,true\r\n"
                                              "2,bob,2,\"two\nlines\",,\r\n"
                                              "\r\n"
                                              "3,\"\",,plain\n"
                                              "-4,d\"q,1e3\n"
                                              "9223372036854775808,e,+7,\"\",extra,f,g\n");
    char err[512];
    const char *paths[] = {"id", "name", "score", "note", "col5", "flag", "nope"};
    rowset rs;
    EXPECT_EQ_INT(read_csv(path, true, 0, paths, 7, 0, 0, &rs, err, sizeof err), 0);
    EXPECT_EQ_INT(rs.nrows, 5);
    /* id: INT until the overflow turns the chunk DOUBLE. */
    EXPECT_EQ_INT(rs.vt[0], EDDY_SQL_V_DOUBLE);
    EXPECT_TRUE(cell(&rs, 3, 0)->d == -4.0);
    EXPECT_TRUE(cell(&rs, 4, 0)->d == 9223372036854775808.0);
    EXPECT_TRUE(is_str(cell(&rs, 1, 1), "bob"));
    EXPECT_TRUE(is_str(cell(&rs, 2, 1), ""));
    EXPECT_TRUE(is_str(cell(&rs, 3, 1), "d\"q"));
    EXPECT_EQ_INT(rs.vt[2], EDDY_SQL_V_DOUBLE);
    EXPECT_TRUE(cell(&rs, 0, 2)->d == 1.5 && cell(&rs, 1, 2)->d == 2.0);
    EXPECT_EQ_INT(cell(&rs, 2, 2)->type, EDDY_SQL_V_NULL);
    EXPECT_TRUE(cell(&rs, 3, 2)->d == 1000.0 && cell(&rs, 4, 2)->d == 7.0);
    EXPECT_TRUE(is_str(cell(&rs, 0, 3), "a, \"quoted\" note"));
    EXPECT_TRUE(is_str(cell(&rs, 1, 3), "two\nlines"));
    EXPECT_TRUE(is_str(cell(&rs, 2, 3), "plain"));
    EXPECT_TRUE(is_str(cell(&rs, 4, 3), ""));
    EXPECT_EQ_INT(cell(&rs, 3, 3)->type, EDDY_SQL_V_NULL);
    EXPECT_TRUE(is_str(cell(&rs, 0, 4), "x"));
    EXPECT_EQ_INT(cell(&rs, 1, 4)->type, EDDY_SQL_V_NULL);
    EXPECT_TRUE(is_str(cell(&rs, 4, 4), "extra"));
    EXPECT_TRUE(is_str(cell(&rs, 0, 5), "true"));
    EXPECT_EQ_INT(cell(&rs, 1, 5)->type, EDDY_SQL_V_NULL);
    EXPECT_EQ_INT(rs.vt[6], EDDY_SQL_V_NULL);
    rowset_free(&rs);

    eddy_sql_src *s;
    EXPECT_EQ_INT(open_csv(path, true, 0, &s, err, sizeof err), 0);
    const char *const *names;
    EXPECT_EQ_INT(eddy_sql_src_columns(s, &names), 6);
    EXPECT_EQ_STR(names[0], "id");
    EXPECT_EQ_STR(names[3], "note");
    EXPECT_EQ_STR(names[4], "col5");
    EXPECT_EQ_STR(names[5], "flag");
    proj pj;
    const char *nested[] = {"id.x"};
    proj_set(&pj, nested, 1);
    EXPECT_EQ_INT(eddy_sql_src_project(s, pj.cols, 1, err, sizeof err), EDDY_ERR_INVALID_ARG);
    EXPECT_EQ_STR(err, "CSV has no nested fields: 'id.x'");
    eddy_sql_src_close(s);
}

TEST(csv_no_header_delimiter)
{
    const char *path = write_str("semi.csv", "1;a;2.5\n2;\"b;c\";3\n");
    char err[512];
    const char *paths[] = {"col3", "col1", "col2", "col4", "col0"};
    rowset rs;
    EXPECT_EQ_INT(read_csv(path, false, ';', paths, 5, 0, 0, &rs, err, sizeof err), 0);
    EXPECT_EQ_INT(rs.nrows, 2);
    EXPECT_EQ_INT(rs.vt[0], EDDY_SQL_V_DOUBLE);
    EXPECT_TRUE(cell(&rs, 1, 0)->d == 3.0);
    EXPECT_EQ_INT(cell(&rs, 1, 1)->i, 2);
    EXPECT_TRUE(is_str(cell(&rs, 1, 2), "b;c"));
    EXPECT_EQ_INT(rs.vt[3], EDDY_SQL_V_NULL);
    EXPECT_EQ_INT(rs.vt[4], EDDY_SQL_V_NULL);
    rowset_free(&rs);
    eddy_sql_src *s;
    EXPECT_EQ_INT(open_csv(path, false, ';', &s, err, sizeof err), 0);
    const char *const *names;
    EXPECT_EQ_INT(eddy_sql_src_columns(s, &names), 3);
    EXPECT_EQ_STR(names[2], "col3");
    eddy_sql_src_close(s);
}

TEST(csv_files_match_by_name)
{
    write_str("multi/a.csv", "x,y\n1,a\n2,b\n");
    write_str("multi/b.csv", "y,z,x\nc,0,3\n");
    char dir[512], err[512];
    snprintf(dir, sizeof dir, "%s/multi", tmp_dir());
    const char *paths[] = {"x", "y", "z"};
    rowset rs;
    EXPECT_EQ_INT(read_csv(dir, true, 0, paths, 3, 1, 0, &rs, err, sizeof err), 0);
    EXPECT_EQ_INT(rs.nrows, 3);
    EXPECT_EQ_INT(cell(&rs, 2, 0)->i, 3);
    EXPECT_TRUE(is_str(cell(&rs, 2, 1), "c"));
    EXPECT_EQ_INT(cell(&rs, 0, 2)->type, EDDY_SQL_V_NULL);
    EXPECT_EQ_INT(cell(&rs, 2, 2)->i, 0);
    rowset_free(&rs);
}

static void expect_error(const char *text, const char *want)
{
    const char *path = write_str("bad.csv", text);
    char err[512];
    const char *paths[] = {"a", "b"};
    rowset rs;
    int rc = read_csv(path, true, 0, paths, 2, 5, 4, &rs, err, sizeof err);
    rowset_free(&rs);
    EXPECT_EQ_INT(rc, EDDY_ERR_PARSE);
    char full[600];
    snprintf(full, sizeof full, "%s:%s", path, want);
    EXPECT_EQ_STR(err, full);
}

TEST(csv_errors)
{
    expect_error("a,b\n1,2\n3,\"x\"y\n", "3: unexpected character after a closing quote at byte 6");
    expect_error("a,b\n1,\"never\nends\n", "2: unterminated quoted field at byte 3");
    expect_error("\"a,b\n", "1: bad CSV header: unterminated quoted field at byte 1");
}

static bool num(const eddy_sql_value *v)
{
    return v->type == EDDY_SQL_V_INT || v->type == EDDY_SQL_V_DOUBLE;
}

static double as_double(const eddy_sql_value *v)
{
    return v->type == EDDY_SQL_V_INT ? (double)v->i : v->d;
}

/* A generated file with quoted line breaks: every split gives the rows of
 * the whole file, in order. */
TEST(csv_split_union)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    fprintf(m, "k,v,w\n");
    for (int i = 0; i < 3000; i++) {
        switch (i % 5) {
        case 0:
            fprintf(m, "%d,\"multi\nline %d\",\"\"\"\"\n", i, i);
            break;
        case 1:
            fprintf(m, "%d,plain %d,%d.25\r\n", i, i, i);
            break;
        case 2:
            fprintf(m, "%d,\"a,\"\"b\"\"\nc\",\n", i);
            break;
        case 3:
            fprintf(m, "\n%d,x\"y,\n", i);
            break;
        default:
            fprintf(m, "%d,\"\n\n\",%d", i, i);
            fprintf(m, i + 1 < 3000 ? "\n" : "");
            break;
        }
    }
    fclose(m);
    const char *path = write_file("split.csv", text, len);
    char err[512];
    const char *paths[] = {"k", "v", "w"};
    rowset whole;
    EXPECT_EQ_INT(read_csv(path, true, 0, paths, 3, len * 2, 0, &whole, err, sizeof err), 0);
    EXPECT_EQ_INT(whole.nrows, 3000);
    static const uint64_t parts[] = {1, 13, 100, 4000, 30000};
    static const size_t reads[] = {8, 64, 0};
    for (size_t p = 0; p < 5; p++) {
        for (size_t r = 0; r < 3; r++) {
            rowset rs;
            int rc = read_csv(path, true, 0, paths, 3, parts[p], reads[r], &rs, err, sizeof err);
            if (rc) {
                printf("    %s\n", err);
            }
            EXPECT_EQ_INT(rc, 0);
            EXPECT_EQ_INT(rs.nrows, 3000);
            for (size_t row = 0; row < 3000; row++) {
                EXPECT_EQ_INT(cell(&rs, row, 0)->i, (long long)row);
                for (size_t c = 1; c < 3; c++) {
                    const eddy_sql_value *a = cell(&rs, row, c), *b = cell(&whole, row, c);
                    if (a->type != b->type && num(a) && num(b)) {
                        /* Chunks differ, so INT may have become DOUBLE. */
                        EXPECT_TRUE(as_double(a) == as_double(b));
                        continue;
                    }
                    EXPECT_EQ_INT(a->type, b->type);
                    if (a->type == EDDY_SQL_V_STRING) {
                        EXPECT_EQ_MEM(a->s.p, a->s.len, b->s.p, b->s.len);
                    }
                }
            }
            rowset_free(&rs);
        }
    }
    EXPECT_TRUE(is_str(cell(&whole, 0, 1), "multi\nline 0"));
    EXPECT_TRUE(is_str(cell(&whole, 0, 2), "\""));
    EXPECT_TRUE(is_str(cell(&whole, 2, 1), "a,\"b\"\nc"));
    EXPECT_TRUE(is_str(cell(&whole, 3, 1), "x\"y"));
    EXPECT_TRUE(is_str(cell(&whole, 4, 1), "\n\n"));
    rowset_free(&whole);
    free(text);
}

int main(void)
{
    RUN(csv_header_quotes_types);
    RUN(csv_no_header_delimiter);
    RUN(csv_files_match_by_name);
    RUN(csv_errors);
    RUN(csv_split_union);
    tmp_cleanup();
    return test_summary();
}
