"""Property tests of crampkit.fhir over generated FHIR resources."""

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from crampkit import InvalidInputError
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
    return resource


@given(st.lists(resources(), max_size=6) | json_values)
def test_mapping_never_raises_anything_but_invalid_input(data: Any) -> None:
    try:
        result = to_profile(data, today=TODAY)
    except InvalidInputError as exc:
        assert exc.problems
    else:
        assert isinstance(result, FhirProfile)


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
