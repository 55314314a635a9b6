-- SELECT without FROM gives one row
SELECT 1 AS one, 'x' AS s, 2.5 AS f, NULL AS n, TRUE AS t
/* expect:
{"one":1,"s":"x","f":2.5,"n":null,"t":true}
*/
