"""Importing the commune's spreadsheets, in layers.

`reading` turns an uploaded file into numbered rows (or one clear file-level error; `tcvn3` converts
names typed in the legacy TCVN3 encoding); `values` reads one cell; `engine` checks a whole file
against the database and writes it in bulk, with one importer per list (`kinds/`, and
`plans.imports`, `assignments.imports`); `workbooks` makes the templates and the rejected rows;
`jobs` follows an upload from its check to its writing.
"""
