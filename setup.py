"""Build script: compiles the screening kernel with mypyc when it can.

The five modules below are where a screening spends its time (name analysis, phonetic
keys, transliteration, name comparison, scoring). mypyc compiles their type-annotated Python
to C, which makes screening about a quarter faster; the sources stay the reference and
work unchanged without it. ``SANCTIONSNET_PURE_PYTHON=1 pip install ...`` skips the
compilation, as does a machine without a C compiler (the extensions are optional).
The sources' hashes are written to ``sanctionsnet/_kernel.json`` so that an edited source
is never shadowed by an older compiled module (see ``sanctionsnet/_kernel.py``).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from setuptools import setup

KERNEL = (
    "sanctionsnet/names/analyze.py",
    "sanctionsnet/names/phonetic.py",
    "sanctionsnet/names/translit.py",
    "sanctionsnet/screen/names.py",
    "sanctionsnet/screen/scoring.py",
)
SRC = Path(__file__).parent / "src"
MANIFEST = SRC / "sanctionsnet" / "_kernel.json"


def _compiled_kernel() -> list:
    if os.environ.get("SANCTIONSNET_PURE_PYTHON") == "1":
        MANIFEST.unlink(missing_ok=True)
        return []
    from mypyc.build import mypycify

    sources = [str(SRC / path) for path in KERNEL]
    extensions = mypycify(["--config-file", "pyproject.toml", *sources], opt_level="3")
    for extension in extensions:
        extension.optional = True  # no compiler: the pure-Python sources serve
    hashes = {path: hashlib.sha256((SRC / path).read_bytes()).hexdigest() for path in KERNEL}
    MANIFEST.write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n")
    return extensions


setup(ext_modules=_compiled_kernel())
