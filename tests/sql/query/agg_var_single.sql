-- sample variance of one value is null, population variance 0
SELECT VAR(amount) AS v, VARP(amount) AS vp, STDEV(amount) AS s, STDEVP(amount) AS sp FROM 'orders.jsonl' WHERE orderId = 100
/* expect:
{"v":null,"vp":0.0,"s":null,"sp":0.0}
*/
