"""``crampkit.to_text`` and ``crampkit.to_short``: the command line's text and short output, as functions."""

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import crampkit
from crampkit import InvalidInputError, ProblemCode, Profile, recommend, to_short, to_text
from crampkit.cli import main
from crampkit.text.i18n import languages
from crampkit.text.regions import REGIONS
from strategies import profiles

FORMATS = {"text": to_text, "short": to_short}


def _printed(profile: Profile, *options: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    code = main(["recommend", "-", *options], stdout=out, stderr=err, stdin=io.StringIO(crampkit.to_json(profile)))
    assert (code, err.getvalue()) == (0, "")
    return out.getvalue()


@given(profiles, st.sampled_from(list(REGIONS)), st.sampled_from(list(FORMATS)))
def test_each_gives_exactly_what_the_command_line_prints(profile: Profile, region: str, form: str) -> None:
    printed = _printed(profile, "--format", form, "--region", region)
    assert FORMATS[form](recommend(profile, region=region)) == printed


def test_the_text_form_is_the_default_format_and_the_short_form_is_shorter() -> None:
    profile = crampkit.example_profile()
    guidance = recommend(profile)
    assert to_text(guidance) == _printed(profile)
    assert to_short(guidance) == _printed(profile, "--format", "short")
    assert len(to_short(guidance).splitlines()) < len(to_text(guidance).splitlines())


def test_a_custom_knowledge_base_shows_its_version_and_changes_without_being_passed(tmp_path: Path) -> None:
    path = tmp_path / "clinic.toml"
    path.write_text('extends = "default"\nversion = "clinic-1"\ndisable = ["cut-down-alcohol"]\n', encoding="utf-8")
    profile = crampkit.load_profile({"age": 40, "cramps": {"timing": ["night"]}})
    guidance = recommend(profile, knowledge_base=crampkit.load_knowledge_base(path))
    assert to_text(guidance) == _printed(profile, "--knowledge-base", str(path))
    last_two = to_short(guidance).splitlines()[-2:]
    assert "cut-down-alcohol" in last_two[0]
    assert last_two[1] == "(knowledge base clinic-1)"


def test_guidance_read_back_from_json_gives_the_same_text() -> None:
    guidance = recommend(
        crampkit.load_profile({"symptoms": ["calf-swelling"], "medications": ["Lipitor"]}), region="au"
    )
    stored = crampkit.structure(crampkit.unstructure(guidance), crampkit.Guidance)
    assert (to_text(stored), to_short(stored)) == (to_text(guidance), to_short(guidance))
    assert "000" in to_short(stored)  # the region it was made for: Australia's emergency number
    assert "999" not in to_short(stored)


@pytest.mark.parametrize("function", [to_text, to_short])
def test_what_is_not_guidance_is_refused_with_a_structured_problem(function: object) -> None:
    assert callable(function)
    with pytest.raises(InvalidInputError) as caught:
        function(crampkit.unstructure(recommend(Profile())))
    (problem,) = caught.value.problems
    name = getattr(function, "__name__", "")
    assert (problem.path, problem.code, problem.location) == (
        ("guidance",),
        ProblemCode.WRONG_TYPE,
        f"{name}(): guidance",
    )
    assert "pass what crampkit.recommend returned" in problem.message


@pytest.mark.parametrize("function", [to_text, to_short])
def test_guidance_in_a_language_without_a_catalogue_here_is_refused(function: object) -> None:
    assert callable(function)
    data = crampkit.unstructure(recommend(Profile())) | {"language": "fr"}
    foreign = crampkit.structure(data, crampkit.Guidance)  # stored elsewhere, where French is installed
    with pytest.raises(InvalidInputError) as caught:
        function(foreign)
    (problem,) = caught.value.problems
    assert (problem.path, problem.code, problem.allowed) == (
        ("guidance", "language"),
        ProblemCode.NOT_ALLOWED_VALUE,
        languages(),
    )


def test_the_short_form_names_a_medicine_it_did_not_know_before_any_advice() -> None:
    """Found by a blind review: a brand crampkit did not know (then Marevan, warfarin) with an NSAID gave
    "SELF-CARE" and stretches in the short form, which never said a medicine could not be checked.
    """
    guidance = crampkit.recommend(crampkit.load_profile({"age": 70, "medications": ["Qwertozol", "Advil"]}))
    lines = crampkit.to_short(guidance).splitlines()
    assert guidance.unrecognized_medications == ("Qwertozol",)
    checked = next(index for index, line in enumerate(lines) if line.startswith("Not checked: Qwertozol ("))
    assert "pharmacist" in lines[checked]
    assert all(not line.startswith("1. ") for line in lines[:checked])


def test_at_urgent_triage_less_urgent_flags_are_only_named() -> None:
    """Found by a blind review: under "call 999" (acute limb ischaemia) the text also said "get help today from
    NHS 111 or your GP" and "make a routine appointment", the advice of less urgent flags that fired with it.
    """
    profile = crampkit.load_profile(
        {
            "age": 70,
            "cramps": {"sites": ["calf"]},
            "symptoms": ["cold-or-pale-leg", "severe-pain", "numbness-or-tingling"],
            "sudden_onset": True,
        }
    )
    guidance = crampkit.recommend(profile)
    text = crampkit.to_text(guidance)
    assert guidance.triage is crampkit.Urgency.EMERGENCY
    lower = [flag for flag in guidance.red_flags if flag.urgency is not crampkit.Urgency.EMERGENCY]
    assert lower  # the flags are all still in the guidance, and named in the text
    noted = text.split("Also noted")[1].split("Watch for")[0]
    assert all(f"[{flag.urgency.value}] {flag.name.split()[0]}" in noted for flag in lower)
    assert "routine appointment" not in text
    assert "NHS 111 or your GP" not in text.split("Watch for")[0]
    assert "Call 999" in text.split("Also noted")[0]
