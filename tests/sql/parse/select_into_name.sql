-- INTO an output name
SELECT * INTO [alerts output] FROM input
-- expect:
SELECT *
INTO [alerts output]
FROM input
