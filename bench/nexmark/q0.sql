-- Nexmark q0: pass-through (the source's and sink's overhead). Flink:
--   SELECT auction, bidder, price, dateTime, extra FROM bid;
SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price AS price,
       bid.dateTime AS dateTime, bid.extra AS extra
FROM nexmark TIMESTAMP BY dateTime
WHERE event_type = 2
