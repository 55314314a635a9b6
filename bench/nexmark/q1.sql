-- Nexmark q1: currency conversion (dollars to euros). Flink:
--   SELECT auction, bidder, 0.908 * price AS price, dateTime, extra FROM bid;
SELECT bid.auction AS auction, bid.bidder AS bidder, 0.908 * bid.price AS price,
       bid.dateTime AS dateTime, bid.extra AS extra
FROM nexmark TIMESTAMP BY dateTime
WHERE event_type = 2
