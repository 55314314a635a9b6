-- Nexmark q2: selection (every 123rd auction). Flink:
--   SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0;
SELECT bid.auction AS auction, bid.price AS price
FROM nexmark TIMESTAMP BY dateTime
WHERE event_type = 2 AND bid.auction % 123 = 0
