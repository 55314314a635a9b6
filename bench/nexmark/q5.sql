-- Nexmark q5: hot items (bids per auction in 10 s windows sliding by 2 s; the
-- auctions with the most). Flink's HOP(2 s, 10 s) is HoppingWindow(second, 10, 2).
-- ASA has no window_start/window_end columns: a window's rows carry its end as
-- their event time (System.Timestamp()), so the max per window is a snapshot
-- window (GROUP BY System.Timestamp()) and the join matches equal times.
WITH
B AS (
    SELECT bid.auction AS auction
    FROM nexmark TIMESTAMP BY dateTime
    WHERE event_type = 2
),
AuctionBids AS (
    SELECT auction, COUNT(*) AS num, System.Timestamp() AS endtime
    FROM B
    GROUP BY auction, HoppingWindow(second, 10, 2)
),
MaxBids AS (
    SELECT MAX(num) AS maxn, System.Timestamp() AS endtime
    FROM AuctionBids
    GROUP BY System.Timestamp()
)
SELECT AuctionBids.auction AS auction, AuctionBids.num AS num
FROM AuctionBids JOIN MaxBids
  ON AuctionBids.endtime = MaxBids.endtime
 AND DATEDIFF(millisecond, AuctionBids, MaxBids) BETWEEN 0 AND 0
WHERE AuctionBids.num >= MaxBids.maxn
