"""Vaccine label matching: case-, space- and punctuation-insensitive, with common synonyms.

Facilities ask for "DHPP" while a vet writes "DA2PP" or "Distemper/Parvo"; both must match.
"""

from __future__ import annotations

import re

_NON_ALNUM = re.compile(r"[^a-z0-9]+")

# canonical key -> normalised spellings that mean it
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "rabies": ("rabies", "rabiesvaccine", "rabies1yr", "rabies3yr", "rv"),
    "dhpp": (
        "dhpp",
        "dapp",
        "da2pp",
        "dhlpp",
        "dappv",
        "da2ppv",
        "dhppv",
        "dap",
        "dhp",
        "distemper",
        "distemperparvo",
        "distemperparvovirus",
        "dhppi",
        "dhlppi",
    ),
    "bordetella": ("bordetella", "kennelcough", "bordetellabronchiseptica", "bb"),
    "leptospirosis": ("leptospirosis", "lepto", "l4", "lepto4"),
    "lyme": ("lyme", "lymedisease", "borrelia"),
    "canine_influenza": ("canineinfluenza", "civ", "h3n2", "h3n8", "doginfluenza", "dogflu"),
    "fvrcp": ("fvrcp", "fvrc", "fvr", "felinedistemper", "rcp", "fvrcpc"),
    "felv": ("felv", "felineleukemia", "felineleukaemia"),
}
_LOOKUP = {spelling: key for key, spellings in _SYNONYMS.items() for spelling in spellings}

CANONICAL_LABELS = {
    "rabies": "Rabies",
    "dhpp": "DHPP",
    "bordetella": "Bordetella",
    "leptospirosis": "Leptospirosis",
    "lyme": "Lyme",
    "canine_influenza": "Canine Influenza",
    "fvrcp": "FVRCP",
    "felv": "FeLV",
}


def normalise(label: str) -> str:
    return _NON_ALNUM.sub("", label.lower())


# Longest first, so "dhlpp" wins over "dhp" for "DHLPP booster".
_PREFIXES = sorted((s for s in _LOOKUP if len(s) >= 4), key=len, reverse=True)


def canonical(label: str) -> str | None:
    """The canonical vaccine key a free-text label means, or None if unrecognised.

    An exact spelling wins; otherwise a known spelling of four or more characters that starts
    the label ("Rabies 3 year", "Kennel cough intranasal") decides.
    """
    key = normalise(label)
    if key in _LOOKUP:
        return _LOOKUP[key]
    for spelling in _PREFIXES:
        if key.startswith(spelling):
            return _LOOKUP[spelling]
    return None


def is_rabies(label: str) -> bool:
    return canonical(label) == "rabies"
