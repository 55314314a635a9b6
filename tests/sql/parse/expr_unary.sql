-- signs; a sign on a number folds into it
SELECT -a, +b, - -c, -(1), -(-2.5), +3, -0.0
-- expect:
SELECT (-a), (+b), (-(-c)), -1, 2.5, 3, -0.0
