"""The guidance as HTML (the try-it page's renderer) says what the text output says, in the same order."""

from pathlib import Path

import attrs
import pytest

import crampkit
from crampkit import Profile, Urgency, recommend
from crampkit.render.html import TRIAGE_ICONS, render_html
from crampkit.render.terminal import render_guidance
from crampkit.text.escape import https_link
from htmlkit import Text

KB = crampkit.default_knowledge_base()
MINI = crampkit.load_knowledge_base(Path(__file__).parents[1] / "data" / "mini.toml")


def words(text: str) -> str:
    return " ".join(text.split())


PROFILES = {
    "night cramps on a thiazide": {"age": 74, "medications": ["bendroflumethiazide", "Zzyzxomab"], "cramps": {}},
    "pregnancy": {"age": 31, "sex": "female", "pregnant": True, "cramps": {"timing": ["night"], "per_week": 3}},
    "possible clot": {"age": 60, "symptoms": ["calf-swelling", "redness-or-warmth"], "cramps": {"sites": ["calf"]}},
    "clot in the lung": {"age": 55, "symptoms": ["calf-swelling", "breathlessness"]},
    "nothing known": {},
}


@pytest.mark.parametrize("name", PROFILES)
def test_the_page_says_what_the_text_says(name: str) -> None:
    guidance = recommend(crampkit.load_profile(PROFILES[name]))
    page = Text(render_html(guidance, KB))
    shown = page.text
    text = render_guidance(guidance)
    assert shown.startswith(f"{TRIAGE_ICONS[guidance.triage]} Triage: {guidance.triage.value.upper()}")
    assert words(guidance.action or "No red flags matched.") in shown
    held: list[crampkit.NotRecommended | crampkit.Contraindicated] = [
        *guidance.not_recommended,
        *guidance.contraindicated,
    ]
    left_out = [f"{item.name}: {item.reason}" for item in held]
    if guidance.triage.is_urgent:  # summed up in one line, as in the text
        left_out = ["is held back until a clinician has checked the problem"] if left_out else []
    expected = [
        *(part for flag in guidance.red_flags for part in (flag.name, flag.advice, f"Why: {flag.why}")),
        *(f"{net.name}: {net.watch_for}" for net in guidance.safety_net),
        *(part for rec in guidance.recommendations for part in (rec.name, *rec.instructions)),
        *left_out,
        *guidance.unrecognized_medications,
        guidance.disclaimer,
        f"(knowledge base {guidance.knowledge_base_version})",
    ]
    at = 0
    for part in expected:  # each in the order the text output gives
        at = shown.find(words(part), at)
        assert at != -1, part
    for heading in ("Red flags: seek care", "Watch for: get help sooner if", "What to do", "Not recommended"):
        assert (heading in text) == (heading in shown), heading


def test_recommendations_are_ranked_with_their_certainty_and_sources_as_links() -> None:
    guidance = recommend(crampkit.load_profile(PROFILES["night cramps on a thiazide"]))
    page = Text(render_html(guidance, KB))
    items = [attributes for tag, attributes in page.tags if tag == "li" and attributes.get("class") == "recommendation"]
    assert [(item["value"], item["data-id"]) for item in items] == [
        (str(rec.rank), rec.id) for rec in guidance.recommendations
    ]
    links = {attributes["href"] for tag, attributes in page.tags if tag == "a"}
    for rec in guidance.recommendations:
        for source_id in rec.sources:
            source = KB.get(source_id)
            assert isinstance(source, crampkit.Source)
            assert https_link(source.url) in links
    assert all(attributes.get("rel") == "noopener noreferrer" for tag, attributes in page.tags if tag == "a")
    first = guidance.recommendations[0]
    assert f"prevent, {first.category.value}, certainty {first.certainty.value}" in page.text


def test_emergency_is_an_alert_in_words_not_only_colour() -> None:
    emergency = recommend(crampkit.load_profile(PROFILES["clot in the lung"]))
    assert emergency.triage is Urgency.EMERGENCY
    page = Text(render_html(emergency, KB))
    assert ("div", {"class": "triage-box", "role": "alert"}) in page.tags
    assert "EMERGENCY" in page.text
    assert not [attributes for tag, attributes in page.tags if attributes.get("class") == "recommendation"]
    calm = Text(render_html(recommend(Profile()), KB))
    assert ("div", {"class": "triage-box"}) in calm.tags  # no alert for self-care


def test_a_source_that_is_not_an_https_link_is_shown_but_not_linked() -> None:
    guidance = recommend(Profile(symptoms=frozenset({crampkit.Symptom.CALF_SWELLING})), knowledge_base=MINI)
    flag = guidance.red_flags[0]
    cited = MINI.get(flag.sources[0])
    assert isinstance(cited, crampkit.Source)
    evil = attrs.evolve(cited, url="javascript:alert(1)")
    kb = attrs.evolve(MINI, sources=tuple(evil if s.id == evil.id else s for s in MINI.sources))
    sneaky = attrs.evolve(guidance, red_flags=(attrs.evolve(flag, sources=(*flag.sources, "not-a-source")),))
    page = Text(render_html(sneaky, kb))
    assert not [attributes for tag, attributes in page.tags if tag == "a"]
    assert f"Sources: {evil.citation}, not-a-source" in page.text


def test_changes_of_a_custom_knowledge_base_are_shown() -> None:
    change = crampkit.KnowledgeBaseChange(
        section="interventions", id="massage", kind=crampkit.ChangeKind.REMOVED, reason="not offered <here>"
    )
    guidance = attrs.evolve(recommend(Profile()), knowledge_base_changes=(change,))
    page = Text(render_html(guidance, KB))
    assert "massage (interventions) removed: not offered <here>." in page.text


def test_an_item_that_cites_no_source_says_no_sources() -> None:
    guidance = recommend(Profile(symptoms=frozenset({crampkit.Symptom.CALF_SWELLING})), knowledge_base=MINI)
    flag = attrs.evolve(guidance.red_flags[0], sources=())
    page = Text(render_html(attrs.evolve(guidance, red_flags=(flag,)), MINI))
    assert "Sources:" not in page.text
