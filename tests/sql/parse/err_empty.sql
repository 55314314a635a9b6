-- an empty query

-- expect error:
error: empty query: expected SELECT or WITH at line 1, column 1
  1 | -- an empty query
    | ^
