-- Nexmark q3: local item suggestion (join + filter). Flink joins auction and
-- person without a time bound (state kept forever); a stream-stream join in
-- ASA needs one: a seller is one of the last 1000 people (about 5 s of event
-- time at 10,000 events/s) or up to 10 people ahead, so the person comes at
-- most 10 s before and 1 s after the auction.
WITH
A AS (
    SELECT auction.id AS id, auction.seller AS seller, auction.category AS category
    FROM nexmark TIMESTAMP BY dateTime
    WHERE event_type = 1
),
P AS (
    SELECT person.id AS id, person.name AS name, person.city AS city, person.state AS state
    FROM nexmark TIMESTAMP BY dateTime
    WHERE event_type = 0
)
SELECT P.name AS name, P.city AS city, P.state AS state, A.id AS id
FROM A JOIN P
  ON A.seller = P.id AND DATEDIFF(second, P, A) BETWEEN -1 AND 10
WHERE A.category = 10 AND (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA')
