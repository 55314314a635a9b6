-- an invalid regular expression
SELECT REGEXMATCH('a', '(') AS m
/* expect error:
error: invalid regular expression: Unmatched ( or \( at line 2, column 24
  2 | SELECT REGEXMATCH('a', '(') AS m
    |                        ^~~
*/
