-- _ matches one character, not one byte
SELECT id FROM 'strings.jsonl' WHERE s LIKE '_n_c_d_ ok'
/* expect:
{"id":3}
*/
