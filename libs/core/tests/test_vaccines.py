from __future__ import annotations

import pytest

from petshots_core.vaccines import canonical, is_rabies


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Rabies", "rabies"),
        ("RABIES", "rabies"),
        (" rabies (3 year) ", "rabies"),
        ("Rabies-1yr", "rabies"),
        ("DHPP", "dhpp"),
        ("DAPP", "dhpp"),
        ("DA2PP", "dhpp"),
        ("da-2-pp", "dhpp"),
        ("DHLPP booster", "dhpp"),
        ("Bordetella", "bordetella"),
        ("Kennel Cough", "bordetella"),
        ("kennel-cough (intranasal)", "bordetella"),
        ("FVRCP", "fvrcp"),
        ("F.V.R.C.P.", "fvrcp"),
        ("Lepto", "leptospirosis"),
        ("Canine Influenza", "canine_influenza"),
        ("FeLV", "felv"),
        ("Lyme", "lyme"),
        ("Heartworm test", None),
        ("", None),
        ("Other", None),
    ],
)
def test_canonical(label: str, key: str | None) -> None:
    assert canonical(label) == key


def test_is_rabies() -> None:
    assert is_rabies("Rabies 3yr")
    assert not is_rabies("DHPP")
