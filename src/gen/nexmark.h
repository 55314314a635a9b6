/* The Nexmark generator: the online-auction event stream of the Nexmark
 * benchmark (nexmark/nexmark, the model Flink, RisingWave and others run),
 * as JSON lines.
 *
 * Event ids 0, 1, 2, ... cycle through 50: id % 50 == 0 is a Person, 1..3
 * are Auctions, 4..49 Bids, so every 50 events hold exactly the standard
 * 1:3:46 mix. Ids, foreign keys and hot spots follow the reference model:
 * persons and auctions from 1000, categories 10..14, 1000 active people, 100
 * auctions in flight, hot auctions (ratio 2), hot sellers and bidders
 * (ratio 4), an "extra" string padding each kind to the model's average
 * size (Person 200, Auction 500, Bid 100 bytes of fields), and bid channels
 * where half the bids come from Google, Facebook, Baidu or Apple. Each event
 * draws from its own random stream seeded by (seed, event id), so a seed
 * gives the same events and any event can be made on its own.
 *
 * The JSON (one object per event, field names as in the Nexmark DDL):
 *   {"event_type":2,"dateTime":"2026-11-24T20:00:00.123Z",
 *    "bid":{"auction":1000,"bidder":1001,"price":1234,"channel":"Google",
 *           "url":"https://www.nexmark.com/...","dateTime":"...","extra":"..."}}
 * event_type is 0 (person), 1 (auction) or 2 (bid); the top-level dateTime
 * repeats the event time so a mixed stream has one time field. Not
 * thread-safe. */
#ifndef EDDY_GEN_NEXMARK_H
#define EDDY_GEN_NEXMARK_H

#include <stddef.h>
#include <stdint.h>

#define EDDY_NEXMARK_PERSON  0
#define EDDY_NEXMARK_AUCTION 1
#define EDDY_NEXMARK_BID     2

/* Largest event eddy_nexmark_next() writes, with the NUL. */
#define EDDY_NEXMARK_VALUE_MAX 2048

typedef struct eddy_nexmark {
    uint64_t seed;
    int64_t next_id;       /* id of the next event */
    double inter_event_us; /* event-time spacing of the model (auction expiry) */
    char hot_urls[4][96];
} eddy_nexmark;

/* Sets up the generator. event_rate is the model's events per second of
 * event time (the reference default is 10,000); it sets how far in the
 * future auctions expire. */
void eddy_nexmark_init(eddy_nexmark *nx, uint64_t seed, double event_rate);

/* The kind of event id (EDDY_NEXMARK_PERSON, _AUCTION or _BID). */
int eddy_nexmark_type(int64_t id);

/* Writes the next event with event time ts_ms into out (NUL-terminated) and
 * its kind into *type (may be NULL). Returns the length, or 0 when out is
 * smaller than EDDY_NEXMARK_VALUE_MAX. */
size_t eddy_nexmark_next(eddy_nexmark *nx, int64_t ts_ms, char *out, size_t outlen, int *type);

#endif
