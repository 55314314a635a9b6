/* A small unit-test harness.
 *
 * Each test file is one executable and one ctest test (label "unit"): it
 * defines TEST functions and runs them from main() with RUN(). Assertions
 * print both values and the expression; a failing assertion marks the test
 * failed and returns from it. main() ends with `return test_summary();`. */
#ifndef EDDY_TEST_H
#define EDDY_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_failed_now;
static int test_passed_count;
static int test_failed_count;
static const char *test_current;

#define TEST(name) static void name(void)

#define RUN(name)                                                                                  \
    do {                                                                                           \
        test_current = #name;                                                                      \
        test_failed_now = 0;                                                                       \
        name();                                                                                    \
        if (test_failed_now) {                                                                     \
            test_failed_count++;                                                                   \
            printf("FAIL %s\n", #name);                                                            \
        } else {                                                                                   \
            test_passed_count++;                                                                   \
            printf("ok   %s\n", #name);                                                            \
        }                                                                                          \
    } while (0)

static inline int test_summary(void)
{
    printf("%d passed, %d failed\n", test_passed_count, test_failed_count);
    return test_failed_count ? 1 : 0;
}

#define TEST_FAIL_AT(...)                                                                          \
    do {                                                                                           \
        printf("  %s:%d: in %s: ", __FILE__, __LINE__, test_current);                              \
        printf(__VA_ARGS__);                                                                       \
        printf("\n");                                                                              \
        test_failed_now = 1;                                                                       \
    } while (0)

#define EXPECT_TRUE(c)                                                                             \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            TEST_FAIL_AT("expected true: %s", #c);                                                 \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define EXPECT_EQ_INT(a, b)                                                                        \
    do {                                                                                           \
        long long ea_ = (long long)(a), eb_ = (long long)(b);                                      \
        if (ea_ != eb_) {                                                                          \
            TEST_FAIL_AT("%s == %s: %lld != %lld", #a, #b, ea_, eb_);                              \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define EXPECT_EQ_UINT(a, b)                                                                       \
    do {                                                                                           \
        unsigned long long ea_ = (unsigned long long)(a), eb_ = (unsigned long long)(b);           \
        if (ea_ != eb_) {                                                                          \
            TEST_FAIL_AT("%s == %s: %llu (0x%llx) != %llu (0x%llx)", #a, #b, ea_, ea_, eb_, eb_);  \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define EXPECT_EQ_STR(a, b)                                                                        \
    do {                                                                                           \
        const char *ea_ = (a), *eb_ = (b);                                                         \
        if (!ea_ || !eb_ || strcmp(ea_, eb_) != 0) {                                               \
            TEST_FAIL_AT("%s == %s: \"%s\" != \"%s\"", #a, #b, ea_ ? ea_ : "(null)",               \
                         eb_ ? eb_ : "(null)");                                                    \
            return;                                                                                \
        }                                                                                          \
    } while (0)

static inline void test_hexdump(const char *label, const void *p, size_t n)
{
    const unsigned char *s = p;
    printf("    %s (%zu bytes):", label, n);
    for (size_t i = 0; i < n && i < 64; i++) {
        printf(" %02x", s[i]);
    }
    printf("%s\n", n > 64 ? " ..." : "");
}

#define EXPECT_EQ_MEM(a, alen, b, blen)                                                            \
    do {                                                                                           \
        const void *ea_ = (a), *eb_ = (b);                                                         \
        size_t ean_ = (alen), ebn_ = (blen);                                                       \
        if (ean_ != ebn_ || (ean_ && memcmp(ea_, eb_, ean_) != 0)) {                               \
            TEST_FAIL_AT("%s == %s: bytes differ", #a, #b);                                        \
            test_hexdump(#a, ea_, ean_);                                                           \
            test_hexdump(#b, eb_, ebn_);                                                           \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#endif
