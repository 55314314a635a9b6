-- stray semicolons around a statement
;; SELECT 1 ;;
-- expect:
SELECT 1
