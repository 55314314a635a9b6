/* The Nexmark generator (see nexmark.h). The id arithmetic (last person and
 * auction ids for an event id, active and in-flight windows, hot ratios) is
 * the reference model's; the random numbers are eddy's own splitmix64, so
 * values differ from the Java generator's while their distributions match. */
#include "gen/nexmark.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "gen/rng.h"

#define PERSON_PROPORTION  1
#define AUCTION_PROPORTION 3
#define TOTAL_PROPORTION   50

#define FIRST_PERSON_ID   1000
#define FIRST_AUCTION_ID  1000
#define FIRST_CATEGORY_ID 10
#define NUM_CATEGORIES    5
#define PERSON_ID_LEAD    10
#define AUCTION_ID_LEAD   10

#define NUM_ACTIVE_PEOPLE      1000
#define NUM_IN_FLIGHT_AUCTIONS 100
#define HOT_AUCTION_RATIO      2 /* configuration: 1 - 1/2 of bids are hot */
#define HOT_SELLERS_RATIO      4
#define HOT_BIDDERS_RATIO      4
#define HOT_AUCTION_BATCH      100 /* a hot id is the first of a batch of 100 */
#define HOT_SELLER_BATCH       100
#define HOT_BIDDER_BATCH       100

#define AVG_PERSON_BYTES  200
#define AVG_AUCTION_BYTES 500
#define AVG_BID_BYTES     100

#define CHANNELS_NUMBER 10000

static const char *const first_names[] = {"Peter", "Paul",  "Luke",  "John",   "Saul",  "Vicky",
                                          "Kate",  "Julie", "Sarah", "Deiter", "Walter"};
static const char *const last_names[] = {"Shultz", "Abrams", "Spencer", "White", "Bartels",
                                         "Walton", "Smith",  "Jones",   "Noris"};
static const char *const us_states[] = {"AZ", "CA", "ID", "OR", "WA", "WY"};
static const char *const us_cities[] = {"Phoenix",  "Los Angeles", "San Francisco", "Boise",
                                        "Portland", "Bend",        "Redmond",       "Seattle",
                                        "Kent",     "Cheyenne"};
static const char *const hot_channels[] = {"Google", "Facebook", "Baidu", "Apple"};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* A bounded string builder: writes stop at the end, ok turns false. */
typedef struct sb {
    char *p;
    char *end;
    int ok;
} sb;

static void put(sb *b, const char *s, size_t n)
{
    if ((size_t)(b->end - b->p) <= n) {
        b->ok = 0;
        b->p = b->end;
        return;
    }
    memcpy(b->p, s, n);
    b->p += n;
}

static void put_lit(sb *b, const char *s)
{
    put(b, s, strlen(s));
}

static void put_i64(sb *b, int64_t v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    put(b, tmp, (size_t)n);
}

static void put_time(sb *b, int64_t ms)
{
    char tmp[40];
    put(b, "\"", 1);
    put_lit(b, eddy_clock_format_iso_ms(ms, tmp, sizeof tmp));
    put(b, "\"", 1);
}

/* "name": with the comma before it unless first. */
static void put_name(sb *b, const char *name, int first)
{
    if (!first) {
        put(b, ",", 1);
    }
    put(b, "\"", 1);
    put_lit(b, name);
    put(b, "\":", 2);
}

/* Generated strings hold only [a-z _./:?=&@0-9A-Z-], no escapes needed. */
static void put_str(sb *b, const char *s, size_t n)
{
    put(b, "\"", 1);
    put(b, s, n);
    put(b, "\"", 1);
}

static int rand_int(eddy_rng *r, int n)
{
    return (int)eddy_rng_below(r, (uint64_t)n);
}

/* A random string of 3..max-1 letters, a 1-in-13 chance of `special`
 * instead of each letter; trimmed of spaces at the ends when special is a
 * space. Returns the length written to out (at least max bytes). */
static size_t next_string(eddy_rng *r, int max, char special, char *out)
{
    int len = 3 + rand_int(r, max - 3);
    for (int i = 0; i < len; i++) {
        out[i] = rand_int(r, 13) == 0 ? special : (char)('a' + rand_int(r, 26));
    }
    size_t a = 0, z = (size_t)len;
    if (special == ' ') {
        while (a < z && out[a] == ' ') {
            a++;
        }
        while (z > a && out[z - 1] == ' ') {
            z--;
        }
        memmove(out, out + a, z - a);
    }
    return z - a;
}

/* Exactly n letters, thirteen from each 64-bit draw (26^13 < 2^64). */
static void next_exact_string(eddy_rng *r, int n, char *out)
{
    uint64_t v = 0;
    int left = 0;
    for (int i = 0; i < n; i++) {
        if (left == 0) {
            v = eddy_rng_u64(r);
            left = 13;
        }
        out[i] = (char)('a' + v % 26);
        v /= 26;
        left--;
    }
}

/* The "extra" padding: its length brings current_size to avg on average
 * (uniform within +-20%). Returns the length written to out. */
static int next_extra(eddy_rng *r, int current_size, int avg, char *out)
{
    if (current_size > avg) {
        return 0;
    }
    avg -= current_size;
    int delta = (int)lround(avg * 0.2);
    int size = avg - delta + (delta == 0 ? 0 : rand_int(r, 2 * delta));
    next_exact_string(r, size, out);
    return size;
}

static int64_t next_price(eddy_rng *r)
{
    return llround(pow(10.0, eddy_rng_unit(r) * 6.0) * 100.0);
}

static int64_t last_person_id(int64_t id)
{
    int64_t epoch = id / TOTAL_PROPORTION;
    int64_t offset = id % TOTAL_PROPORTION;
    if (offset >= PERSON_PROPORTION) {
        offset = PERSON_PROPORTION - 1;
    }
    return epoch * PERSON_PROPORTION + offset;
}

static int64_t last_auction_id(int64_t id)
{
    int64_t epoch = id / TOTAL_PROPORTION;
    int64_t offset = id % TOTAL_PROPORTION;
    if (offset < PERSON_PROPORTION) {
        epoch--;
        offset = AUCTION_PROPORTION - 1;
    } else if (offset >= PERSON_PROPORTION + AUCTION_PROPORTION) {
        offset = AUCTION_PROPORTION - 1;
    } else {
        offset -= PERSON_PROPORTION;
    }
    return epoch * AUCTION_PROPORTION + offset;
}

/* A random existing person among the active ones, plus a few ahead. */
static int64_t next_person_id(eddy_rng *r, int64_t id)
{
    int64_t people = last_person_id(id) + 1;
    int64_t active = people < NUM_ACTIVE_PEOPLE ? people : NUM_ACTIVE_PEOPLE;
    int64_t n = (int64_t)eddy_rng_below(r, (uint64_t)(active + PERSON_ID_LEAD));
    return people - active + n;
}

/* A random auction among those likely still in flight, plus a few ahead. */
static int64_t next_auction_id(eddy_rng *r, int64_t id)
{
    int64_t max = last_auction_id(id);
    int64_t min = max - NUM_IN_FLIGHT_AUCTIONS > 0 ? max - NUM_IN_FLIGHT_AUCTIONS : 0;
    return min + (int64_t)eddy_rng_below(r, (uint64_t)(max - min + 1 + AUCTION_ID_LEAD));
}

/* "https://www.nexmark.com/abc/de_f/ghi/item.htm?query=1" */
static size_t base_url(eddy_rng *r, char *out, size_t outlen)
{
    char a[8], b[8], c[8];
    size_t na = next_string(r, 5, '_', a);
    size_t nb = next_string(r, 5, '_', b);
    size_t nc = next_string(r, 5, '_', c);
    int n = snprintf(out, outlen, "https://www.nexmark.com/%.*s/%.*s/%.*s/item.htm?query=1",
                     (int)na, a, (int)nb, b, (int)nc, c);
    return n < 0 ? 0 : (size_t)n < outlen ? (size_t)n : outlen - 1;
}

static uint32_t bit_reverse32(uint32_t v)
{
    uint32_t r = 0;
    for (int i = 0; i < 32; i++) {
        r = (r << 1) | (v & 1);
        v >>= 1;
    }
    return r;
}

static eddy_rng event_rng(const eddy_nexmark *nx, uint64_t stream, int64_t n)
{
    eddy_rng r;
    eddy_rng_seed(&r, eddy_mix64(nx->seed + stream) ^ ((uint64_t)n * 0xd1b54a32d192ed03ull));
    return r;
}

void eddy_nexmark_init(eddy_nexmark *nx, uint64_t seed, double event_rate)
{
    memset(nx, 0, sizeof *nx);
    nx->seed = seed;
    nx->inter_event_us = 1e6 / (event_rate > 0 ? event_rate : 10000.0);
    for (int i = 0; i < COUNT(hot_channels); i++) {
        eddy_rng r = event_rng(nx, 1, i);
        base_url(&r, nx->hot_urls[i], sizeof nx->hot_urls[i]);
    }
}

int eddy_nexmark_type(int64_t id)
{
    int64_t rem = id % TOTAL_PROPORTION;
    if (rem < PERSON_PROPORTION) {
        return EDDY_NEXMARK_PERSON;
    }
    if (rem < PERSON_PROPORTION + AUCTION_PROPORTION) {
        return EDDY_NEXMARK_AUCTION;
    }
    return EDDY_NEXMARK_BID;
}

static void person(eddy_rng *r, int64_t id, int64_t ts, sb *b)
{
    const char *first = first_names[rand_int(r, COUNT(first_names))];
    const char *last = last_names[rand_int(r, COUNT(last_names))];
    char name[32];
    int name_len = snprintf(name, sizeof name, "%s %s", first, last);
    char user[8], domain[8];
    size_t nu = next_string(r, 7, ' ', user);
    size_t nd = next_string(r, 5, ' ', domain);
    char email[32];
    int email_len = snprintf(email, sizeof email, "%.*s@%.*s.com", (int)nu, user, (int)nd, domain);
    char card[24];
    int card_len = snprintf(card, sizeof card, "%04d %04d %04d %04d", rand_int(r, 10000),
                            rand_int(r, 10000), rand_int(r, 10000), rand_int(r, 10000));
    const char *city = us_cities[rand_int(r, COUNT(us_cities))];
    const char *state = us_states[rand_int(r, COUNT(us_states))];
    int size = 8 + name_len + email_len + card_len + (int)strlen(city) + (int)strlen(state);
    char extra[AVG_PERSON_BYTES * 2];
    int extra_len = next_extra(r, size, AVG_PERSON_BYTES, extra);

    put_lit(b, "\"person\":{");
    put_name(b, "id", 1);
    put_i64(b, last_person_id(id) + FIRST_PERSON_ID);
    put_name(b, "name", 0);
    put_str(b, name, (size_t)name_len);
    put_name(b, "emailAddress", 0);
    put_str(b, email, (size_t)email_len);
    put_name(b, "creditCard", 0);
    put_str(b, card, (size_t)card_len);
    put_name(b, "city", 0);
    put_str(b, city, strlen(city));
    put_name(b, "state", 0);
    put_str(b, state, strlen(state));
    put_name(b, "dateTime", 0);
    put_time(b, ts);
    put_name(b, "extra", 0);
    put_str(b, extra, (size_t)extra_len);
    put_lit(b, "}");
}

static void auction(const eddy_nexmark *nx, eddy_rng *r, int64_t id, int64_t ts, sb *b)
{
    int64_t seller;
    if (rand_int(r, HOT_SELLERS_RATIO) > 0) {
        seller = (last_person_id(id) / HOT_SELLER_BATCH) * HOT_SELLER_BATCH;
    } else {
        seller = next_person_id(r, id);
    }
    seller += FIRST_PERSON_ID;
    int64_t category = FIRST_CATEGORY_ID + rand_int(r, NUM_CATEGORIES);
    int64_t initial_bid = next_price(r);
    /* Expire on average when NUM_IN_FLIGHT_AUCTIONS more auctions exist. */
    int64_t events_ahead = (int64_t)NUM_IN_FLIGHT_AUCTIONS * TOTAL_PROPORTION / AUCTION_PROPORTION;
    int64_t horizon_ms = (int64_t)(events_ahead * nx->inter_event_us / 1000.0);
    int64_t span = horizon_ms * 2 > 1 ? horizon_ms * 2 : 1;
    int64_t expires = ts + 1 + (int64_t)eddy_rng_below(r, (uint64_t)span);
    char item[24], desc[104];
    size_t item_len = next_string(r, 20, ' ', item);
    size_t desc_len = next_string(r, 100, ' ', desc);
    int64_t reserve = initial_bid + next_price(r);
    int size = 8 + (int)item_len + (int)desc_len + 8 + 8 + 8 + 8 + 8;
    char extra[AVG_AUCTION_BYTES * 2];
    int extra_len = next_extra(r, size, AVG_AUCTION_BYTES, extra);

    put_lit(b, "\"auction\":{");
    put_name(b, "id", 1);
    put_i64(b, last_auction_id(id) + FIRST_AUCTION_ID);
    put_name(b, "itemName", 0);
    put_str(b, item, item_len);
    put_name(b, "description", 0);
    put_str(b, desc, desc_len);
    put_name(b, "initialBid", 0);
    put_i64(b, initial_bid);
    put_name(b, "reserve", 0);
    put_i64(b, reserve);
    put_name(b, "dateTime", 0);
    put_time(b, ts);
    put_name(b, "expires", 0);
    put_time(b, expires);
    put_name(b, "seller", 0);
    put_i64(b, seller);
    put_name(b, "category", 0);
    put_i64(b, category);
    put_name(b, "extra", 0);
    put_str(b, extra, (size_t)extra_len);
    put_lit(b, "}");
}

static void bid(const eddy_nexmark *nx, eddy_rng *r, int64_t id, int64_t ts, sb *b)
{
    int64_t auction_id;
    if (rand_int(r, HOT_AUCTION_RATIO) > 0) {
        auction_id = (last_auction_id(id) / HOT_AUCTION_BATCH) * HOT_AUCTION_BATCH;
    } else {
        auction_id = next_auction_id(r, id);
    }
    auction_id += FIRST_AUCTION_ID;
    int64_t bidder;
    if (rand_int(r, HOT_BIDDERS_RATIO) > 0) {
        /* The second person of the batch, so hot bidders and sellers differ. */
        bidder = (last_person_id(id) / HOT_BIDDER_BATCH) * HOT_BIDDER_BATCH + 1;
    } else {
        bidder = next_person_id(r, id);
    }
    bidder += FIRST_PERSON_ID;
    int64_t price = next_price(r);
    char channel[24], url[160];
    size_t channel_len, url_len;
    if (rand_int(r, 2) > 0) {
        int i = rand_int(r, COUNT(hot_channels));
        channel_len = strlen(hot_channels[i]);
        memcpy(channel, hot_channels[i], channel_len);
        url_len = strlen(nx->hot_urls[i]);
        memcpy(url, nx->hot_urls[i], url_len);
    } else {
        int n = rand_int(r, CHANNELS_NUMBER);
        channel_len = (size_t)snprintf(channel, sizeof channel, "channel-%d", n);
        /* A channel always has the same URL: its own random stream. */
        eddy_rng cr = event_rng(nx, 2, n);
        url_len = base_url(&cr, url, sizeof url);
        if (rand_int(&cr, 10) > 0) {
            /* Java's Math.abs(Integer.reverse(n)), INT_MIN staying negative. */
            int64_t rev = (int32_t)bit_reverse32((uint32_t)n);
            if (rev < 0 && rev != INT32_MIN) {
                rev = -rev;
            }
            url_len += (size_t)snprintf(url + url_len, sizeof url - url_len, "&channel_id=%lld",
                                        (long long)rev);
        }
    }
    int size = 8 + 8 + 8 + 8;
    char extra[AVG_BID_BYTES * 2];
    int extra_len = next_extra(r, size, AVG_BID_BYTES, extra);

    put_lit(b, "\"bid\":{");
    put_name(b, "auction", 1);
    put_i64(b, auction_id);
    put_name(b, "bidder", 0);
    put_i64(b, bidder);
    put_name(b, "price", 0);
    put_i64(b, price);
    put_name(b, "channel", 0);
    put_str(b, channel, channel_len);
    put_name(b, "url", 0);
    put_str(b, url, url_len);
    put_name(b, "dateTime", 0);
    put_time(b, ts);
    put_name(b, "extra", 0);
    put_str(b, extra, (size_t)extra_len);
    put_lit(b, "}");
}

size_t eddy_nexmark_next(eddy_nexmark *nx, int64_t ts_ms, char *out, size_t outlen, int *type)
{
    int64_t id = nx->next_id++;
    int t = eddy_nexmark_type(id);
    if (type) {
        *type = t;
    }
    if (outlen < EDDY_NEXMARK_VALUE_MAX) {
        return 0;
    }
    eddy_rng r = event_rng(nx, 0, id);
    sb b = {out, out + outlen, 1};
    put_lit(&b, "{\"event_type\":");
    put_i64(&b, t);
    put_name(&b, "dateTime", 0);
    put_time(&b, ts_ms);
    put(&b, ",", 1);
    if (t == EDDY_NEXMARK_PERSON) {
        person(&r, id, ts_ms, &b);
    } else if (t == EDDY_NEXMARK_AUCTION) {
        auction(nx, &r, id, ts_ms, &b);
    } else {
        bid(nx, &r, id, ts_ms, &b);
    }
    put(&b, "}", 1);
    if (!b.ok) {
        return 0;
    }
    *b.p = '\0';
    return (size_t)(b.p - out);
}
