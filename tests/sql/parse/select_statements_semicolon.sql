-- several statements separated by ;
SELECT a INTO o1 FROM i;
SELECT b INTO o2 FROM i;
-- expect:
SELECT a
INTO o1
FROM i;
SELECT b
INTO o2
FROM i
