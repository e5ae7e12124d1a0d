"""Property tests of crampkit.fhir over generated FHIR resources."""

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from crampkit import InvalidInputError, Problem, ProblemCode
from crampkit.exceptions import path_text
from crampkit.fhir import FhirProfile, to_profile
from crampkit.fhir.codes import code_table
from fhirkit import CLINICAL, bundle

TABLE = code_table()
URIS = [system.uri for system in TABLE.systems.values()]
KNOWN = [(TABLE.systems[row.system].uri, row.code) for row in TABLE.codes]
TODAY = dt.date(2026, 11, 25)

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)
codes = st.sampled_from(KNOWN) | st.tuples(
    st.sampled_from([*URIS, "http://example.org/x"]), st.text(min_size=1, max_size=10)
)
codings = codes.map(lambda pair: {"system": pair[0], "code": pair[1]})
concepts = st.fixed_dictionaries({"coding": st.lists(codings, max_size=3)}, optional={"text": st.text(max_size=20)})
statuses = st.sampled_from(["active", "inactive", "resolved", "recurrence", "stopped", "intended", "final", "x"])
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 1, 1)).map(str) | st.text(max_size=10)


@st.composite
def resources(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(
            ["Patient", "Condition", "Observation", "MedicationRequest", "MedicationStatement", "Encounter"]
        )
    )
    resource: dict[str, Any] = {"resourceType": kind, "id": draw(st.sampled_from(["a", "b", "p1"]))}
    if kind == "Patient":
        resource |= draw(
            st.fixed_dictionaries(
                {},
                optional={"birthDate": dates, "gender": st.sampled_from(["female", "male", "other", "unknown", "x"])},
            )
        )
    elif kind == "Condition":
        resource |= {"subject": {"reference": "Patient/p1"}, "code": draw(concepts)}
        resource["clinicalStatus"] = {"coding": [{"system": CLINICAL, "code": draw(statuses)}]}
    elif kind == "Observation":
        resource |= {"status": draw(statuses), "code": draw(concepts)}
        resource |= draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "valueQuantity": st.fixed_dictionaries(
                        {"value": st.floats(-1e6, 1e6, allow_nan=False)},
                        optional={"unit": st.sampled_from(["kg/m2", "x"])},
                    ),
                    "valueCodeableConcept": concepts,
                    "valueBoolean": st.booleans(),
                },
            )
        )
    elif kind.startswith("Medication"):
        resource |= {
            "status": draw(statuses),
            "subject": {"reference": "Patient/p1"},
            "medicationCodeableConcept": draw(concepts),
        }
        if kind == "MedicationRequest":
            resource["intent"] = "order"
    if draw(st.booleans()):
        resource[draw(st.sampled_from(["extra", "status", "code", "subject", "birthDate"]))] = draw(json_values)
    if draw(st.integers(0, 4)) == 0:
        resource["contained"] = draw(st.lists(contained, max_size=2))
    return resource


contained = (
    st.fixed_dictionaries(
        {"resourceType": st.sampled_from(["Medication", "Patient", "Nope", "", "Bundle", "CodeableConcept"])},
        optional={"id": st.text(max_size=3), "code": concepts},
    )
    | json_values
)
documents = (
    st.lists(resources(), max_size=6)
    | st.lists(resources(), max_size=4).map(lambda found: bundle(*found))
    | st.lists(resources() | json_values, max_size=3).map(lambda found: {"resourceType": "Bundle", "entry": found})
    | json_values
)


def assert_in_input(data: object, problem: Problem) -> None:
    """Every step of the problem's path can be followed in ``data``; only a missing key may end it."""
    here = data
    for number, step in enumerate(problem.path):
        if isinstance(here, Mapping) and type(step) is str:
            if step not in here:
                assert number == len(problem.path) - 1, problem
                assert problem.code is ProblemCode.MISSING, problem
                return
            here = here[step]
        else:
            assert isinstance(here, list), problem
            assert type(step) is int, problem
            assert 0 <= step < len(here), problem
            here = here[step]


@given(documents)
def test_any_json_maps_or_gives_problems_with_codes_and_paths_into_the_input(data: Any) -> None:
    try:
        result = to_profile(data, today=TODAY)
    except InvalidInputError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.code in set(ProblemCode)
            assert problem.message
            assert_in_input(data, problem)
            assert "pydantic" not in problem.message
            assert "<class" not in problem.message
            assert problem.location.endswith(path_text(problem.path) or "input") or "more than one Patient" in str(
                problem
            )
        assert json.loads(json.dumps(exc.as_data())) == exc.as_data()
    else:
        assert isinstance(result, FhirProfile)
        for item in result.unmapped:
            if item.problem is not None:
                assert_in_input(data, item.problem)
                assert item.path == path_text(item.problem.path)


@given(st.text(max_size=30), st.booleans())
def test_no_free_text_makes_the_record_refused(text: str, as_display: bool) -> None:
    """A medicine's text is a medicine name, or an unmapped part with its problem; the rest is always read."""
    concept: dict[str, Any] = {"coding": [{"system": "urn:x", "code": "1", "display": text}]} if as_display else {}
    concept["text"] = text
    medicine = {
        "resourceType": "MedicationRequest",
        "id": "m",
        "status": "active",
        "intent": "order",
        "subject": {"reference": "Patient/p1"},
        "medicationCodeableConcept": concept,
    }
    patient = {"resourceType": "Patient", "id": "p1", "birthDate": "1950-03-01"}
    try:
        result = to_profile(bundle(patient, medicine), today=TODAY)
    except InvalidInputError as exc:  # FHIR itself refuses text with no visible character or a character it bans
        assert all(problem.path[-1] in {"text", "display"} for problem in exc.problems), exc
        assert all(problem.code in {ProblemCode.EMPTY, ProblemCode.WRONG_FORMAT} for problem in exc.problems), exc
        return
    assert result.profile.age == 76
    refused = [item for item in result.unmapped if item.problem is not None]
    assert len(result.profile.medications) + len(refused) >= 1
    for item in refused:
        assert item.problem is not None
        assert item.problem.path[:3] == ("entry", 1, "resource")


@given(
    st.lists(st.text(min_size=1, max_size=12).filter(lambda c: not TABLE.lookup("snomed", c)), min_size=1, max_size=4)
)
def test_unknown_codes_land_in_unmapped(unknown: list[str]) -> None:
    condition = {
        "resourceType": "Condition",
        "id": "c",
        "subject": {"reference": "Patient/p1"},
        "clinicalStatus": {"coding": [{"system": CLINICAL, "code": "active"}]},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": code} for code in unknown]},
    }
    try:
        result = to_profile(bundle(condition), today=TODAY)
    except InvalidInputError:
        return  # codes FHIR does not allow (for example only spaces)
    assert [item.code for item in result.unmapped] == unknown
    assert not result.profile.conditions
    assert not result.profile.symptoms
