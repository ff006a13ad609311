"""Name analysis: from a raw name string, as a list or a user writes it, to comparable tokens.

The screening engine compares names token by token. Before it can, a name has to be cut into
tokens that mean the same thing whichever way the name was written: case, diacritics,
punctuation, honorifics, the order of the parts, the spelling of a legal form, the prefix of a
ship. This module does that once per name (`analyze_name`, cached) and records what it learned
about every token in its `kind` and `weight`, so that the scorer can weigh a family name, a
particle, a legal form or a vessel number differently without parsing the name again.

What happens to a name, in order:

1. **Unicode.** NFKC (compatibility forms are what a matcher wants: full-width letters, ligatures,
   ``№`` -> ``No``, ``㈱`` -> ``(株)``), then casefold (``ß`` -> ``ss``).
2. **Characters** (one `str.translate` table built at import):
   Latin letters are folded to ASCII (``Ch'ŏl`` -> ``chol``, ``Müller`` -> ``muller``,
   ``Ø`` -> ``o``, ``ə`` -> ``e``); apostrophes and their look-alikes (``' ’ ʼ ʻ ʿ ` ´ ׳``) are
   deleted, not split, so ``O'Brien`` -> ``obrien``; combining accents left over after NFKC are
   deleted (stress marks in Cyrillic too), Cyrillic ``ё`` becomes ``е``; Arabic loses tatweel and
   harakat and its alef forms (``أ إ آ ٱ``) become ``ا``, alef maqsura and Persian yeh become
   ``ي`` and Persian keheh becomes ``ك``; Hebrew points are deleted. Other scripts are kept as
   they are (another module romanises them). Invisible format characters (soft hyphen, zero-width
   joiners, direction marks) are deleted.
3. **Tokens** (`split_name_parts`): every other punctuation, symbol or space separates tokens;
   hyphens do too (``Jong-un`` -> ``jong un``). Commas, brackets, quotes, ``;`` and ``:`` also mark
   a *segment* boundary, which legal-form detection and name-order detection use. In names that
   are not persons, dotted abbreviations are joined first (``S.A.`` -> ``sa``, ``M.V.`` -> ``mv``,
   ``U.S.A.`` -> ``usa``); in person names dots separate initials (``J.R. Smith`` -> ``j r smith``).
   A token that mixes Latin and Cyrillic look-alike letters (``Максiм`` with a Latin ``i``, a
   common data-entry slip in the lists) is written in the script of most of its letters.
4. **Schema-specific rules**, see `analyze_name`.

Joined forms: ``Jong-un`` gives ``jong un``, and no extra ``jongun`` token is emitted. A joined
alternative would be counted as a third token (inflating the weight of a hyphenated given name
against the same name written ``Jong Un``) and would make the token bag depend on punctuation.
Whether ``jongun`` matches ``jong un`` is a comparison question (merge adjacent tokens when
aligning), and the same question arises for ``Abdul Rahman`` / ``Abdurrahman``, which no
tokeniser can settle.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rigour.names.org_types import extract_org_types

from sanctionsnet.names.tokens import AnalyzedName, NameToken

__all__ = [
    "KINDS",
    "PARTICLES",
    "WEIGHTS",
    "AnalyzedName",
    "NameToken",
    "analyze_name",
    "split_name_parts",
]

# ---------------------------------------------------------------------------------------------
# Public types
# ---------------------------------------------------------------------------------------------

GIVEN = "given"
FAMILY = "family"
PATRONYMIC = "patronymic"
PARTICLE = "particle"
ORG_FORM = "org_form"
GENERIC = "generic"
NUMBER = "number"
WORD = "word"

#: Every token kind, in the order of the data model.
KINDS: tuple[str, ...] = (GIVEN, FAMILY, PATRONYMIC, PARTICLE, ORG_FORM, GENERIC, NUMBER, WORD)

#: How much one token of each kind counts in a name comparison. A word of the name proper counts
#: 1; a patronymic half (lists and users often leave it out); particles (``al``, ``bin``, ``van``)
#: and generic organisation words (``trading``, ``general``, ``korea``) little, because they are
#: shared by thousands of unrelated names; legal forms least (``llc`` says almost nothing about
#: which company it is, and is often dropped). Numbers count as much as a word: ``WAN HENG 11``
#: and ``WAN HENG 12`` are different ships; the "must match" rule for vessels is for the scorer,
#: from `AnalyzedName.numbers`. A generational number in a person's name (``III``) counts half.
WEIGHTS: dict[str, float] = {
    GIVEN: 1.0,
    FAMILY: 1.0,
    PATRONYMIC: 0.5,
    PARTICLE: 0.2,
    ORG_FORM: 0.15,
    GENERIC: 0.3,
    NUMBER: 1.0,
    WORD: 1.0,
}
_PERSON_NUMBER_WEIGHT = 0.5


# ---------------------------------------------------------------------------------------------
# Character table
# ---------------------------------------------------------------------------------------------

# Deleted (not split): ``O'Brien`` is ``obrien``, ``Ch'ŏl`` is ``chol``, ``Qur'an`` is ``quran``.
# Hebrew geresh / gershayim mark a letter (``ג׳`` = j), they do not separate words.
_APOSTROPHES = (
    "'`\u00b4\u2018\u2019\u201b\u2032\u02b9\u02bb\u02bc\u02bd\u02be\u02bf\u02c8\u05f3\u05f4"
)
# Segment boundaries besides the comma.
_HARD_PO = ';:"\u061b\u00bf\u00a1!?'
_COMMAS = ",\u060c\u3001\ufe50\ufe51"
# Combining marks that are diacritics (not vowel signs of an abugida): deleted.
_DELETE_MARK_RANGES = (
    (0x0300, 0x036F),  # combining diacritical marks (accents left over after NFKC)
    (0x0483, 0x0489),  # Cyrillic titlo etc.
    (0x0591, 0x05C7),  # Hebrew points and cantillation
    (0x0610, 0x061A),  # Arabic honorific marks
    (0x064B, 0x065F),  # Arabic harakat
    (0x0670, 0x0670),  # Arabic superscript alef
    (0x06D6, 0x06ED),  # Arabic Quranic annotation marks
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)
# Latin letters without an ASCII decomposition.
_LATIN_SPECIAL = {
    "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ł": "l", "ħ": "h", "ı": "i", "ŀ": "l",
    "ŧ": "t", "æ": "ae", "œ": "oe", "ß": "ss", "ĸ": "q", "ŋ": "n", "ſ": "s", "ƒ": "f",
    "ə": "e", "ǝ": "e", "ɛ": "e", "ɔ": "o", "ɨ": "i", "ʉ": "u", "ƴ": "y", "ƙ": "k", "ɓ": "b",
    "ɗ": "d", "ȝ": "y", "ƀ": "b", "ƶ": "z", "ȥ": "z", "ɍ": "r", "ɏ": "y", "ꝁ": "k",
}  # fmt: skip
_SCRIPT_SPECIAL = {
    "ё": "е",  # Russian writes е for ё in most texts, lists included
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",  # alef forms
    "\u0649": "\u064a",  # alef maqsura -> yeh
    "\u06cc": "\u064a",  # Persian yeh -> Arabic yeh
    "\u06a9": "\u0643",  # Persian keheh -> Arabic kaf
    "\u0640": None,  # tatweel
}  # fmt: skip


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    blocks = (
        range(0x0000, 0x2C00),
        range(0x2C60, 0x2C80),
        range(0x2E00, 0x2E80),
        range(0x3000, 0x3040),
        range(0x30FB, 0x30FC),
        range(0xA720, 0xA800),
        range(0xAB30, 0xAB70),
        range(0xFE00, 0x10000),
    )
    for block in blocks:
        for cp in block:
            ch = chr(cp)
            cat = unicodedata.category(ch)
            if ch in _APOSTROPHES or cat == "Cf":
                table[cp] = None
            elif ch in _SCRIPT_SPECIAL:
                table[cp] = _SCRIPT_SPECIAL[ch]
            elif cat == "Mn":
                if any(lo <= cp <= hi for lo, hi in _DELETE_MARK_RANGES):
                    table[cp] = None
            elif cat[0] == "Z" or cat == "Cc":
                table[cp] = " "
            elif cat in ("Ps", "Pe", "Pi", "Pf"):
                table[cp] = "|"
            elif cat[0] == "P":
                if ch in _COMMAS:
                    table[cp] = ","
                elif ch in _HARD_PO:
                    table[cp] = "|"
                elif ch == ".":
                    pass  # kept: dotted abbreviations are joined, then dots separate
                else:
                    table[cp] = " "
            elif cat[0] == "S":
                table[cp] = "|" if ch == "|" else " "
            elif cat[0] == "L" and cp > 0x7F and "LATIN" in unicodedata.name(ch, ""):
                folded = _LATIN_SPECIAL.get(ch)
                if folded is None:
                    decomposed = unicodedata.normalize("NFKD", ch)
                    base = "".join(c for c in decomposed if not unicodedata.combining(c))
                    base = "".join(_LATIN_SPECIAL.get(c, c) for c in base.casefold())
                    folded = base if base.isascii() and base.isalpha() else None
                if folded is not None:
                    table[cp] = folded
    return table


_TABLE = _build_table()

_ABBREVIATION_RE = re.compile(r"(?<![^\W_])(?:[^\W\d_]\.)+[^\W\d_](?![^\W_])\.?")
_SEGMENT_RE = re.compile(r"([,|])")
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")
_HANGUL_RE = re.compile(r"[\uac00-\ud7a3]+")
_CJK_ANY_RE = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\U00020000-\U0002fa1f]"
)
_LETTERS_DIGITS_RE = re.compile(r"^([^\W\d_]+)(\d+)$")
_REGISTRATION_RE = re.compile(r"^\s*[A-Za-z0-9]{1,3}-?[A-Za-z0-9]{2,6}\s*$")


# Latin and Cyrillic letters that look alike: lists (and users) mix them up inside one word
# (``Максiм`` with a Latin i). A mixed token is written in the script of most of its letters.
_LATIN_TO_CYRILLIC = str.maketrans("aceiopxykmthbsj", "асеіорхукмтнвѕј")
_CYRILLIC_TO_LATIN = str.maketrans("асеіорхукмтнвѕјё", "aceiopxykmthbsje")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_LATIN_RE = re.compile(r"[a-z]")


def _unmix(token: str) -> str:
    """Write a token that mixes Latin and Cyrillic homoglyphs in its majority script."""
    cyrillic = len(_CYRILLIC_RE.findall(token))
    if not cyrillic:
        return token
    latin = len(_LATIN_RE.findall(token))
    if not latin:
        return token
    if cyrillic >= latin:
        return token.translate(_LATIN_TO_CYRILLIC)
    return token.translate(_CYRILLIC_TO_LATIN)


def _join_abbreviation(match: re.Match[str]) -> str:
    return match.group().replace(".", "")


def _normal_text(name: str) -> str:
    """Unicode-normalised, casefolded, character-folded text; punctuation still in place."""
    if not name.isascii():
        if "№" in name:
            name = name.replace("№", " no ")
        name = unicodedata.normalize("NFKC", name)
    return name.casefold().translate(_TABLE)


def _segments(text: str, join_abbreviations: bool) -> list[tuple[str, list[str]]]:
    """Split normalised text into (delimiter before, tokens) segments; delimiter is '', ',' or '|'."""
    if "." in text:
        if join_abbreviations:
            text = _ABBREVIATION_RE.sub(_join_abbreviation, text)
        text = text.replace(".", " ")
    if not text.isascii():
        text = " ".join(_unmix(token) for token in text.split(" "))
    if "," not in text and "|" not in text:
        return [("", text.split())]
    parts = _SEGMENT_RE.split(text)
    segments: list[tuple[str, list[str]]] = []
    delimiter = ""
    for index, part in enumerate(parts):
        if index % 2:
            # a run of delimiters counts as a comma only if it has one and nothing harder
            delimiter = part if not delimiter or delimiter == part else "|"
            continue
        tokens = part.split()
        if tokens:
            segments.append((delimiter if segments else "", tokens))
            delimiter = ""
    return segments


@lru_cache(maxsize=65536)
def split_name_parts(name: str) -> list[str]:
    """The normalised tokens of `name` (see the module docstring), without any schema rules.

    ``"Kim Jong-un"`` -> ``["kim", "jong", "un"]``; ``"O'Brien"`` -> ``["obrien"]``;
    ``"Ch'ŏl"`` -> ``["chol"]``. No joined alternative (``jongun``) is emitted. The list is
    cached: callers must not mutate it.
    """
    return [token for _, tokens in _segments(_normal_text(name), False) for token in tokens]


# ---------------------------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------------------------


def _phrases(
    items: list[str] | tuple[str, ...] | frozenset[str],
) -> dict[str, list[tuple[str, ...]]]:
    """Index multi-token phrases by their first token, longest first."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for item in items:
        tokens = tuple(split_name_parts(item))
        if tokens:
            index.setdefault(tokens[0], []).append(tokens)
    for options in index.values():
        options.sort(key=len, reverse=True)
    return index


def _rigour_person_prefixes() -> list[str]:
    try:
        from rigour._core import person_name_prefixes_list
    except ImportError:  # pragma: no cover - rigour without the resource accessor
        return []
    return list(person_name_prefixes_list())


def _rigour_stopwords() -> list[str]:
    try:
        from rigour._core import stopwords_list
    except ImportError:  # pragma: no cover
        return []
    return list(stopwords_list())


# Titles, ranks and forms of address stripped from the head of a person's name (and from the head
# of the given-name part of ``FAMILY, Given``), on top of rigour's PERSON_NAME_PREFIXES.
_PERSON_HONORIFICS_EXTRA = (
    "mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "prof", "professor", "sir", "dame",
    "sheikh", "shaikh", "shaykh", "sheik", "cheikh", "sheikha", "shaikha", "shaykha",
    "haji", "hajji", "hadji", "hajj", "haj", "alhaj", "alhaji", "alhajj", "al haj", "al hajj",
    "al haji", "el hadj", "el hadji", "el haj",
    "mullah", "mulla", "maulana", "mawlana", "maulvi", "mawlawi", "maulavi", "moulvi", "mufti",
    "ayatollah", "ayatullah", "grand ayatollah", "hojatoleslam", "hojjatoleslam",
    "hojjat ol eslam", "hojatoleslam val moslemin",
    "gen", "general", "lt", "ltc", "lt col", "lt gen", "col", "colonel", "maj", "maj gen",
    "major general", "brig", "brig gen", "brigadier general", "brigadier", "capt", "cpt",
    "captain", "sgt", "sergeant", "cmdr", "cdr", "commander", "adm", "admiral", "vice admiral",
    "rear admiral", "lieutenant", "lieutenant general", "lieutenant colonel", "colonel general",
    "senior colonel", "marshal", "field marshal", "corporal", "commodore",
    "eng", "engr", "engineer", "ing", "dipl ing",
    "president", "vice president", "prime minister", "minister", "deputy minister", "senator",
    "ambassador", "judge", "justice", "governor",
    "rev", "reverend", "father", "fr", "bishop", "archbishop", "metropolitan", "patriarch",
    "cardinal", "rabbi", "pastor",
    "king", "prince", "princess", "hrh", "his excellency", "her excellency", "h e",
    "mme", "mlle", "monsieur", "madame", "herr", "frau", "senor", "senora", "senorita",
    "senhor", "senhora", "sra", "srta", "gospodin", "gospozha",
    "господин", "госпожа", "генерал", "полковник",
    "الشيخ", "شيخ", "الحاج", "حاج", "الدكتور",
)  # fmt: skip
# For LegalEntity (schema unknown: maybe a person, maybe not) only the unambiguous titles: "General"
# or "President" may start an organisation's name.
_SAFE_HONORIFICS = (
    "mr", "mrs", "ms", "miss", "mx", "mister", "dr", "doctor", "prof", "professor",
    "sheikh", "shaikh", "shaykh", "sheik", "cheikh", "haji", "hajji", "hadji", "alhaj", "alhaji",
    "mullah", "mulla", "maulana", "mawlana", "maulvi", "mawlawi", "mufti", "ayatollah",
    "hojatoleslam", "hojjatoleslam", "his excellency", "her excellency", "hrh",
    "الشيخ", "الحاج",
)  # fmt: skip
# Generational and degree suffixes stripped from the end of a person's name.
_PERSON_SUFFIXES = frozenset(
    ("jr", "sr", "jnr", "snr", "junior", "senior", "phd", "md", "esq", "dds", "mba")
)

#: Particles: articles and kinship words that glue a name together (``al-``, ``bin``, ``van der``)
#: and that one spelling writes and the other drops.
PARTICLES = frozenset(
    (
        # Arabic / Persian / Turkic, romanised (``an`` and ``du``/``do`` are left out: they are
        # Korean, Chinese and Vietnamese family names)
        "al", "el", "ul", "ad", "ar", "as", "ash", "at", "az", "bin", "bint", "ibn", "ben", "bn",
        "abu", "abou", "abd", "ould", "wald", "walad", "oglu", "ogly", "ogli", "uly", "uulu",
        "kyzy", "gyzy", "qizi", "kizi",
        # European
        "van", "von", "de", "der", "den", "del", "della", "delle", "degli", "di", "da", "das",
        "dos", "des", "zu", "y", "e",
        # Cyrillic
        "аль", "эль", "бин", "ибн", "абу", "абд", "оглы", "кызы", "улы", "фон", "ван", "де",
        # Arabic script
        "بن", "ابن", "بنت", "ابو", "عبد", "ال",
        # Hebrew
        "בן", "בת",
    )
)  # fmt: skip

# Patronymic endings, after folding (Russian, Ukrainian, Belarusian; common romanisations).
_PATRONYMIC_LATIN = (
    "ovich", "evich", "ovitch", "evitch", "ovitj", "evitj", "ovych", "evych", "ovic", "evic",
    "ovna", "evna", "ivna", "ichna", "inichna", "ovitsch", "ewitsch", "owitsch",
)  # fmt: skip
_PATRONYMIC_CYRILLIC = (
    "ович", "евич", "овна", "евна", "ична", "инична", "івна", "ївна", "авіч", "евіч", "овіч",
    "аўна", "еўна", "йович",
)  # fmt: skip
_PATRONYMIC_ENDINGS = _PATRONYMIC_LATIN + _PATRONYMIC_CYRILLIC

# Words that say "this is an organisation" and carry little identity: they are ``generic`` tokens
# in organisation names. Nouns and activities also make a name of unknown schema (LegalEntity)
# an organisation's name; scope words and places do not (``General``, ``Jordan``, ``India``).
_ORG_NOUNS = (
    "company", "companies", "corporation", "corp", "group", "groups", "holding", "holdings",
    "enterprise", "enterprises", "association", "society", "foundation", "fund", "trust",
    "organization", "organisation", "organizations", "institute", "institution", "center",
    "centre", "bureau", "agency", "office", "council", "committee", "ministry", "department",
    "authority", "administration", "federation", "plant", "factory", "branch", "partnership",
    "partners", "firm", "establishment", "university", "academy", "college", "club", "network",
    "alliance", "league", "brigade", "brigades", "movement", "limited", "ltd", "inc",
    "компания", "корпорация", "группа", "банк", "завод", "центр", "институт", "предприятие",
    "объединение", "холдинг",
)  # fmt: skip
_ORG_ACTIVITIES = (
    "trading", "trade", "traders", "commercial", "commerce", "industrial", "industries",
    "industry", "development", "investment", "investments", "invest", "services", "service",
    "management", "technology", "technologies", "tech", "engineering", "import", "export",
    "imports", "exports", "shipping", "maritime", "logistics", "transport", "construction",
    "manufacturing", "production", "research", "scientific", "bank", "banking", "financial",
    "finance", "insurance", "exchange", "торговый", "торговая", "торговое",
)  # fmt: skip
# Sector words are deliberately not generic: they tell ``Korea Mining Development Trading
# Corporation`` from ``Korea Oil Development Trading Corporation``. They still say "organisation".
_ORG_SECTORS = (
    "oil", "gas", "petroleum", "petrochemical", "energy", "electronics", "mining", "metals",
    "steel", "machinery", "equipment", "systems", "solutions", "consulting", "airlines",
    "airline", "aviation", "travel", "tours", "properties", "resources", "materials",
    "security", "software", "telecom", "communications", "chemical", "chemicals", "shipyard",
)  # fmt: skip
_ORG_SCOPE_AND_PLACES = (
    "general", "international", "intl", "national", "global", "worldwide", "world", "united",
    "joint", "venture", "state", "federal", "central", "regional", "republic", "democratic",
    "peoples", "people", "islamic", "new", "first", "union", "board", "works", "front", "army",
    "forces", "force", "party", "ship", "marine", "capital", "real", "estate", "property",
    "international", "международный", "международная",
    # countries, nationalities and cities most seen in sanctions lists
    "korea", "korean", "dprk", "iran", "iranian", "syria", "syrian", "russia", "russian",
    "china", "chinese", "iraq", "iraqi", "libya", "libyan", "sudan", "sudanese", "cuba",
    "cuban", "venezuela", "venezuelan", "belarus", "belarusian", "afghanistan", "afghan",
    "lebanon", "lebanese", "yemen", "yemeni", "pakistan", "pakistani", "turkey", "turkish",
    "emirates", "emirati", "uae", "arab", "arabian", "persian", "soviet", "hong", "kong",
    "singapore", "malaysia", "myanmar", "burma", "burmese", "somalia", "mali", "congo",
    "ukraine", "ukrainian", "crimea", "america", "american", "british", "europe", "european",
    "asia", "asian", "africa", "african", "india", "indian", "germany", "german", "france",
    "french", "italy", "italian", "spain", "spanish", "cyprus", "greece", "greek", "panama",
    "liberia", "marshall", "islands", "kingdom", "states", "north", "south", "east", "west",
    "middle", "gulf", "pyongyang", "tehran", "moscow", "damascus", "beijing", "shanghai",
    "shenzhen", "dubai", "istanbul", "ocean", "россия", "российская", "федерация",
)  # fmt: skip
_ORG_SIGNALS = frozenset(_ORG_NOUNS + _ORG_ACTIVITIES + _ORG_SECTORS + ("gongsi",))

# Multi-word legal forms rigour lists only in another spelling (romanised CJK; Slavic forms
# whose dotted abbreviations ``sp. z o.o.`` / ``spol. s r.o.`` we join), accepted anywhere.
_EXTRA_FORM_PHRASES = {
    "sp z oo": "llc",
    "spol s ro": "llc",
    "s de rl": "llc",
    "youxian gongsi": "llc",
    "youxian zeren gongsi": "llc",
    "gufen youxian gongsi": "jsc",
    "gufen gongsi": "jsc",
    "kabushiki kaisha": "jsc",
    "kabushiki gaisha": "jsc",
    "yugen kaisha": "llc",
    "godo kaisha": "llc",
    "jusik hoesa": "jsc",
    "chusik hoesa": "jsc",
    "yuhan hoesa": "llc",
}

# Words that are a legal form only at the end of a name (or right before a recognised legal form):
# ``Acme Corp.``, ``Acme Company Limited``, ``Acme Co., Ltd.``. rigour does not list them (alone
# they are ambiguous: ``Company for Trading``), so they are mapped to rigour's generic form of
# ``Inc.`` / ``Co., Ltd.``: ``llc``.
_TRAILING_FORMS = frozenset(
    ("co", "company", "corp", "corporation", "inc", "incorporated", "cie", "cia", "compania")
)
# Legal forms rigour does not list, recognised only as the last word of a name.
_TRAILING_ONLY_FORMS = {
    "sal": "jsc",  # société anonyme libanaise
    "sae": "jsc",  # Egyptian joint stock company
    "sac": "jsc",  # sociedad anónima cerrada (Peru)
    "saic": "jsc",
    "ead": "jsc",  # Bulgarian sole-owner joint stock company
    "eood": "llc",  # Bulgarian sole-owner limited company
    "fzc": "llc",
    "fzllc": "llc",
    "gongsi": "llc",  # pinyin of 公司
    "sl": "llc",  # sociedad limitada
    "doo": "llc",  # d.o.o. (rigour knows it dotted only)
    "ad": "jsc",  # a.d., Bulgarian / Serbian joint stock company
    "kk": "jsc",  # kabushiki kaisha
    "sasu": "llc",
}
# Qualifiers of a legal form that rigour's aliases do not always include (``Publichnoe
# Aktsionernoe Obschestvo``, ``Joint Limited Liability Company``): absorbed into the form.
_BEFORE_FORM_WORDS = _TRAILING_FORMS | {
    "private", "pvt", "pte", "and", "public", "open", "closed", "joint", "sole",
    "publichnoe", "publichnoye", "nepublichnoe", "otkrytoe", "otkrytoye", "zakrytoe",
    "zakrytoye", "inostrannoe", "inostrannoye", "публичное", "открытое", "закрытое",
}  # fmt: skip
_TRAILING_FORM_TARGET = "llc"

# rigour's generic org-type targets that are legal forms; the others (``soe``, ``ngo``, ``coop``,
# ``fin``, ``mil``) describe the kind of organisation and become generic tokens.
_LEGAL_TARGETS = frozenset(("llc", "jsc", "lp", "llp", "gp", "sp", "plc"))
# Short aliases rigour knows that are ordinary words far more often than legal forms in the lists
# (``AL-QAIDA IN IRAQ``, ``RIM GROUP INVESTMENTS II CORP.``, ``SANATORIY IM. FRUNZE``).
_BLOCKED_ALIASES = frozenset(("in", "is", "im", "ii", "rf", "ep", "ku", "ik", "ay", "at"))
# Short aliases that are unambiguous anywhere in an organisation's name.
_STRONG_SHORT_ALIASES = frozenset(
    (
        "llc", "ooo", "jsc", "ltd", "inc", "fze", "fzco", "fzc", "oao", "zao", "pao", "tov",
        "ojsc", "cjsc", "pjsc", "llp", "plc", "gmbh", "dmcc", "ltda", "sarl", "srl", "bhd",
        "ооо", "оао", "зао", "пао", "тов", "тоо", "ао", "чвк", "ип",
    )
)  # fmt: skip
# Short aliases accepted at the very start of a name (Russian and Indonesian style).
_PREFIX_ALIASES = frozenset(("ao", "pt", "cv", "ip", "ua", "ооо", "ао", "ип", "тов", "тоо"))

# Compact CJK legal forms (no spaces in these scripts), longest first.
_CJK_ORG_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("股份有限公司", "jsc"), ("有限责任公司", "llc"), ("有限責任公司", "llc"),
    ("有限公司", "llc"), ("股份公司", "jsc"), ("公司", "llc"),
    ("株式会社", "jsc"), ("有限会社", "llc"), ("合同会社", "llc"),
    ("유한책임회사", "llc"), ("주식회사", "jsc"), ("유한회사", "llc"), ("회사", "llc"),
)  # fmt: skip
_CJK_ORG_FORMS = frozenset(suffix for suffix, _ in _CJK_ORG_SUFFIXES)
_CJK_ORG_PREFIXES: tuple[tuple[str, str], ...] = (("株式会社", "jsc"), ("주식회사", "jsc"))
_CJK_ORG_TOKENS = {"株": "jsc", "有": "llc", "주": "jsc"}  # (株), (有), (주)

# Vessel prefixes (after dotted abbreviations are joined and slashes split).
_VESSEL_PREFIXES_ONE = frozenset(("mv", "mt", "ss", "fv", "rv", "ms", "mts", "mfv", "mst"))
_VESSEL_PREFIXES_TWO = frozenset((("m", "v"), ("m", "t"), ("m", "s"), ("f", "v"), ("s", "s"), ("r", "v"), ("m", "y")))  # fmt: skip
_NUMBER_MARKERS = frozenset(("no", "nr", "num", "number", "nos"))


def _roman(value: int) -> str:
    out = []
    for amount, letters in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while value >= amount:
            out.append(letters)
            value -= amount
    return "".join(out)


_ROMAN = {_roman(i): i for i in range(1, 40)}
# Roman numerals that are names or initials far more often than numbers, outside vessels.
_ROMAN_AMBIGUOUS = frozenset(("i", "v", "x", "vi", "xi", "xx"))
_PERSON_ROMAN = frozenset(("ii", "iii", "iv"))

# Surnames, for splitting compact Han / Hangul personal names. Compound (two-syllable) surnames
# decide where the family name ends; the single ones are only needed when the schema is unknown
# (a LegalEntity written in Han could be a company).
_COMPOUND_SURNAMES = frozenset(
    pair[i : i + 2]
    for pair in (
        "남궁황보제갈선우독고사공서문동방망절",
        "欧阳歐陽司马司馬诸葛諸葛上官东方東方皇甫令狐公孙公孫慕容尉迟尉遲夏侯长孙長孫",
        "宇文司徒端木轩辕軒轅南宫南宮鲜于鮮于独孤獨孤司空西門西门",
    )
    for i in range(0, len(pair), 2)
)  # two characters per surname
_SURNAMES = frozenset(
    (
        "남궁",
        "황보",
        "제갈",
        "선우",
        "독고",
        "사공",
        "서문",
        "동방",
        "망절",
        "欧阳",
        "歐陽",
        "司马",
        "司馬",
        "诸葛",
        "諸葛",
        "上官",
        "东方",
        "東方",
        "皇甫",
        "令狐",
        "公孙",
        "公孫",
        "慕容",
        "尉迟",
        "尉遲",
        "夏侯",
        "长孙",
        "長孫",
        "宇文",
        "司徒",
        "端木",
        "轩辕",
        "軒轅",
        "南宫",
        "南宮",
        "鲜于",
        "鮮于",
        "独孤",
        "獨孤",
        "司空",
        "西門",
        "西门",
    )
)
_SURNAMES = frozenset(
    # Korean (Hangul), with the DPRK spellings keeping initial r/l (리, 림, 류, 로, 량, 렴, 라)
    "김이리박최정강조윤장임림한오서신권황안송류유전홍고문양량손배백허남심노로하곽성차"
    "주우구민진나라지엄채원천방공현함변염렴여추도소석선설마길연위표명기반왕금옥육인맹"
    "제모탁국어은편용예경봉사부태계피두감"
    # Chinese (simplified and traditional) and Korean Hanja
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩"
    "韓冯馮邓鄧曹彭曾肖蕭田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚"
    "陆陸汪范金石廖贾賈夏韦韋付方白邹鄒孟熊秦邱江尹薛闫閻段雷侯龙龍史陶黎贺賀顾顧毛郝"
    "龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯习習温溫康施文牛樊葛邢安齐齊易乔喬伍庞龐颜顏倪"
    "庄莊聂聶章鲁魯岳翟殷詹申耿关關兰蘭焦俞左柳甘祝包宁寧尚符舒阮柯纪紀梅童凌毕畢单單"
    "季裴霍涂成苗谷盛曲翁冉骆駱蓝藍路游辛靳管柴蒙鲍鮑华華喻祁房滕屈艾尤穆车車连連麦麥"
    "朴裵洪全玄咸卞廉邊秋都愼慎奇琴玉陸印卓池具閔閔禹河南千庾延表明蘇魚權吉車"
)  # one character per surname

_CJK_MAX_LEN = 4


# ---------------------------------------------------------------------------------------------
# Lazily built phrase indexes (they use split_name_parts, hence the table above)
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _person_honorifics() -> dict[str, list[tuple[str, ...]]]:
    return _phrases([*_rigour_person_prefixes(), *_PERSON_HONORIFICS_EXTRA])


@lru_cache(maxsize=1)
def _safe_honorifics() -> dict[str, list[tuple[str, ...]]]:
    return _phrases(list(_SAFE_HONORIFICS))


@lru_cache(maxsize=1)
def _extra_forms() -> dict[str, list[tuple[str, ...]]]:
    return _phrases(list(_EXTRA_FORM_PHRASES))


@lru_cache(maxsize=1)
def _generic_words() -> frozenset[str]:
    all_words = _ORG_NOUNS + _ORG_ACTIVITIES + _ORG_SCOPE_AND_PLACES
    words = {t for w in all_words for t in split_name_parts(w)}
    for word in _rigour_stopwords():
        words.update(split_name_parts(word))
    return frozenset(words - PARTICLES)


# ---------------------------------------------------------------------------------------------
# Analysis
# ---------------------------------------------------------------------------------------------

_PER, _ORG, _ENT, _VESSEL, _OBJ = "PER", "ORG", "ENT", "VESSEL", "OBJ"
_SCHEMAS: dict[str, tuple[str, str]] = {
    "Person": ("Person", _PER),
    "Organization": ("Organization", _ORG),
    "Company": ("Company", _ORG),
    "PublicBody": ("Organization", _ORG),
    "LegalEntity": ("LegalEntity", _ENT),
    "Vessel": ("Vessel", _VESSEL),
    "Airplane": ("Airplane", _OBJ),
    "Vehicle": ("Airplane", _OBJ),
}


@lru_cache(maxsize=65536)
def _token(text: str, kind: str, weight: float) -> NameToken:
    """Tokens repeat across millions of names: build each distinct one once."""
    return NameToken(text, kind, weight)


class _Work:
    """Mutable per-call state: parallel lists of token texts, kinds and segment numbers."""

    __slots__ = ("texts", "kinds", "segs", "weights", "honorifics", "prefix")

    def __init__(self, segments: list[tuple[str, list[str]]]) -> None:
        self.texts: list[str] = []
        self.segs: list[int] = []
        for number, (_, tokens) in enumerate(segments):
            self.texts.extend(tokens)
            self.segs.extend([number] * len(tokens))
        self.kinds: list[str] = [WORD] * len(self.texts)
        self.weights: list[float | None] = [None] * len(self.texts)
        self.honorifics: list[str] = []
        self.prefix: str | None = None

    def delete(self, start: int, end: int) -> None:
        del self.texts[start:end], self.kinds[start:end], self.segs[start:end]
        del self.weights[start:end]

    def replace(self, start: int, end: int, text: str, kind: str) -> None:
        seg = self.segs[start]
        self.texts[start:end] = [text]
        self.kinds[start:end] = [kind]
        self.segs[start:end] = [seg]
        self.weights[start:end] = [None]

    def insert(self, index: int, text: str, kind: str, weight: float | None, seg: int) -> None:
        self.texts.insert(index, text)
        self.kinds.insert(index, kind)
        self.segs.insert(index, seg)
        self.weights.insert(index, weight)


def _match_phrase(
    texts: list[str], index: dict[str, list[tuple[str, ...]]], start: int, end: int
) -> int:
    """Length of the longest phrase of `index` at texts[start:end], or 0."""
    options = index.get(texts[start])
    if options:
        for phrase in options:
            size = len(phrase)
            if start + size <= end and tuple(texts[start : start + size]) == phrase:
                return size
    return 0


def _strip_honorifics(
    work: _Work, index: dict[str, list[tuple[str, ...]]], start: int, end: int
) -> int:
    """Remove honorifics from the head of texts[start:end]; returns how many tokens went.

    Never removes the last token of the range: ``Sheikh`` alone stays a name.
    """
    removed = 0
    while end - start > 1:
        size = _match_phrase(work.texts, index, start, end)
        if not size or size >= end - start:
            break
        work.honorifics.append(" ".join(work.texts[start : start + size]))
        work.delete(start, start + size)
        end -= size
        removed += size
    return removed


def _is_cjk_name_token(text: str) -> bool:
    return bool(_HANGUL_RE.fullmatch(text) or _HAN_RE.fullmatch(text))


def _split_cjk(work: _Work, require_surname: bool) -> None:
    """Split a compact Han/Hangul personal name: whole (weight 0), family, given."""
    if len(work.texts) != 1:
        # spaced CJK name (``김 정은``): a leading known surname is the family name
        if (
            len(work.texts) in (2, 3)
            and all(_is_cjk_name_token(t) for t in work.texts)
            and (work.texts[0] in _SURNAMES or work.texts[0] in _COMPOUND_SURNAMES)
        ):
            work.kinds = [FAMILY] + [GIVEN] * (len(work.texts) - 1)
        return
    text = work.texts[0]
    if not _is_cjk_name_token(text):
        return
    size = len(text)
    if text[:2] in _COMPOUND_SURNAMES and 3 <= size <= _CJK_MAX_LEN + 1:
        cut = 2
    elif 2 <= size <= _CJK_MAX_LEN:
        if require_surname and text[0] not in _SURNAMES:
            return
        # four Han characters without a compound surname: Japanese order, two plus two
        cut = 2 if size == 4 and _HAN_RE.fullmatch(text) else 1
    else:
        return
    seg = work.segs[0]
    work.weights[0] = 0.0
    work.insert(1, text[:cut], FAMILY, None, seg)
    work.insert(2, text[cut:], GIVEN, None, seg)


def _mark_patronymics(work: _Work, start: int, end: int, inverted: bool) -> None:
    """Mark the patronymic among texts[start:end] (``Vladimir Vladimirovich Putin``)."""
    candidates = [
        i
        for i in range(start, end)
        if work.kinds[i] in (WORD, GIVEN)
        and len(work.texts[i]) > 5
        and work.texts[i].endswith(_PATRONYMIC_ENDINGS)
    ]
    if not candidates:
        return
    if not inverted:
        # a patronymic never comes first, and a three-part name is needed to tell it from a
        # surname such as Abramovich or Milosevic
        candidates = [i for i in candidates if i > start]
        if end - start < 3 or not candidates:
            return
        if len(candidates) > 1:
            middle = [i for i in candidates if i < end - 1]
            candidates = middle[:1] or candidates[:1]
    for i in candidates[:1]:
        work.kinds[i] = PATRONYMIC


def _person(work: _Work, segments: list[tuple[str, list[str]]], safe_only: bool) -> None:
    """Person rules: name order, honorifics, suffixes, patronymics, compact CJK names."""
    honorifics = _safe_honorifics() if safe_only else _person_honorifics()
    # "FAMILY, Given Middle" (OFAC, UK and most lists): a comma after a short first part
    # separates the family part from the given part; everything after it is given names, but
    # for trailing suffixes (``SMITH, John, Jr.``).
    inverted = len(segments) >= 2 and segments[1][0] == "," and 1 <= len(segments[0][1]) <= 4
    if inverted:
        family_end = len(segments[0][1])
        # honorifics may stand before the family part (rare) or the given part (common)
        family_end -= _strip_honorifics(work, honorifics, 0, family_end)
        _strip_honorifics(work, honorifics, family_end, len(work.texts))
    else:
        family_end = 0
        _strip_honorifics(work, honorifics, 0, len(work.texts))
    while (
        len(work.texts) > 1 and work.texts[-1] in _PERSON_SUFFIXES and len(work.texts) > family_end
    ):
        work.honorifics.append(work.texts[-1])
        work.delete(len(work.texts) - 1, len(work.texts))
    if inverted and family_end < len(work.texts):
        for i in range(len(work.texts)):
            work.kinds[i] = FAMILY if i < family_end else GIVEN
    _mark_patronymics(work, family_end, len(work.texts), inverted)
    for i, text in enumerate(work.texts):
        if text in PARTICLES and len(work.texts) > 1:
            work.kinds[i] = PARTICLE
    # a trailing generational number: John Smith III
    last = len(work.texts) - 1
    if last >= 1 and work.texts[last] in _PERSON_ROMAN:
        work.texts[last] = str(_ROMAN[work.texts[last]])
        work.kinds[last] = NUMBER
    if not inverted and not work.texts[0].isascii():
        _split_cjk(work, require_surname=safe_only)


def _cjk_org_forms(work: _Work) -> None:
    """Split compact CJK legal forms off their name (``招商银行有限公司`` -> ``招商银行`` + llc)."""
    i = 0
    while i < len(work.texts):
        text = work.texts[i]
        if _CJK_ANY_RE.search(text):
            seg = work.segs[i]
            if text in _CJK_ORG_TOKENS:
                work.kinds[i] = ORG_FORM
                work.texts[i] = _CJK_ORG_TOKENS[text]
            elif text in _CJK_ORG_FORMS:
                pass  # a spaced legal form (``주식회사 삼성``): rigour's org types know it
            else:
                for suffix, target in _CJK_ORG_SUFFIXES:
                    if text.endswith(suffix) and len(text) > len(suffix):
                        work.texts[i] = text[: -len(suffix)]
                        work.insert(i + 1, target, ORG_FORM, None, seg)
                        i += 1
                        break
                else:
                    for prefix, target in _CJK_ORG_PREFIXES:
                        if text.startswith(prefix) and len(text) > len(prefix):
                            work.texts[i] = text[len(prefix) :]
                            work.insert(i, target, ORG_FORM, None, seg)
                            i += 1
                            break
        i += 1


def _org_forms(work: _Work) -> None:
    """Find legal forms (rigour's org types, generic form) and organisation-type words."""
    texts = work.texts
    joined = " ".join(texts)
    found = extract_org_types(joined, generic=True)
    if not found and not any(t in _extra_forms() for t in texts):
        return
    # character offset -> token index
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    offset = 0
    for i, text in enumerate(texts):
        starts[offset] = i
        offset += len(text)
        ends[offset] = i + 1
        offset += 1
    spans: list[tuple[int, int, str, str]] = []
    cursor = 0
    for matched, target in found:
        # rigour matches whole words; find the occurrence that is made of whole tokens
        position = joined.find(matched, cursor)
        while position >= 0 and (position not in starts or position + len(matched) not in ends):
            position = joined.find(matched, position + 1)
        if position < 0 or not target:
            continue
        cursor = position + len(matched)
        spans.append((starts[position], ends[cursor], matched, target))
    for start in range(len(texts)):
        size = _match_phrase(texts, _extra_forms(), start, len(texts))
        if size and not any(a < start + size and start < b for a, b, _, _ in spans):
            phrase = " ".join(texts[start : start + size])
            spans.append((start, start + size, phrase, _EXTRA_FORM_PHRASES[phrase]))
    spans.sort()
    n = len(texts)
    accepted: list[tuple[int, int, str]] = []
    # right to left, so that a short form followed only by other forms counts as trailing
    tail: dict[int, int] = {}  # segment -> index where its trailing run of forms begins
    for start, end, matched, target in reversed(spans):
        if matched in _BLOCKED_ALIASES:
            continue
        seg = work.segs[start]
        seg_end = tail.get(seg)
        if seg_end is None:
            seg_end = end
            while seg_end < n and work.segs[seg_end] == seg:
                seg_end += 1
        trailing = end == seg_end
        strong = end - start > 1 or len(matched) >= 4 or matched in _STRONG_SHORT_ALIASES
        leading = start == 0 and matched in _PREFIX_ALIASES
        if not (strong or trailing or leading):
            continue
        accepted.append((start, end, target))
        if trailing:
            tail[seg] = start
    if not accepted:
        return
    # never reduce a name to its legal forms alone
    covered = sum(end - start for start, end, _ in accepted)
    if covered >= n:
        return
    for start, end, target in accepted:  # right to left: indexes stay valid
        kind = ORG_FORM if target in _LEGAL_TARGETS else GENERIC
        work.replace(start, end, target, kind)


def _trailing_forms(work: _Work) -> None:
    """``Acme Corp.``, ``Acme Company Limited``, ``Acme Co. Ltd`` -> one ``llc``."""
    texts, kinds = work.texts, work.kinds
    i = len(texts) - 1
    while i >= 0:
        text = texts[i]
        if kinds[i] == WORD:
            at_end = i == len(texts) - 1 or work.segs[i + 1] != work.segs[i]
            before_form = i + 1 < len(texts) and kinds[i + 1] == ORG_FORM
            if before_form and text in _BEFORE_FORM_WORDS:
                work.delete(i, i + 1)
            elif i == 0:
                pass  # a name is never reduced to its legal form
            elif at_end and text in _TRAILING_FORMS:
                texts[i] = _TRAILING_FORM_TARGET
                kinds[i] = ORG_FORM
            elif at_end and text in _TRAILING_ONLY_FORMS:
                texts[i] = _TRAILING_ONLY_FORMS[text]
                kinds[i] = ORG_FORM
        i -= 1
    # one legal form token per run: ``FZE LLC`` -> llc, ``CO., LTD.`` -> llc
    i = len(texts) - 1
    while i >= 1:
        if kinds[i] == ORG_FORM and kinds[i - 1] == ORG_FORM and texts[i] == texts[i - 1]:
            work.delete(i, i + 1)
        i -= 1


def _numbers(work: _Work, mode: str) -> None:
    """Digits become number tokens (``No. 11`` -> 11, ``09`` -> 9); roman numerals at the end."""
    texts, kinds = work.texts, work.kinds
    i = 0
    while i < len(texts):
        text = texts[i]
        if text.isdecimal():
            texts[i] = str(int(text))
            kinds[i] = NUMBER
            if i > 0 and texts[i - 1] in _NUMBER_MARKERS and kinds[i - 1] == WORD:
                work.delete(i - 1, i)
                continue
        elif mode == _VESSEL:
            match = _LETTERS_DIGITS_RE.match(text)
            if match and len(match.group(1)) > 1:  # VALFAJR2 -> valfajr 2
                texts[i] = match.group(1)
                work.insert(i + 1, match.group(2), WORD, None, work.segs[i])
        i += 1
    if mode == _PER:
        return
    # roman numerals: only the last word of a name (before any trailing legal form)
    last = len(texts) - 1
    while last >= 0 and kinds[last] == ORG_FORM:
        last -= 1
    if last < 1 or kinds[last] != WORD:
        return
    text = texts[last]
    value = _ROMAN.get(text)
    if value is None:
        return
    if mode != _VESSEL and (text in _ROMAN_AMBIGUOUS or value < 2):
        return
    texts[last] = str(value)
    kinds[last] = NUMBER


def _vessel_prefix(work: _Work) -> None:
    texts = work.texts
    if len(texts) >= 3 and (texts[0], texts[1]) in _VESSEL_PREFIXES_TWO:
        work.prefix = texts[0] + texts[1]
        work.delete(0, 2)
    elif len(texts) >= 2 and texts[0] in _VESSEL_PREFIXES_ONE:
        work.prefix = texts[0]
        work.delete(0, 1)


def _org_like(work: _Work) -> bool:
    """Whether a name of unknown schema reads as an organisation's."""
    return (
        any(kind in (ORG_FORM, GENERIC) for kind in work.kinds)
        or any(text in _ORG_SIGNALS for text in work.texts)
        or (len(work.texts) > 1 and work.texts[-1] in _TRAILING_FORMS)
    )


def _organisation(work: _Work, forms_done: bool = False) -> None:
    """Organisation rules: legal forms, organisation types, generic words, particles."""
    if not forms_done:
        if len(work.texts) > 1 and work.texts[0] == "the":
            work.delete(0, 1)
        _cjk_org_forms(work)
        _org_forms(work)
    _trailing_forms(work)
    generic = _generic_words()
    for i, text in enumerate(work.texts):
        if work.kinds[i] != WORD:
            continue
        if text in PARTICLES:
            work.kinds[i] = PARTICLE
        elif text in generic:
            work.kinds[i] = GENERIC


def _analyze(name: str, schema: str) -> AnalyzedName:
    used, mode = _SCHEMAS.get(schema, ("LegalEntity", _ENT))
    text = _normal_text(name)
    segments = _segments(text, join_abbreviations=mode != _PER)
    work = _Work(segments)
    if work.texts:
        if mode == _PER:
            _person(work, segments, safe_only=False)
        elif mode == _ORG:
            _organisation(work)
        elif mode == _ENT:
            probe = _Work(segments)
            if len(probe.texts) > 1 and probe.texts[0] == "the":
                probe.delete(0, 1)
            _cjk_org_forms(probe)
            _org_forms(probe)
            if _org_like(probe):
                _organisation(probe, forms_done=True)
                work = probe
            else:
                _person(work, segments, safe_only=True)
        elif mode == _VESSEL:
            if len(work.texts) > 1 and work.texts[0] == "the":
                work.delete(0, 1)
            _vessel_prefix(work)
            for i, text in enumerate(work.texts):
                if text in PARTICLES and len(work.texts) > 1:
                    work.kinds[i] = PARTICLE
        elif mode == _OBJ and _REGISTRATION_RE.match(name) and len(work.texts) <= 2:
            work.texts = ["".join(work.texts)]  # EP-FAA, RA-85563: one registration mark
            work.kinds, work.segs, work.weights = [WORD], [0], [None]
        _numbers(work, mode)
    number_weight = _PERSON_NUMBER_WEIGHT if mode == _PER else WEIGHTS[NUMBER]
    tokens: list[NameToken] = []
    for text, kind, weight in zip(work.texts, work.kinds, work.weights, strict=True):
        if weight is None:
            weight = number_weight if kind == NUMBER else WEIGHTS[kind]
        tokens.append(_token(text, kind, weight))
    org_form: str | None = None
    for token in reversed(tokens):
        if token.kind == ORG_FORM:
            org_form = token.text
            break
    numbers = tuple(t.text for t in tokens if t.kind == NUMBER)
    return AnalyzedName(
        original=name,
        schema=used,
        tokens=tuple(tokens),
        honorifics=tuple(work.honorifics),
        org_form=org_form,
        vessel_prefix=work.prefix,
        numbers=numbers,
    )


@lru_cache(maxsize=65536)
def analyze_name(name: str, schema: str = "LegalEntity") -> AnalyzedName:
    """Analyse one name as an entity of FtM `schema` (cached).

    `schema` picks the rules; any FtM schema name is accepted and mapped to one of
    ``Person``, ``Organization``, ``Company``, ``LegalEntity``, ``Vessel``, ``Airplane``
    (``PublicBody`` -> Organization, ``Vehicle`` -> Airplane, anything else -> LegalEntity),
    which is what `AnalyzedName.schema` records.

    Person
        Honorifics and titles at the head of the name, or at the head of the given part of a
        comma-inverted name, are removed into `honorifics` (``Mr``, ``Dr``, ``Sheikh``, ``Haji``,
        ``General``, ``Colonel``, ... : rigour's person prefixes plus ranks and religious titles);
        so are trailing ``Jr``/``Sr``/``PhD``. ``FAMILY, Given Middle`` marks the tokens before
        the comma ``family`` and the rest ``given`` (order kept, see `AnalyzedName`); a
        patronymic (``-ovich``, ``-evna``, ``-ович``...) in a name of three or more parts is
        marked ``patronymic``; ``al``, ``bin``, ``van``, ``de``... are ``particle``; a trailing
        ``II``/``III``/``IV`` is a number. A compact Han or Hangul name of 2-4 characters
        (``김정은``, ``金正恩``) is emitted whole with weight 0, then split into its family name
        (first character, or two for compound surnames such as ``남궁``, ``欧阳``; a four-character
        Han name without one is split two plus two, the Japanese pattern) and its given name, both
        with full weight: the whole token serves exact matches, the parts align with a spaced
        romanisation (``Kim Jong Un``).
    Organization / Company
        A leading ``The`` is dropped. Legal forms are recognised with rigour's organisation types
        in their *generic* form, so every spelling of one form is one token: ``LLC``, ``OOO``,
        ``ООО``, ``Limited Liability Company``, ``GmbH``, ``Ltd`` -> ``llc``; ``JSC``, ``AO``,
        ``PJSC``, ``ОАО``, ``Aktsionernoe Obshchestvo``, ``S.A.`` -> ``jsc``. ``Co., Ltd.``,
        ``Company Limited``, ``Corp.``, ``Inc.`` and a trailing ``Company``/``Corporation`` all
        give ``llc`` (rigour's generic form of ``Inc.`` and ``Co., Ltd.``). Short aliases that are
        often ordinary words (``AS``, ``SA``, ``AG``, ``AO``) are accepted only at the end of the
        name or of a comma/bracket segment (``AO`` also at the start); a handful rigour knows but
        that the lists use as words (``in``, ``im``, ``ii``...) never. Organisation *types* that
        are not legal forms (rigour's ``soe``, ``ngo``, ``coop``, ``fin``, ``mil``: "state
        enterprise", "charity", "cooperative", "PMC") become ``generic`` tokens with that text.
        Compact CJK legal forms (``有限公司``, ``株式会社``, ``주식회사``) are split off.
        `org_form` is the last legal form. Common organisation words, countries and stopwords
        are ``generic``.
    LegalEntity
        Organisation rules when the name looks like an organisation (a legal form, or words such
        as ``bank``, ``trading``, ``group``), otherwise person rules with only the unambiguous
        titles (``Mr``, ``Dr``, ``Sheikh``...) and compact CJK names split only after a known
        surname.
    Vessel
        ``M/V``, ``MV``, ``M.V.``, ``MT``, ``M/T``, ``SS``, ``FV``, ``RV``, ``MS`` at the start are
        removed into `vessel_prefix` (canonical: letters only, ``mv``); digits glued to a word are
        split (``VALFAJR2``); a final roman numeral ``I``-``XXXIX`` becomes a number.
    Airplane
        A registration mark (``EP-FAA``, ``RA-85563``) is one token (``epfaa``).

    Every schema: digits are ``number`` tokens normalised through ``int`` (``09`` -> ``9``,
    Arabic-Indic digits -> ASCII), a preceding ``No``/``Nr``/``№`` is dropped, and the numbers
    are also listed in `numbers`; a final roman numeral of two or more (not ``V``, ``X``, ``VI``,
    ``XI``, which are names or initials too) becomes a number.
    """
    return _analyze(name, schema)
