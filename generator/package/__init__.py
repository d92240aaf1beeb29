"""Stage 6, package: the corpus as a Frictionless data package, a workbook and downloads.

``schema``/``resources`` describe the tables (from the format definitions),
``tables`` turns a corpus into rows, ``parts`` formats one report's rows
(CSV lines, workbook rows, its own CSV/JSON), ``cache`` keeps those parts by
content under ``.cache/gongkai/package``, ``stream`` writes every output in
one pass, ``write`` writes CSV and ``datapackage.json``, ``check`` validates
with frictionless (in full, or only the rows not validated before) and
compares with a committed copy, ``read`` rebuilds report tables from the
CSVs, ``excel``/``sheetxml`` write the workbook, ``site`` the downloads for
the site.
"""
