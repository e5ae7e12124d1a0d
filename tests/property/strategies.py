"""Hypothesis strategies for crampkit objects, hostile text and hostile JSON."""

from collections.abc import Iterable
from typing import Any

import attrs
from hypothesis import strategies as st

import crampkit
from crampkit import Activity, ClotRisk, Condition, Cramps, Fact, Habits, Profile, Sex, Site, Symptom, Timing
from crampkit.profile import MEDICATION_NAME
from kbtools import profile_with

MEDICINE_NAMES = (
    "bendroflumethiazide",
    "Lipitor",
    "C10AA05",
    "furosemide",
    "Ventolin",
    "salmeterol",
    "spironolactone 25 mg",
    "paracetamol",
    "made-up-medicine",
    "ZOCOR",
    "ibuprofen",
    "warfarin",
    "amlodipine",
    "Nexium",
)


def _subset(values: Any) -> st.SearchStrategy[frozenset[Any]]:
    return st.frozensets(st.sampled_from(list(values)))


numbers = st.floats(allow_nan=False, allow_infinity=False)

cramps = st.builds(
    Cramps,
    sites=_subset(Site),
    timing=_subset(Timing),
    per_week=st.none() | st.floats(0, 100),
    minutes=st.none() | st.floats(0, 1440),
    disturbs_sleep=st.none() | st.booleans(),
    reported=st.none() | st.just(True),
)

habits = st.builds(
    Habits,
    alcohol_units_per_week=st.none() | st.floats(0, 500),
    caffeine_drinks_per_day=st.none() | st.floats(0, 100),
    smoker=st.none() | st.booleans(),
)

medicine_names = st.sampled_from(MEDICINE_NAMES) | st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1, max_size=40
).filter(lambda name: MEDICATION_NAME.problem(name) is None)

TROUBLE = (
    "\x00\x07\x08\t\n\x0b\x0c\r\x1b\x7f\x85\x9b\u00a0\u00ad\u200b\u200d\u200e\u202a\u202e\u2066\u2069"
    "\u2028\u2029\u3164\ufeff\ufffd\ud800\udbff\udc00\udfff<>&\"'`*_[]()#|~!\\-+=.:/ "
)
"""Characters that break terminals, Markdown, HTML, JSON or encoders: controls, separators,
bidirectional and invisible characters, lone surrogates and markup."""

hostile_characters = (
    st.characters(codec=None, categories=["Cs"])
    | st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn"])
    | st.sampled_from(TROUBLE)
    | st.characters()
)
hostile_text = st.text(hostile_characters, max_size=30)
"""Text that often contains surrogates, control characters, invisible characters and markup."""

hostile_markup = st.sampled_from(
    [
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        "[click me](javascript:alert(1))",
        "![x](https://evil.example/x.png)",
        "# Heading",
        "\n# Heading",
        "**bold** _it_ `code`",
        "1. list",
        "- item",
        "> quote",
        "| a | b |",
        "&lt;b&gt;",
        "\x1b[31mred\x1b[0m",
        "a\rb",
        "\u202eevil",
    ]
) | st.builds("".join, st.lists(st.sampled_from(TROUBLE) | st.text(max_size=3), max_size=8))
"""Markup and escape sequences, and mixtures of the characters in :data:`TROUBLE`."""

profiles = (
    st.builds(
        Profile,
        age=st.none() | st.integers(0, 120),
        sex=st.none() | st.sampled_from(Sex),
        pregnant=st.none() | st.booleans(),
        bmi=st.none() | st.floats(10, 80),
        activity=st.none() | st.sampled_from(Activity),
        heat_exposure=st.none() | st.booleans(),
        medications=st.frozensets(medicine_names, max_size=6),
        conditions=_subset(Condition),
        cramps=cramps,
        symptoms=_subset(Symptom),
        habits=habits,
        clot_risks=_subset(ClotRisk),
        sudden_onset=st.none() | st.booleans(),
    )
    .flatmap(
        lambda profile: (
            st.just(profile)
            if profile.pregnant is False
            else st.builds(attrs.evolve, st.just(profile), pregnancy_weeks=st.none() | st.integers(0, 45))
        )
    )
    .flatmap(
        lambda profile: (
            st.builds(
                attrs.evolve,
                st.just(profile),
                age_months=st.none() | st.integers(12 * profile.age, 12 * profile.age + 11),
            )
            if profile.age is not None and profile.age < 5
            else st.just(profile)
        )
    )
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | numbers | st.text(max_size=20) | hostile_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)

PROFILE_KEYS = [field.name for field in crampkit.Profile.__attrs_attrs__]

profile_like = st.dictionaries(
    st.sampled_from([*PROFILE_KEYS, "agee", "cramps.per_week"]),
    json_values,
    max_size=6,
)
"""Dicts with mostly real keys and arbitrary values: close to valid, often not."""


@st.composite
def near_valid(draw: st.DrawFn) -> dict[str, Any]:
    """A valid profile document with one value replaced by arbitrary JSON."""
    document: dict[str, Any] = crampkit.unstructure(draw(profiles))
    key = draw(st.sampled_from([*PROFILE_KEYS, "unknown_key"]))
    document[key] = draw(json_values)
    return document


def with_facts(profile: Profile, facts: Iterable[Fact], kb: crampkit.KnowledgeBase) -> Profile:
    """``profile`` with what :func:`kbtools.profile_with` gives for ``facts`` added to it.

    A drug-class fact the knowledge base has no class for is skipped (check the facts that result).
    """
    classes = {drug_class.fact for drug_class in kb.drug_classes}
    extra = profile_with([fact for fact in facts if not fact.value.startswith("drug-") or fact in classes], kb)
    changes: dict[str, Any] = {
        "medications": profile.medications | extra.medications,
        "conditions": profile.conditions | extra.conditions,
        "symptoms": profile.symptoms | extra.symptoms,
    }
    if extra.pregnant:
        changes["pregnant"] = True
    if extra.age is not None:
        changes.update(age=extra.age, age_months=extra.age_months)
    return attrs.evolve(profile, **changes)
