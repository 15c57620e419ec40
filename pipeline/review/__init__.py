"""The review room: what people look at. `page` renders one record as an HTML page (the text with inline
labels, the item table, filters, warnings at their spans); `site` builds a static site from a folder, a
JSONL file of records or a database, with an index; `palette` holds the colours.

Nothing is imported here: the registry imports every room of the package at start-up, and the review
code is needed only by `zhnews show` and `zhnews review`.
"""
