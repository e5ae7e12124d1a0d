"""CDS Hooks cards: every constraint of the specification that applies."""

import json
import uuid
from pathlib import Path

import attrs
import pytest
from hypothesis import given

import crampkit
from crampkit import InvalidInputError, Profile, Symptom, Urgency, recommend, to_cds_hooks
from crampkit.cli import main
from crampkit.render.cds_hooks import SUMMARY_LIMIT, indicator
from kbtools import quiet_signs
from strategies import profiles

MINI = crampkit.load_knowledge_base(Path(__file__).parents[1] / "data" / "mini.toml")
CARD_KEYS = {"uuid", "summary", "detail", "indicator", "source", "suggestions", "selectionBehavior", "links"}


def check_card(card: dict[str, object]) -> None:
    assert set(card) <= CARD_KEYS
    summary = card["summary"]
    assert isinstance(summary, str)
    assert 0 < len(summary) < SUMMARY_LIMIT
    assert card["indicator"] in {"info", "warning", "critical"}
    source = card["source"]
    assert isinstance(source, dict)
    assert isinstance(source["label"], str)
    assert source["label"]
    assert set(source) <= {"label", "url", "icon", "topic"}
    assert isinstance(card["detail"], str)
    assert uuid.UUID(str(card["uuid"])).version == 5


@pytest.mark.parametrize(
    ("urgency", "expected"),
    [
        (Urgency.EMERGENCY, "critical"),
        (Urgency.URGENT, "critical"),
        (Urgency.SOON, "warning"),
        (Urgency.ROUTINE, "warning"),
        (Urgency.SELF_CARE, "info"),
    ],
)
def test_indicator_from_urgency(urgency: Urgency, expected: str) -> None:
    assert indicator(urgency) == expected


def test_red_flag_cards_come_first_then_self_care() -> None:
    profile = Profile(symptoms=frozenset({Symptom.CALF_SWELLING, Symptom.CHEST_PAIN}), medications=frozenset({"zz"}))
    response = to_cds_hooks(recommend(profile, knowledge_base=MINI), knowledge_base=MINI)
    cards = response["cards"]
    # two flags and the two signs they came from (chest pain: emergency, a swollen calf: urgent), then what to
    # watch for (both symptoms), then self-care
    assert [card["indicator"] for card in cards] == ["critical", "critical", "critical", "critical", "info", "info"]
    assert cards[4]["summary"] == "What to watch for: Chest pain, Calf swelling"  # the most urgent sign first
    assert cards[4]["detail"].count("\n- **") == 2
    assert cards[0]["summary"] == "Possible clot in the lung: seek care (emergency)"
    assert cards[0]["source"] == {"label": "Source A (Test publisher, 2020)", "url": "https://example.org/a"}
    assert cards[0]["detail"].startswith("**Call emergency services.**")
    assert "Medicines not recognised: zz." in cards[5]["detail"]
    assert "**Quinine**" in cards[5]["detail"]
    for card in cards:
        check_card(card)


def test_cards_are_deterministic_and_distinct() -> None:
    guidance = recommend(Profile(symptoms=frozenset({Symptom.CALF_SWELLING})), knowledge_base=MINI)
    first = to_cds_hooks(guidance, knowledge_base=MINI)
    assert first == to_cds_hooks(guidance, knowledge_base=MINI)
    ids = [card["uuid"] for card in first["cards"]]
    assert len(set(ids)) == len(ids)


def test_long_summaries_are_shortened_and_missing_sources_get_a_label() -> None:
    kb = crampkit.load_knowledge_base(
        {
            "version": "t",
            "sources": [
                {
                    "id": "s",
                    "title": "t",
                    "publisher": "p",
                    "year": 2020,
                    "url": "https://example.org/u",
                    "kind": "trial",
                }
            ],
            "signs": quiet_signs("s"),
            "red_flags": [
                {
                    "id": "long",
                    "name": "A very long red flag name " * 8,
                    "summary": "why",
                    "when": {"any": ["symptom-headache"]},
                    "urgency": "soon",
                    "advice": "see someone",
                    "sources": ["s"],
                }
            ],
        }
    )
    guidance = recommend(Profile(symptoms=frozenset({Symptom.HEADACHE})), knowledge_base=kb)
    cards = to_cds_hooks(guidance, knowledge_base=kb)["cards"]
    assert len(cards[0]["summary"]) == SUMMARY_LIMIT - 1
    assert cards[0]["summary"].endswith("…")
    assert cards[0]["source"] == {"label": "t (p, 2020)", "url": "https://example.org/u"}  # its own source "s"
    unknown = attrs.evolve(guidance, red_flags=(attrs.evolve(guidance.red_flags[0], sources=("gone",)),))
    assert to_cds_hooks(unknown, knowledge_base=kb)["cards"][0]["source"] == {"label": "crampkit knowledge base"}
    assert cards[1]["summary"] == "What to watch for: headache"
    assert cards[2]["summary"] == "Cramp self-care"
    assert cards[0]["indicator"] == "warning"


@given(profiles)
def test_every_card_meets_the_spec(profile: Profile) -> None:
    for card in to_cds_hooks(recommend(profile))["cards"]:
        check_card(card)


def test_cli_cds_hooks_format() -> None:
    import io  # noqa: PLC0415

    out = io.StringIO()
    stdin = io.StringIO('{"symptoms": ["calf-swelling", "redness-or-warmth"]}')
    assert main(["recommend", "-", "--format", "cds-hooks"], stdout=out, stdin=stdin) == 0
    cards = json.loads(out.getvalue())["cards"]
    assert cards[0]["indicator"] == "critical"


def test_cards_take_source_titles_from_the_knowledge_base_that_made_the_guidance() -> None:
    guidance = recommend(Profile(), knowledge_base=MINI)
    with pytest.raises(InvalidInputError) as caught:
        to_cds_hooks(guidance)  # the packaged knowledge base would give MINI's sources the wrong titles
    packaged = crampkit.default_knowledge_base().version
    expected = f"the guidance was made with knowledge base {MINI.version!r}, not {packaged!r}; pass the one it was"
    assert [str(problem) for problem in caught.value.problems] == [f"to_cds_hooks(): knowledge_base: {expected}"]
    assert to_cds_hooks(guidance, knowledge_base=MINI)["cards"]
