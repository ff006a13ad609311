"""A small book of FICTIONAL customers for the batch tests, and CSV helpers.

Every party below is FICTIONAL, written for these tests; the hits are the shipped
samples' fictional listed parties.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

BOOK_HEADER = ["id", "full_name", "date_of_birth", "nationality", "type", "imo"]
# (id, name, birth date, nationality, schema, IMO) -- FICTIONAL customers.
BOOK: list[list[str]] = [
    ["c1", "Ivan Testovich Fictionalov", "1970-05-12", "Russia", "Person", ""],
    ["c2", "Greta Nobody Example", "1980", "Sweden", "Person", ""],
    ["c3", "Fictional Test Trading LLC", "", "", "Company", ""],
    ["c4", "Some Harbour Vessel", "", "", "Vessel", "9876543"],
    ["c5", "Bad Country Person", "1970", "Narnia", "Person", ""],
    ["c6", "", "1970", "", "Person", ""],
    ["c7", "Hana Testova", "1973-02-03", "KP", "Person", ""],
    ["c8", "Bad Date Person", "not-a-date", "", "Person", ""],
    ["c9", "Fictional Test Trading LLC", "", "", "Company", ""],
    ["c10", "Pak Chol Sample", "1966-04-12", "", "person", ""],
    ["c11", "Quiet Harmless Bakery", "", "", "Company", ""],
    ["c12", "Ahmad Fictional Al-Example", "", "", "", ""],
    ["c13", "Someone", "", "", "Spaceship", ""],
    ["c14", "Ahmad Fictional Al-Example", "1976", "Yemen", "", ""],
]
#: Lines of the bad rows in the CSV book (header is line 1), and what their errors say.
BAD_LINES = {
    6: "unknown country 'Narnia'",
    7: "no name to screen",
    9: "not a date: 'not-a-date'",
    14: "unknown schema 'Spaceship'",
    15: "date_of_birth (birthDate) does not apply to a LegalEntity",
}


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))
