-- Nexmark q4: average closing price per category (join + two-level
-- aggregation). Flink keeps an updating MAX per auction and an updating AVG
-- over it; here both are aggregates over the whole input (their final values).
-- The join needs a time bound in ASA: an auction expires at most 334 ms after
-- it opens (generator at 10,000 events/s), so bids within 1 s, then the exact
-- test against expires.
WITH
A AS (
    SELECT auction.id AS id, auction.category AS category,
           CAST(auction.dateTime AS datetime) AS opened,
           CAST(auction.expires AS datetime) AS expires
    FROM nexmark TIMESTAMP BY dateTime
    WHERE event_type = 1
),
B AS (
    SELECT bid.auction AS auction, bid.price AS price, CAST(bid.dateTime AS datetime) AS at
    FROM nexmark TIMESTAMP BY dateTime
    WHERE event_type = 2
),
Q AS (
    SELECT A.id AS id, A.category AS category, MAX(B.price) AS final
    FROM A JOIN B
      ON A.id = B.auction AND DATEDIFF(second, A, B) BETWEEN 0 AND 1
    WHERE B.at BETWEEN A.opened AND A.expires
    GROUP BY A.id, A.category
)
SELECT category, AVG(final) AS avg_final
FROM Q
GROUP BY category
