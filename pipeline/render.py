"""The HTML view of one record: `render_html(original, record)`. The page itself lives in the review room
(`pipeline/review/page.py`); this name stays for `zhnews show` and for callers of the first version."""

from pipeline.review.page import render_html

__all__ = ["render_html"]
