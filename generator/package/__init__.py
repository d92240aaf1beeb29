"""Stage 6, package: the corpus as a Frictionless data package, a workbook and downloads.

``schema``/``resources`` describe the tables (from the format definitions),
``tables`` turns a corpus into rows, ``write`` writes CSV and
``datapackage.json``, ``check`` validates with frictionless and compares
with a committed copy, ``read`` rebuilds report tables from the CSVs,
``excel`` writes the workbook, ``site`` the downloads for the site.
"""
