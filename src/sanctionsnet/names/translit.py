"""Romanisation of name tokens in any script, and a token similarity across scripts.

Sanctions lists, passports and customer records spell one person in several scripts and in
several romanisations of each. The screening engine compares name *tokens*; this module gives
it:

* `script_of` - which writing system a token is in, so the engine knows when a comparison
  crosses scripts (and `is_mixed_script` for look-alike letters mixed inside one word);
* `latin_variants` - the plausible Latin renderings of a token, most standard first, in
  lowercase ASCII: the official systems (BGN/PCGN, GOST 7.79 B and ICAO 9303 for Cyrillic;
  the DPRK's usage, McCune-Reischauer and Revised Romanization for Hangul; pinyin, Wade-Giles
  and Cantonese surnames for Han; Hepburn for kana) and, for the scripts that write few
  vowels (Arabic, Persian, Hebrew), a consonantal reading with the vowel letters read as
  vowels plus a few vowel guesses;
* `token_similarity` - a score in [0, 1] for two tokens in any scripts, built on the phonetic
  codes of `sanctionsnet.names.phonetic` and rapidfuzz's C edit distances;
* `comparison_forms` and `key_forms` - what the similarity and `phonetic.token_keys` work
  from (the variants plus a few internal readings).

Romanisation is rule-based, per character or syllable. The only tables are of things no rule
produces: conventional spellings of common Korean and Chinese surnames (Park for 박, Chan for
陳), of very common Arabic given names (Mohammed for محمد), name particles (bin/ibn), and the
readings of Han characters in Korean and Japanese names (金正恩 = Kim Jong Un, 山田太郎 =
Yamada Taro), which no Mandarin reading gives. Japanese names outside that short table are
read as Mandarin: there is no kanji reading dictionary among our dependencies.

Everything is cached with `functools.lru_cache`: tokens repeat heavily in screening.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from pypinyin import Style, lazy_pinyin
from rapidfuzz.distance import Indel, Levenshtein

from sanctionsnet.names.phonetic import (
    collapse_runs,
    consonant_skeleton,
    phonetic_code,
    spelling_code,
)

__all__ = [
    "MAX_VARIANTS",
    "comparison_forms",
    "is_mixed_script",
    "key_forms",
    "latin_variants",
    "script_of",
    "token_similarity",
]

#: Upper bound on the number of variants `latin_variants` returns.
MAX_VARIANTS = 8

# ---------------------------------------------------------------------------------------------
# Script detection
# ---------------------------------------------------------------------------------------------

_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x005A, "latin"),
    (0x0061, 0x007A, "latin"),
    (0x00C0, 0x024F, "latin"),
    (0x0250, 0x02AF, "latin"),
    (0x0370, 0x03FF, "greek"),
    (0x0400, 0x052F, "cyrillic"),
    (0x0590, 0x05FF, "hebrew"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0x08A0, 0x08FF, "arabic"),
    (0x1100, 0x11FF, "hangul"),
    (0x1C80, 0x1C8F, "cyrillic"),
    (0x1E00, 0x1EFF, "latin"),
    (0x1F00, 0x1FFF, "greek"),
    (0x2C60, 0x2C7F, "latin"),
    (0x2DE0, 0x2DFF, "cyrillic"),
    (0x3005, 0x3007, "han"),
    (0x3040, 0x309F, "kana"),
    (0x30A0, 0x30FF, "kana"),
    (0x3130, 0x318F, "hangul"),
    (0x31F0, 0x31FF, "kana"),
    (0x3400, 0x4DBF, "han"),
    (0x4E00, 0x9FFF, "han"),
    (0xA640, 0xA69F, "cyrillic"),
    (0xA720, 0xA7FF, "latin"),
    (0xA960, 0xA97F, "hangul"),
    (0xAC00, 0xD7AF, "hangul"),
    (0xD7B0, 0xD7FF, "hangul"),
    (0xF900, 0xFAFF, "han"),
    (0xFB1D, 0xFB4F, "hebrew"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE70, 0xFEFF, "arabic"),
    (0xFF21, 0xFF3A, "latin"),
    (0xFF41, 0xFF5A, "latin"),
    (0xFF66, 0xFF9F, "kana"),
    (0x20000, 0x2FA1F, "han"),
)


def _char_script(char: str) -> str | None:
    """Script of one character, or None for digits, punctuation and marks."""
    cp = ord(char)
    for low, high, script in _RANGES:
        if cp < low:
            break
        if cp <= high:
            # The prolonged sound mark and middle dot are kana but script-neutral in names.
            if script == "kana" and char in "・ー":
                return None
            return script
    return "other" if char.isalpha() else None


#: `_char_script` of each character met so far (the characters of names are few).
_CHAR_SCRIPTS: dict[str, str | None] = {}


@lru_cache(maxsize=100_000)
def script_of(token: str) -> str:
    """The writing system of a token: the script of most of its letters.

    Returns one of ``latin``, ``cyrillic``, ``hangul``, ``han``, ``arabic`` (also Persian and
    Urdu), ``hebrew``, ``kana`` (hiragana or katakana), ``greek`` or ``other``. A Japanese
    token mixing kanji and kana is ``kana``: kana only occur in Japanese, while kanji alone
    cannot be told from Chinese. A token without letters (``11``, ``-``) is ``latin``: it
    compares as itself.
    """
    if token.isascii():
        return "latin"  # ASCII letters are Latin; digits and punctuation count for none
    counts: dict[str, int] = {}
    for char in token:
        if char in _CHAR_SCRIPTS:
            script = _CHAR_SCRIPTS[char]
        else:
            script = _CHAR_SCRIPTS[char] = _char_script(char)
        if script is not None:
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return "latin"
    if "kana" in counts:
        return "kana"
    return max(counts, key=lambda s: counts[s])


# ---------------------------------------------------------------------------------------------
# Latin folding
# ---------------------------------------------------------------------------------------------

# Letters that Unicode decomposition does not reduce to ASCII.
_FOLD_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "ł": "l",
        "Ł": "l",
        "ı": "i",
        "ħ": "h",
        "ŋ": "ng",
        "ſ": "s",
        "ĸ": "k",
        "ə": "e",
        "Ə": "e",
    }
)
# Letters whose plain fold loses a sound that another script writes: Czech/Polish/Turkish
# sh/ch/zh (Špinarová = Шпинарова = Shpinarova), German umlauts written -e.
_PHONETIC_FOLD = str.maketrans(
    {
        "š": "sh",
        "ş": "sh",
        "ș": "sh",
        "ś": "sh",
        "ž": "zh",
        "ź": "zh",
        "ż": "zh",
        "č": "ch",
        "ć": "ch",
        "ç": "ch",
        "ğ": "",
        "ñ": "ny",
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ő": "oe",
        "ű": "ue",
    }
)
_APOSTROPHES_RE = re.compile("['\u2019\u2018\u02bc\u02bb\u02b9\u02bf\u02be`\u00b4\u2032]")
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")


def _ascii(text: str) -> str:
    """Lowercase ASCII letters, digits and single spaces; apostrophes vanish (O'Brien)."""
    text = _APOSTROPHES_RE.sub("", text.lower()).translate(_FOLD_SPECIAL)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
        if not text.isascii():
            text = text.encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM_RE.sub(" ", text).strip()


def _latin(word: str) -> list[str]:
    """ASCII fold first; then the spelling that keeps sounds (š -> sh, ü -> ue) if different."""
    forms = [_ascii(word)]
    lowered = word.lower()
    if not lowered.isascii():
        forms.append(_ascii(lowered.translate(_PHONETIC_FOLD)))
    return forms


# ---------------------------------------------------------------------------------------------
# Cyrillic
# ---------------------------------------------------------------------------------------------

_CYR_VOWELS = frozenset("аеёиоуыэюяєіїў")
_CYR_BASE: dict[str, str] = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    # Ukrainian, Belarusian
    "є": "ye",
    "і": "i",
    "ї": "yi",
    "ґ": "g",
    "ў": "w",
    # Serbian, Macedonian
    "ђ": "dj",
    "ј": "j",
    "љ": "lj",
    "њ": "nj",
    "ћ": "c",
    "џ": "dz",
    "ѓ": "gj",
    "ќ": "kj",
    "ѕ": "dz",
    # Kazakh, Kyrgyz, Tatar, Bashkir, Mongolian
    "ә": "a",
    "ғ": "gh",
    "қ": "q",
    "ң": "ng",
    "ө": "o",
    "ұ": "u",
    "ү": "u",
    "һ": "h",
    "ҳ": "h",
    "ҷ": "j",
    "ҫ": "s",
    "ӑ": "a",
    "ӗ": "e",
    "ҡ": "q",
}


class _CyrillicSystem:
    """A letter table, the iotated forms used word-initially and after vowels, and endings."""

    def __init__(
        self,
        letters: dict[str, str],
        iotated: dict[str, str] | None = None,
        endings: dict[str, str] | None = None,
        iotate_after_vowels: bool = True,
        yo_after_hushing: str | None = None,
    ) -> None:
        self.letters = {**_CYR_BASE, **letters}
        self.iotated = iotated or {}
        self.endings = endings or {}
        self.iotate_after_vowels = iotate_after_vowels
        self.yo_after_hushing = yo_after_hushing

    def __call__(self, word: str) -> str:
        for ending, latin in self.endings.items():
            if word.endswith(ending) and len(word) > len(ending) + 1:
                return self._letters(word[: -len(ending)]) + latin
        return self._letters(word)

    def _letters(self, word: str) -> str:
        out: list[str] = []
        prev = ""
        for char in word:
            if char in self.iotated and (
                not prev or (self.iotate_after_vowels and (prev in _CYR_VOWELS or prev in "ъьй'"))
            ):
                out.append(self.iotated[char])
            elif char == "ё" and prev in "жчшщ" and self.yo_after_hushing is not None:
                out.append(self.yo_after_hushing)  # Хрущёв = Chruschtschow
            else:
                out.append(self.letters.get(char, char))
            prev = char
        return "".join(out)


_IOTATED_Y = {"е": "ye", "ё": "yo", "є": "ye", "ї": "yi"}
_CYRILLIC_SYSTEMS: tuple[_CyrillicSystem, ...] = (
    # BGN/PCGN 1947 (Russian), diacritics dropped: ё -> e after consonants, ye initially.
    _CyrillicSystem({}, {"е": "ye", "ё": "ye", "є": "ye", "ї": "yi"}),
    # Common English press usage: Dmitry, Yury, Khrushchyov/Khrushchev, Djokovich.
    _CyrillicSystem({"ё": "yo", "ћ": "ch", "џ": "j"}, _IOTATED_Y, {"ий": "y", "ый": "y"}),
    # ICAO Doc 9303 (passports since 2013): Dmitrii, Iurii, Aleksandr.
    _CyrillicSystem(
        {"й": "i", "ъ": "ie", "ю": "iu", "я": "ia", "є": "ie", "ї": "i"},
    ),
    # GOST 7.79-2000 system B, punctuation dropped: x for х, c/cz for ц, j for й.
    _CyrillicSystem(
        {"ё": "yo", "й": "j", "х": "x", "ц": "c", "щ": "shh", "э": "e", "є": "ye", "ї": "yi"}
    ),
    # Simplified usage: Dmitri, Hodorkovsky, Sergei.
    _CyrillicSystem({"й": "i", "х": "h"}, None, {"ий": "i", "ый": "y", "ей": "ei", "ой": "oi"}),
    # German: Chruschtschow, Gorbatschow, Jelzin.
    _CyrillicSystem(
        {
            "в": "w",
            "ж": "sch",
            "з": "s",
            "й": "j",
            "х": "ch",
            "ц": "z",
            "ч": "tsch",
            "ш": "sch",
            "щ": "schtsch",
            "ю": "ju",
            "я": "ja",
            "ё": "jo",
            "є": "je",
            "ї": "ji",
        },
        {"е": "je", "ё": "jo", "є": "je"},
        {"ий": "i"},
        yo_after_hushing="o",
    ),
    # French: Poutine, Tchaïkovski.
    _CyrillicSystem(
        {
            "у": "ou",
            "ж": "j",
            "й": "i",
            "ч": "tch",
            "ш": "ch",
            "щ": "chtch",
            "ю": "iou",
            "я": "ia",
            "ё": "io",
        },
        None,
        {"ий": "i"},
    ),
)
# Ukrainian national system (2010), used for Ukrainian passports: iotated letters are ye, yi,
# y, yu, ya only at the start of a word (Київ = Kyiv, Юлія = Yuliia).
_UKRAINIAN = _CyrillicSystem(
    {"г": "h", "и": "y", "є": "ie", "ї": "i", "й": "i", "ю": "iu", "я": "ia"},
    {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"},
    iotate_after_vowels=False,
)
_UKRAINIAN_LETTERS = frozenset("єіїґ")
_UKRAINIAN_SPELLINGS = ("ськ", "цьк", "зьк")  # Зеленський; Russian writes -ский


def _cyrillic(word: str) -> list[str]:
    """Ukrainian words (by their letters or -ський) get the Ukrainian system first; other
    words get it last, since Ukrainian names often carry no letter Russian lacks."""
    word = word.lower()
    systems: Iterable[_CyrillicSystem]
    if _UKRAINIAN_LETTERS & set(word) or any(s in word for s in _UKRAINIAN_SPELLINGS):
        systems = (_UKRAINIAN, *_CYRILLIC_SYSTEMS)
    else:
        systems = (*_CYRILLIC_SYSTEMS, _UKRAINIAN)
    return [_ascii(system(word)) for system in systems]


# ---------------------------------------------------------------------------------------------
# Greek and other scripts through ICU
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _icu(transform_id: str) -> Callable[[str], str]:
    import icu

    return icu.Transliterator.createInstance(transform_id).transliterate  # type: ignore[no-any-return]


def _greek(word: str) -> list[str]:
    return [_ascii(_icu("Greek-Latin/UNGEGN")(word)), _ascii(_icu("Greek-Latin")(word))]


def _other(word: str) -> list[str]:
    return [_ascii(_icu("Any-Latin")(word))]


# ---------------------------------------------------------------------------------------------
# Hangul
# ---------------------------------------------------------------------------------------------

# Jamo of precomposed syllables: 19 initials, 21 vowels, 28 finals (index 0 = none).
_KO_VOWELS_RR = [
    "a",
    "ae",
    "ya",
    "yae",
    "eo",
    "e",
    "yeo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "eu",
    "ui",
    "i",
]
# McCune-Reischauer and the DPRK's system, breves dropped: ŏ -> o, ŭ -> u.
_KO_VOWELS_MR = [
    "a",
    "ae",
    "ya",
    "yae",
    "o",
    "e",
    "yo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "u",
    "ui",
    "i",
]
_KO_INITIALS = {
    #        RR      MR    MR voiced  DPRK
    "rr": [
        "g",
        "kk",
        "n",
        "d",
        "tt",
        "r",
        "m",
        "b",
        "pp",
        "s",
        "ss",
        "-",
        "j",
        "jj",
        "ch",
        "k",
        "t",
        "p",
        "h",
    ],
    "mr": [
        "k",
        "kk",
        "n",
        "t",
        "tt",
        "r",
        "m",
        "p",
        "pp",
        "s",
        "ss",
        "-",
        "ch",
        "tch",
        "ch",
        "k",
        "t",
        "p",
        "h",
    ],
    "mr_voiced": [
        "g",
        "kk",
        "n",
        "d",
        "tt",
        "r",
        "m",
        "b",
        "pp",
        "s",
        "ss",
        "-",
        "j",
        "tch",
        "ch",
        "k",
        "t",
        "p",
        "h",
    ],
    "dprk": [
        "k",
        "kk",
        "n",
        "t",
        "tt",
        "r",
        "m",
        "p",
        "pp",
        "s",
        "ss",
        "-",
        "j",
        "jj",
        "ch",
        "kh",
        "th",
        "ph",
        "h",
    ],
}
_KO_FINALS = [
    "-",
    "k",
    "k",
    "k",
    "n",
    "n",
    "n",
    "t",
    "l",
    "k",
    "m",
    "l",
    "l",
    "l",
    "p",
    "l",
    "m",
    "p",
    "p",
    "t",
    "t",
    "ng",
    "t",
    "t",
    "k",
    "t",
    "p",
    "t",
]
_KO_VOICED_FINALS = frozenset({"-", "n", "l", "m", "ng"})
_KO_S_PALATAL = frozenset({20, 2, 6, 12, 17, 7, 3, 16})  # i ya yeo yo yu ye yae wi -> MR sh

#: Common Korean surnames and their spellings in use, most frequent first. Spellings the
#: systems derive anyway are listed too, so the order can put the conventional one first.
_KO_SURNAMES: dict[str, tuple[str, ...]] = {
    "김": ("kim", "gim"),
    "이": ("lee", "yi", "rhee", "i", "ri"),
    "리": ("ri", "lee", "rhee"),
    "박": ("park", "pak", "bak"),
    "최": ("choi", "choe", "chwe"),
    "정": ("jung", "jeong", "chung", "chong", "jong"),
    "강": ("kang", "gang"),
    "조": ("cho", "jo"),
    "윤": ("yoon", "yun"),
    "장": ("jang", "chang"),
    "임": ("lim", "im", "rim"),
    "림": ("rim", "lim"),
    "한": ("han",),
    "오": ("oh", "o"),
    "서": ("seo", "suh", "so"),
    "신": ("shin", "sin"),
    "권": ("kwon", "gwon"),
    "황": ("hwang",),
    "안": ("ahn", "an"),
    "송": ("song",),
    "전": ("jeon", "jun", "chon", "chun"),
    "홍": ("hong",),
    "유": ("yoo", "yu", "ryu"),
    "류": ("ryu", "yoo", "yu", "rhyu"),
    "고": ("ko", "go"),
    "문": ("moon", "mun"),
    "양": ("yang", "ryang"),
    "량": ("ryang", "yang"),
    "손": ("son", "sohn"),
    "배": ("bae", "pae"),
    "백": ("baek", "paek", "paik"),
    "허": ("heo", "hur", "ho"),
    "남": ("nam",),
    "노": ("roh", "noh", "no", "ro"),
    "로": ("ro", "roh", "noh"),
    "하": ("ha",),
    "곽": ("kwak", "gwak"),
    "성": ("sung", "seong", "song"),
    "차": ("cha",),
    "주": ("joo", "ju", "chu"),
    "우": ("woo", "u"),
    "구": ("koo", "ku", "gu"),
    "민": ("min",),
    "라": ("ra", "la", "na"),
    "나": ("na", "ra"),
    "진": ("jin", "chin"),
    "지": ("ji", "chi"),
    "엄": ("um", "eom", "om"),
    "채": ("chae",),
    "원": ("won",),
    "천": ("chun", "cheon", "chon"),
    "방": ("bang", "pang"),
    "공": ("kong", "gong"),
    "현": ("hyun", "hyeon", "hyon"),
    "함": ("ham",),
    "변": ("byun", "byeon", "pyon"),
    "염": ("yeom", "yum", "ryom"),
    "여": ("yeo", "yo", "ryo"),
    "추": ("choo", "chu"),
    "도": ("do", "to"),
    "석": ("seok", "suk", "sok"),
    "선": ("sun", "seon", "son"),
    "설": ("seol", "sul", "sol"),
    "길": ("gil", "kil"),
    "연": ("yeon", "yun", "yon"),
    "표": ("pyo",),
    "명": ("myung", "myeong", "myong"),
    "기": ("ki", "gi"),
    "반": ("ban", "pan"),
    "왕": ("wang",),
    "금": ("keum", "geum", "kum"),
    "육": ("yook", "yuk", "ryuk"),
    "인": ("in",),
    "제": ("je", "che"),
    "탁": ("tak",),
    "국": ("kook", "guk", "kuk"),
    "용": ("yong", "ryong"),
    "경": ("kyung", "gyeong", "kyong"),
    "봉": ("bong", "pong"),
    "황보": ("hwangbo",),
    "남궁": ("namgoong", "namgung"),
    "제갈": ("jegal", "chegal"),
    "선우": ("sunwoo", "seonu"),
    "독고": ("dokgo", "tokko"),
    "사공": ("sagong",),
}


def _ko_syllables(word: str) -> list[tuple[int, int, int]] | None:
    out = []
    for char in word:
        cp = ord(char) - 0xAC00
        if not 0 <= cp < 11172:
            return None
        out.append((cp // 588, (cp % 588) // 28, cp % 28))
    return out


def _ko_romanise(syllables: list[tuple[int, int, int]], system: str) -> list[str]:
    """Syllable-by-syllable romanisation, as Korean personal names are written.

    McCune-Reischauer voices k/t/p/ch after a vowel or a voiced final inside a name part
    (Kim Tae-jung); the DPRK's usage does not (Kim Kyok Sik). Neither is applied across the
    surname boundary; the caller handles the surname.
    """
    vowels = _KO_VOWELS_RR if system == "rr" else _KO_VOWELS_MR
    out: list[str] = []
    prev_final = ""
    for i, (lead, vowel, final) in enumerate(syllables):
        if system == "mr" and i > 0 and prev_final in _KO_VOICED_FINALS:
            initial = _KO_INITIALS["mr_voiced"][lead]
        else:
            initial = _KO_INITIALS[system][lead]
        if initial == "-":
            initial = ""
        if system == "mr" and lead == 9 and vowel in _KO_S_PALATAL:
            initial = "sh"
        # RR and MR write initial ㄹ as r; l after a final ㄹ (Kim Il-lung -> ll).
        if lead == 5 and prev_final == "l":
            initial = "l"
        fin = _KO_FINALS[final]
        fin = "" if fin == "-" else fin
        out.append(initial + vowels[vowel] + fin)
        prev_final = fin or "-"
    return out


_KO_COMMON_RE = (
    (re.compile(r"^yeong$"), "young"),
    (re.compile(r"(?<=[^aeiouwy])yeo"), "yu"),  # myeong -> myung, hyeon -> hyun
    (re.compile(r"(?<=[^aeiouwy])eo"), "u"),  # jeong -> jung, seong -> sung, seok -> suk
    (re.compile(r"(?<=[^aeiouwy])u(?=n?$)"), "oo"),  # su -> soo, mun -> moon, jun -> joon
    (re.compile(r"^yu$"), "yoo"),
    (re.compile(r"^yun$"), "yoon"),
    (re.compile(r"^u$"), "woo"),
)


def _ko_common(syllable: str) -> str:
    """South Korean everyday spellings of an RR syllable: Jung, Sung, Hyun, Soo, Moon, Woo."""
    if syllable.startswith("g"):
        syllable = "k" + syllable[1:]
    for pattern, repl in _KO_COMMON_RE:
        syllable = pattern.sub(repl, syllable)
    return syllable


def _hangul(word: str) -> list[str]:
    syllables = _ko_syllables(word)
    if not syllables:
        return [_ascii(_icu("Hangul-Latin")(word))]
    surname = ""
    if len(syllables) >= 2:
        if len(syllables) >= 4 and word[:2] in _KO_SURNAMES:
            surname = word[:2]
        elif len(syllables) <= 4 and word[0] in _KO_SURNAMES:
            surname = word[0]
    n = len(surname)
    given_syl = syllables[n:]
    systems = {name: _ko_romanise(given_syl, name) for name in ("dprk", "mr", "rr")}
    common = [_ko_common(s) for s in systems["rr"]]
    if not surname:
        forms = [
            " ".join(systems["dprk"]),
            " ".join(systems["mr"]),
            " ".join(systems["rr"]),
            " ".join(common),
        ]
        return forms
    sur_syl = syllables[:n]
    sur_forms = {name: "".join(_ko_romanise(sur_syl, name)) for name in ("dprk", "mr", "rr")}
    conventional = _KO_SURNAMES[surname]
    forms = [
        f"{sur_forms['dprk']} {' '.join(systems['dprk'])}",
        f"{sur_forms['mr']} {' '.join(systems['mr'])}",
        f"{sur_forms['rr']} {' '.join(systems['rr'])}",
        f"{conventional[0]} {' '.join(common)}",
    ]
    forms.extend(f"{alt} {' '.join(common)}" for alt in conventional[1:])
    return forms


# ---------------------------------------------------------------------------------------------
# Han (Chinese characters)
# ---------------------------------------------------------------------------------------------

#: Surname readings pypinyin's phrase-less default gets wrong, and transliteration characters
#: whose name reading differs from the common word reading (什 in Tashkent is shi, not shen).
_HAN_SURNAME_READINGS = {
    "单": "shan",
    "單": "shan",
    "曾": "zeng",
    "区": "ou",
    "區": "ou",
    "查": "zha",
    "仇": "qiu",
    "解": "xie",
    "朴": "piao",
    "盖": "ge",
    "蓋": "ge",
    "乐": "yue",
    "樂": "yue",
    "尉": "yu",
    "折": "she",
    "繁": "po",
    "种": "chong",
    "翟": "zhai",
    "秘": "bi",
    "召": "shao",
    "缪": "miao",
    "繆": "miao",
}
_HAN_READINGS = {"什": "shi"}

#: Compound (two-character) surnames.
_HAN_COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "歐陽",
        "司马",
        "司馬",
        "诸葛",
        "諸葛",
        "上官",
        "东方",
        "東方",
        "夏侯",
        "皇甫",
        "尉迟",
        "尉遲",
        "公孙",
        "公孫",
        "慕容",
        "长孙",
        "長孫",
        "宇文",
        "司徒",
        "令狐",
        "轩辕",
        "軒轅",
        "端木",
        "西门",
        "西門",
        "南宫",
        "南宮",
    ]
)

#: Cantonese (Hong Kong, Macau, diaspora) spellings of common surnames, simplified and
#: traditional; some Hokkien/Teochew spellings common in Southeast Asia follow.
_HAN_CANTONESE: dict[str, tuple[str, ...]] = {}
for _chars, _spellings in (
    ("陈陳", ("chan", "tan")),
    ("黄黃", ("wong", "ng", "huang")),
    ("王", ("wong",)),
    ("张張", ("cheung", "chang")),
    ("李", ("lee", "lei")),
    ("吴吳", ("ng", "goh")),
    ("刘劉", ("lau", "lao")),
    ("林", ("lam", "lim")),
    ("何", ("ho",)),
    ("梁", ("leung",)),
    ("郭", ("kwok",)),
    ("周", ("chow", "chau")),
    ("杨楊", ("yeung",)),
    ("赵趙", ("chiu",)),
    ("徐", ("tsui",)),
    ("胡", ("wu", "woo")),
    ("朱", ("chu", "choo")),
    ("高", ("ko",)),
    ("罗羅", ("law", "lo")),
    ("郑鄭", ("cheng", "tay")),
    ("谢謝", ("tse", "chia")),
    ("叶葉", ("yip",)),
    ("邓鄧", ("tang",)),
    ("冯馮", ("fung",)),
    ("蔡", ("choi", "tsai", "chua")),
    ("曾", ("tsang",)),
    ("彭", ("pang",)),
    ("潘", ("poon",)),
    ("袁", ("yuen",)),
    ("蒋蔣", ("cheung", "chiang")),
    ("余", ("yu", "yee")),
    ("杜", ("to",)),
    ("苏蘇", ("so",)),
    ("许許", ("hui", "hsu")),
    ("卢盧", ("lo",)),
    ("麦麥", ("mak",)),
    ("莫", ("mok",)),
    ("关關", ("kwan",)),
    ("钟鍾鐘", ("chung",)),
    ("崔", ("tsui",)),
    ("孙孫", ("suen",)),
    ("萧蕭", ("siu",)),
    ("韩韓", ("hon",)),
    ("邱", ("yau", "khoo")),
    ("侯", ("hau",)),
    ("廖", ("liu",)),
    ("区區", ("au",)),
    ("欧歐", ("au",)),
    ("江", ("kong",)),
    ("温溫", ("wan",)),
    ("文", ("man",)),
    ("严嚴", ("yim",)),
    ("姚", ("yiu",)),
    ("方", ("fong",)),
    ("石", ("shek",)),
    ("孔", ("hung",)),
    ("邵", ("shiu",)),
    ("康", ("hong",)),
    ("吕呂", ("lui",)),
    ("施", ("sze",)),
    ("薛", ("sit",)),
    ("雷", ("lui",)),
    ("龙龍", ("lung",)),
    ("郝", ("kok",)),
):
    for _char in _chars:
        _HAN_CANTONESE[_char] = _spellings

_HAN_SURNAMES = frozenset(
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖"
    "萧蕭田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾鐘谭譚陆陸汪范金石廖贾賈夏韦韋付方白"
    "邹鄒孟熊秦邱江尹薛闫閆段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯习習温溫"
    "单單区區查仇解朴盖蓋乐樂翟缪繆麦麥关關欧歐庞龐文康施甘安聂聶"
)

# Pinyin -> Wade-Giles (apostrophes of aspiration dropped, as the engine drops punctuation).
_WG_WHOLE = {
    "zi": "tzu",
    "ci": "tzu",
    "si": "ssu",
    "zhi": "chih",
    "chi": "chih",
    "shi": "shih",
    "ri": "jih",
    "er": "erh",
    "yi": "i",
    "you": "yu",
    "yan": "yen",
    "ye": "yeh",
    "yong": "yung",
    "yue": "yueh",
    "yuan": "yuan",
    "yun": "yun",
    "yu": "yu",
    "e": "o",
    "ge": "ko",
    "ke": "ko",
    "he": "ho",
}
_WG_INITIALS = (
    ("zh", "ch"),
    ("ch", "ch"),
    ("sh", "sh"),
    ("b", "p"),
    ("p", "p"),
    ("d", "t"),
    ("t", "t"),
    ("g", "k"),
    ("k", "k"),
    ("j", "ch"),
    ("q", "ch"),
    ("x", "hs"),
    ("r", "j"),
    ("z", "ts"),
    ("c", "ts"),
)
_WG_FINALS = (
    ("iong", "iung"),
    ("ong", "ung"),
    ("ian", "ien"),
    ("ie", "ieh"),
    ("ue", "ueh"),
)


def _wade_giles(syllable: str) -> str:
    if syllable in _WG_WHOLE:
        return _WG_WHOLE[syllable]
    initial, final = "", syllable
    for pin, wg in _WG_INITIALS:
        if syllable.startswith(pin):
            initial, final = wg, syllable[len(pin) :]
            break
    for pin, wg in _WG_FINALS:
        if final == pin:
            final = wg
            break
    if final == "uo" and initial not in ("k", "h", "sh"):
        final = "o"
    elif final == "ui" and initial == "k":
        final = "uei"
    return initial + final


def _han_syllables(word: str, surname_reading: bool = True) -> list[str]:
    """Pinyin syllables without tones; the first character in its surname reading (曾 zeng,
    not ceng) unless ``surname_reading`` is false."""
    syllables: list[str] = []
    # errors=list keeps one item per non-Han character, so readings stay aligned with word.
    keep_each: Any = list
    readings = lazy_pinyin(word, style=Style.NORMAL, v_to_u=True, errors=keep_each)
    for i, reading in enumerate(readings):
        char = word[i] if len(word) > i else ""
        if i == 0 and surname_reading and char in _HAN_SURNAME_READINGS:
            reading = _HAN_SURNAME_READINGS[char]
        elif char in _HAN_READINGS:
            reading = _HAN_READINGS[char]
        syllables.append(_ascii(reading))
    return [s for s in syllables if s]


def _han_alternative_readings(word: str) -> tuple[str, ...]:
    """The common-word reading of a first character that has a surname reading: 乐福 is
    Love (le fu), not Yue Fu, when it transliterates a foreign name."""
    if word[:1] in _HAN_SURNAME_READINGS:
        return (" ".join(_han_syllables(word, surname_reading=False)),)
    return ()


_HAN_RUNS_RE = re.compile(
    r"[\u3400-\u9fff\uf900-\ufaff\u3005-\u3007]+|[^\u3400-\u9fff\uf900-\ufaff\u3005-\u3007]+"
)


def _han(word: str) -> list[str]:
    """Romanise a Han token; see `latin_variants`."""
    chars = [c for c in word if _char_script(c) == "han"]
    if len(chars) != len(word):
        # Mixed with Latin letters or digits: keep the non-Han parts as they are.
        parts = _HAN_RUNS_RE.findall(word)
        return [
            " ".join(
                " ".join(_han_syllables(p)) if _char_script(p[0]) == "han" else _ascii(p)
                for p in parts
            )
        ]
    syllables = _han_syllables(word)
    if not syllables:
        return []
    chinese = _han_chinese(word, syllables)
    korean, japanese = _han_as_korean_or_japanese(word)
    # Pinyin and Wade-Giles first, then the Korean (DPRK, MR) and Japanese readings, then
    # the other Korean and Cantonese spellings.
    return [*chinese[:3], *korean[:2], *japanese, *chinese[3:], *korean[2:]]


def _han_chinese(word: str, syllables: list[str]) -> list[str]:
    """Pinyin name form, pinyin syllables, Wade-Giles, Cantonese surname forms."""
    n_surname = 0
    if 2 <= len(word) <= 4:
        if word[:2] in _HAN_COMPOUND_SURNAMES and len(word) >= 3:
            n_surname = 2
        elif word[0] in _HAN_SURNAMES:
            n_surname = 1
    surname = "".join(syllables[:n_surname])
    given = syllables[n_surname:]
    wg = [_wade_giles(s) for s in syllables]
    forms: list[str] = []
    if n_surname:
        forms.append(f"{surname} {''.join(given)}")  # Xi Jinping: pinyin name form
        forms.append(" ".join(syllables))  # XI Jin Ping
        forms.append(f"{''.join(wg[:n_surname])} {' '.join(wg[n_surname:])}")  # Hsi Chin-ping
        for canto in _HAN_CANTONESE.get(word[0], ()) if n_surname == 1 else ():
            forms.append(f"{canto} {' '.join(given)}")
    else:
        forms.append("".join(syllables))
        forms.append(" ".join(syllables))
        forms.append(" ".join(wg))
        if len(word) == 1:
            # A lone character is often a surname split off by the caller (陳 = Chan).
            forms.extend(_HAN_CANTONESE.get(word, ()))
    return forms


# ---------------------------------------------------------------------------------------------
# Han characters in Korean and Japanese names
# ---------------------------------------------------------------------------------------------
# Korean and Japanese names are also written in Han characters (Hanja, kanji): 金正恩 is Kim
# Jong Un, 山田太郎 Yamada Taro. Their readings are not Mandarin and no rule derives them, so
# short tables of the characters common in names give the Sino-Korean reading (in Hangul, then
# romanised like any Hangul name) and the Japanese reading of common family and given names.
# A Han token gets these readings as extra variants after the Chinese ones when every
# character is covered; it cannot be told from a Chinese name by its characters alone.


def _readings(table: str) -> dict[str, str]:
    """Parse ``"金김 李이 ..."``: a character (or several) followed by its reading."""
    out: dict[str, str] = {}
    for item in table.split():
        cut = next(i for i, c in enumerate(item) if _char_script(c) != "han")
        for char in item[:cut]:
            out[char] = item[cut:]
    return out


#: Korean surnames in Hanja (the reading as written in the South; the Hangul surname table
#: then adds the DPRK's Ri, Rim, Ryang, Ro).
_HANJA_SURNAMES = _readings(
    "金김 李이 朴박 崔최 鄭정 姜강 趙曺조 尹윤 張蔣장 林임 韓한 吳오 徐서 申辛愼신 權권 黃황 "
    "安안 宋송 全田전 洪홍 柳류 劉유 高고 文문 梁楊양 孫손 裵배 白백 許허 南남 盧魯노 河하 郭곽 "
    "成성 車차 朱周주 禹우 具구 閔민 玄현 玉옥 延연 池智지 陳晉진 嚴엄 元원 千천 方房방 孔공 "
    "康강 咸함 卞邊변 廉염 呂여 秋추 都도 石석 蘇소 丁정 明명 奇기 潘반 王왕 琴금 陸육 印인 "
    "孟맹 卓탁 太태 馬마 表표 羅나 桂계 殷은 片편 龍용 甘감 景경 牟모 皮피 夫부 薛설 吉길 "
    "兪유 董동 魏위 鞠국 余여 宣선"
)
#: Hanja common in Korean given names, with their Sino-Korean readings (initial ㄹ kept, as
#: the DPRK writes it: 龍 룡, Choe Ryong Hae).
_HANJA_GIVEN = _readings(
    "正貞廷庭政定晶靜정 日一일 恩銀殷은 成聖誠星盛性晟省성 哲徹鐵喆철 英永榮暎瑛영 "
    "秀洙守壽修樹須首수 浩鎬虎皓好豪昊호 鎭眞珍振辰晉진 鍾宗鐘종 容勇用鏞溶용 龍룡 "
    "賢鉉炫玄顯현 民敏旼珉민 國菊국 在載宰才材哉栽재 大戴대 中仲重중 光廣光광 明命銘명 "
    "植湜식 勳薰熏훈 東洞童동 善先仙宣璇選선 淑叔숙 順淳舜純珣순 姬熙希喜禧熹희 子滋慈자 "
    "美米嵋미 花華和禾化화 惠慧蕙혜 亨炯衡馨瀅형 昌彰敞창 相尙祥常商想상 錫碩石奭析석 "
    "俊準峻浚埈駿준 道都度道導도 南男楠남 三參삼 基起奇紀祺琪騏箕棋기 吉길 根槿近根근 "
    "春椿춘 太泰台態태 仁寅忍印인 範範範凡범 孝效曉효 學鶴학 旭郁昱욱 雄熊웅 元源媛遠園願瑗원 "
    "允潤胤閏윤 宇雨佑祐友禹羽우 炳秉丙柄昞병 萬晩滿万만 福馥복 奉鳳峰蓬봉 來萊래 烈列렬 "
    "連蓮련 演燕淵然妍娟延衍硏연 世細歲勢세 時始詩市是시 信新臣伸晨愼신 心沈深심 亞雅兒아 "
    "愛애 良亮樑梁량 陽洋養揚暘양 燁葉엽 五午吾悟梧오 玉鈺옥 完莞琓완 雲運云芸耘운 月월 "
    "偉衛緯위 有裕柔維儒愈唯惟유 律栗률 乙을 義宜儀毅議의 益翼익 任壬妊임 長章壯將莊獎장 "
    "濟齊帝제 朝照祖兆趙助조 宙周株柱珠朱主注州洲주 智志知枝芝之地至池持지 贊讚燦瓚찬 "
    "彩采菜埰채 天泉川千薦천 清晴淸青청 忠充沖충 治致置치 澤宅택 平坪枰평 豊豐풍 必弼필 "
    "夏河賀下하 漢翰韓寒閑한 海解海해 香鄕享향 憲獻헌 赫革爀혁 弘洪泓紅鴻홍 煥桓換歡환 "
    "會檜회 厚後侯후 輝暉揮휘 興흥 斗두 得득 德덕 奎圭珪揆규 均鈞균 錦今琴金금 年연 "
    "敦惇돈 樂락 蘭란 麗呂黎려 禮례 魯路露盧로 倫輪侖륜 利理里莉璃梨履리 林琳霖림 麟隣린 "
    "武茂務舞戊무 文汶紋聞門問문 博朴泊薄박 彬斌賓빈 士思史師四仕사 山産珊算산 瑞緖書舒敍序서 "
    "雪說薛설 燮涉섭 笑素昭蘇紹所召소 松宋頌送송 承勝昇乘丞승 實室실 岩巖암 安晏岸案안 "
    "野也夜冶耶야 若約藥약 藝睿譽銳叡예 溫온 旺王汪往왕 耀堯要曜搖요 以伊怡易耳貳二而이 "
    "作作작 杰傑걸 建健乾鍵件건 謙兼겸 京敬景慶炅卿璟境耕鏡경 桂啓溪季계 古高固考告苦고 "
    "坤昆곤 孔公功共恭工貢공 寬官冠觀關管館관 求九久具球救究玖구 君群軍郡군 權勸券권 "
    "格格격 克極剋극 富夫扶府浮부 與汝予如餘여 悅열 男남 格격 珠주 主주 雪설"
)
_KO_FULL_HANGUL = frozenset(_KO_SURNAMES)


#: Surnames the DPRK reads with their initial ㄹ, which the South drops (李 리 Ri / 이 Lee).
_HANJA_SURNAMES_DPRK = _readings("李리 林림 柳류 梁량 盧로 呂려 廉렴 羅라 龍룡")


def _hanja_to_hangul(word: str) -> list[str]:
    """The Sino-Korean readings of a Han token read as a Korean name (surname first), in
    Hangul: the DPRK's reading first where it differs (李雪主 = 리설주, Ri Sol Ju), then the
    South's. Empty unless the first character is a Korean surname and every other one a
    character of Korean given names."""
    if not 2 <= len(word) <= 4 or word[0] not in _HANJA_SURNAMES:
        return []
    given = [_HANJA_GIVEN.get(c) for c in word[1:]]
    if any(g is None for g in given):
        return []
    given_hangul = "".join(g for g in given if g)
    surnames = [_HANJA_SURNAMES_DPRK.get(word[0]), _HANJA_SURNAMES[word[0]]]
    return [s + given_hangul for s in surnames if s]


def _name_table(text: str) -> dict[str, str]:
    """Parse ``"山田:yamada 田中:tanaka ..."``."""
    return dict(item.split(":", 1) for item in text.split())


#: Japanese family names in kanji (the most frequent, and well-known ones).
_KANJI_SURNAMES = _name_table(
    "佐藤:sato 鈴木:suzuki 高橋:takahashi 田中:tanaka 伊藤:ito 渡辺:watanabe 渡邊:watanabe "
    "渡部:watanabe 山本:yamamoto 中村:nakamura 小林:kobayashi 加藤:kato 吉田:yoshida "
    "山田:yamada 佐々木:sasaki 山口:yamaguchi 松本:matsumoto 井上:inoue 木村:kimura "
    "林:hayashi 斎藤:saito 斉藤:saito 清水:shimizu 山崎:yamazaki 森:mori 池田:ikeda "
    "橋本:hashimoto 阿部:abe 安倍:abe 石川:ishikawa 山下:yamashita 中島:nakajima "
    "石井:ishii 小川:ogawa 前田:maeda 岡田:okada 長谷川:hasegawa 藤田:fujita 後藤:goto "
    "近藤:kondo 村上:murakami 遠藤:endo 青木:aoki 坂本:sakamoto 福田:fukuda 太田:ota "
    "西村:nishimura 藤井:fujii 金子:kaneko 岡本:okamoto 藤原:fujiwara 中野:nakano "
    "三浦:miura 原田:harada 中川:nakagawa 松田:matsuda 竹内:takeuchi 小野:ono 田村:tamura "
    "中山:nakayama 和田:wada 石田:ishida 森田:morita 上田:ueda 原:hara 柴田:shibata "
    "酒井:sakai 工藤:kudo 横山:yokoyama 宮崎:miyazaki 宮本:miyamoto 内田:uchida "
    "高木:takagi 安藤:ando 島田:shimada 谷口:taniguchi 大野:ono 高田:takada 丸山:maruyama "
    "今井:imai 河野:kono 藤本:fujimoto 村田:murata 武田:takeda 上野:ueno 杉山:sugiyama "
    "増田:masuda 小山:koyama 大塚:otsuka 平野:hirano 菅原:sugawara 久保:kubo 松井:matsui "
    "千葉:chiba 岩崎:iwasaki 桜井:sakurai 木下:kinoshita 野口:noguchi 松尾:matsuo "
    "菊地:kikuchi 野村:nomura 新井:arai 菅:suga 岸田:kishida 麻生:aso 小泉:koizumi "
    "野田:noda 鳩山:hatoyama 福島:fukushima 石破:ishiba 豊田:toyota 本田:honda "
    "松下:matsushita 徳川:tokugawa 織田:oda 黒田:kuroda 宮沢:miyazawa 大橋:ohashi "
    "北村:kitamura 松岡:matsuoka 浅野:asano 吉川:yoshikawa 山内:yamauchi 東条:tojo "
    "麻原:asahara 岸:kishi 佐野:sano 服部:hattori 三木:miki 大平:ohira 竹下:takeshita"
)
#: Japanese given names in kanji.
_KANJI_GIVEN = _name_table(
    "太郎:taro 一郎:ichiro 次郎:jiro 二郎:jiro 三郎:saburo 健太郎:kentaro 花子:hanako "
    "和子:kazuko 洋子:yoko 恵子:keiko 幸子:sachiko 節子:setsuko 裕子:yuko 直子:naoko "
    "京子:kyoko 久美子:kumiko 由美子:yumiko 智子:tomoko 美穂:miho 明美:akemi 由美:yumi "
    "愛:ai 健:ken 誠:makoto 翔:sho 大輔:daisuke 健太:kenta 翔太:shota 拓也:takuya "
    "直樹:naoki 健一:kenichi 浩:hiroshi 博:hiroshi 清:kiyoshi 茂:shigeru 隆:takashi "
    "聡:satoshi 学:manabu 修:osamu 実:minoru 勇:isamu 進:susumu 晋三:shinzo "
    "純一郎:junichiro 文雄:fumio 義偉:yoshihide 正:tadashi 明:akira 武:takeshi "
    "剛:tsuyoshi 達也:tatsuya 和也:kazuya 哲也:tetsuya 雅人:masato 大樹:daiki 蓮:ren "
    "陽翔:haruto 結衣:yui 陽菜:hina 美咲:misaki 英機:hideki 智恵子:chieko 真理子:mariko "
    "由紀夫:yukio 康夫:yasuo 昭恵:akie 秀樹:hideki 和夫:kazuo 信夫:nobuo 光:hikaru "
    "彰晃:shoko 一:hajime 豊:yutaka 稔:minoru 弘:hiroshi 勝:masaru 大:dai 秀:hide"
)


def _kanji_reading(word: str) -> str | None:
    """The Japanese reading of a kanji name: a family name, a given name, or family name
    followed by given name (山田太郎 = yamada taro); None when the tables do not cover it."""
    if word in _KANJI_SURNAMES:
        return _KANJI_SURNAMES[word]
    if word in _KANJI_GIVEN:
        return _KANJI_GIVEN[word]
    for cut in (2, 1, 3):
        family, given = word[:cut], word[cut:]
        if family in _KANJI_SURNAMES and given in _KANJI_GIVEN:
            return f"{_KANJI_SURNAMES[family]} {_KANJI_GIVEN[given]}"
    return None


def _han_as_korean_or_japanese(word: str) -> tuple[list[str], list[str]]:
    """(Korean forms, Japanese forms) of a Han token read as a Korean or Japanese name.

    A lone character (the caller split 金正恩 into 金, 正, 恩) gets the Korean reading of a
    surname and of a given-name character, where it has them."""
    if len(word) == 1:
        singles = dict.fromkeys(
            r for r in (_HANJA_SURNAMES_DPRK.get(word), _HANJA_SURNAMES.get(word)) if r
        )
        singles.update(dict.fromkeys(r for r in (_HANJA_GIVEN.get(word),) if r))
        korean_single = [form for hangul in singles for form in _hangul(hangul)]
        japanese_single = _KANJI_SURNAMES.get(word) or _KANJI_GIVEN.get(word)
        return korean_single, [japanese_single] if japanese_single else []
    readings = _hanja_to_hangul(word)
    korean = _hangul(readings[0])[:1] if len(readings) > 1 else []
    if readings:
        korean.extend(_hangul(readings[-1]))
    japanese = _kanji_reading(word)
    return korean, [japanese] if japanese else []


# ---------------------------------------------------------------------------------------------
# Kana (Japanese)
# ---------------------------------------------------------------------------------------------

_KANA = dict(
    zip(
        "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロ"
        "ワヰヱヲンガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴヷヸヹヺァィゥェォャュョヮヵヶ",
        [
            "a",
            "i",
            "u",
            "e",
            "o",
            "ka",
            "ki",
            "ku",
            "ke",
            "ko",
            "sa",
            "shi",
            "su",
            "se",
            "so",
            "ta",
            "chi",
            "tsu",
            "te",
            "to",
            "na",
            "ni",
            "nu",
            "ne",
            "no",
            "ha",
            "hi",
            "fu",
            "he",
            "ho",
            "ma",
            "mi",
            "mu",
            "me",
            "mo",
            "ya",
            "yu",
            "yo",
            "ra",
            "ri",
            "ru",
            "re",
            "ro",
            "wa",
            "i",
            "e",
            "o",
            "n",
            "ga",
            "gi",
            "gu",
            "ge",
            "go",
            "za",
            "ji",
            "zu",
            "ze",
            "zo",
            "da",
            "ji",
            "zu",
            "de",
            "do",
            "ba",
            "bi",
            "bu",
            "be",
            "bo",
            "pa",
            "pi",
            "pu",
            "pe",
            "po",
            "vu",
            "va",
            "vi",
            "ve",
            "vo",
            "a",
            "i",
            "u",
            "e",
            "o",
            "ya",
            "yu",
            "yo",
            "wa",
            "ka",
            "ke",
        ],
        strict=True,
    )
)
_SMALL_Y = frozenset("ャュョ")
_SMALL_VOWELS = frozenset("ァィゥェォヮ")
# Kunrei-shiki, as the older and some official documents write Japanese names.
_KUNREI = (
    ("shi", "si"),
    ("chi", "ti"),
    ("tsu", "tu"),
    ("fu", "hu"),
    ("ji", "zi"),
    ("sh", "sy"),
    ("ch", "ty"),
    ("j", "zy"),
)


def _kana_stem(base: str) -> str:
    """The consonant of a kana reading, for combinations with a small kana (ティ -> t+i)."""
    if base in ("ku", "gu"):
        return base[0] + "w"
    if base == "u":
        return "w"
    if base == "i":
        return "y"
    return base[:-1]


def _kana_syllables(word: str) -> list[str]:
    """Hepburn syllables; ``ー`` stays as a marker ``-`` for the caller to render."""
    chars = [chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in word]
    out: list[str] = []
    geminate = False
    for char in chars:
        if char == "ッ" or char == "\u30c3":
            geminate = True
            continue
        if char == "ー":
            out.append("-")
            continue
        if char not in _KANA:
            if char in "・･ ":
                out.append(" ")
            continue
        reading = _KANA[char]
        if out and out[-1] not in ("-", " ") and (char in _SMALL_Y or char in _SMALL_VOWELS):
            base = out.pop()
            if char in _SMALL_Y:
                if base.endswith("i") and base[:-1] in ("sh", "ch", "j"):
                    reading = base[:-1] + reading[1:]
                elif base.endswith("i"):
                    reading = base[:-1] + reading
                else:
                    reading = _kana_stem(base) + reading
            else:
                reading = _kana_stem(base) + reading[-1]
        if geminate:
            reading = ("t" if reading.startswith("ch") else reading[0]) + reading
            geminate = False
        out.append(reading)
    return out


def _kana(word: str) -> list[str]:
    syllables = _kana_syllables(word)
    if not syllables:
        return [_ascii(_icu("Any-Latin")(word))]
    plain: list[str] = []
    doubled: list[str] = []
    for syl in syllables:
        if syl == "-":
            last = doubled[-1][-1:] if doubled else ""
            doubled.append(last if last in "aeiou" else "")
            continue
        plain.append(syl)
        doubled.append(syl)
    hepburn = _ascii("".join(plain))
    kunrei = hepburn
    for hep, kun in _KUNREI:
        kunrei = kunrei.replace(hep, kun)
    return [hepburn, _ascii("".join(doubled)), kunrei]


# ---------------------------------------------------------------------------------------------
# Arabic, Persian, Urdu
# ---------------------------------------------------------------------------------------------

# Consonant letters: (standard, Egyptian/Levantine, Maghrebi/French, Persian/Urdu) values.
_AR_CONSONANTS: dict[str, tuple[str, str, str, str]] = {
    "ب": ("b", "b", "b", "b"),
    "ت": ("t", "t", "t", "t"),
    "ث": ("th", "s", "th", "s"),
    "ج": ("j", "g", "dj", "j"),
    "ح": ("h", "h", "h", "h"),
    "خ": ("kh", "kh", "kh", "kh"),
    "د": ("d", "d", "d", "d"),
    "ذ": ("dh", "z", "dh", "z"),
    "ر": ("r", "r", "r", "r"),
    "ز": ("z", "z", "z", "z"),
    "س": ("s", "s", "s", "s"),
    "ش": ("sh", "sh", "ch", "sh"),
    "ص": ("s", "s", "s", "s"),
    "ض": ("d", "d", "d", "z"),
    "ط": ("t", "t", "t", "t"),
    "ظ": ("z", "z", "z", "z"),
    "ع": ("", "", "", ""),
    "غ": ("gh", "gh", "gh", "gh"),
    "ف": ("f", "f", "f", "f"),
    "ق": ("q", "k", "k", "gh"),
    "ك": ("k", "k", "k", "k"),
    "ک": ("k", "k", "k", "k"),
    "ل": ("l", "l", "l", "l"),
    "م": ("m", "m", "m", "m"),
    "ن": ("n", "n", "n", "n"),
    "ه": ("h", "h", "h", "h"),
    "ہ": ("h", "h", "h", "h"),
    "ھ": ("h", "h", "h", "h"),
    "ء": ("", "", "", ""),
    "پ": ("p", "p", "p", "p"),
    "چ": ("ch", "ch", "tch", "ch"),
    "ژ": ("zh", "j", "j", "zh"),
    "گ": ("g", "g", "g", "g"),
    "ڤ": ("v", "v", "v", "v"),
    "ٹ": ("t", "t", "t", "t"),
    "ڈ": ("d", "d", "d", "d"),
    "ڑ": ("r", "r", "r", "r"),
    "ں": ("n", "n", "n", "n"),
}
# Letters that carry vowels: alif forms, waw, ya forms, ta marbuta, alif maqsura.
_AR_ALIFS = frozenset("اأإآٱ")
_AR_WAW = frozenset("وؤ")
_AR_YA = frozenset("يیىئےې")
_AR_TA_MARBUTA = frozenset("ةۀ")
_AR_HARAKAT = {"\u064e": "a", "\u0650": "i", "\u064f": "u", "\u064b": "an", "\u064d": "in"}
_AR_HARAKAT.update({"\u064c": "un", "\u0670": "a"})
_AR_SHADDA = "\u0651"
_AR_IGNORED = frozenset("\u0640\u0652\u0653\u0654\u0655\u200c\u200d")

#: Very common Arabic given names and name elements, whose conventional spellings carry
#: vowels the script does not write. The rules below produce the consonant skeleton anyway;
#: these only put the usual spelling first.
_AR_NAMES: dict[str, tuple[str, ...]] = {
    "محمد": ("muhammad", "mohammed", "mohamed", "mohammad"),
    "أحمد": ("ahmad", "ahmed"),
    "احمد": ("ahmad", "ahmed"),
    "محمود": ("mahmoud", "mahmud"),
    "مصطفى": ("mustafa", "mostafa"),
    "علي": ("ali",),
    "حسن": ("hassan", "hasan"),
    "حسين": ("hussein", "husayn", "hussain", "hosseyn"),
    "عمر": ("umar", "omar"),
    "عثمان": ("uthman", "othman", "osman"),
    "خالد": ("khalid", "khaled"),
    "يوسف": ("yusuf", "yousef", "youssef"),
    "إبراهيم": ("ibrahim", "ebrahim"),
    "ابراهيم": ("ibrahim", "ebrahim"),
    "عبد": ("abd", "abdul", "abdel"),
    "عبدالله": ("abdullah", "abdallah", "abd allah"),
    "الله": ("allah",),
    "سعيد": ("said", "saeed", "saied"),
    "سعد": ("saad", "sad"),
    "صالح": ("salih", "saleh"),
    "ناصر": ("nasir", "nasser", "naser"),
    "جمال": ("jamal", "gamal", "djamel"),
    "فاطمة": ("fatima", "fatimah", "fatma"),
    "عائشة": ("aisha", "aysha", "aicha"),
    "بن": ("bin", "ben", "ibn"),
    "ابن": ("ibn", "bin", "ben"),
    "أبو": ("abu", "abou"),
    "ابو": ("abu", "abou"),
    "حمد": ("hamad", "hamed"),
    "أسامة": ("usama", "osama"),
    "اسامة": ("usama", "osama"),
}


def _arabic_core(word: str, profile: int, vowel: str) -> str:
    """Romanise an Arabic-script word with one set of consonant values (``profile``).

    Vowel letters are read by position: waw and ya are consonants (w/v, y) at the start of
    the word or next to a vowel, vowels (u/o, i/e) between consonants. ``vowel`` is inserted
    between two consonant letters (the unwritten short vowel guess; empty for the bare
    skeleton).
    """
    out: list[str] = []
    last_is_consonant = False
    n = len(word)
    waw_vowel = ("u", "o", "ou", "o")[profile]
    waw_cons = ("w", "w", "w", "v")[profile]
    ya_vowel = ("i", "e", "i", "i")[profile]
    for i, char in enumerate(word):
        if char in _AR_IGNORED:
            continue
        if char in _AR_HARAKAT:
            out.append(_AR_HARAKAT[char])
            last_is_consonant = False
            continue
        if char == _AR_SHADDA:
            if out and last_is_consonant:
                out.append(out[-1][-1])
            continue
        initial = i == 0
        final = i == n - 1
        if char in _AR_ALIFS:
            if char == "إ":
                out.append("i" if profile != 1 else "e")
            elif not (out and out[-1] in ("a", "aa")):
                out.append("a")
            last_is_consonant = False
            continue
        if char in _AR_TA_MARBUTA:
            out.append("a")
            last_is_consonant = False
            continue
        after_initial_alif = i == 1 and word[0] in _AR_ALIFS
        if char in _AR_WAW:
            nxt = word[i + 1] if i + 1 < n else ""
            if after_initial_alif and nxt not in _AR_ALIFS:
                out[-1:] = [waw_vowel]  # أو / او: initial long u/o (Orhan, Umar)
                last_is_consonant = False
            elif initial or nxt in _AR_ALIFS or not last_is_consonant and out:
                if last_is_consonant and vowel:
                    out.append(vowel)
                out.append(waw_cons)
                last_is_consonant = True
            else:
                out.append(waw_vowel)
                last_is_consonant = False
            continue
        if char in _AR_YA:
            nxt = word[i + 1] if i + 1 < n else ""
            if char == "ى" and final:
                out.append("a")
                last_is_consonant = False
            elif after_initial_alif and nxt not in _AR_ALIFS:
                out[-1:] = [ya_vowel]  # إي / اي: initial long i/e (Ishibashi)
                last_is_consonant = False
            elif initial or nxt in _AR_ALIFS or (not last_is_consonant and out and not final):
                if last_is_consonant and vowel:
                    out.append(vowel)
                out.append("y")
                last_is_consonant = True
            else:
                out.append(ya_vowel)
                last_is_consonant = False
            continue
        values = _AR_CONSONANTS.get(char)
        if values is None:
            continue
        value = values[profile]
        if char in "هہ" and final and not last_is_consonant and out:
            continue  # -ah: the h is a vowel marker at the end
        if char in "هہ" and final and last_is_consonant:
            out.append(("a", "e", "a", "e")[profile])  # Persian -eh: Zadeh, Fatemeh
            last_is_consonant = False
            continue
        if not value:
            # ayn, hamza: a glottal sound most romanisations drop or write as a vowel.
            last_is_consonant = False
            continue
        if last_is_consonant and vowel:
            out.append(vowel)
        out.append(value)
        last_is_consonant = True
    return "".join(out)


_AR_ARTICLE = "ال"


def _arabic(word: str) -> list[str]:
    word = unicodedata.normalize("NFC", word)
    forms: list[str] = list(_AR_NAMES.get(word, ()))
    core = word
    prefix_forms: tuple[str, ...] = ("",)
    if word.startswith("عبد") and len(word) > 4:
        core = word[3:]
        if core.startswith(_AR_ARTICLE) and len(core) > 3:
            core = core[2:]
        prefix_forms = ("abd al ", "abdul ", "abdel ", "abd ")
    elif word.startswith(_AR_ARTICLE) and len(word) > 3:
        core = word[2:]
        prefix_forms = ("al ", "", "el ")
    if word in _AR_NAMES:
        return [_ascii(f) for f in (*forms, _arabic_core(word, 0, ""))]
    if core in _AR_NAMES:
        base = list(_AR_NAMES[core])
    else:
        base = [
            _arabic_core(core, 0, ""),  # skeleton with the vowel letters read as vowels
            _arabic_core(core, 0, "a"),  # short vowels guessed as a
            _arabic_core(core, 1, "e"),  # Egyptian/Levantine
            _arabic_core(core, 2, "e"),  # Maghrebi/French
            _arabic_core(core, 3, "a"),  # Persian/Urdu
        ]
    if prefix_forms == ("",):
        forms.extend(base)
    else:
        forms.extend(prefix_forms[0] + b for b in base[:2])
        forms.extend(prefix_forms[1] + b for b in base[:2])
        forms.extend(p + base[0] for p in prefix_forms[2:])
    return [_ascii(f) for f in forms]


# ---------------------------------------------------------------------------------------------
# Hebrew
# ---------------------------------------------------------------------------------------------

_HE_FINALS = str.maketrans("ךםןףץ", "כמנפצ")
_HE_GERESH = "'\u05f3\u2019`"
# Letter values: (standard, soft/modern) - begadkefat letters inside a word are often soft.
_HE_CONSONANTS: dict[str, tuple[str, str]] = {
    "ב": ("b", "v"),
    "ג": ("g", "g"),
    "ד": ("d", "d"),
    "ז": ("z", "z"),
    "ח": ("kh", "h"),
    "ט": ("t", "t"),
    "כ": ("k", "kh"),
    "ל": ("l", "l"),
    "מ": ("m", "m"),
    "נ": ("n", "n"),
    "ס": ("s", "s"),
    "פ": ("p", "f"),
    "צ": ("ts", "tz"),
    "ק": ("k", "k"),
    "ר": ("r", "r"),
    "ש": ("sh", "s"),
    "ת": ("t", "t"),
}
_HE_WITH_GERESH = {"ג": "j", "ז": "zh", "צ": "ch", "ת": "th", "ד": "dh", "ח": "kh"}
_HE_NIQQUD = {
    "\u05b4": "i",
    "\u05b5": "e",
    "\u05b6": "e",
    "\u05b7": "a",
    "\u05b8": "a",
    "\u05b9": "o",
    "\u05ba": "o",
    "\u05bb": "u",
    "\u05b1": "e",
    "\u05b2": "a",
    "\u05b3": "o",
}


def _hebrew_core(word: str, soft: bool, vav_consonant: bool = False) -> str:
    """Romanise an unvocalised Hebrew word.

    Spelling rules of unvocalised Hebrew decide vav and yod: a consonantal vav or yod inside a
    word is written doubled (``וו`` v/w, ``יי`` y), so a single one inside a word is a vowel
    (o/u, i/e); at the start of a word they are consonants. Alef and ayin carry a vowel
    (``a``), word-final he is a vowel. ``soft`` reads bet, kaf, pe inside the word as v, kh, f
    and vowels as u/e instead of o/i. ``vav_consonant`` reads a single vav between two
    consonant letters as v, as older and loan spellings do (דוד = David).
    """
    chars = [c for c in word.translate(_HE_FINALS) if c not in "\u05bc\u05c1\u05c2\u05bf"]
    out: list[str] = []
    i = 0
    n = len(chars)
    while i < n:
        char = chars[i]
        nxt = chars[i + 1] if i + 1 < n else ""
        if char in _HE_NIQQUD:
            out.append(_HE_NIQQUD[char])
        elif char in "אע":
            # Word-initial alef before vav/yod only carries their vowel (אורי = uri).
            if not (i == 0 and nxt in "וי"):
                out.append("a" if not soft or i > 0 else "e")
        elif char == "ו":
            if nxt == "ו":
                out.append("v" if soft else "w")
                i += 1
            elif i == 0 or (vav_consonant and 0 < i < n - 1 and nxt not in "אעוי"):
                out.append("v")
            else:
                out.append("u" if soft else "o")
        elif char == "י":
            if nxt == "י" and i + 2 < n:
                out.append("ey" if soft else "y")
                i += 1
            elif nxt == "י":
                out.append("i")
                i += 1
            elif i == 0:
                out.append("y")
            else:
                out.append("e" if soft and 0 < i < n - 1 else "i")
        elif char == "ה" and i == n - 1 and i > 0:
            out.append("e" if soft else "a")
        elif char == "ה":
            out.append("h")
        elif char in _HE_CONSONANTS:
            if nxt and nxt in _HE_GERESH and char in _HE_WITH_GERESH:
                out.append(_HE_WITH_GERESH[char])
                i += 1
            else:
                hard, gentle = _HE_CONSONANTS[char]
                out.append(gentle if soft and (i > 0 or char not in "בכפ") else hard)
        i += 1
    return "".join(out)


#: Frequent Hebrew given names, whose conventional spellings put in the vowels that
#: unpointed Hebrew leaves out (משה is Moshe, not msha). Written for this project from
#: common usage; Israeli passports and the lists spell these names this way.
_HE_NAMES: dict[str, tuple[str, ...]] = {
    "משה": ("moshe", "moses"),
    "דוד": ("david", "dovid"),
    "אברהם": ("avraham", "abraham"),
    "יצחק": ("yitzhak", "itzhak", "isaac"),
    "יעקב": ("yaakov", "yaacov", "jacob"),
    "יוסף": ("yosef", "joseph"),
    "שלמה": ("shlomo", "solomon"),
    "שמואל": ("shmuel", "samuel"),
    "אהרון": ("aharon", "aaron"),
    "אהרן": ("aharon", "aaron"),
    "בנימין": ("binyamin", "benjamin"),
    "יהודה": ("yehuda", "judah"),
    "חיים": ("chaim", "haim", "hayim"),
    "מנחם": ("menachem", "menahem"),
    "אליהו": ("eliyahu", "elijah"),
    "יונתן": ("yonatan", "jonathan"),
    "נתן": ("natan", "nathan"),
    "דניאל": ("daniel",),
    "מיכאל": ("michael", "mikhael"),
    "שרה": ("sara", "sarah"),
    "רחל": ("rachel", "rahel"),
    "לאה": ("lea", "leah"),
    "רבקה": ("rivka", "rebecca"),
    "מרים": ("miriam",),
    "אסתר": ("ester", "esther"),
    "רות": ("rut", "ruth"),
    "אבי": ("avi",),
    "עמית": ("amit",),
    "כהן": ("cohen", "kohen"),
    "לוי": ("levi", "levy"),
}


def _hebrew(word: str) -> list[str]:
    return [
        *_HE_NAMES.get(word, ()),
        _ascii(_hebrew_core(word, False)),
        _ascii(_hebrew_core(word, True)),
        _ascii(_hebrew_core(word, False, vav_consonant=True)),
    ]


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------

_BY_SCRIPT: dict[str, Callable[[str], list[str]]] = {
    "latin": _latin,
    "cyrillic": _cyrillic,
    "greek": _greek,
    "hangul": _hangul,
    "han": _han,
    "kana": _kana,
    "arabic": _arabic,
    "hebrew": _hebrew,
    "other": _other,
}
_SPLIT_RE = re.compile(r"[\s\u3000\u30fb\u00b7\u200b]+")


def _dedupe(forms: Iterable[str], limit: int = MAX_VARIANTS) -> tuple[str, ...]:
    out: list[str] = []
    for form in forms:
        form = " ".join(form.split())
        if form and form not in out:
            out.append(form)
            if len(out) == limit:
                break
    return tuple(out)


@lru_cache(maxsize=100_000)
def _word_forms(word: str) -> tuple[str, ...]:
    """Romanisations of one word in system order, duplicates kept so that the i-th form of
    each word of a name comes from the same system; a word mixing scripts (``ABC习``) is
    romanised run by run."""
    runs: list[list[str]] = []
    run_script: str | None = None
    for char in word:
        script = _char_script(char) or run_script
        if script != run_script or not runs:
            runs.append([])
            run_script = script
        runs[-1].append(char)
    if len(runs) > 1:
        # Alphabets mixed inside one word (a Cyrillic І in ROMASHKІN) stay one word;
        # a Han or kana run next to Latin letters (ABC习) is a word of its own.
        alphabets = {_char_script(c) for c in word} <= _ALPHABETS | {None}
        return _combine([_word_forms("".join(run)) for run in runs], "" if alphabets else " ")
    forms = (" ".join(f.split()) for f in _BY_SCRIPT[script_of(word)](word))
    return tuple(f for f in forms if f)


def _combine(per_word: list[tuple[str, ...]], sep: str = " ") -> tuple[str, ...]:
    """Join the i-th form of each word (the same system, where the lists line up)."""
    per_word = [v for v in per_word if v]
    if not per_word:
        return ()
    if len(per_word) == 1:
        return per_word[0]
    depth = max(len(v) for v in per_word)
    return tuple(sep.join(v[min(i, len(v) - 1)] for v in per_word) for i in range(depth))


_ALPHABETS = frozenset({"latin", "cyrillic", "greek"})


@lru_cache(maxsize=100_000)
def is_mixed_script(token: str) -> bool:
    """Whether one word mixes letters of two alphabets (Latin, Cyrillic, Greek), as in
    ``ROMASHKІN`` with a Cyrillic ``І``: look-alike letters, typed by mistake or to evade
    screening. `token_similarity` reads such a word by the sound of its letters (so it matches
    ROMASHKIN); the engine decides what to do with it. Japanese kanji with kana, or Han next
    to Latin letters, is not mixed in this sense."""
    for word in token.split():
        scripts = {_char_script(c) for c in word}
        scripts.discard(None)
        if len(scripts) > 1 and scripts <= _ALPHABETS:
            return True
    return False


@lru_cache(maxsize=200_000)
def latin_variants(text: str) -> tuple[str, ...]:
    """Plausible Latin renderings of ``text``, most standard first, deduplicated, at most
    `MAX_VARIANTS`, each lowercase ASCII letters and digits separated by single spaces.

    * Latin: the ASCII fold (``Müller`` -> ``muller``, ``ß`` -> ``ss``), then the spelling
      that keeps the sound of š/ž/č/ü (``shpinarova``, ``mueller``) when it differs.
    * Cyrillic: BGN/PCGN, common English usage (Dmitry), ICAO 9303 (Dmitrii), GOST 7.79 B
      (Dmitrij), a simplified form (Dmitri, Hodorkovsky), German and French usage; the
      Ukrainian national system first when the word has Ukrainian letters.
    * Hangul: the DPRK's usage (Kim Jong Un), McCune-Reischauer without breves (Kim Chong Un),
      Revised Romanization (Gim Jeong Eun), South Korean everyday spelling (Kim Jung Eun),
      then the other conventional spellings of a known surname (Lee/Yi/Rhee, Park/Pak/Bak).
      Syllables are separated by spaces; the first syllable of a 2-4 syllable word is read as
      the surname.
    * Han: pinyin in the name form (``xi jinping``), pinyin by syllable (``xi jin ping``),
      Wade-Giles (``hsi chin ping``); then, when the characters are those of a Korean or
      Japanese name, its Korean (``kim jong un`` for 金正恩) or Japanese (``yamada taro``)
      reading; then Cantonese/Hokkien surname spellings (Chan, Wong).
    * Arabic script: common spellings of very common names, then a consonantal reading with
      the vowel letters as vowels (``mhmd``), short vowels guessed as ``a``, and Egyptian,
      Maghrebi and Persian consonant values; ``al-``/``abd al-`` forms and the bare name.
    * Hebrew: hard (b, k, p, kh) and soft (v, kh, f, h) readings, a single vav/yod inside a
      word as a vowel (unvocalised spelling doubles consonantal ones), and vav as v.
    * Kana: Hepburn without long-vowel marks, with doubled long vowels, and Kunrei-shiki.
    * Greek: ELOT 743 / UNGEGN and classical transcription; anything else: ICU Any-Latin.

    Multi-word text combines the i-th variant of each word. Spaces in a variant separate
    syllables or name parts; comparisons (`token_similarity`, `phonetic.token_keys`) also use
    the variant with its spaces removed, so run-together forms are not listed separately.
    """
    return _dedupe(_combine([_word_forms(w) for w in _SPLIT_RE.split(text.strip()) if w]))


#: Values Chinese transliteration of foreign names gives pinyin spellings: j/q/x are the
#: palatal g/k, ch and s (吉利斯 jilisi = Gillies, 西德 xide = Sid); -ng finals stand for
#: plain n (亨特 hengte = Hunt, 康纳威 kangnawei = Conaway); wu and yi are plain vowels.
_PINYIN_WESTERN = (
    (re.compile(r"ng(?![aeiou])"), "n"),
    (re.compile(r"wu"), "u"),
    (re.compile(r"yi"), "i"),
    (re.compile(r"j"), "g"),
    (re.compile(r"q"), "ch"),
    (re.compile(r"x"), "s"),
)


@lru_cache(maxsize=200_000)
def comparison_forms(token: str) -> tuple[str, ...]:
    """The forms a token is compared and indexed by: its `latin_variants` (for a single word
    all of them, up to twice `MAX_VARIANTS`), plus

    * for Han, pinyin run together with the values Chinese transliteration gives pinyin
      letters in foreign names (`_PINYIN_WESTERN`: 吉利斯 jilisi = Gillies), also for the
      common-word reading of a first character that has a surname reading (乐福 = Love);
    * for kana, the Hepburn form with ji/chi read as di/ti.

    These are not spellings anyone uses for a Chinese or Japanese name, so `latin_variants`
    does not list them."""
    words = [w for w in _SPLIT_RE.split(token.strip()) if w]
    if len(words) == 1:
        # All forms of a single word, beyond the cut-off of `latin_variants`.
        variants = _dedupe(_word_forms(words[0]), limit=2 * MAX_VARIANTS)
    else:
        variants = latin_variants(token)
    if variants and script_of(token) == "kana":
        # Japanese writes foreign di/ti with ji/chi (ウラジーミル = Vladimir).
        older = variants[0].replace("ji", "di").replace("chi", "ti")
        if older != variants[0]:
            return (*variants, older)
    if variants and script_of(token) == "han":
        extra = []
        for variant in variants[:1] + _han_alternative_readings(token):
            western = variant.replace(" ", "")
            for pattern, repl in _PINYIN_WESTERN:
                western = pattern.sub(repl, western)
            extra.append(western)
        return _dedupe((*variants, *extra), limit=2 * MAX_VARIANTS)
    return variants


# ---------------------------------------------------------------------------------------------
# Similarity
# ---------------------------------------------------------------------------------------------


def _compact(form: str) -> str:
    return form.replace(" ", "")


# Name particles and romanisations of one surname that no spelling rule relates:
# Lee/Yi/Rhee (이), Park/Pak/Bak (박), Chan/Chen (陳), Wong/Huang (黃), bin/ibn/ben.
_PARTICLE_GROUPS = (
    ("bin", "ibn", "ben", "ibnu", "bn"),
    ("bint", "binti", "bent"),
    ("al", "el", "ul"),
    ("abu", "abou", "abo", "bu"),
    ("abd", "abdul", "abdel", "abdal", "abdu", "abdol"),
    ("ould", "weld", "wuld"),
)


def _build_spelling_groups() -> dict[str, frozenset[int]]:
    groups: list[set[str]] = [set(g) for g in _PARTICLE_GROUPS]
    groups.extend(set(spellings) for spellings in _KO_SURNAMES.values())
    for char, spellings in _HAN_CANTONESE.items():
        reading = _han_syllables(char)
        pinyin = reading[0] if reading else ""
        groups.append({*spellings, pinyin, _wade_giles(pinyin)} - {""})
    index: dict[str, set[int]] = {}
    for number, group in enumerate(groups):
        for spelling in group:
            index.setdefault(spelling, set()).add(number)
    return {spelling: frozenset(numbers) for spelling, numbers in index.items()}


_SPELLING_GROUPS = _build_spelling_groups()
_EMPTY: frozenset[int] = frozenset()


#: A compact Latin form with its spelling code, phonetic code, consonant skeleton and the
#: spelling groups it belongs to: what `_entry_pair` needs, looked up once per form.
Entry = tuple[str, str, str, str, frozenset[int]]


@lru_cache(maxsize=200_000)
def _entry(form: str) -> Entry:
    return (
        form,
        spelling_code(form),
        phonetic_code(form),
        consonant_skeleton(form),
        _SPELLING_GROUPS.get(form, _EMPTY),
    )


def _entry_pair(x: Entry, y: Entry) -> float:
    """Two romanised spellings (compact forms) of maybe one name.

    The best of: the plain edit similarity; the edit similarity of the spelling codes,
    slightly discounted (collapsing spellings loses a little evidence); that of the coarser
    phonetic codes, discounted more (b/f and l/r rarely alternate between two Latin
    spellings: Florez is not Brolin); 0.9 for known spellings of one surname or particle.
    A pair differing in consonants where either token has four letters or sounds or fewer is
    discounted by 0.9: one letter is a large part of a short name (Jong/Jun, Ivan/Iran,
    Case/Garry), while vowels vary between spellings anyway (Ahmad/Ahmed).
    """
    a, fine_a, coarse_a, skel_a, groups_a = x
    b, fine_b, coarse_b, skel_b, groups_b = y
    if a == b:
        return 1.0
    if fine_a == fine_b:
        return 0.95
    score = max(
        Levenshtein.normalized_similarity(a, b),
        0.95 * Levenshtein.normalized_similarity(fine_a, fine_b),
        0.8 * Levenshtein.normalized_similarity(coarse_a, coarse_b),
    )
    if min(len(a), len(b), len(fine_a), len(fine_b)) <= 4 and skel_a != skel_b:
        score *= 0.9
    if score < 0.9 and groups_a & groups_b:
        return 0.9
    return score


def _latin_pair(a: str, b: str) -> float:
    """`_entry_pair` of two compact Latin forms."""
    return 1.0 if a == b else _entry_pair(_entry(a), _entry(b))


@lru_cache(maxsize=200_000)
def _latin_entries(token: str) -> tuple[Entry, ...]:
    """The `_entry` of each comparison form of a Latin token, run together."""
    return tuple(_entry(_compact(form)) for form in comparison_forms(token))


_RHOTIC_RE = re.compile(r"(?<=[aeiouy])r+(?=[^aeiouy]|$)")

#: Weight of the consonant skeleton by its length: one or two shared consonants are weak
#: evidence (Archer/Yuji share ``S``), three or more carry the comparison.
_SKELETON_WEIGHT = (0.0, 0.4, 0.6, 0.8)
#: The same for the abjads (Arabic, Hebrew script) when the skeletons agree: these scripts
#: write no short vowels, so vowel classes say little once the consonants match (משה =
#: Moshe, דוד = David). A consonant difference still counts fully (محمد is not Ahmed).
_SKELETON_WEIGHT_ABJAD = (0.0, 0.6, 0.8, 0.9)
_ABJADS = frozenset({"arabic", "hebrew"})

Profile = tuple[tuple[str, str], ...]


Rule = tuple[re.Pattern[str], str, frozenset[str]]
_LOOKAROUND_RE = re.compile(r"\(\?<?[=!][^)]*\)|[\^$]")


def _first_letters(pattern: str) -> frozenset[str]:
    """The letters a match of ``pattern`` can start with (lookarounds and anchors aside):
    a rule is skipped, without running its regex, when none occurs in the text."""
    core = _LOOKAROUND_RE.sub("", pattern)
    if core.startswith("(?:") and core.endswith(")"):
        core = core[3:-1]
    letters: set[str] = set()
    for alternative in core.split("|"):
        if alternative.startswith("["):
            letters.update(alternative[1 : alternative.index("]")])
        elif alternative:
            letters.add(alternative[0])
    return frozenset(letters)


def _rules(*pairs: tuple[str, str]) -> tuple[Rule, ...]:
    return tuple((re.compile(pattern), repl, _first_letters(pattern)) for pattern, repl in pairs)


#: How a Latin spelling sounds in the language it was likely written in, as other scripts
#: transcribe it (by ear, not by letter). Applied to the Latin side of a cross-script
#: comparison only; the best reading wins.
_READINGS = (
    # English as Korean, Japanese and Chinese hear it (British, non-rhotic): Barker = 바커,
    # Smith = スミス, George = 乔治.
    _rules(
        (r"(?<=[aeiouy])r+(?=[^aeiouy]|$)", ""),
        (r"th", "s"),
        (r"g(?=[eiy])", "j"),
        (r"(?<=[^aeiou])e$", ""),
    ),
    # German: Richter = Рихтер, Jung = Юнг, Eichinger = アイヒンガー.
    _rules(
        (r"sch", "sh"),
        (r"ch", "kh"),
        (r"j", "y"),
        (r"ig$", "ikh"),
        (r"ei", "ai"),
        (r"ie", "i"),
        (r"eu", "oi"),
        (r"z", "ts"),
    ),
    # French: Dupuis = 뒤피, Thibaut = 티보, Gillet = 질레.
    _rules(
        (r"(?<=[aeiouy])(?:[stdxzp]|ts|ds|nt|lt)$", ""),
        (r"(?<=[^aeiouy])(?:es|e)$", ""),
        (r"eau|au", "o"),
        (r"oi", "wa"),
        (r"gn", "ny"),
        (r"(?<=[aeiou])ill", "y"),
        (r"^h", ""),
        (r"qu", "k"),
        (r"ch", "sh"),
        (r"j", "zh"),
        (r"g(?=[eiy])", "zh"),
    ),
    # Spanish, Portuguese: Julio = חוליו, Giménez = חימנז, Galvão = 갈방.
    _rules(
        (r"j", "kh"),
        (r"g(?=[ei])", "kh"),
        (r"ll", "y"),
        (r"^h", ""),
        (r"x", "kh"),
        (r"gu(?=[ei])", "g"),
        (r"qu", "k"),
        (r"[nl]h", "ny"),
        (r"z", "s"),
    ),
    # Slavic and Hungarian in Latin letters: Chmiel = Хмель, Jokić = Јокић, Wojcik = Войцик.
    _rules(
        (r"ch", "kh"),
        (r"j", "y"),
        (r"c(?![hsz])", "ts"),
        (r"rz", "zh"),
        (r"cs", "ch"),
        (r"gy", "dj"),
    ),
    # Italian: Ciano = チャーノ, Giulietta = 줄리에타, Ghedini = 格迪尼.
    _rules(
        (r"ch", "k"),
        (r"gh", "g"),
        (r"gli", "li"),
        (r"gn", "ny"),
        (r"sc(?=[ei])", "sh"),
        (r"c(?=[ei])", "ch"),
        (r"g(?=[ei])", "j"),
        (r"zz?", "ts"),
    ),
)


@lru_cache(maxsize=200_000)
def _latin_readings(form: str) -> tuple[str, ...]:
    """A Latin spelling and its distinct readings under `_READINGS`."""
    out = [form]
    letters = set(form)
    for rules in _READINGS:
        reading = form
        for pattern, repl, first in rules:
            if not first.isdisjoint(letters):
                reading = pattern.sub(repl, reading)
        if reading and reading not in out:
            out.append(reading)
    return tuple(out)


@lru_cache(maxsize=200_000)
def key_forms(token: str) -> tuple[str, ...]:
    """The forms `phonetic.token_keys` derives keys from: the `comparison_forms` (with their
    spaces, so multi-part forms can key each part), for a Latin token also its
    `_latin_readings`, and the non-rhotic reading of each. Everything the similarity can
    match on should be reachable through a shared key."""
    forms = list(comparison_forms(token))
    if script_of(token) == "latin":
        forms.extend(r for f in list(forms) for r in _latin_readings(_compact(f))[1:])
    forms.extend(_non_rhotic(f) for f in list(forms))
    return _dedupe(forms, limit=64)


def _non_rhotic(form: str) -> str:
    """`form` without the r after a vowel (see `_profile`)."""
    return _RHOTIC_RE.sub("", form) if "r" in form else form


@lru_cache(maxsize=200_000)
def _profile(part: str, read: bool) -> Profile:
    """Distinct (consonant skeleton, phonetic code) pairs of a compact form, of its
    `_latin_readings` when ``read``, and of the non-rhotic reading of each.

    Korean, Japanese and Chinese render English names as British English pronounces them:
    no r after a vowel (Barker = 바커 ba-keo, Rossner = ロスナー ro-su-na-a). Dropping that r
    on both sides of a comparison makes the consonants line up.
    """
    out: dict[tuple[str, str], None] = {}
    for form in _latin_readings(part) if read else (part,):
        for reading in (form, _non_rhotic(form)):
            if reading:
                out.setdefault((consonant_skeleton(reading), phonetic_code(reading)), None)
    return tuple(out)


@lru_cache(maxsize=200_000)
def _token_profile(token: str, read: bool) -> Profile:
    """The union of the `_profile` of every comparison form of a token, run together."""
    out: dict[tuple[str, str], None] = {}
    for form in comparison_forms(token):
        for entry in _profile(_compact(form), read):
            out.setdefault(entry, None)
    return tuple(out)


def _cross_score(profile_a: Profile, profile_b: Profile, abjad: bool) -> float:
    """Best pair of entries of two profiles.

    Scripts that drop or add vowels (Arabic, Hebrew, kana, Hangul, Han) keep consonants, so
    the consonant skeletons carry most of the weight (by their length, `_SKELETON_WEIGHT`)
    and the phonetic codes (with vowel classes) the rest, compared by insertions and
    deletions only (Indel), since a vowel is more often missing or added than changed. A
    close phonetic code alone also counts, as between two Latin spellings, discounted when
    either code is short (four sounds or fewer: Ahmed against Muhammad).
    """
    weights = _SKELETON_WEIGHT_ABJAD if abjad else _SKELETON_WEIGHT
    codes_b = {code for _, code in profile_b}
    if any(code in codes_b for _, code in profile_a):
        return 1.0
    best = 0.0
    for skel_a, code_a in profile_a:
        for skel_b, code_b in profile_b:
            code = Indel.normalized_similarity(code_a, code_b)
            by_code = code * (0.95 if min(len(code_a), len(code_b)) > 4 else 0.855)
            if skel_a and skel_b:
                skel = Levenshtein.normalized_similarity(skel_a, skel_b)
                table = weights if skel_a == skel_b else _SKELETON_WEIGHT
                weight = table[min(max(len(skel_a), len(skel_b)), 3)]
                score = max(weight * skel + (1.0 - weight) * code, by_code)
            else:
                score = by_code if skel_a == skel_b else 0.5 * code
            if score > best:
                best = score
    return best


@lru_cache(maxsize=500_000)
def _part_score(a: str, b: str, cross: bool, read_a: bool, read_b: bool, abjad: bool) -> float:
    """One name part against another (compact forms)."""
    if a == b:
        return 1.0
    if not cross:
        return _latin_pair(a, b)
    return _cross_score(_profile(a, read_a), _profile(b, read_b), abjad)


def _aligned_score(x: str, y: str, cross: bool, read_x: bool, read_y: bool, abjad: bool) -> float:
    """Two forms with the same number of parts, part by part: the mean and the worst part
    count equally, so one wrong syllable sinks the pair (kim jong un / kim jong il)."""
    scores = [
        _part_score(p, q, cross, read_x, read_y, abjad)
        for p, q in zip(x.split(), y.split(), strict=True)
    ]
    return 0.5 * sum(scores) / len(scores) + 0.5 * min(scores)


@lru_cache(maxsize=500_000)
def _similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    forms_a = comparison_forms(a)
    forms_b = comparison_forms(b)
    if not forms_a or not forms_b:
        return 0.0
    script_a, script_b = script_of(a), script_of(b)
    latin_a, latin_b = script_a == "latin", script_b == "latin"
    cross = not (latin_a and latin_b)
    if not cross and " " not in a and " " not in b:
        # The common case, single Latin words: no parts to align.
        entries_b = _latin_entries(b)
        return max(_entry_pair(x, y) for x in _latin_entries(a) for y in entries_b)
    read_a, read_b = cross and latin_a, cross and latin_b
    abjad = script_a in _ABJADS or script_b in _ABJADS
    # Both sides written in several parts with a common count (김정은 = kim jong un against
    # "Kim Jong Il"): compare part by part, never run together.
    counts_b = {f.count(" ") for f in forms_b if " " in f}
    aligned = [
        (x, y)
        for x in forms_a
        if " " in x and x.count(" ") in counts_b
        for y in forms_b
        if y.count(" ") == x.count(" ")
    ]
    if aligned:
        return max(_aligned_score(x, y, cross, read_a, read_b, abjad) for x, y in aligned)
    if cross:
        return _cross_score(_token_profile(a, read_a), _token_profile(b, read_b), abjad)
    return max(_latin_pair(_compact(x), _compact(y)) for x in forms_a for y in forms_b)


def token_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two name tokens in any scripts; symmetric; 1.0 for equal
    strings. The engine's threshold is 0.7 (see ``bench/translit_eval.py``).

    Latin against Latin compares the spellings and their spelling and phonetic codes, so
    romanisation variants (Mohammed/Muhammad, Dmitry/Dmitrii, Sergeyevich/Sergeevich,
    -sky/-skiy, Kh/H, Ye/E) score high while short unrelated tokens (Jong/Yo, Un/Il, Jong/Jun)
    stay low. Across scripts, the best pair of `comparison_forms` (and, for the Latin side,
    its readings as other scripts transcribe it) is scored on consonant skeletons and
    phonetic codes. A token given as several words (``Kim Jong Un``) against a native token
    romanised in as many parts (김정은) is compared part by part, so one differing part
    (Kim Jong Il) sinks it. Cached: a repeated pair costs a dictionary lookup.
    """
    if a > b:
        a, b = b, a
    return _calibrated(a, b)


def _length_ratio(a: str, b: str) -> float:
    """An upper bound of the normalised Levenshtein similarity of two strings (their
    distance is at least the difference of their lengths)."""
    longest = max(len(a), len(b))
    return min(len(a), len(b)) / longest if longest else 1.0


def _entry_pair_bound(x: Entry, y: Entry) -> float:
    """An upper bound of `_entry_pair`, from the lengths of the spellings and codes alone."""
    a, fine_a, coarse_a, _, groups_a = x
    b, fine_b, coarse_b, _, groups_b = y
    if a == b:
        return 1.0
    if fine_a == fine_b:
        return 0.95
    bound = max(
        _length_ratio(a, b),
        0.95 * _length_ratio(fine_a, fine_b),
        0.8 * _length_ratio(coarse_a, coarse_b),
    )
    return max(bound, 0.9) if groups_a & groups_b else bound


def joined_similarity_bound(word: str, words: str) -> float:
    """An upper bound of `token_similarity(word, words)`, a one-word name against a name
    of several words run together (Abdurrahman / Abdul Rahman), without comparing them:
    the spellings of Latin names whose lengths differ a lot cannot be alike. 1.0 outside
    the Latin script, or when the word has forms in parts (compared part by part)."""
    xs = _bound_entries(word, True)
    ys = _bound_entries(words, False)
    if xs is None or ys is None:
        return 1.0
    if not xs or not ys:
        return 0.0
    return max(_entry_pair_bound(x, y) for x in xs for y in ys)


@lru_cache(maxsize=200_000)
def _bound_entries(text: str, single: bool) -> tuple[Entry, ...] | None:
    """The entries `joined_similarity_bound` compares, or None when it cannot bound."""
    if script_of(text) != "latin":
        return None
    forms = comparison_forms(text)
    if single and any(" " in f for f in forms):
        return None
    return tuple(_entry(_compact(f)) for f in forms)


#: How far a cross-script score may exceed the best plain spelling comparison of the two
#: tokens' romanisations. The reading-aware comparison finds true pairs the spellings miss
#: (Barker / 바커), but over thousands of listed names its loosest matches turn up by chance
#: (Anatolij / Андрей, Verma / برهوم); bounding it by the spellings keeps those apart.
CROSS_SCRIPT_MARGIN = 0.2


def _squeeze(text: str) -> str:
    """`text` with every run of one character written once (Wwilson -> Wilson)."""
    return collapse_runs(text, letters_only=False)


def _typo_score(a: str, b: str) -> float:
    """Keying slips that spelling codes miss: a doubled letter (Wwilson) or two adjacent
    letters swapped (Innocnet, Jamli, Sko), common in hand-typed payment data."""
    if not (a.isalpha() and b.isalpha()):
        return 0.0  # numbers must match exactly ("11" is not "1")
    if _squeeze(a) == _squeeze(b):
        return 0.95
    if len(a) != len(b) or len(a) < 3:
        return 0.0
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and a[diff[0]] == b[diff[1]]
        and a[diff[1]] == b[diff[0]]
    ):
        return 0.9 if len(a) >= 4 else 0.85
    return 0.0


@lru_cache(maxsize=500_000)
def _calibrated(a: str, b: str) -> float:
    score = _similarity(a, b)
    if score >= 1.0:
        return score
    if script_of(a) == script_of(b):
        if " " not in a and " " not in b:
            return max(score, _typo_score(a, b))
        return score
    # The score stands as soon as one pair of spellings comes within the margin of it;
    # only otherwise is it bounded by the best of them.
    enough = score - CROSS_SCRIPT_MARGIN
    spelled = 0.0
    ys = {v.replace(" ", "") for v in latin_variants(b)}
    for x in {v.replace(" ", "") for v in latin_variants(a)}:
        for y in ys:
            value = _similarity(x, y) if x <= y else _similarity(y, x)
            if value >= enough:
                return score
            spelled = max(spelled, value)
    return min(score, spelled + CROSS_SCRIPT_MARGIN)
