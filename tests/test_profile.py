"""Hardening at the profile boundary: objects built in Python are checked exactly as JSON is.

Every reproducer of issue 10 about profiles and public functions is here,
with the exact message it now gives.
"""

import json
import math
import tomllib
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crampkit
from crampkit import (
    Cramps,
    Fact,
    Guidance,
    Habits,
    InvalidInputError,
    Problem,
    ProblemCode,
    Profile,
    default_knowledge_base,
    derive_facts,
    guidance,
    knowledge,
    match_medications,
    profile,
    recommend,
    to_cds_hooks,
)
from crampkit._model import checks as _checks
from crampkit._model.constraints import (
    ID_PATTERN,
    TEXT_PATTERN,
    Constraint,
    Id,
    NonEmpty,
    OneOf,
    Range,
    Text,
    text_problem,
)
from crampkit.exceptions import kind_of, show
from strategies import hostile_text, json_values, near_valid, profile_like, profiles

KB = default_knowledge_base()
MINI = Path(__file__).parent / "data" / "mini.toml"


def problems(build: Any) -> tuple[str, ...]:
    with pytest.raises(InvalidInputError) as info:
        build()
    return tuple(str(problem) for problem in info.value.problems)


class TestIssueReproducers:
    """The first paragraph of issue 10: objects built in Python were not validated."""

    def test_pregnant_false_as_a_string(self) -> None:
        assert problems(lambda: Profile(pregnant="false")) == ("pregnant: expected true or false, got a string",)

    @pytest.mark.parametrize(
        ("build", "expected"),
        [
            (lambda: Profile(heat_exposure="no"), "heat_exposure: expected true or false, got a string"),
            (lambda: Habits(smoker="no"), "smoker: expected true or false, got a string"),
            (lambda: Cramps(disturbs_sleep="no"), "disturbs_sleep: expected true or false, got a string"),
            (lambda: Profile(sudden_onset=1), "sudden_onset: expected true or false, got an integer"),
        ],
    )
    def test_no_truthy_booleans(self, build: Any, expected: str) -> None:
        assert problems(build) == (expected,)

    def test_unknown_activity(self) -> None:
        assert problems(lambda: Profile(activity="couch")) == (
            "activity: unknown value 'couch' (allowed: sedentary, light, moderate, vigorous)",
        )

    def test_cramps_as_a_mapping_is_read_as_json(self) -> None:
        assert Profile(cramps={}) == Profile()
        assert Profile(cramps={"per_week": 3, "timing": ["night"]}).cramps == Cramps(per_week=3, timing=["night"])
        assert recommend(Profile(cramps={})).triage is crampkit.Urgency.SELF_CARE
        assert problems(lambda: Profile(cramps={"per_weak": 1})) == (
            "cramps.per_weak: unknown field; did you mean 'per_week'?",
        )
        assert problems(lambda: Profile(cramps=[])) == ("cramps: expected an object, got an array",)

    def test_medications_none(self) -> None:
        assert problems(lambda: Profile(medications=None)) == ("medications: expected an array, got null",)

    def test_match_medications_refuses_a_single_string(self) -> None:
        assert problems(lambda: match_medications("aspirin", KB)) == (
            "match_medications(): names: expected a list, tuple or set of names, got a single string",
        )

    def test_recommend_refuses_a_dict(self) -> None:
        assert problems(lambda: recommend({})) == (
            "recommend(): profile: expected a crampkit.Profile, got a dict (load JSON data with crampkit.load_profile)",
        )

    def test_recommend_refuses_a_string_knowledge_base(self) -> None:
        assert problems(lambda: recommend(Profile(), knowledge_base="x")) == (
            (
                "recommend(): knowledge_base: expected a crampkit.KnowledgeBase or None, got a str "
                "(load one with crampkit.load_knowledge_base, or leave it out for the packaged one)"
            ),
        )

    def test_derive_facts_refuses_none(self) -> None:
        assert problems(lambda: derive_facts(None)) == (
            (
                "derive_facts(): profile: expected a crampkit.Profile, got None "
                "(load JSON data with crampkit.load_profile)"
            ),
        )
        assert problems(lambda: derive_facts(Profile(), knowledge_base=3)) == (
            (
                "derive_facts(): knowledge_base: expected a crampkit.KnowledgeBase or None, got an int "
                "(load one with crampkit.load_knowledge_base, or leave it out for the packaged one)"
            ),
        )

    def test_to_cds_hooks_checks_its_arguments(self) -> None:
        assert problems(lambda: to_cds_hooks({})) == (
            (
                "to_cds_hooks(): guidance: expected a crampkit.Guidance, got a dict "
                "(pass what crampkit.recommend returned)"
            ),
        )
        assert problems(lambda: to_cds_hooks(recommend(Profile()), knowledge_base="kb")) == (
            (
                "to_cds_hooks(): knowledge_base: expected a crampkit.KnowledgeBase or None, got a str "
                "(load one with crampkit.load_knowledge_base, or leave it out for the packaged one)"
            ),
        )

    def test_match_medications_checks_each_name_and_the_knowledge_base(self) -> None:
        assert problems(lambda: match_medications(["ok", "bad\n", 3], KB)) == (
            "match_medications(): names[1]: must be on one line (found a line break, U+000A at position 4)",
            "match_medications(): names[2]: expected a string, got an integer",
        )
        assert problems(lambda: match_medications(None, KB)) == (
            "match_medications(): names: expected a list, tuple or set of names, got None",
        )
        assert problems(lambda: match_medications(["x"], None)) == (
            (
                "match_medications(): knowledge_base: expected a crampkit.KnowledgeBase, got None "
                "(load one with crampkit.load_knowledge_base, or pass crampkit.default_knowledge_base())"
            ),
        )
        assert match_medications({"Lipitor"}, KB).classes == {"Lipitor": ("statins",)}


class TestPythonConstructionIsChecked:
    def test_every_problem_at_once_with_paths(self) -> None:
        found = problems(
            lambda: Profile(
                age=121.5,
                sex=3,
                cramps={"per_week": math.inf, "sites": "calf"},
                habits=Habits(),
                symptoms=["fever", "nope"],
                surprise=1,
            )
        )
        assert found[:4] == (
            "age: expected an integer, got 121.5",
            "sex: expected a string, got an integer",
            "cramps.sites: expected an array, got a string",
            "cramps.per_week: expected a finite number, got inf",
        )
        assert found[4].startswith("symptoms[1]: unknown value 'nope' (allowed: calf-swelling, redness-or-warmth, ")
        assert found[5:] == ("surprise: unknown field",)

    def test_canonical_values_are_kept_and_json_like_ones_converted(self) -> None:
        built = Profile(age=70.0, bmi=30, conditions=("diabetes",), medications=["a", "a"])
        assert built.age == 70
        assert type(built.age) is int
        assert type(built.bmi) is float
        assert built.conditions == frozenset({crampkit.Condition.DIABETES})
        assert built.medications == frozenset({"a"})
        sites = frozenset({crampkit.Site.CALF})
        assert Cramps(sites=sites).sites is sites
        assert Cramps(sites=frozenset({"calf"})).sites == sites

    def test_sets_name_the_bad_item_by_value(self) -> None:
        assert problems(lambda: Profile(medications={"ok", "\x1b[2J"})) == (
            "medications['\\x1b[2J']: must not contain control characters (found U+001B at position 1)",
        )

    def test_huge_numbers_are_named_not_printed(self) -> None:
        assert problems(lambda: Profile(age=10**5000)) == (
            "age: must be between 0 and 120, got a number with more than 15 digits",
        )
        assert problems(lambda: Profile(bmi=10**400)) == (
            "bmi: must be between 10 and 80, got a number with more than 15 digits",
        )
        assert problems(lambda: crampkit.CauseHit(id="x", name="x", score=10**400, because=(), sources=())) == (
            "score: expected a number of a usable size, got a number with more than 15 digits",
        )

    def test_numbers_too_long_for_python_in_json(self) -> None:
        assert problems(lambda: crampkit.load_profile('{"age": ' + "9" * 31 + "}")) == (
            "age: must be between 0 and 120, got 1e+31",
        )
        assert problems(lambda: crampkit.load_profile('{"cramps": {"per_week": -' + "9" * 5000 + "}}")) == (
            "cramps.per_week: expected a finite number, got -inf",
        )

    def test_missing_required_and_nested_validators(self) -> None:
        assert problems(lambda: crampkit.Contraindication(reason="r")) == ("when: required field missing",)
        assert problems(lambda: Profile(cramps={"reported": False, "per_week": 2})) == (
            "cramps.reported: is false, but details of cramps are given",
        )
        assert problems(lambda: Profile(pregnant=False, pregnancy_weeks=12)) == (
            "pregnancy_weeks: given, but pregnant is false",
        )

    def test_guidance_and_knowledge_base_items_are_checked_too(self) -> None:
        assert problems(lambda: crampkit.NotRecommended(id="x", name=" ", reason="r", sources=[])) == (
            "name: must not be empty",
        )
        assert problems(lambda: crampkit.Source(id="s\n", title="t", publisher="p", url="u", kind="trial")) == (
            "id: must be a kebab-case id (lower-case letters and digits, joined by hyphens), got 's\\n'",
        )
        assert problems(lambda: crampkit.AuditClaim(id="c", claim="c", verdict="maybe", note="n")) == (
            "verdict: unknown value 'maybe' (allowed: supported, partly, weak, unsupported)",
        )
        assert problems(
            lambda: crampkit.RedFlag(id="r", name="n", summary="s", when={}, urgency="soon", advice="a", sources=[])
        ) == ("sources: must not be empty",)

    def test_evolve_checks_the_change(self) -> None:
        with pytest.raises(InvalidInputError, match=r"^smoker: expected true or false, got a string$"):
            attrs.evolve(Habits(), smoker="no")

    def test_every_public_attrs_class_is_checked(self) -> None:
        for module in (profile, knowledge, guidance):
            for name in module.__all__:
                cls = getattr(module, name)
                if isinstance(cls, type) and attrs.has(cls):
                    assert _checks.is_checked(cls), f"{module.__name__}.{name} needs @checked"

    def test_new_profile_fields_reach_the_facts(self) -> None:
        pill = {
            "id": "pill",
            "name": "Combined pill",
            "summary": "Oestrogen-containing.",
            "fact": "drug-oestrogen-containing",
            "generic_names": ["microgynon"],
            "sources": ["src-a"],
        }
        document = tomllib.loads(MINI.read_text())
        document["drug_classes"].append(pill)
        facts = derive_facts(
            Profile(pregnancy_weeks=24, sudden_onset=True, medications=frozenset({"microgynon"})),
            knowledge_base=crampkit.load_knowledge_base(document),
        )
        assert {
            Fact.PREGNANT,
            Fact.PREGNANT_20_WEEKS_PLUS,
            Fact.ONSET_SUDDEN,
            Fact.CLOT_RISK_OESTROGEN_PILL_OR_HRT,
        } <= facts

    def test_months_of_age_go_with_an_age_that_agrees(self) -> None:
        assert Profile(age=0, age_months=2).age_months == 2
        assert Profile(age=4, age_months=59).age_months == 59
        assert problems(lambda: Profile(age_months=2)) == ("age_months: given, but age is not",)
        assert problems(lambda: Profile(age=1, age_months=2)) == ("age_months: is 2 months (0 years), but age is 1",)
        assert problems(lambda: Profile(age=4, age_months=60)) == ("age_months: must be between 0 and 59, got 60",)
        with pytest.raises(InvalidInputError, match="age_months: is 30 months"):
            crampkit.load_profile({"age": 3, "age_months": 30})

    def test_output_classes_are_checked_outside_the_engine(self) -> None:
        made = recommend(crampkit.example_profile())
        assert problems(lambda: attrs.evolve(made, triage="later")) == (
            "triage: unknown value 'later' (allowed: self-care, routine, soon, urgent, emergency)",
        )


def _outcome(build: Any) -> tuple[str, object]:
    try:
        return "ok", build()
    except InvalidInputError as error:
        return "error", error.problems


@given(profile_like | near_valid() | st.dictionaries(st.sampled_from(["medications", "age", "cramps"]), json_values))
def test_python_construction_and_json_loading_agree(document: dict[str, Any]) -> None:
    """The same values, built in Python or loaded from JSON: the same profile, or the same problems."""
    from_json = _outcome(lambda: crampkit.load_profile(document))
    from_python = _outcome(lambda: Profile(**document))
    assert from_python == from_json


@given(st.lists(hostile_text, min_size=1, max_size=4))
def test_hostile_medicine_names_agree_and_never_crash(names: list[str]) -> None:
    from_json = _outcome(lambda: crampkit.load_profile({"medications": names}))
    from_python = _outcome(lambda: Profile(medications=names))
    assert from_python == from_json
    if from_json[0] == "ok":
        guidance = recommend(Profile(medications=names))
        assert json.loads(crampkit.to_json(guidance))
        to_cds_hooks(guidance)


@given(hostile_text)
def test_text_constraint_is_one_regex_for_checks_and_schema(text: str) -> None:
    import re  # noqa: PLC0415

    problem = Text(max_length=None).problem(text)
    assert (problem is None) == bool(re.search(TEXT_PATTERN, text))
    assert problem is None or problem == text_problem(text)


class TestConstraints:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("", "must not be empty"),
            (" \t", "must not contain control characters (found U+0009 at position 2)"),
            ("   ", "must not be empty"),
            ("\u200b\u200d", "must contain a visible character"),
            ("\u3164", "must contain a visible character"),
            ("a\rb", "must be on one line (found a line break, U+000D at position 2)"),
            ("a\u2028", "must be on one line (found a line break, U+2028 at position 2)"),
            ("\u202eevil", "must not contain text-direction controls (found U+202E at position 1)"),
            ("x\ud800", "is not valid text (found an unpaired surrogate, U+D800 at position 2)"),
            ("\x9bm", "must not contain control characters (found U+009B at position 1)"),
        ],
    )
    def test_text_problems(self, text: str, expected: str) -> None:
        assert Text().problem(text) == expected

    def test_text_accepts_ordinary_text_of_any_script(self) -> None:
        for text in ("Ibuprofène", "イブプロフェン", "إيبوبروفين", "👩\u200d⚕️ nurse", "a\u0301", "\u00ad-x"):
            assert Text().problem(text) is None, text

    def test_other_constraints(self) -> None:
        assert Text(max_length=3).problem("abcd") == "must be at most 3 characters, got 4"
        assert Text().problem(3) == "expected a string, got an integer"
        assert Id().problem(3) == "expected a string, got an integer"
        assert Id().problem("a" * 101).startswith("must be a kebab-case id")
        assert Id().problem("a-b") is None
        assert NonEmpty().problem("x") is None
        assert NonEmpty().problem(" ") == "must not be empty"
        assert NonEmpty().problem(()) == "must not be empty"
        assert NonEmpty().problem((1,)) is None
        assert OneOf(("a",)).problem("b") == "unknown value 'b' (allowed: a)"
        assert Range(0, 1).problem("1") == "expected a number, got a string"
        assert Range(0, 1, integer=True).problem(0.5) == "expected an integer, got 0.5"
        assert Range(-math.inf, math.inf).schema() == {}
        assert Range(0.5, 2).schema() == {"minimum": 0.5, "maximum": 2}
        with pytest.raises(NotImplementedError):
            Constraint().problem(1)
        with pytest.raises(NotImplementedError):
            Constraint().schema()
        with pytest.raises(NotImplementedError):
            Constraint().example()

    def test_constraints_as_attrs_validators(self) -> None:
        @attrs.frozen
        class Thing:
            size: int | None = attrs.field(default=None, validator=Range(0, 9))

        assert Thing(size=None).size is None
        with pytest.raises(InvalidInputError, match=r"^size: must be between 0 and 9, got 10$"):
            Thing(size=10)

    def test_values_are_shown_short_and_safe(self) -> None:
        assert show("x" * 100) == repr("x" * 60) + "…"
        assert show(True) == "a boolean"
        assert show(None) == "null"
        assert show(12) == "12"
        assert show(1.5) == "1.5"
        assert show([1]) == "an array"
        assert kind_of(object()) == "a object object"
        assert kind_of(b"x") == "bytes"


class TestTheCheckerItself:
    def test_unsupported_types_are_programming_errors(self) -> None:
        with pytest.raises(TypeError, match="only check unions of one type with None"):
            _checks.check_for(int | str)
        with pytest.raises(TypeError, match="cannot check values of type"):
            _checks.check_for(dict)

    def test_validators_that_are_not_constraints_still_report_with_a_path(self) -> None:
        def odd(_inst: object, _attribute: object, value: int) -> None:
            if value % 2 == 0:
                msg = "must be odd"
                raise ValueError(msg)

        @_checks.checked
        @attrs.frozen(kw_only=True)
        class Odd:
            number: int = attrs.field(validator=[odd, Range(0, 100)])

        @_checks.checked
        @attrs.frozen(kw_only=True)
        class Holder:
            odd: Odd

        @_checks.checked
        @attrs.frozen(kw_only=True)
        class Vague:
            number: int = attrs.field()

            @number.validator
            def _check(self, _attribute: object, _value: int) -> None:
                raise InvalidInputError([Problem((), ProblemCode.INVALID, "something is wrong here")])

        assert problems(lambda: crampkit.structure({"number": 1}, Vague)) == ("input: something is wrong here",)
        assert Holder(odd={"number": 3}).odd == Odd(number=3)
        assert problems(lambda: Holder(odd={"number": 200})) == ("odd.number: must be between 0 and 100, got 200",)
        assert problems(lambda: crampkit.structure({"odd": {"number": 4}}, Holder)) == ("odd: must be odd",)

    def test_every_text_walks_nested_objects(self) -> None:
        contraindication = crampkit.Contraindication(when={"any": ["pregnant"]}, reason="No.")
        assert list(_checks.every_text(contraindication)) == [(("when", "any", 0), "pregnant"), (("reason",), "No.")]

    def test_structure_and_schema_refuse_foreign_classes(self) -> None:
        assert problems(lambda: crampkit.structure({}, dict)) == (
            "structure(): type_: expected a crampkit class such as crampkit.Profile, got <class 'dict'>",
        )
        assert problems(lambda: crampkit.json_schema(int)) == (
            "json_schema(): cls: expected a crampkit class such as crampkit.Profile, got <class 'int'>",
        )

    def test_schemas_of_knowledge_base_items_carry_their_constraints(self) -> None:
        cause = crampkit.json_schema(crampkit.Cause)
        assert cause["properties"]["id"]["pattern"] == ID_PATTERN
        assert cause["properties"]["sources"]["minItems"] == 1
        assert crampkit.json_schema(crampkit.AuditClaim)["properties"]["verdict"]["enum"] == [
            "supported",
            "partly",
            "weak",
            "unsupported",
        ]


@given(profiles)
def test_engine_output_is_what_checked_construction_accepts(person: Profile) -> None:
    """The engine builds its output unchecked (its input is checked): rebuilding it with checks changes nothing."""
    made = recommend(person)
    assert Guidance(**{field.name: getattr(made, field.name) for field in attrs.fields(Guidance)}) == made
