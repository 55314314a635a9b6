/* Hash map and arena. */
#include <stdint.h>

#include "core/arena.h"
#include "core/map.h"
#include "test.h"

TEST(map_put_get_replace)
{
    eddy_map m;
    eddy_map_init(&m);
    int a = 1, b = 2, c = 3;
    void *old = &a;
    EXPECT_TRUE(eddy_map_get(&m, "x", 1) == NULL);
    EXPECT_EQ_INT(eddy_map_put(&m, "x", 1, &a, &old), 0);
    EXPECT_TRUE(old == NULL);
    EXPECT_EQ_INT(eddy_map_put(&m, "y", 1, &b, NULL), 0);
    EXPECT_TRUE(eddy_map_get(&m, "x", 1) == &a);
    EXPECT_TRUE(eddy_map_gets(&m, "y") == &b);
    EXPECT_EQ_INT(eddy_map_put(&m, "x", 1, &c, &old), 0);
    EXPECT_TRUE(old == &a);
    EXPECT_TRUE(eddy_map_get(&m, "x", 1) == &c);
    EXPECT_EQ_INT(m.count, 2);
    /* Empty key and keys with NUL bytes are ordinary keys. */
    EXPECT_EQ_INT(eddy_map_put(&m, "", 0, &a, NULL), 0);
    EXPECT_EQ_INT(eddy_map_put(&m, "a\0b", 3, &b, NULL), 0);
    EXPECT_TRUE(eddy_map_get(&m, "", 0) == &a);
    EXPECT_TRUE(eddy_map_get(&m, "a\0b", 3) == &b);
    EXPECT_TRUE(eddy_map_get(&m, "a", 1) == NULL);
    eddy_map_deinit(&m);
}

TEST(map_many_with_deletes)
{
    /* Compare against a plain array model through growth and deletions. */
    enum { N = 20000 };
    static int present[N];
    eddy_map m;
    eddy_map_init(&m);
    char key[32];
    uint32_t x = 7;
    for (int round = 0; round < 4 * N; round++) {
        x = x * 1664525u + 1013904223u;
        int k = (int)(x % N);
        int n = snprintf(key, sizeof key, "key-%d", k);
        if ((x >> 20) & 1) {
            EXPECT_EQ_INT(eddy_map_put(&m, key, (size_t)n, (void *)(intptr_t)(k + 1), NULL), 0);
            present[k] = 1;
        } else {
            void *v = eddy_map_del(&m, key, (size_t)n);
            EXPECT_EQ_INT((intptr_t)v, present[k] ? k + 1 : 0);
            present[k] = 0;
        }
    }
    size_t expect = 0;
    for (int k = 0; k < N; k++) {
        int n = snprintf(key, sizeof key, "key-%d", k);
        void *v = eddy_map_get(&m, key, (size_t)n);
        EXPECT_EQ_INT((intptr_t)v, present[k] ? k + 1 : 0);
        expect += (size_t)present[k];
    }
    EXPECT_EQ_INT(m.count, expect);
    size_t it = 0, seen = 0;
    const char *k;
    size_t klen;
    void *v;
    while (eddy_map_next(&m, &it, &k, &klen, &v)) {
        EXPECT_TRUE(strncmp(k, "key-", 4) == 0);
        EXPECT_EQ_INT((intptr_t)v, atoi(k + 4) + 1);
        seen++;
    }
    EXPECT_EQ_INT(seen, expect);
    eddy_map_deinit(&m);
}

TEST(hash_spreads)
{
    EXPECT_TRUE(eddy_hash_bytes("a", 1, 0) != eddy_hash_bytes("b", 1, 0));
    EXPECT_TRUE(eddy_hash_bytes("abc", 3, 0) != eddy_hash_bytes("abc", 3, 1));
    EXPECT_TRUE(eddy_hash_bytes("0123456789abcdef0", 17, 0) !=
                eddy_hash_bytes("0123456789abcdef1", 17, 0));
}

TEST(arena_alloc_align_reset)
{
    eddy_arena a;
    eddy_arena_init(&a, 256, 0);
    char *p1 = eddy_arena_alloc(&a, 10);
    char *p2 = eddy_arena_alloc(&a, 1);
    EXPECT_TRUE(p1 && p2 && p1 != p2);
    EXPECT_EQ_INT((uintptr_t)p1 % 16, 0);
    EXPECT_EQ_INT((uintptr_t)p2 % 16, 0);
    /* Larger than a chunk. */
    char *big = eddy_arena_alloc(&a, 10000);
    EXPECT_TRUE(big != NULL);
    memset(big, 0x5a, 10000);
    /* The current chunk still serves small allocations. */
    char *p3 = eddy_arena_alloc(&a, 16);
    EXPECT_TRUE(p3 == p2 + 16);
    char *s = eddy_arena_strndup(&a, "hello world", 5);
    EXPECT_EQ_STR(s, "hello");
    int *z = eddy_arena_calloc(&a, 8, sizeof(int));
    EXPECT_TRUE(z && z[0] == 0 && z[7] == 0);
    EXPECT_TRUE(eddy_arena_calloc(&a, SIZE_MAX / 2, 4) == NULL);
    eddy_arena_reset(&a);
    EXPECT_EQ_INT(a.used, 0);
    EXPECT_TRUE(eddy_arena_alloc(&a, 8) != NULL);
    eddy_arena_deinit(&a);
}

TEST(arena_cap)
{
    eddy_arena a;
    eddy_arena_init(&a, 1024, 100);
    EXPECT_TRUE(eddy_arena_alloc(&a, 64) != NULL);
    EXPECT_TRUE(eddy_arena_alloc(&a, 64) == NULL); /* 128 > 100 */
    EXPECT_TRUE(eddy_arena_alloc(&a, 32) != NULL); /* 96 <= 100 */
    EXPECT_TRUE(eddy_arena_alloc(&a, SIZE_MAX) == NULL);
    eddy_arena_deinit(&a);
}

int main(void)
{
    RUN(map_put_get_replace);
    RUN(map_many_with_deletes);
    RUN(hash_spreads);
    RUN(arena_alloc_align_reset);
    RUN(arena_cap);
    return test_summary();
}
