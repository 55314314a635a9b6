-- Nexmark q8: new users who opened an auction in the same 10 s tumbling window.
-- Flink joins on id = seller and equal window_start/window_end; here each
-- window's rows carry its end as event time (System.Timestamp()), so the join
-- matches equal ends with a zero time bound; starttime is end - 10 s.
WITH
P AS (
    SELECT person.id AS id, person.name AS name, System.Timestamp() AS endtime
    FROM nexmark TIMESTAMP BY dateTime
    WHERE event_type = 0
    GROUP BY person.id, person.name, TumblingWindow(second, 10)
),
A AS (
    SELECT auction.seller AS seller, System.Timestamp() AS endtime
    FROM nexmark TIMESTAMP BY dateTime
    WHERE event_type = 1
    GROUP BY auction.seller, TumblingWindow(second, 10)
)
SELECT P.id AS id, P.name AS name, DATEADD(second, -10, P.endtime) AS starttime
FROM P JOIN A
  ON P.id = A.seller AND P.endtime = A.endtime AND DATEDIFF(millisecond, P, A) BETWEEN 0 AND 0
