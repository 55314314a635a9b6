-- read_avro
SELECT * FROM READ_AVRO('capture/*.avro')
-- expect:
SELECT *
FROM read_avro('capture/*.avro')
