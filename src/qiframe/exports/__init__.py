"""Documents qiframe writes from an evaluation: the Excel evidence matrix, the position statement, reports."""
