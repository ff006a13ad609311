"""Where sanctionsnet keeps its data."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

HOME_ENV = "SANCTIONSNET_HOME"


def home_dir() -> Path:
    """The store location: `$SANCTIONSNET_HOME`, else the user's data directory."""
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    return Path(user_data_dir("sanctionsnet", appauthor=False))
