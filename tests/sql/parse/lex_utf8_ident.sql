-- non-ASCII names are names (printed bracketed)
SELECT température, δ AS [Δ] FROM données
-- expect:
SELECT [température], [δ] AS [Δ]
FROM [données]
