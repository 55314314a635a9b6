-- nested field paths
SELECT a.b.c, a.[b c].d, [x].y FROM t
-- expect:
SELECT a.b.c, a.[b c].d, x.y
FROM t
