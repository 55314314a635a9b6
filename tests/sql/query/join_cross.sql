-- CROSS JOIN pairs every row with every row
SELECT o.orderId, d.deviceId FROM 'orders.jsonl' o CROSS JOIN 'devices.csv' d WHERE o.orderId = 100 AND d.capacity >= 150
/* expect:
{"orderId":100,"deviceId":"dev-2"}
{"orderId":100,"deviceId":"dev-3"}
*/
