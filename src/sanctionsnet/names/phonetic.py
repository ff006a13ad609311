"""Phonetic codes and keys for romanised name tokens.

Romanisation systems disagree in predictable ways: they spell one sound with different letters
(``kh``/``h``/``x``, ``j``/``ch``/``zh``, ``ye``/``e``, ``-iy``/``-ii``/``-y``) and they disagree
about vowels far more than about consonants (Arabic and Hebrew script write few vowels,
Japanese and Korean add a vowel after every consonant). So a Latin token is reduced to

* a **spelling code** (`spelling_code`): one symbol per sound class, vowels reduced to three
  classes (``A`` = a, ``E`` = e/i/y, ``O`` = o/u/w), voicing ignored (k/g, t/d, p/b, s/z),
  runs of one symbol collapsed. Two Latin spellings of one name usually agree here:
  ``dmitry``/``dmitriy``/``dmitrii`` are ``TMETRE``, ``jong``/``chong``/``jeong``/``jung``
  are ``CONK``, ``sergeyevich``/``sergeevich`` are ``SERKEFEC``.
* a **phonetic code** (`phonetic_code`): the spelling code with the classes other scripts
  blur merged as well (f/v with b/p, r with l), for comparisons across scripts.
* a **consonant skeleton** (`consonant_skeleton`): the phonetic code without vowels, the
  sibilants merged (``sh``/``s``, ``j``/``z`` are confused across scripts). This is what
  survives a trip through a script that drops or adds vowels.
* a **phonetic key** (`phonetic_key`) for candidate retrieval: the skeleton without ``h``.
  The index looks candidates up by these keys, so the key errs towards collapsing (recall
  over precision); scoring (`translit.token_similarity`) restores precision.

`token_keys` gives the keys of every Latin variant of a token in any script, as the index
stores them; `neighbour_keys` adds the keys one consonant away for a fuzzier lookup.

All functions take and return plain ``str`` (or frozensets of them) and are cached: name
tokens repeat a lot across millions of screened rows and listed entities.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sanctionsnet.names.tokens import NameToken

__all__ = [
    "consonant_skeleton",
    "neighbour_keys",
    "phonetic_code",
    "phonetic_key",
    "spelling_code",
    "token_keys",
]

#: Sound classes of the spelling code. Consonants: P (b p), F (f v ph), T (t d th),
#: K (k g c q), H (h kh), S (s z ts c), C (sh ch zh j), L (l), R (r), M, N.
#: Vowels: A (a), E (e i y), O (o u w). The phonetic code merges F into P and R into L.
_VOWEL_CLASSES = frozenset("AEO")

# Multi-letter spellings first (the alternation is ordered longest first), then letters.
_SPELLINGS: dict[str, str] = {
    # palato-alveolars: Russian щ/ш/ж/ч, German sch/tsch, English j/ch, French/Serbian dj
    "shch": "C",
    "tsch": "C",
    "sch": "C",
    "tch": "C",
    "dzh": "C",
    "zh": "C",
    "sh": "C",
    "ch": "C",
    "dj": "C",
    "cz": "C",
    "sz": "S",
    "j": "C",
    # sibilants: German z, Slavic c, Japanese tsu
    "ts": "S",
    "tz": "S",
    "dz": "S",
    "ce": "SE",
    "ci": "SE",
    "cy": "SE",
    "ss": "S",
    "s": "S",
    "z": "S",
    # velars and h
    "ck": "K",
    "kh": "H",
    "gh": "K",
    "qu": "KO",
    "c": "K",
    "k": "K",
    "g": "K",
    "q": "K",
    "x": "KS",
    "h": "H",
    # labials and dentals
    "ph": "F",
    "b": "P",
    "p": "P",
    "f": "F",
    "v": "F",
    "th": "T",
    "t": "T",
    "d": "T",
    # liquids and nasals (Korean, Japanese and Chinese do not separate l and r)
    "rh": "R",
    "l": "L",
    "r": "R",
    "m": "M",
    "n": "N",
    # vowels: Korean eo/eu (MR o/u), French ou, English oo/ee
    "eo": "O",
    "eu": "O",
    "ou": "O",
    "a": "A",
    "e": "E",
    "i": "E",
    "y": "E",
    "o": "O",
    "u": "O",
    "w": "O",
}
# w (and wh) before a vowel at the start of the word or after a vowel is a consonant that other
# scripts write with their v letter (Wagner = Вагнер, Howard = Говард, Ivanova = 伊万诺娃
# yiwannuowa); after a consonant it is a glide (Kwon, Chwe) and after e part of a vowel
# (Lewis = Льюис), so it stays a vowel there.
_ONSET_W_RE = re.compile(r"(?:(?<=^)|(?<=[aiouy]))wh?(?=[aeiouy])")
# h after a vowel and before a consonant or the end is silent or weak in most spellings that
# have it (John/Jon, Ahn/An, Oh/O, Allah/Alla) and absent in the others.
_CODA_H_RE = re.compile(r"(?<=[aeiouy])h+(?=[^aeiouy]|$)")
# Slavic and GOST -ij/-yj/-ej/-oj endings: the j is the glide y (Dmitrij = Dmitriy).
_FINAL_J_RE = re.compile(r"(?<=[eioy])j$")
_NOT_LETTER_RE = re.compile(r"[^a-z0-9]+")
#: Per first letter, the spellings starting with it, longest first: at each position the
#: longest spelling that matches is read, as a regular expression alternation ordered
#: longest first would read it, without one.
_SPELLINGS_BY_FIRST: dict[str, tuple[tuple[str, str], ...]] = {
    first: tuple(
        sorted(
            ((k, v) for k, v in _SPELLINGS.items() if k[0] == first),
            key=lambda kv: len(kv[0]),
            reverse=True,
        )
    )
    for first in {k[0] for k in _SPELLINGS}
}


def _is_ascii_letter(char: str) -> bool:
    return "a" <= char <= "z" or "A" <= char <= "Z"


def collapse_runs(text: str, letters_only: bool = True) -> str:
    """Each run of one character written once: ``mohammed`` and ``mohamed`` are the same
    name. With `letters_only`, digits stay as they are: vessel numbers 11 and 1 differ."""
    for i in range(1, len(text)):
        if text[i] == text[i - 1] and (not letters_only or _is_ascii_letter(text[i])):
            break
    else:
        return text
    out: list[str] = []
    previous = ""
    for char in text:
        if char != previous or (letters_only and not _is_ascii_letter(char)):
            out.append(char)
        previous = char
    return "".join(out)


def _spell(text: str) -> str:
    """Each spelling of `text` (longest first at each position) as its sound class; other
    characters (digits) as themselves."""
    out: list[str] = []
    i = 0
    size = len(text)
    while i < size:
        char = text[i]
        for spelling, sound in _SPELLINGS_BY_FIRST.get(char, ()):
            end = i + len(spelling)
            if text[i:end] == spelling:
                out.append(sound)
                i = end
                break
        else:
            out.append(char)
            i += 1
    return "".join(out)


_COARSE = str.maketrans("FR", "PL")
#: Vowel classes dropped, C merged into S.
_SKELETON = str.maketrans("C", "S", "AEO")


@lru_cache(maxsize=200_000)
def spelling_code(latin: str) -> str:
    """The spelling code of a romanised token (see the module docstring): ``dmitry``,
    ``dmitriy`` and ``dmitrii`` share ``TMETRE``; ``jong``, ``chong``, ``jeong`` and
    ``jung`` share ``CONK``; ``florez`` (``FROLES``) and ``brolin`` (``PROLEN``) differ.

    Input is lowercased and stripped of everything but ASCII letters and digits, so spaces
    and hyphens do not matter (``jong-un`` and ``jongun`` share a code). Digits are kept as
    themselves: ``11`` and ``12`` in vessel names must stay apart.
    """
    # Each pattern only where it can apply: these run on every new token of a book.
    text = latin.lower()
    if not (text.isascii() and text.isalnum()):
        text = _NOT_LETTER_RE.sub("", text)
    if "w" in text:
        text = _ONSET_W_RE.sub("v", text)
    if text.endswith("j"):
        text = _FINAL_J_RE.sub("y", text)
    if "h" in text:
        text = _CODA_H_RE.sub("", text)
    return collapse_runs(_spell(collapse_runs(text)))


@lru_cache(maxsize=200_000)
def phonetic_code(latin: str) -> str:
    """The phonetic code of a romanised token: its `spelling_code` with f/v merged into the
    labials and r into l, as Korean, Japanese, Chinese, Arabic and Hebrew script blur them
    (``dmitry`` -> ``TMETLE``, ``sergeyevich`` and ``sergeevich`` -> ``SELKEPEC``)."""
    return collapse_runs(spelling_code(latin).translate(_COARSE))


@lru_cache(maxsize=200_000)
def consonant_skeleton(latin: str) -> str:
    """The phonetic code without vowels, sibilants merged.

    ``muhammad``, ``mohamed`` and Arabic ``mhmd`` share ``MHMT``. Word-final ``h`` after a
    vowel is dropped first (Arabic/Hebrew feminine endings: ``fatimah``/``fatima``). Runs are
    collapsed before the vowels go, not after: ``labovich`` (``LPPS``) and ``livshits``
    (``LPSS``) stay apart.
    """
    code = phonetic_code(latin)
    if len(code) > 2 and code.endswith("H") and code[-2] in _VOWEL_CLASSES:
        code = code[:-1]
    return code.translate(_SKELETON)


@lru_cache(maxsize=200_000)
def phonetic_key(latin_token: str) -> str:
    """A retrieval key: the consonant skeleton with ``h`` dropped.

    Recall matters more than precision here (the index fetches every entity sharing a key
    with the query, scoring sorts them out), so the key collapses everything romanisation
    systems are known to disagree on: ``dmitry``/``dmitriy``/``dmitrii`` -> ``TMTL``,
    ``mohammed``/``muhammad``/``mohamad``/``muhammed`` -> ``MMT``, ``jong``/``chong`` ->
    ``SNK``, ``choe``/``choi``/``chwe`` -> ``S``, ``sergeyevich``/``sergeevich`` -> ``SLKPS``.
    A token without consonants (``yo``, ``ua``) keys on its vowel classes behind a ``_``.
    """
    skeleton = consonant_skeleton(latin_token).replace("H", "")
    if skeleton:
        return skeleton
    code = phonetic_code(latin_token).replace("H", "")
    return "_" + code if code else ""


@lru_cache(maxsize=200_000)
def token_keys(token: str) -> frozenset[str]:
    """Phonetic keys of every Latin variant of a token in any script (what the index stores).

    The variants are `translit.key_forms`: the romanisations of a native token, and for a
    Latin token its readings as other scripts transcribe it (English without post-vocalic r,
    German ch = kh, French silent endings...), so that a query in one script shares a key
    with the listed name in another. A variant with several words (``kim jong un`` for
    김정은, ``xi jinping`` for 习近平) contributes the key of each word and of the words run
    together, so a query spelled either way shares a key with it.

    Measured on the UN positives (typo-treated query vs listed name), 99.7 % of entities
    share a key through some name token; on single-token Wikidata transliteration pairs,
    80-95 % per script (see ``bench/translit_eval.py``). `neighbour_keys` adds the keys one
    consonant away, for a second, fuzzier lookup.
    """
    from sanctionsnet.names.translit import key_forms

    keys: set[str] = set()
    for form in key_forms(token):
        parts = form.split()
        for part in parts:
            keys.add(phonetic_key(part))
        if len(parts) > 1:
            keys.add(phonetic_key("".join(parts)))
    keys.discard("")
    return frozenset(keys)


def letter_set_key(token: str) -> str:
    """The letters of a token in any order, each once: a key shared by keying slips that
    change the phonetic key (Afiz / Faiz, Wwilson / Wilson, Awlijan / Walijan)."""
    return "~" + "".join(sorted(set(token)))


_MATCH_KEYS: dict[str, frozenset[str]] = {}
_MATCH_KEYS_MAX = 2_000_000


def match_keys(token: str) -> frozenset[str]:
    """Every key a name token is retrieved and paired by: its exact spelling (``=token``),
    its phonetic keys (`token_keys`) and, from three letters on, its letter set
    (`letter_set_key`). Two tokens can be variants of one name only if their keys meet.

    Worked out once per distinct token and kept (a book of customers repeats its given
    names and surnames); `remember_match_keys` seeds those of the listed tokens.
    """
    found = _MATCH_KEYS.get(token)
    if found is None:
        keys = {"=" + token, *token_keys(token)}
        if len(token) >= 3:
            keys.add(letter_set_key(token))
        found = frozenset(keys)
        if len(_MATCH_KEYS) >= _MATCH_KEYS_MAX:
            _MATCH_KEYS.clear()
        _MATCH_KEYS[token] = found
    return found


#: Token kinds that retrieval leaves out: legal forms say nothing about whose name it is.
_UNKEYED_KINDS = frozenset({"org_form"})


def token_key_sets(tokens: Iterable[NameToken]) -> list[tuple[frozenset[str], float]]:
    """Per token of a name: its retrieval keys (`match_keys`, "#" and the digits for a
    number) and its weight; tokens without weight and legal forms are left out.

    The exact key is rarest, so it ranks a record written the same way above one that
    only sounds alike.
    """
    out = []
    for token in tokens:
        if token.weight <= 0 or token.kind in _UNKEYED_KINDS:
            continue
        if token.kind == "number":
            out.append((frozenset({"#" + token.text}), token.weight))
        else:
            out.append((match_keys(token.text), token.weight))
    return out


def remember_match_keys(keys: Mapping[str, frozenset[str]]) -> None:
    """Seed the `match_keys` of tokens worked out elsewhere (the index computes those of
    every listed token while it is built and keeps them), so that a freshly loaded index
    does not pay for them again on its first queries."""
    _MATCH_KEYS.update(keys)


@lru_cache(maxsize=200_000)
def neighbour_keys(token: str) -> frozenset[str]:
    """`token_keys` plus every key with one consonant class deleted, for keys of four or
    more classes (shorter ones would match half the index).

    Two keys one edit apart (insertion, deletion or substitution) share a deletion
    neighbour, so looking these up finds ``walijan`` from ``awlijan`` and ``nkunda`` from
    ``tnkunda``, at several times the candidates of `token_keys`.
    """
    keys = set(token_keys(token))
    for key in list(keys):
        if len(key) >= 4 and not key.startswith("_"):
            keys.update(key[:i] + key[i + 1 :] for i in range(len(key)))
    return frozenset(keys)
