"""The compiled screening kernel (setup.py, mypyc) and the sources give the same results,
and an edited source is never hidden behind an older compiled module."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from sanctionsnet import _kernel
from sanctionsnet.names.analyze import analyze_name

# Name pairs across scripts and shapes (fictional where not a textbook example).
_PAIRS = [
    ("Mohammed Ali Hassan", "Muhammad Ali Hasan"),
    ("Kim Jong Un", "김정은"),
    ("Xi Jinping", "习近平"),
    ("Dmitry Ivanov", "Дмитрий Иванов"),
    ("Abdurrahman Yusuf", "Abdul Rahman Yousef"),
    ("Olena Kovalenko", "Олена Коваленко"),
    ("Acme Shipping Ltd", "ACME Shipping Limited"),
    ("Wwilson Smith", "Wilson Smith"),
    ("Tanaka Hiroshi", "田中 浩"),
    ("Omar al-Farouq", "عمر الفاروق"),
    ("Innocnet Ltd", "Innocent Ltd"),
    ("John Smith", "Jon Smyth"),
]

_SCRIPT = """
import json, pickle, sys
from sanctionsnet._kernel import compiled_modules
from sanctionsnet.names.analyze import analyze_name
from sanctionsnet.names.translit import token_similarity
from sanctionsnet.names.phonetic import consonant_skeleton, spelling_code
from sanctionsnet.screen.names import compare_names
pairs = json.loads(sys.argv[1])
out = []
for a, b in pairs:
    c = compare_names(analyze_name(a, "Person"), analyze_name(b, "Person"))
    out.append([c.score, c.describe(), token_similarity(a.lower(), b.lower())])
    out.append([spelling_code(a), consonant_skeleton(b)])
names = [analyze_name(a, "Person") for a, _ in pairs]
print(json.dumps({
    "compiled": compiled_modules(), "results": out, "pickled": pickle.dumps(names).hex()
}))
"""


def _run(pure: bool) -> dict[str, object]:
    env = dict(os.environ)
    env.pop("SANCTIONSNET_PURE_PYTHON", None)
    if pure:
        env["SANCTIONSNET_PURE_PYTHON"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, json.dumps(_PAIRS)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_compiled_and_source_kernels_agree() -> None:
    source = _run(pure=True)
    assert source["compiled"] == []
    compiled = _run(pure=False)
    assert compiled["results"] == source["results"]
    # What one kernel pickles (an index cache, a Spark broadcast), the other loads.
    from_source = pickle.loads(bytes.fromhex(str(source["pickled"])))
    from_compiled = pickle.loads(bytes.fromhex(str(compiled["pickled"])))
    assert from_source == from_compiled == [analyze_name(a, "Person") for a, _ in _PAIRS]
    if _kernel.kernel_sources() and not _kernel.stale_sources():
        # A compiled build: the comparison above compared something.
        assert compiled["compiled"] == sorted(_kernel.kernel_sources())


def test_an_edited_source_is_imported_instead_of_the_compiled_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = Path(_kernel.__file__).parent / "screen" / "names.py"
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    manifest = tmp_path / "_kernel.json"
    monkeypatch.setattr(_kernel, "_MANIFEST", manifest)

    manifest.write_text(json.dumps({"sanctionsnet/screen/names.py": digest}))
    assert _kernel.stale_sources() == []
    manifest.write_text(json.dumps({"sanctionsnet/screen/names.py": "0" * 64}))
    assert _kernel.stale_sources() == ["sanctionsnet/screen/names.py"]

    before = list(sys.meta_path)
    try:
        with pytest.warns(UserWarning, match="predates edits to sanctionsnet/screen/names.py"):
            _kernel.choose_kernel()
        finder = sys.meta_path[0]
        assert finder not in before
        spec = finder.find_spec("sanctionsnet.screen.names", None)
        assert spec is not None and spec.origin == str(source)
        assert finder.find_spec("sanctionsnet.screen.query", None) is None
    finally:
        sys.meta_path[:] = before


def test_no_manifest_means_nothing_to_choose(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_kernel, "_MANIFEST", tmp_path / "missing.json")
    before = list(sys.meta_path)
    _kernel.choose_kernel()
    assert sys.meta_path == before
    assert _kernel.kernel_sources() == {}
