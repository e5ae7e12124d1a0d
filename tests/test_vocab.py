"""The 0.2 profile fields and facts that other tests do not reach yet (a stop-gap kept small for merging)."""

import pytest

import crampkit
from crampkit import Cramps, Fact, InvalidInputError, Profile, Site


def test_reported_false_refuses_details() -> None:
    with pytest.raises(InvalidInputError, match="reported: is false"):
        Cramps(reported=False, sites=frozenset({Site.CALF}))


def test_pregnancy_weeks_refuse_not_pregnant() -> None:
    with pytest.raises(InvalidInputError, match="pregnancy_weeks: given, but pregnant is false"):
        Profile(pregnant=False, pregnancy_weeks=12)


def test_sudden_onset_is_a_fact() -> None:
    assert Fact.ONSET_SUDDEN in crampkit.derive_facts(Profile(sudden_onset=True))


def test_an_oestrogen_containing_medicine_is_a_clot_risk() -> None:
    kb = crampkit.load_knowledge_base(
        {
            "extends": "default",
            "drug_classes": [
                {
                    "id": "oestrogen-pill-test",
                    "name": "Oestrogen-containing pill",
                    "summary": "test",
                    "fact": "drug-oestrogen-containing",
                    "generic_names": ["ethinylestradiol"],
                    "sources": ["nice-cks-leg-cramps"],
                }
            ],
        }
    )
    facts = crampkit.derive_facts(Profile(medications=frozenset({"ethinylestradiol"})), knowledge_base=kb)
    assert Fact.CLOT_RISK_OESTROGEN_PILL_OR_HRT in facts
