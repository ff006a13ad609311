"""Very common personal names, for the policy on name-only queries.

A query that is nothing but "John Smith" or "Muhammad Ahmed" matches listed
persons who share that name by the dozen; without a birth date, a country or an
identifier no score can tell them apart, and OFAC's guidance accepts that such a
name alone is not a match. The screening engine uses this list to recognise such
queries (see `screen/scoring.py`): it does not change how names compare.

The list is written for this project from general knowledge of the most frequent
given names and surnames worldwide, in the folded Latin spellings the analyser
produces (lower case, ASCII) and in the native scripts where a query commonly
arrives that way. It is deliberately short: a name is here only if it is among
the commonest in its region.
"""

from __future__ import annotations

_LATIN = """
muhammad mohammed mohammad mohamed muhammed mohamad mohamud mahmoud mahmud mehmet
ahmed ahmad ahmet ali hassan hasan hussein husain hussain husayn hosseini hossein abdul
abdel abd abdullah abdallah ibrahim ismail omar umar khan mustafa mostafa yusuf yousef
youssef

john james robert michael william david richard joseph thomas charles christopher
daniel paul mark george peter stephen steven andrew edward mary patricia jennifer linda
elizabeth barbara susan jessica sarah karen anna maria marie jose juan carlos luis jesus
antonio francisco manuel pedro miguel jorge ana carmen rosa

smith johnson williams brown jones miller davis wilson anderson taylor moore jackson
martin white harris thompson clark lewis walker hall young allen king wright scott green
baker adams nelson hill campbell mitchell roberts garcia rodriguez martinez hernandez
lopez gonzalez perez sanchez ramirez torres flores rivera gomez diaz silva santos
fernandez gonzales

ivan sergey sergei alexander aleksandr alexandr vladimir dmitry dmitriy dmitri andrey andrei
alexey aleksey aleksei nikolai nikolay ivanov smirnov kuznetsov popov petrov sidorov
olga elena tatiana natalia irina

wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo
kim lee park pak choi choe jung jeong chong kang cho yoon

nguyen tran le pham hoang vu
singh kumar sharma patel khan devi
"""

_NATIVE = """
محمد أحمد احمد علي حسن حسين عبد عبدالله إبراهيم ابراهيم خان
иван сергей александр владимир дмитрий андрей иванов смирнов кузнецов попов петров
王 李 张 張 刘 劉 陈 陳 杨 楊 黄 黃 赵 趙 吴 吳 周
김 이 박 최 정
"""

COMMON_NAME_TOKENS: frozenset[str] = frozenset((_LATIN + _NATIVE).split())


def is_common_token(token: str) -> bool:
    """Whether an analysed name token is one of the commonest personal names."""
    return token in COMMON_NAME_TOKENS
