"""Sample publications shipped with sanctionsnet, for the offline quick start.

Each sub-folder named after a source id holds one small publication in that
source's official format. Every entry in them is FICTIONAL: written for
sanctionsnet, not copied from any real list.
"""

from __future__ import annotations

from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent

# Import order: the order in which the quick start loads the samples.
SAMPLES: list[str] = [
    name
    for name in (
        "un_sc",
        "ofac_sdn",
        "ofac_cons",
        "eu_fsf",
        "uk_fcdo",
        "uk_ofsi",
        "us_csl",
    )
    if (SAMPLES_DIR / name).is_dir()
]


#: Publication dates of the samples whose formats carry none inside (legacy OFAC CSV, CSL),
#: so that the quick start gives the same versions on every machine.
SAMPLE_DATES: dict[str, str] = {
    "ofac_sdn": "2026-03-02",
    "ofac_cons": "2026-03-02",
    "us_csl": "2026-03-02",
}


def sample_paths(source_id: str) -> list[Path]:
    """Files of the sample publication for `source_id`."""
    folder = SAMPLES_DIR / source_id
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
