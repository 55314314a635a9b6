-- strings: '' is a quote; N'' prefix; empty string
SELECT 'it''s', N'unicode', n'lower n', '', '''' FROM t
-- expect:
SELECT 'it''s', 'unicode', 'lower n', '', ''''
FROM t
