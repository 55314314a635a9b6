-- several statements without ;, as in ASA jobs
SELECT a INTO o1 FROM i
SELECT b INTO o2 FROM i
SELECT c INTO o3 FROM i
-- expect:
SELECT a
INTO o1
FROM i;
SELECT b
INTO o2
FROM i;
SELECT c
INTO o3
FROM i
