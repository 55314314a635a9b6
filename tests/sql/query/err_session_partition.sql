-- SessionWindow's PARTITION BY must be a GROUP BY key
SELECT COUNT(*) AS n FROM 'clicks.jsonl' TIMESTAMP BY ts GROUP BY SessionWindow(second, 10, 60) OVER (PARTITION BY user)
/* expect error:
error: SessionWindow's PARTITION BY must name GROUP BY keys at line 2, column 116
  2 | SELECT COUNT(*) AS n FROM 'clicks.jsonl' TIMESTAMP BY ts GROUP BY SessionWindow(second, 10, 60) OVER (PARTITION BY user)
    |                                                                                                                    ^~~~
*/
