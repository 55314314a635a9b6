-- lake(glob) with an alias
SELECT * FROM lake('data/lake/**/*.avro') AS l
-- expect:
SELECT *
FROM lake('data/lake/**/*.avro') AS l
