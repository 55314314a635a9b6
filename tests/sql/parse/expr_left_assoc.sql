-- operators of one level group left to right
SELECT a - b - c, a / b / c, a + b + c + d
-- expect:
SELECT ((a - b) - c), ((a / b) / c), (((a + b) + c) + d)
