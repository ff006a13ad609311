"""Identifiers that pin down a party: which FtM properties carry them and how to compare them.

A matching strong identifier (IMO number, passport with country, BIC, LEI, a crypto
address...) is decisive; a different value of the same kind is evidence against.
Values are compared in a canonical form: upper case, no spaces or punctuation,
without the prefixes lists add ("IMO 9123456", "MMSI 273...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# FtM property -> identifier kind. Several properties can share a kind.
PROPERTY_KINDS: dict[str, str] = {
    "imoNumber": "imo",
    "mmsi": "mmsi",
    "passportNumber": "passport",
    "idNumber": "national_id",
    "socialSecurityNumber": "national_id",
    "swiftBic": "bic",
    "leiCode": "lei",
    "taxNumber": "tax_id",
    "vatCode": "tax_id",
    "innCode": "inn",
    "ogrnCode": "ogrn",
    "registrationNumber": "registration",
    "callSign": "call_sign",
    "icaoCode": "icao",
    "serialNumber": "serial",
    "dunsCode": "duns",
    "okpoCode": "okpo",
    "publicKey": "crypto",
}

#: Kinds whose match alone identifies the party, whatever the name says.
STRONG_KINDS = frozenset({"imo", "mmsi", "passport", "bic", "lei", "crypto", "inn", "ogrn", "icao"})

#: What users type on the command line (`--id imo:9123456`), mapped to kinds.
KIND_ALIASES: dict[str, str] = {
    **{prop.lower(): kind for prop, kind in PROPERTY_KINDS.items()},
    **{kind: kind for kind in set(PROPERTY_KINDS.values())},
    "swift": "bic",
    "swift_bic": "bic",
    "id": "national_id",
    "national-id": "national_id",
    "nationalid": "national_id",
    "tax": "tax_id",
    "vat": "tax_id",
    "wallet": "crypto",
    "crypto_address": "crypto",
    "callsign": "call_sign",
}

KIND_LABELS: dict[str, str] = {
    "imo": "IMO number",
    "mmsi": "MMSI",
    "passport": "passport number",
    "national_id": "national ID number",
    "bic": "SWIFT/BIC",
    "lei": "LEI",
    "tax_id": "tax ID",
    "inn": "INN",
    "ogrn": "OGRN",
    "registration": "registration number",
    "call_sign": "call sign",
    "icao": "ICAO code",
    "serial": "serial number",
    "duns": "D-U-N-S number",
    "okpo": "OKPO code",
    "crypto": "digital currency address",
}

_NON_ALNUM = re.compile(r"[^0-9A-Z]+")
_PREFIXES = {
    "imo": re.compile(r"^IMO"),
    "mmsi": re.compile(r"^MMSI"),
}


@dataclass(frozen=True, slots=True)
class Identifier:
    kind: str
    value: str  # canonical form
    country: str | None = None  # ISO code of the issuing country, where known

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def kind_for(name: str) -> str | None:
    """The identifier kind for a user-given type name or FtM property, or None."""
    return KIND_ALIASES.get(name.strip().lower().replace(" ", "_"))


@lru_cache(maxsize=65536)
def canonical(kind: str, value: str) -> str:
    """Comparable form of an identifier value."""
    if kind == "crypto":
        text = value.strip()
        # Hex addresses (Ethereum, Tron hex) are case-insensitive; base58/bech32 are not.
        return text.lower() if text.lower().startswith("0x") else text
    text = _NON_ALNUM.sub("", value.upper())
    prefix = _PREFIXES.get(kind)
    if prefix is not None:
        text = prefix.sub("", text)
    if kind == "bic":
        # A BIC with or without branch code ("XXX") names the same institution.
        text = text[:8]
    return text
