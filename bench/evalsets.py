"""Loaders for the evaluation sets in ../shared/data/eval, and the ground truth we derive.

One module for both `quality.py` and `speed.py`, so that the queries timed are the queries
scored, and the protocols (which rows, which seed, what counts as found) live in one place.

Ground truth of the UN positives (yente_positives_un_{treated,untreated}.csv, same row order):
the untreated row is what yente generated from the UN-listed person; the treated row is the
same person with its name perturbed (and sometimes its birth date shifted or made invalid).
A row's expected entities are the UN records (in the UN version we index) that have a name or
alias equal to the untreated full name after `norm_name`, and a birth date compatible with the
untreated one (one is a prefix of the other, e.g. "1965" and "1965-03-02"; no date on either
side is compatible). Rows with no such record are unmapped (persons delisted since the file was
made) and left out. A query counts as found first when its top result above the threshold is
an expected entity, or is any record with a name made of the same tokens as the untreated name
after `norm_name`, in any order (`name_key`: OFAC and the UK write "RIFKI, Taufik" for the UN's
"TAUFIK RIFKI"): the same person as listed by OFAC, the UK or the CSL. When several results
share the top score, the query counts as found first if any of them qualifies (a tie between
the UN entry and its OFAC twin is not a miss); how many were found that way is reported.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from normality import normalize

EVAL = "eval"
UN_TREATED = "yente_positives_un_treated.csv"
UN_UNTREATED = "yente_positives_un_untreated.csv"
CONGRESS = "yente_positives_us_congress_untreated.csv"
NEG_GLOBAL = "yente_validation_negatives_global.csv"
NEG_US = "yente_validation_negatives_us.csv"
NEG_50K = "yente_negatives_global_50k.csv"
WATCHMAN_PAIRS = "moov-watchman_cross_script_pairs.csv"
WATCHMAN_CASES = "watchman-java_ofac_screening_test_cases.csv"
OFAC_FIXTURE = "nomenklatura_ofac_search_fixtures.csv"
RIGOUR_NAMES = "rigour_sample_names.csv"
WIKIDATA_DIR = "NETransliteration_wikidata"

#: Wikidata transliteration files: script label -> file stem (Japanese is katakana).
WIKIDATA_SCRIPTS: dict[str, str] = {
    "russian": "wd_russian_20.tsv",
    "korean": "wd_korean_20.tsv",
    "chinese": "wd_chinese_20.tsv",
    "arabic": "wd_arabic_20.tsv",
    "hebrew": "wd_hebrew_20.tsv",
    "japanese": "wd_katakana_20.tsv",
}

# --- persons (yente fixtures) ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One row of a yente person fixture (queries: positives or negatives)."""

    line: int  # 1-based line of the row in its file, header is line 1
    full_name: str
    first_name: str
    middle_name: str
    last_name: str
    gender: str
    date_of_birth: str
    place_of_birth: str
    nationality: str


def load_persons(path: Path) -> list[PersonRow]:
    """All rows of a yente person CSV, in file order."""
    rows: list[PersonRow] = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            rows.append(
                PersonRow(
                    line=reader.line_num,
                    full_name=(row.get("full_name") or "").strip(),
                    first_name=(row.get("first_name") or "").strip(),
                    middle_name=(row.get("middle_name") or "").strip(),
                    last_name=(row.get("last_name") or "").strip(),
                    gender=(row.get("gender") or "").strip(),
                    date_of_birth=(row.get("date_of_birth") or "").strip(),
                    place_of_birth=(row.get("place_of_birth") or "").strip(),
                    nationality=(row.get("nationality") or "").strip(),
                )
            )
    return rows


def eval_dir(data: Path) -> Path:
    return data / EVAL


def un_positives(data: Path) -> list[tuple[PersonRow, PersonRow]]:
    """(treated, untreated) pairs; the two files hold the same persons in the same order."""
    treated = load_persons(eval_dir(data) / UN_TREATED)
    untreated = load_persons(eval_dir(data) / UN_UNTREATED)
    if len(treated) != len(untreated):
        raise ValueError(f"{UN_TREATED} has {len(treated)} rows, {UN_UNTREATED} {len(untreated)}")
    return list(zip(treated, untreated, strict=True))


def validation_negatives(data: Path) -> dict[str, list[PersonRow]]:
    """The 2,000 validation negatives: 1,000 global and 1,000 US-style persons."""
    return {
        "global": load_persons(eval_dir(data) / NEG_GLOBAL),
        "us": load_persons(eval_dir(data) / NEG_US),
    }


def negatives_50k(data: Path) -> list[PersonRow]:
    return load_persons(eval_dir(data) / NEG_50K)


def congress(data: Path) -> list[PersonRow]:
    return load_persons(eval_dir(data) / CONGRESS)


def sample_rows(rows: Sequence[PersonRow], n: int | None, seed: int = 0) -> list[PersonRow]:
    """A fixed-seed sample of `n` rows in file order (all rows when n is None or too big)."""
    if n is None or n >= len(rows):
        return list(rows)
    picked = sorted(random.Random(seed).sample(range(len(rows)), n))
    return [rows[i] for i in picked]


# --- ground truth of the UN positives ------------------------------------------------


@lru_cache(maxsize=65536)
def norm_name(name: str) -> str:
    """Case, diacritics, punctuation and spacing removed (normality, ASCII); order kept."""
    return normalize(name, ascii=True) or ""


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """`norm_name` with its tokens sorted: the same name whatever the order of its parts."""
    return " ".join(sorted(norm_name(name).split()))


def dates_compatible(row_date: str, listed: Iterable[str]) -> bool:
    """No date on either side, or one date a prefix of the other (year vs full date)."""
    listed = [d for d in listed if d]
    if not row_date or not listed:
        return True
    return any(d.startswith(row_date) or row_date.startswith(d) for d in listed)


@dataclass(frozen=True, slots=True)
class Listed:
    """What the ground-truth rules need from a listed party, for ours and the peer alike."""

    id: str
    names: tuple[str, ...]
    birth_dates: tuple[str, ...] = ()


def map_un_positives(
    untreated: Sequence[PersonRow], un_listed: Sequence[Listed]
) -> list[frozenset[str]]:
    """Per row, the ids of the UN entries it was made from (empty when unmapped)."""
    by_name: dict[str, list[Listed]] = {}
    for entry in un_listed:
        for key in {norm_name(n) for n in entry.names}:
            by_name.setdefault(key, []).append(entry)
    out: list[frozenset[str]] = []
    for row in untreated:
        found = [
            e.id
            for e in by_name.get(norm_name(row.full_name), ())
            if dates_compatible(row.date_of_birth, e.birth_dates)
        ]
        out.append(frozenset(found))
    return out


def found_first(top: Listed | None, expected: frozenset[str], untreated_name: str) -> str | None:
    """How a top result counts: 'un' (an expected UN entry), 'other' (a record with the
    untreated name, tokens in any order, on another list) or None (a miss, or no result)."""
    if top is None:
        return None
    if top.id in expected:
        return "un"
    key = name_key(untreated_name)
    if key and any(name_key(n) == key for n in top.names):
        return "other"
    return None


def found_among_tied(
    tied: Sequence[Listed], expected: frozenset[str], untreated_name: str
) -> tuple[str | None, int | None]:
    """`found_first` over the results that share the top score (best first): how it counts,
    and the position of the first that qualifies ('un' preferred over 'other')."""
    verdicts = [found_first(t, expected, untreated_name) for t in tied]
    for wanted in ("un", "other"):
        if wanted in verdicts:
            return wanted, verdicts.index(wanted)
    return None, None


# --- Wikidata transliteration pairs -------------------------------------------------


def read_wikidata(path: Path) -> list[tuple[str, str]]:
    """(Latin token, native token) rows; the native characters are space-separated in the file."""
    rows: list[tuple[str, str]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(record) >= 2 and record[0].strip() and record[1].strip():
                rows.append((record[0].strip(), record[1].replace(" ", "")))
    return rows


def wikidata_pairs(
    rows: Sequence[tuple[str, str]], n: int = 500, seed: int = 0
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """500 positives sampled with `random.Random(seed)`, and 500 negatives.

    Negative i pairs the Latin token of sampled row i with the native token of the next
    sampled row (i + 1, wrapping), as the peer's figures in the issue were made; when that
    row's native token is the same as row i's (two spellings of one name), or its Latin token
    is the same, the row after it is taken, so that a negative is never a true pair.
    """
    sample = random.Random(seed).sample(list(rows), min(n, len(rows)))
    count = len(sample)
    negatives: list[tuple[str, str]] = []
    for i, (latin, native) in enumerate(sample):
        for step in range(1, count):
            other_latin, other_native = sample[(i + step) % count]
            if other_native != native and other_latin.casefold() != latin.casefold():
                negatives.append((latin, other_native))
                break
    return list(sample), negatives


def wikidata(data: Path, n: int = 500, seed: int = 0) -> dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]]:  # fmt: skip
    """Per script label: (positives, negatives)."""
    base = eval_dir(data) / WIKIDATA_DIR
    return {
        script: wikidata_pairs(read_wikidata(base / stem), n, seed)
        for script, stem in WIKIDATA_SCRIPTS.items()
    }


# --- Watchman, OFAC fixture, rigour names -------------------------------------------


@dataclass(frozen=True, slots=True)
class CrossScriptPair:
    query: str
    expected: str
    min_score: float  # as a fraction
    description: str


def parse_score(text: str) -> float:
    """'0.85' -> 0.85; '85' or '85%' -> 0.85 (a value above 1 is read as percent)."""
    text = text.strip()
    percent = text.endswith("%")
    value = float(text.rstrip("%").strip())
    return value / 100 if percent or value > 1 else value


def watchman_pairs(data: Path) -> list[CrossScriptPair]:
    """Watchman's cross-script pairs; '#' lines are comments, blank lines are skipped."""
    path = eval_dir(data) / WATCHMAN_PAIRS
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [ln for ln in handle if ln.strip() and not ln.lstrip().startswith("#")]
    out = []
    for record in csv.reader(lines):
        if len(record) < 3:
            continue
        description = record[3].strip() if len(record) > 3 else ""
        out.append(
            CrossScriptPair(
                record[0].strip(), record[1].strip(), parse_score(record[2]), description
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class ScreeningCase:
    test_id: str
    category: str
    field_name: str
    test_value: str
    expected_outcome: str  # must_alert, should_alert, may_alert, must_not_alert, context_dependent
    fuzzy_threshold: float  # as a fraction
    description: str

    @property
    def expects_alert(self) -> bool | None:
        """True (must/should alert), False (must not), None (may / context dependent)."""
        if self.expected_outcome in ("must_alert", "should_alert"):
            return True
        if self.expected_outcome == "must_not_alert":
            return False
        return None


def watchman_cases(data: Path) -> list[ScreeningCase]:
    path = eval_dir(data) / WATCHMAN_CASES
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            ScreeningCase(
                test_id=row["test_id"],
                category=row["category"],
                field_name=row["field_name"],
                test_value=row["test_value"],
                expected_outcome=row["expected_outcome"].strip(),
                fuzzy_threshold=parse_score(row["fuzzy_threshold"] or "0"),
                description=row["description"],
            )
            for row in csv.DictReader(handle)
        ]


def ofac_fixture(data: Path) -> list[tuple[str, str, int]]:
    """(query, listed name, OFAC score 0-100, or -1 where OFAC did not return the pair)."""
    path = eval_dir(data) / OFAC_FIXTURE
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (row["query_name"], row["result_name"], int(row["ofac_score"]))
            for row in csv.DictReader(handle)
        ]


def rigour_names(data: Path) -> list[str]:
    path = eval_dir(data) / RIGOUR_NAMES
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["name"] for row in csv.DictReader(handle) if row.get("name")]
