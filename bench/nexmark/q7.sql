-- Nexmark q7: highest bid in each 10 s tumbling window. Flink joins the bids
-- with the window's MAX(price) on price and B.dateTime BETWEEN window_end - 10 s
-- AND window_end; ASA windows are (end - 10 s, end], and the join's time bound
-- is the window: the bid comes at most 10 s before the window's row.
WITH
B AS (
    SELECT bid.auction AS auction, bid.price AS price, bid.bidder AS bidder,
           CAST(bid.dateTime AS datetime) AS dateTime, bid.extra AS extra
    FROM nexmark TIMESTAMP BY dateTime
    WHERE event_type = 2
),
B1 AS (
    SELECT MAX(price) AS maxprice, System.Timestamp() AS dateTime
    FROM B
    GROUP BY TumblingWindow(second, 10)
)
SELECT B.auction AS auction, B.price AS price, B.bidder AS bidder,
       B.dateTime AS dateTime, B.extra AS extra
FROM B JOIN B1
  ON B.price = B1.maxprice AND DATEDIFF(millisecond, B, B1) BETWEEN 0 AND 10000
WHERE B.dateTime > DATEADD(second, -10, B1.dateTime) AND B.dateTime <= B1.dateTime
