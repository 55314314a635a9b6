-- record and array functions
SELECT GetRecordPropertyValue(r, 'x'), GetArrayElement(arr, 0), GetArrayLength(arr) FROM t
-- expect:
SELECT GetRecordPropertyValue(r, 'x'), GetArrayElement(arr, 0), GetArrayLength(arr)
FROM t
