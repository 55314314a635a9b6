-- simple CASE
SELECT CASE status WHEN 'ok' THEN 1 WHEN 'warn' THEN 2 END FROM x
-- expect:
SELECT CASE status WHEN 'ok' THEN 1 WHEN 'warn' THEN 2 END
FROM x
