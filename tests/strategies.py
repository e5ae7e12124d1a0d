"""Hypothesis strategies for crampkit objects and for hostile JSON."""

from typing import Any

import attrs
from hypothesis import strategies as st

import crampkit
from crampkit import Activity, ClotRisk, Condition, Cramps, Habits, Profile, Sex, Site, Symptom, Timing

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
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=40
).filter(str.strip)

profiles = st.builds(
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
).flatmap(
    lambda profile: (
        st.just(profile)
        if profile.pregnant is False
        else st.builds(attrs.evolve, st.just(profile), pregnancy_weeks=st.none() | st.integers(0, 45))
    )
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | numbers | st.text(max_size=20),
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
