"""Importing the commune's spreadsheets, in layers.

`reading` turns an uploaded file into numbered rows (or one clear file-level error); `tcvn3` converts
names typed in the legacy TCVN3 (ABC) encoding. Nothing here touches the database.
"""
