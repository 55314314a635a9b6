-- a window over a file needs TIMESTAMP BY
SELECT COUNT(*) AS n FROM 'orders.jsonl' GROUP BY TumblingWindow(second, 10)
/* expect error:
error: TumblingWindow needs an event time: add TIMESTAMP BY to the input (a file has no event time of its own) at line 2, column 51
  2 | SELECT COUNT(*) AS n FROM 'orders.jsonl' GROUP BY TumblingWindow(second, 10)
    |                                                   ^~~~~~~~~~~~~~~~~~~~~~~~~~
*/
