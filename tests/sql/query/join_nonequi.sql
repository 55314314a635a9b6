-- a join without equality conjuncts (a nested loop)
SELECT o.orderId, d.deviceId FROM 'orders.jsonl' o JOIN 'devices.csv' d ON o.amount * 10 > d.capacity AND d.capacity > 140
/* expect:
{"orderId":101,"deviceId":"dev-2"}
{"orderId":101,"deviceId":"dev-3"}
{"orderId":103,"deviceId":"dev-2"}
{"orderId":103,"deviceId":"dev-3"}
*/
