"""Short forms for small screens, and the services each region names."""

import io
import itertools
import re
import tomllib
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crampkit
from crampkit import InvalidInputError, KnowledgeBaseError, Profile, Urgency, load_knowledge_base, recommend
from crampkit._model.checks import strings
from crampkit.cli import main
from crampkit.knowledge.items import SHORT_LIMIT
from crampkit.render.terminal import SHORT_ACTIONS, render_item, render_short
from crampkit.text import _choices
from crampkit.text.escape import plain
from crampkit.text.regions import DEFAULT_REGION, PLACEHOLDERS, REGIONS, resolve
from strategies import profiles

KB = crampkit.default_knowledge_base()
MINI_PATH = Path(__file__).parents[1] / "data" / "mini.toml"
MINI = load_knowledge_base(MINI_PATH)
FLAGS_AND_SIGNS: list[crampkit.RedFlag | crampkit.Sign] = [*KB.red_flags, *KB.signs]
SHORT_ITEMS: list[crampkit.Intervention | crampkit.RedFlag | crampkit.Sign | crampkit.Escalation] = [
    *KB.interventions,
    *KB.red_flags,
    *KB.signs,
    *(rule.escalation for rule in KB.escalation_rules()),  # every clause that can fire
]
REGION_IDS = list(REGIONS)


def mini() -> dict[str, Any]:
    return tomllib.loads(MINI_PATH.read_text())


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


# -- short forms ---------------------------------------------------------------------------------


@pytest.mark.parametrize("item", SHORT_ITEMS, ids=lambda item: item.id)
def test_every_packaged_action_has_a_short_form_that_fits_every_region(
    item: crampkit.Intervention | crampkit.RedFlag | crampkit.Sign | crampkit.Escalation,
) -> None:
    assert item.short is not None
    for region in REGIONS:
        text = resolve(item.short, region)
        assert len(text) <= SHORT_LIMIT, (region, text)
        assert "{" not in text
        assert len(text.splitlines()) == 1


@pytest.mark.parametrize(
    "item",
    [item for item in FLAGS_AND_SIGNS if item.urgency.level >= Urgency.URGENT.level],
    ids=lambda item: item.id,
)
def test_urgent_and_emergency_short_forms_say_where_to_go(item: crampkit.RedFlag | crampkit.Sign) -> None:
    # An emergency names its region's number; an urgent one at least one of the region's services.
    assert item.short is not None
    for region in REGIONS.values():
        text = resolve(item.short, region.id)
        if item.urgency is Urgency.EMERGENCY:
            assert region.services["emergency"] in text, (region.id, text)
        else:
            named = [service for service in region.services.values() if service and service in text]
            assert named, (region.id, text)


@pytest.mark.parametrize(
    ("short", "message"),
    [
        ("x" * (SHORT_LIMIT + 1), f"short: must be at most {SHORT_LIMIT} characters, got {SHORT_LIMIT + 1}"),
        ("Call 999.\nThen wait.", "short: must be on one line"),
        ("   ", "short: must not be empty"),
    ],
)
def test_a_short_form_is_one_line_of_at_most_80_characters(short: str, message: str) -> None:
    flag = KB.get("breathless-and-collapse")
    assert isinstance(flag, crampkit.RedFlag)
    with pytest.raises(InvalidInputError, match=message):
        attrs.evolve(flag, short=short)


def test_without_short_forms_the_output_falls_back_to_the_full_advice_and_the_name() -> None:
    # The test knowledge base has no short forms: a red flag keeps its full advice (so where to go is never
    # lost), a recommendation its name.
    mini_items: list[crampkit.Intervention | crampkit.RedFlag | crampkit.Sign] = [
        *MINI.interventions,
        *MINI.red_flags,
        *MINI.signs,
    ]
    assert all(item.short is None for item in mini_items)
    guidance = recommend(
        crampkit.load_profile({"symptoms": ["calf-swelling", "breathlessness"], "cramps": {"per_week": 5}}),
        knowledge_base=MINI,
    )
    assert guidance.red_flags
    assert all(hit.short == hit.advice for hit in guidance.red_flags)
    calm = recommend(crampkit.load_profile({"cramps": {"per_week": 1}}), knowledge_base=MINI)
    assert calm.recommendations
    assert all(rec.short == rec.name for rec in calm.recommendations)


@given(profiles, st.sampled_from(REGION_IDS))
def test_the_output_carries_the_short_form_of_each_item(profile: Profile, region: str) -> None:
    guidance = recommend(profile, region=region)
    for hit in guidance.red_flags:
        item: object = KB.by_id.get(hit.id) or KB.escalation_rule(hit.id).escalation
        assert isinstance(item, crampkit.RedFlag | crampkit.Sign | crampkit.Escalation)
        assert item.short is not None
        assert hit.short == resolve(item.short, region)
    for rec in guidance.recommendations:
        intervention = KB.get(rec.id)
        assert isinstance(intervention, crampkit.Intervention)
        assert intervention.short is not None
        assert rec.short == resolve(intervention.short, region)


def test_the_short_disclaimer_fits_one_line() -> None:
    assert len(crampkit.DISCLAIMER_SHORT) <= SHORT_LIMIT
    assert "diagnosis" in crampkit.DISCLAIMER_SHORT


@given(profiles, st.sampled_from(REGION_IDS))
def test_the_short_format_is_triage_the_action_the_top_three_and_the_disclaimer(profile: Profile, region: str) -> None:
    guidance = recommend(profile, region=region)
    lines = render_short(guidance).splitlines()
    assert lines[0] == f"Triage: {guidance.triage.value.upper()}"
    assert lines[-1] == f"(knowledge base {guidance.knowledge_base_version})"  # the packaged one: no changes
    assert lines[-2] == crampkit.DISCLAIMER_SHORT
    body = lines[1:-2]
    if guidance.red_flags:
        assert body.pop(0) == f"Now: {guidance.red_flags[0].short}"
    if guidance.unrecognized_medications:  # named before any advice, which could not take them into account
        assert body.pop(0).startswith(f"Not checked: {plain(', '.join(guidance.unrecognized_medications))} (")
    top = guidance.recommendations[:SHORT_ACTIONS]
    watch = [f"Watch for: {text}" for text in dict.fromkeys(line.watch_for for line in guidance.safety_net)]
    assert body == [f"{rec.rank}. {rec.short}" for rec in top] + watch
    # the safety net of every symptom, never cut short (a line two signs share is given once)
    assert len(watch) == len({line.watch_for for line in guidance.safety_net})
    assert len(guidance.safety_net) == len(profile.symptoms)


def test_recommend_format_short_on_the_command_line() -> None:
    # A swollen calf with breathlessness: possible clot in the lung, an emergency (NHS DVT page, via the
    # packaged red flag clot-to-lung-swelling); in the US the number to call is 911 (FCC).
    profile = '{"symptoms": ["calf-swelling", "breathlessness"]}'
    code, out, err = run("recommend", "-", "--format", "short", "--region", "us", stdin=profile)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Triage: EMERGENCY"
    assert lines[1] == "Now: Call 911 now. Do not walk about or rub the leg."
    assert lines[-2] == crampkit.DISCLAIMER_SHORT
    assert lines[-1].startswith("(knowledge base ")
    actions = [line for line in lines if not line.startswith("Watch for: ")]
    assert len(actions) <= 2 + SHORT_ACTIONS + 2
    assert all(len(line) <= SHORT_LIMIT + len("Now: ") for line in actions)
    assert [line for line in lines if line.startswith("Watch for: ")] == [
        (
            "Watch for: Call 911 if you cannot get words out, your chest feels tight or heavy, pain spreads to your "
            "arms, back, neck or jaw, your lips or skin turn blue or grey, or you feel confused."
        ),
        (
            "Watch for: Call 911 if you also become breathless or have chest pain, your heart races, or you pass out: "
            "these can mean a clot has reached the lungs."
        ),
    ]


# -- regions -------------------------------------------------------------------------------------


def _emergency_profile() -> Profile:
    return crampkit.load_profile({"symptoms": ["calf-swelling", "breathlessness"]})


@pytest.mark.parametrize(
    ("region", "number", "urgent"),
    [
        ("uk", "999", "NHS 111"),
        ("us", "911", "urgent care"),
        ("eu", "112", "out-of-hours care"),
        ("au", "000", "1800 022 222"),
    ],
)
def test_each_region_names_its_own_services(region: str, number: str, urgent: str) -> None:
    # Emergency numbers: NHS ambulance trust (999), FCC (911), European Commission (112), healthdirect (000 and
    # 1800 022 222 for advice); see the sources of each region.
    emergency = recommend(_emergency_profile(), region=region)
    flag = KB.get("clot-to-lung-swelling")
    assert isinstance(flag, crampkit.RedFlag)
    assert emergency.action == f"This may not be a cramp problem. {resolve(flag.advice, region)}"
    assert f"Call {number} now" in emergency.action
    clot = recommend(crampkit.load_profile({"symptoms": ["calf-swelling"]}), region=region)
    assert clot.action is not None
    assert urgent in clot.action
    others = {REGIONS[other].services["emergency"] for other in REGIONS if other != region}
    if region != "uk":  # the UK text names the numbers abroad too
        assert not any(f"Call {other}" in emergency.action for other in others)


def test_the_uk_is_the_default_and_reads_as_before() -> None:
    # The UK wording is what crampkit printed before regions: 999, NHS 111, GP, A&E, and the numbers abroad.
    assert DEFAULT_REGION == "uk"
    guidance = recommend(_emergency_profile())
    assert guidance == recommend(_emergency_profile(), region="uk")
    assert guidance.action == (
        "This may not be a cramp problem. Call 999 now (112 in Europe, 911 in North America). "
        "Do not walk about or rub the leg while you wait."
    )


@given(profiles, st.sampled_from(REGION_IDS))
def test_no_placeholder_reaches_the_output(profile: Profile, region: str) -> None:
    guidance = recommend(profile, region=region)
    texts = [text for text in strings(guidance) if text not in guidance.unrecognized_medications]
    assert not any("{" in text for text in texts)


def test_what_the_caller_typed_is_never_resolved() -> None:
    guidance = recommend(crampkit.load_profile({"medications": ["{emergency}"]}), region="us")
    assert guidance.unrecognized_medications == ("{emergency}",)


@pytest.mark.parametrize("region", ["UK", "gb", "", None, 1])
def test_an_unknown_region_is_refused_with_the_allowed_values(region: object) -> None:
    with pytest.raises(InvalidInputError, match=r"recommend\(\): region: expected one of uk, us, eu, au, got"):
        recommend(Profile(), region=region)  # type: ignore[arg-type]


def test_every_placeholder_has_a_text_in_every_region_and_only_the_uk_names_numbers_abroad() -> None:
    for region in REGIONS.values():
        assert set(region.services) == set(PLACEHOLDERS)
        assert region.sources
        assert all(source in KB.by_id for source in region.sources)
        assert all(text or name == "emergency_elsewhere" for name, text in region.services.items())
    assert [region.id for region in REGIONS.values() if region.services["emergency_elsewhere"]] == ["uk"]


def test_resolve_leaves_unknown_names_and_plain_text_alone() -> None:
    assert resolve("Call {emergency}; {nothing} here.", "eu") == "Call 112; {nothing} here."
    assert resolve("No braces.", "au") == "No braces."


def test_kb_show_reads_as_the_uk_does() -> None:
    text = render_item(KB.get("breathless-and-collapse"), KB)
    assert "advice: Call 999 now." in text
    assert "short: Call 999 now." in text
    assert "{emergency}" not in text


def test_kb_show_reads_as_the_region_asked_for() -> None:
    code, us, err = run("kb", "show", "possible-clot", "--region", "us")
    assert (code, err) == (0, "")
    assert "911" in us
    assert "urgent care" in us
    assert "999" not in us
    assert "NHS 111" not in us
    code, uk, _ = run("kb", "show", "possible-clot")
    assert code == 0
    assert "999" in uk
    assert "NHS 111" in uk
    assert uk == render_item(KB.get("possible-clot"), KB)
    assert us == render_item(KB.get("possible-clot"), KB, region="us")
    assert "urgency: urgent" in us  # values are shown as written


# The first question of an empty profile lists the warning signs: the first of them ends the interview at an emergency.
_EMERGENCY = "1\n"


def test_the_interview_gives_guidance_for_the_region_asked_for() -> None:
    code, us, err = run("interview", "--region", "us", stdin=_EMERGENCY)
    assert (code, err) == (0, "")
    assert "Triage: EMERGENCY" in us
    assert "911" in us
    assert "999" not in us
    assert "NHS 111" not in us
    code, uk, _ = run("interview", "--region", "uk", stdin=_EMERGENCY)
    assert code == 0
    assert "999" in uk
    assert "911" not in uk.replace("911 in North America", "")  # the UK text names 911 only for travellers
    assert run("interview", stdin=_EMERGENCY)[1] == uk  # uk is the default


@pytest.mark.parametrize(
    "argv",
    [
        ("recommend", "-"),
        ("interview",),
        ("kb", "show", "possible-clot"),
        ("serve",),
    ],
)
@pytest.mark.parametrize(("option", "value"), [("--region", "mars"), ("--language", "xx")])
def test_the_cli_refuses_an_unknown_region_or_language(
    argv: tuple[str, ...], option: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        run(*argv, option, value, stdin="{}")
    assert info.value.code == 2
    assert f"argument {option}: invalid choice: {value!r}" in capsys.readouterr().err  # with the choices


# -- the safety floor after resolution -----------------------------------------------------------


def _first_emergency(data: dict[str, Any]) -> dict[str, Any]:
    return next(flag for flag in data["red_flags"] if flag["urgency"] == "emergency")


@pytest.mark.parametrize(
    "advice",
    ["Lie down and rest.", "Contact {urgent_line} now.", "See your {doctor} now."],
)
def test_emergency_advice_that_names_no_emergency_service_in_some_region_is_refused(advice: str) -> None:
    data = mini()
    flag = _first_emergency(data)
    flag["advice"] = advice
    with pytest.raises(KnowledgeBaseError, match=rf"red_flags \({flag['id']}\): advice: an emergency red flag"):
        load_knowledge_base(data)


@pytest.mark.parametrize("advice", ["Call {emergency} now.", "Call 999 now.", "Call emergency services."])
def test_emergency_advice_that_names_a_service_in_every_region_is_accepted(advice: str) -> None:
    data = mini()
    _first_emergency(data)["advice"] = advice
    load_knowledge_base(data)


def test_an_emergency_short_form_must_name_emergency_services_too() -> None:
    data = mini()
    flag = _first_emergency(data)
    flag["short"] = "Rest the leg."
    with pytest.raises(KnowledgeBaseError, match=rf"red_flags \({flag['id']}\): short: an emergency red flag"):
        load_knowledge_base(data)
    flag["short"] = "Call {emergency} now."
    assert load_knowledge_base(data).get(flag["id"]).short == "Call {emergency} now."  # type: ignore[union-attr]


def test_an_unknown_placeholder_is_refused() -> None:
    data = mini()
    data["interventions"][0]["summary"] = "Ask your {gp} and {doctor}."
    with pytest.raises(KnowledgeBaseError, match=r"summary: unknown placeholder \{gp\} \(known: \{emergency\}"):
        load_knowledge_base(data)


def test_every_region_meets_the_floor_on_every_emergency() -> None:
    emergencies = [item for item in FLAGS_AND_SIGNS if item.urgency is Urgency.EMERGENCY]
    for item, region in itertools.product(emergencies, REGIONS):
        assert REGIONS[region].services["emergency"] in resolve(item.advice, region)


# -- "fit" or "seizure" --------------------------------------------------------------------------

_FIT = re.compile(r"\bfits?\b", re.IGNORECASE)


@pytest.mark.parametrize("region", [region for region in REGIONS if region != "uk"])
def test_only_the_uk_says_fit_the_others_say_seizure(region: str) -> None:
    # The NHS says "fit" (nhs-seizure-first-aid); the CDC (US), an EU epilepsy association and Epilepsy
    # Foundation Australia say "seizure", and so does every knowledge-base text in those regions.
    texts = [
        resolve(text, region) for item in KB.items() if not isinstance(item, crampkit.Source) for text in strings(item)
    ]
    assert not [text for text in texts if _FIT.search(text)]
    seizure = KB.get("sign-seizure")
    assert isinstance(seizure, crampkit.Sign)
    assert resolve(seizure.name, region) == "A seizure"
    assert resolve(seizure.name, "uk") == "A fit (seizure)"
    assert resolve(seizure.short or "", "uk") == "Call 999 for a first or long fit. Protect their head."


def test_kb_show_for_the_us_says_seizure_never_fit() -> None:
    for item_id in ("sign-seizure", "eclampsia", "low-calcium", "heat-illness"):
        code, us, err = run("kb", "show", item_id, "--region", "us")
        assert (code, err) == (0, "")
        text, _, cited = us.partition("\nsources:")
        assert cited  # the citations keep their publishers' titles ("What to do if someone has a seizure (fit)")
        assert not _FIT.search(text), item_id
        assert "seizure" in text


def test_the_command_lines_list_of_regions_is_every_region() -> None:
    """``crampkit --help`` lists the regions from a module that imports nothing heavy: it must name them all."""
    assert tuple(REGIONS) == _choices.REGION_IDS
    assert _choices.DEFAULT_REGION in REGIONS
