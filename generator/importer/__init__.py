"""The importer: raw report text (HTML, Word or PDF copy) -> draft YAML.

Stages, each its own module: ``text`` (reading, normalising), ``split``
(a website scrape -> documents at page noise), ``layouts`` (table layouts ->
cell rows), ``detect`` (format by the tables' columns), ``tables`` (rows ->
the format definition), ``sections`` (narrative), ``legacy`` (prose reports
and statistics tables), ``meta`` (title, year, dates, agency), ``report``
(one document -> YAML-ready data), ``writer`` (YAML text) and ``summary``.
"""
