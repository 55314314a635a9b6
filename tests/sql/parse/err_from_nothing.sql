-- FROM with no input
SELECT a FROM WHERE a = 1
-- expect error:
error: expected an input: a name, a 'file' or a source such as lake('dir'), found WHERE at line 2, column 15
  2 | SELECT a FROM WHERE a = 1
    |               ^~~~~
