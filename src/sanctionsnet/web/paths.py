"""Where the web interface lives in the URL space, so that middlewares can tell its paths apart.

The screening page is `/` itself; every other page, asset and form target is under
`/ui/`, so one prefix test says "this request is for the browser interface", which
checks its own login cookie and applies its own upload limit.
"""

from __future__ import annotations

PREFIX = "/ui"
STATIC = f"{PREFIX}/static"
LOGIN = f"{PREFIX}/login"


def is_ui_path(path: str) -> bool:
    """True for the pages, assets and forms of the web interface."""
    return path == "/" or path == PREFIX or path.startswith(PREFIX + "/")
