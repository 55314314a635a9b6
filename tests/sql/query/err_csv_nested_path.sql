-- a CSV has no nested fields
SELECT model.name FROM 'devices.csv'
/* expect error:
error: CSV has no nested fields: 'model.name' at line 2, column 24
  2 | SELECT model.name FROM 'devices.csv'
    |                        ^~~~~~~~~~~~~
*/
