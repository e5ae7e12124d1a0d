"""crampkit.fhir: FHIR R4 resources to a profile, and the verified code table behind it."""

import datetime as dt
import re
import sys
from typing import Any

import attrs
import pytest

import crampkit
from crampkit import Condition, Fact, InvalidInputError, ProblemCode, Sex, Symptom, Timing
from crampkit.fhir import MAX_RESOURCES, FhirProfile, mapping, to_profile
from crampkit.fhir.codes import MAPS, code_table
from crampkit.knowledge.load import DATA, default_knowledge_base
from fhirkit import (
    ATC,
    CRAMP,
    ICD10,
    ICD10CM,
    LOINC,
    RXNORM,
    SNOMED,
    STATIN,
    THIAZIDE,
    bundle,
    coding,
    condition,
    medication_request,
    observation,
    patient,
    worked_example,
)

TODAY = dt.date(2026, 11, 25)


def read(*resources: dict[str, Any]) -> FhirProfile:
    return to_profile(bundle(*resources), today=TODAY)


def reasons(result: FhirProfile) -> list[str]:
    return [item.reason for item in result.unmapped]


def test_worked_example_from_the_issue() -> None:
    result = to_profile(worked_example(), today=TODAY)
    profile = result.profile
    assert profile.age == 76
    assert profile.sex is Sex.FEMALE
    assert profile.cramps.reported is True
    assert profile.medications == {"hydrochlorothiazide", "atorvastatin"}
    facts = crampkit.derive_facts(profile)
    assert {Fact.DRUG_THIAZIDE_DIURETIC, Fact.DRUG_STATIN, Fact.CRAMPS_REPORTED} <= facts
    assert crampkit.recommend(profile).unrecognized_medications == ()


def test_without_the_condition_no_cramps_are_reported() -> None:
    profile = to_profile(worked_example(with_condition=False), today=TODAY).profile
    assert profile.cramps.reported is None
    assert Fact.CRAMPS_REPORTED not in crampkit.derive_facts(profile)


def test_the_names_are_exported_lazily_from_crampkit() -> None:
    assert crampkit.to_profile is to_profile
    assert crampkit.FhirProfile is FhirProfile
    assert {"FhirProfile", "Unmapped", "to_profile"} <= set(crampkit.__all__)
    with pytest.raises(AttributeError):
        _ = crampkit.no_such_name


def test_import_crampkit_does_not_import_the_extras() -> None:
    import subprocess  # noqa: PLC0415

    extras = "('pydantic', 'fhir', 'starlette', 'uvicorn')"
    code = f"import sys, crampkit; print(sorted(m for m in {extras} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout  # noqa: S603
    assert out.strip() == "[]"


def test_without_the_fhir_extra_to_profile_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib  # noqa: PLC0415

    from crampkit.fhir import mapping  # noqa: PLC0415

    def missing(name: str) -> Any:
        raise ModuleNotFoundError(f"No module named {name!r}", name="fhir")

    monkeypatch.setattr(importlib, "import_module", missing)
    with pytest.raises(ImportError, match=r"needs the fhir extra.*pip install '\.\[fhir\]'") as caught:
        mapping.preload()
    assert caught.value.name == "fhir"


def test_to_profile_without_the_extra_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reproducer: without the extra, reading a Patient failed with "No module named 'pydantic'"."""
    import importlib  # noqa: PLC0415

    def missing(name: str) -> Any:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    monkeypatch.setattr(importlib, "import_module", missing)
    monkeypatch.setitem(sys.modules, "pydantic", None)  # as if it were not installed
    with pytest.raises(ImportError, match=r"needs the fhir extra"):
        read(patient())


def test_another_missing_module_is_not_blamed_on_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib  # noqa: PLC0415

    from crampkit.fhir import mapping  # noqa: PLC0415

    def broken(_name: str) -> Any:
        raise ModuleNotFoundError("No module named 'pydantic_core'", name="pydantic_core")

    monkeypatch.setattr(importlib, "import_module", broken)
    with pytest.raises(ModuleNotFoundError, match="pydantic_core"):
        mapping.preload()


@pytest.mark.parametrize(
    ("birth", "age"),
    [("1950-03-01", 76), ("1950-11-26", 75), ("1950-11-25", 76), ("2026-11-25", 0), ("1950-05", 76), ("1980", None)],
)
def test_age_on_today_from_the_birth_date(birth: str, age: int | None) -> None:
    result = read(patient(birth=birth))
    assert result.profile.age == age
    if age is None:
        assert reasons(result) == ["a partial birth date gives an age of 45 or 46"]


def test_a_partial_birth_date_this_month_gives_age_0() -> None:
    profile = read(patient(birth="2026-11")).profile
    assert (profile.age, profile.age_months) == (0, None)  # months unknown: the youngest band, the safer side


@pytest.mark.parametrize(
    ("birth", "age", "months"),
    [
        ("2026-11-25", 0, 0),
        ("2026-08-26", 0, 2),  # a day short of 3 months
        ("2026-08-25", 0, 3),
        ("2025-11-26", 0, 11),
        ("2025-11-25", 1, 12),
        ("2021-11-26", 4, 59),
        ("2021-11-25", 5, None),  # from 5 only years are kept
        ("2024-06", 2, None),  # a partial date leaves the months unknown
    ],
)
def test_a_full_birth_date_gives_months_for_a_child_under_5(birth: str, age: int, months: int | None) -> None:
    profile = read(patient(birth=birth)).profile
    assert (profile.age, profile.age_months) == (age, months)


def test_a_feverish_baby_from_the_record_is_triaged_by_months() -> None:
    # NICE NG143: 38°C or more under 3 months is a red (high-risk) feature; NHS Healthier Together: A&E or 999.
    profile = read(patient(birth="2026-10-01")).profile
    assert (profile.age, profile.age_months) == (0, 1)
    baby = crampkit.recommend(attrs.evolve(profile, symptoms=frozenset({Symptom.FEVER})))
    assert baby.triage is crampkit.Urgency.EMERGENCY
    older = crampkit.recommend(
        attrs.evolve(read(patient(birth="2026-02-01")).profile, symptoms=frozenset({Symptom.FEVER}))
    )
    assert older.triage is crampkit.Urgency.SELF_CARE  # 9 months: fever alone is looked after at home


def test_december_partial_birth_date() -> None:
    assert read(patient(birth="1950-12")).profile.age == 75


@pytest.mark.parametrize(("birth", "message"), [("2027-01-01", "after today"), ("1890-01-01", "not between 0 and 120")])
def test_impossible_birth_dates_are_errors(birth: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message) as info:
        read(patient(birth=birth))
    assert str(info.value.problems[0]).startswith("Patient/p1 at entry[0].resource.birthDate")


@pytest.mark.parametrize(("gender", "sex"), [("female", Sex.FEMALE), ("male", Sex.MALE), ("other", Sex.OTHER)])
def test_gender_gives_sex(gender: str, sex: Sex) -> None:
    assert read(patient(gender=gender)).profile.sex is sex


def test_a_patient_with_nothing_on_record() -> None:
    result = read(patient(gender=None, birth=None))
    assert (result.profile.age, result.profile.sex, result.unmapped) == (None, None, ())


def test_unknown_gender_and_missing_birth_date_leave_fields_unset() -> None:
    result = read(patient(gender="unknown", birth=None))
    assert result.profile.sex is None
    assert result.profile.age is None
    assert result.unmapped[0].code == "unknown"
    assert result.unmapped[0].path == "entry[0].resource.gender"


def test_only_active_conditions_count() -> None:
    result = read(
        condition("a", coding(SNOMED, "44054006")),
        condition("b", coding(SNOMED, "59621000"), status="resolved"),
        condition("c", coding(SNOMED, "84114007"), status=None),
        condition("d", coding(SNOMED, "40930008"), verification="refuted"),
        condition("e", coding(SNOMED, "24700007"), status="relapse", verification="confirmed"),
    )
    assert result.profile.conditions == {Condition.DIABETES, Condition.MULTIPLE_SCLEROSIS}
    assert reasons(result) == [
        "clinicalStatus resolved: only active, recurrence or relapse count",
        "clinicalStatus missing: only active, recurrence or relapse count",
        "verificationStatus refuted",
    ]


@pytest.mark.parametrize(
    ("system", "code", "expected"),
    [
        (ICD10, "E11.9", Condition.DIABETES),
        (ICD10CM, "E1165", Condition.DIABETES),
        (ICD10CM, "m48.062", Condition.LUMBAR_SPINAL_STENOSIS),
        (ICD10, "I10", Condition.HYPERTENSION),
        (SNOMED, "18347007", Condition.LUMBAR_SPINAL_STENOSIS),
        (ICD10CM, "Z99.2", Condition.DIALYSIS),
    ],
)
def test_conditions_from_icd_and_snomed(system: str, code: str, expected: Condition) -> None:
    assert read(condition("c", coding(system, code))).profile.conditions == {expected}


def test_a_code_can_mean_two_conditions() -> None:
    conditions = read(condition("c", coding(SNOMED, "236435004"))).profile.conditions
    assert conditions == {Condition.DIALYSIS, Condition.CHRONIC_KIDNEY_DISEASE}


def test_signs_on_record_become_symptoms() -> None:
    result = read(
        condition("a", coding(SNOMED, "82470000")),
        condition("b", coding(ICD10CM, "R11.10")),
        condition("c", coding(ICD10, "R51")),
        condition("d", coding(SNOMED, "63491006")),
    )
    assert result.profile.symptoms == {
        Symptom.MUSCLE_TWITCHING,
        Symptom.VOMITING,
        Symptom.HEADACHE,
        Symptom.PAIN_WALKING_RELIEVED_BY_REST,
    }


@pytest.mark.parametrize(
    ("system", "code", "timing"),
    [
        (ICD10, "R25.2", set()),
        (ICD10CM, "R252", set()),
        (SNOMED, "55300003", set()),
        (SNOMED, "449918009", set()),
        (ICD10CM, "G47.62", {Timing.NIGHT}),
        (SNOMED, "102549009", {Timing.REST}),
    ],
)
def test_a_coded_cramp_counts_as_cramps_reported(system: str, code: str, timing: set[Timing]) -> None:
    cramps = read(condition("c", coding(system, code))).profile.cramps
    assert cramps.reported is True
    assert cramps.timing == timing


def test_unknown_codes_and_systems_land_in_unmapped() -> None:
    result = read(
        condition(
            "c",
            coding(SNOMED, "999999999"),
            coding("http://example.org/local", "X1"),
            {"system": SNOMED},
            coding(RXNORM, "5487"),
        ),
        {
            "resourceType": "Condition",
            "id": "t",
            "subject": {"reference": "Patient/p1"},
            "code": {"text": "cramps"},
            "clinicalStatus": {
                "coding": [coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active")]
            },
        },
        {
            "resourceType": "Condition",
            "id": "n",
            "subject": {"reference": "Patient/p1"},
            "clinicalStatus": {
                "coding": [coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active")]
            },
        },
    )
    assert [(item.system, item.code, item.reason) for item in result.unmapped] == [
        (SNOMED, "999999999", "a code crampkit does not map"),
        ("http://example.org/local", "X1", "a code system crampkit does not map"),
        (SNOMED, None, "no system or code"),
        (RXNORM, "5487", "this code means medication, which is not used here"),
        (None, None, "no coding (free text is not interpreted)"),
        (None, None, "no code"),
    ]
    assert result.unmapped[0].path == "entry[0].resource.code.coding[0]"
    assert result.unmapped[0].resource_type == "Condition"
    assert result.unmapped[0].resource_id == "c"
    assert result.profile.cramps.reported is None


def test_medicines_from_rxnorm_atc_and_names() -> None:
    result = read(
        THIAZIDE,
        medication_request("a", coding(ATC, "c10aa05")),
        medication_request("b", coding(RXNORM, "1049221", "Lipitor 20 MG Oral Tablet"), text="Lipitor"),
        medication_request("c", text="  bendroflumethiazide\n2.5 mg "),
        medication_request("d", coding(ATC, "not-an-atc")),
        medication_request("e", coding(RXNORM, "36567"), coding(ATC, "C10AA01")),
    )
    assert result.profile.medications == {
        "hydrochlorothiazide",
        "C10AA05",
        "Lipitor 20 MG Oral Tablet",
        "Lipitor",
        "bendroflumethiazide 2.5 mg",
        "simvastatin",
        "C10AA01",
        "WHO ATC not-an-atc",  # a code crampkit cannot map, and no name: the code reaches the guidance as a name
    }
    assert ("a code crampkit does not map", "1049221") in [(i.reason, i.code) for i in result.unmapped]
    assert ("a code crampkit does not map", "not-an-atc") in [(i.reason, i.code) for i in result.unmapped]


def test_medicine_statuses() -> None:
    statement = {
        "resourceType": "MedicationStatement",
        "id": "s",
        "status": "intended",
        "subject": {"reference": "Patient/p1"},
        "medicationCodeableConcept": {"coding": [coding(RXNORM, "83367")]},
    }
    result = read(medication_request("x", coding(RXNORM, "5487"), status="stopped"), statement)
    assert result.profile.medications == {"atorvastatin"}
    assert reasons(result) == ["status stopped: only active count"]
    stopped = read({**statement, "status": "completed"})
    assert reasons(stopped) == ["status completed: only active or intended count"]


def test_medication_references_are_resolved() -> None:
    medicine = {"resourceType": "Medication", "id": "med1", "code": {"coding": [coding(RXNORM, "83367")]}}
    unused = {"resourceType": "Medication", "id": "med2", "code": {"text": "x"}}
    by_reference = {
        "resourceType": "MedicationRequest",
        "id": "r1",
        "status": "active",
        "intent": "order",
        "subject": {"reference": "Patient/p1"},
        "medicationReference": {"reference": "Medication/med1"},
    }
    contained = {
        **by_reference,
        "id": "r2",
        "contained": [{"resourceType": "Medication", "id": "inline", "code": {"coding": [coding(RXNORM, "5487")]}}],
        "medicationReference": {"reference": "#inline"},
    }
    missing = {**by_reference, "id": "r3", "medicationReference": {"reference": "Medication/elsewhere"}}
    missing_contained = {**contained, "id": "r4", "medicationReference": {"reference": "#other"}}
    display_only = {**by_reference, "id": "r5", "medicationReference": {"display": "Lipitor"}}
    nothing = {**by_reference, "id": "r6", "medicationReference": {}}
    result = read(medicine, unused, by_reference, contained, missing, missing_contained, display_only, nothing)
    assert result.profile.medications == {
        "atorvastatin",
        "hydrochlorothiazide",
        "Lipitor",  # the reference's display
        # a medicine crampkit cannot read still reaches the guidance, as a name it does not recognise
        "a medicine with no code or name crampkit can read (MedicationRequest/r3, medicine Medication/elsewhere)",
        "a medicine with no code or name crampkit can read (MedicationRequest/r4, medicine #other)",
        "a medicine with no code or name crampkit can read (MedicationRequest/r6)",
    }
    assert "the medicine 'Medication/elsewhere' is not a Medication in the input" in reasons(result)
    assert "the medicine '#other' is not a Medication in the input" in reasons(result)
    assert "a Medication that no active request or statement refers to" in reasons(result)
    assert "no medicine code or reference" in reasons(result)


def test_bad_medicine_names_are_not_used() -> None:
    result = read(
        medication_request("a", coding(RXNORM, "1", "x" * 201)),
        medication_request("b", coding(RXNORM, "2", "\u2028 ")),
    )
    assert result.profile.medications == {"RxNorm 1", "RxNorm 2"}  # the names cannot be used: the codes stand in
    assert "a name longer than 200 characters" in reasons(result)
    assert "an empty name" in reasons(result)


def test_bad_medicine_names_carry_their_problem() -> None:
    result = read(medication_request("a", coding(RXNORM, "1", "x" * 201)))
    (_, long_name) = result.unmapped
    assert long_name.problem is not None
    assert long_name.problem.path == ("entry", 0, "resource", "medicationCodeableConcept", "coding", 0, "display")
    assert (long_name.problem.code, long_name.problem.max_length) == (ProblemCode.TOO_LONG, 200)
    assert long_name.path == "entry[0].resource.medicationCodeableConcept.coding[0].display"


# The issue's reproducer: a medicine name holding a right-to-left override (U+202E) reordered how a clinician saw
# "simvastatin", and made to_profile refuse the whole record; the server answered 400. The part now lands in
# unmapped with its problem, and the rest of the patient is read.
SIMVA_RLO = "simva\u202estatin"
RED_FLAG = condition("c2", coding(SNOMED, "26544005"))  # a sign that is a red flag


def test_a_bidi_override_in_a_medicine_name_lands_in_unmapped_and_the_rest_is_read() -> None:
    result = to_profile(
        bundle(patient(), medication_request("m9", text=SIMVA_RLO), STATIN, CRAMP, RED_FLAG), today=TODAY
    )
    assert result.profile.age == 76
    assert result.profile.cramps.reported is True
    assert result.profile.medications == {
        "atorvastatin",
        "a medicine with no code or name crampkit can read (MedicationRequest/m9)",
    }
    (unmapped,) = [item for item in result.unmapped if item.resource_id == "m9"]
    assert unmapped.path == "entry[1].resource.medicationCodeableConcept.text"
    assert unmapped.reason == "a name that must not contain text-direction controls (found U+202E at position 6)"
    assert unmapped.problem is not None
    assert unmapped.problem.path == ("entry", 1, "resource", "medicationCodeableConcept", "text")
    assert unmapped.problem.code is ProblemCode.FORBIDDEN_CHARACTER
    assert str(unmapped.problem) == (
        "entry[1].resource.medicationCodeableConcept.text: "
        "must not contain text-direction controls (found U+202E at position 6)"
    )
    guidance = crampkit.recommend(result.profile)
    assert guidance.red_flags
    assert guidance.triage.level > crampkit.Urgency.SELF_CARE.level


@pytest.mark.parametrize(
    ("text", "code"),
    [
        *((f"simva{chr(point)}statin", ProblemCode.FORBIDDEN_CHARACTER) for point in range(0x202A, 0x202F)),
        *((f"simva{chr(point)}statin", ProblemCode.FORBIDDEN_CHARACTER) for point in range(0x2066, 0x206A)),
        ("\u200b\u2060", ProblemCode.EMPTY),  # nothing visible
    ],
)
def test_every_format_control_in_free_text_lands_in_unmapped(text: str, code: ProblemCode) -> None:
    result = read(patient(), medication_request("m9", coding(RXNORM, "1", text), text=text), CRAMP)
    assert result.profile.medications == {"RxNorm 1"}
    assert result.profile.age == 76
    refused = [item for item in result.unmapped if item.problem is not None]
    assert [item.problem.code for item in refused if item.problem] == [code, code]  # the display and the text
    assert [item.path.rsplit(".", 1)[-1] for item in refused] == ["display", "text"]


def test_a_lone_surrogate_is_not_text_and_the_models_refuse_it() -> None:
    with pytest.raises(InvalidInputError) as info:
        read(patient(), medication_request("m9", text="simva\ud800statin"))
    (problem,) = info.value.problems
    assert problem.path == ("entry", 1, "resource", "medicationCodeableConcept", "text")
    assert problem.code is ProblemCode.FORBIDDEN_CHARACTER


def test_control_characters_in_free_text_are_spaces() -> None:
    result = read(medication_request("m", text="simva-\tstatin\r\n 20 mg"))
    assert result.profile.medications == {"simva- statin 20 mg"}
    assert result.unmapped == ()


def test_at_most_100_medicines() -> None:
    requests = [medication_request(f"m{n}", text=f"medicine {n:03d}") for n in range(105)]
    result = read(*requests)
    assert len(result.profile.medications) == 100
    assert sum("more than 100 medicines" in reason for reason in reasons(result)) == 5
    extra = result.unmapped[-1]
    assert (extra.resource_id, extra.path) == ("m104", "entry[104].resource.medicationCodeableConcept.text")
    assert extra.problem is not None
    assert (extra.problem.code, extra.problem.max_items) == (ProblemCode.TOO_MANY, 100)


BMI = coding(LOINC, "39156-5")
PREGNANCY = coding(LOINC, "82810-3")


def test_the_latest_bmi_counts() -> None:
    result = read(
        observation("o1", BMI, valueQuantity={"value": 31.5, "unit": "kg/m2"}, effectiveDateTime="2025-01-01"),
        observation("o2", BMI, valueQuantity={"value": 27, "code": "kg/m2"}, effectiveDateTime="2026-01-01T10:00:00Z"),
        observation("o3", BMI, valueQuantity={"value": 22}, effectivePeriod={"start": "2024-01-01"}),
        observation("o4", BMI, valueQuantity={"value": 5}),
        observation("o5", BMI, valueQuantity={"value": 30, "unit": "lb/in2"}),
        observation("o6", BMI, valueString="high"),
        observation("o7", BMI, status="preliminary", valueQuantity={"value": 40}),
        observation("o8", BMI, valueQuantity={"value": 40}, issued="2026-01-02T00:00:00Z"),
    )
    assert result.profile.bmi == 40
    assert reasons(result).count("superseded by a later BMI") == 3
    assert "BMI 5 is outside 10 to 80" in reasons(result)
    assert "BMI in lb/in2, not kg/m2" in reasons(result)
    assert "a BMI Observation without a numeric valueQuantity" in reasons(result)
    assert "status preliminary: only final, amended or corrected count" in reasons(result)


def test_pregnancy_status_observation_decides() -> None:
    pregnant = observation("p", PREGNANCY, valueCodeableConcept={"coding": [coding(LOINC, "LA15173-0")]})
    not_pregnant = observation(
        "n", PREGNANCY, valueCodeableConcept={"coding": [coding(SNOMED, "60001007")]}, effectiveDateTime="2026-11-01"
    )
    assert read(pregnant).profile.pregnant is True
    result = read(pregnant, not_pregnant, condition("c", coding(SNOMED, "77386006")))
    assert result.profile.pregnant is False
    assert "superseded by a later pregnancy status" in reasons(result)
    assert "the latest pregnancy-status Observation says not pregnant" in reasons(result)


def test_pregnancy_status_answers_that_cannot_be_used() -> None:
    unknown = observation("u", PREGNANCY, valueCodeableConcept={"coding": [coding(SNOMED, "146799005")]})
    contradictory = observation(
        "c",
        PREGNANCY,
        valueCodeableConcept={"coding": [coding(SNOMED, "77386006"), coding(SNOMED, "60001007")]},
    )
    empty = observation("e", PREGNANCY)
    result = read(unknown, contradictory, empty)
    assert result.profile.pregnant is None
    assert "answers that contradict each other" in reasons(result)
    assert "a pregnancy status without a valueCodeableConcept" in reasons(result)


def test_pregnancy_conditions_and_weeks() -> None:
    result = read(
        condition("p", coding(ICD10CM, "Z33.1")),
        condition("w1", coding(ICD10CM, "Z3A.24")),
        condition("w2", coding(ICD10CM, "Z3A.12")),
    )
    assert result.profile.pregnant is True
    assert result.profile.pregnancy_weeks == 24
    assert Fact.PREGNANT_20_WEEKS_PLUS in crampkit.derive_facts(result.profile)
    assert "a later week of pregnancy is on record" in reasons(result)
    not_pregnant = observation("n", PREGNANCY, valueCodeableConcept={"coding": [coding(SNOMED, "60001007")]})
    result = read(not_pregnant, condition("w", coding(ICD10CM, "Z3A.30")))
    assert result.profile.pregnancy_weeks is None
    assert "weeks of pregnancy, but the patient is not pregnant" in reasons(result)


def test_findings_in_observations() -> None:
    result = read(
        observation("a", coding(SNOMED, "25064002")),
        observation("b", coding(SNOMED, "404640003"), valueBoolean=True),
        observation("c", coding(SNOMED, "91175000"), valueBoolean=False),
        observation("d", coding(SNOMED, "55300003"), valueString="yes"),
    )
    assert result.profile.symptoms == {Symptom.HEADACHE, Symptom.DIZZINESS}
    assert reasons(result).count("a finding with a value crampkit cannot interpret") == 2


def test_resources_about_another_patient_are_not_used() -> None:
    result = read(patient(), condition("x", coding(ICD10, "R25.2"), pid="other"))
    assert result.profile.cramps.reported is None
    assert reasons(result) == ["about another patient (Patient/other)"]


def test_other_resources_and_entries_without_resources() -> None:
    data = bundle({"resourceType": "Encounter", "id": "e"}, {"resourceType": "OperationOutcome"})
    data["entry"].append({"fullUrl": "urn:uuid:1"})
    result = to_profile(data, today=TODAY)
    assert reasons(result) == [
        "a resource type crampkit does not use",
        "a resource type crampkit does not use",
        "a Bundle entry without a resource",
    ]
    assert result.unmapped[2].path == "entry[2]"


def test_a_list_of_resources_and_nested_bundles() -> None:
    result = to_profile([patient(), bundle(CRAMP), bundle(bundle(STATIN))], today=TODAY)
    assert result.profile.age == 76
    assert result.profile.cramps.reported is True
    assert result.profile.medications == {"atorvastatin"}


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("text", "input: expected a FHIR Bundle, a resource or a list of them, got a string"),
        (42, "input: expected a FHIR Bundle, a resource or a list of them, got an integer"),
        ([1], "[0]: expected a FHIR resource (a JSON object), got an integer"),
        ({"id": "x"}, "resourceType: missing, or not a string"),
        ({"resourceType": "Bundle", "entry": {}}, "entry: expected an array, got an object"),
        ({"resourceType": "Bundle", "entry": ["x"]}, "entry[0]: expected an object, got a string"),
        (
            bundle({"resourceType": "Patient", "id": "p", "birthDate": "1950-13-01"}),
            "Patient/p at entry[0].resource.birthDate: expected a FHIR date: YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            bundle({"resourceType": "Condition", "subject": {"reference": "Patient/p"}, "code": {"coding": "x"}}),
            "Condition at entry[0].resource.code.coding: expected an array",
        ),
        (bundle(patient("a"), patient("b")), "input: more than one Patient (a, b)"),
        (bundle(bundle(bundle(bundle(bundle(patient()))))), "Bundles nested more than 4 deep"),
    ],
)
def test_bad_fhir_is_an_invalid_input_error_with_a_path(data: object, problem: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        to_profile(data, today=TODAY)  # type: ignore[arg-type]
    assert any(str(p).startswith(problem) or problem in str(p) for p in info.value.problems), info.value.problems


@pytest.mark.parametrize(
    ("data", "path", "code"),
    [
        ({"resourceType": ""}, ("resourceType",), ProblemCode.EMPTY),
        ({"resourceType": 5}, ("resourceType",), ProblemCode.WRONG_TYPE),
        ({"id": "x"}, ("resourceType",), ProblemCode.MISSING),
        ([{"resourceType": "Bundle", "entry": 3}], (0, "entry"), ProblemCode.WRONG_TYPE),
        (
            bundle(bundle(bundle(bundle(bundle(patient()))))),
            ("entry", 0) + ("resource", "entry", 0) * 3 + ("resource",),
            ProblemCode.TOO_DEEP,
        ),
        (bundle(patient("a"), patient("b")), ("entry", 1, "resource"), ProblemCode.CONFLICT),
        (patient() | {"contained": [5]}, ("contained", 0), ProblemCode.WRONG_TYPE),
        (patient() | {"contained": [{"id": "x"}]}, ("contained", 0, "resourceType"), ProblemCode.MISSING),
        (
            patient() | {"contained": [{"resourceType": "Nope"}]},
            ("contained", 0, "resourceType"),
            ProblemCode.NOT_ALLOWED_VALUE,
        ),
        (
            patient() | {"contained": [{"resourceType": "bad name"}]},
            ("contained", 0, "resourceType"),
            ProblemCode.NOT_ALLOWED_VALUE,
        ),
        (patient() | {"contained": [{"resourceType": "CodeableConcept"}]}, ("contained", 0), ProblemCode.WRONG_TYPE),
        (patient() | {"gender": 3}, ("gender",), ProblemCode.WRONG_TYPE),
        (patient() | {"colour": "red"}, ("colour",), ProblemCode.UNKNOWN_FIELD),
        (patient() | {"gender": "   "}, ("gender",), ProblemCode.EMPTY),
        (patient() | {"deceasedBoolean": True, "deceasedDateTime": "2020"}, (), ProblemCode.CONFLICT),
        (
            {"resourceType": "MedicationRequest", "status": "active", "intent": "order"},
            ("subject",),
            ProblemCode.MISSING,
        ),
    ],
)
def test_each_problem_has_its_path_in_the_input_and_a_code(
    data: object, path: tuple[object, ...], code: ProblemCode
) -> None:
    with pytest.raises(InvalidInputError) as info:
        to_profile(data, today=TODAY)  # type: ignore[arg-type]
    assert (path, code) in [(problem.path, problem.code) for problem in info.value.problems], info.value.problems


def test_the_codes_and_limits_of_errors_from_the_models() -> None:
    from crampkit.fhir import mapping  # noqa: PLC0415

    assert mapping._code("something_new", "", None) is ProblemCode.INVALID  # noqa: SLF001
    assert mapping._code("int_parsing", "", "x") is ProblemCode.WRONG_TYPE  # noqa: SLF001
    assert mapping._code("value_error", "Value error, odd", None) is ProblemCode.INVALID  # noqa: SLF001
    assert mapping._limits(ProblemCode.TOO_LONG, {"max_length": 9}) == {"max_length": 9}  # noqa: SLF001
    assert mapping._limits(ProblemCode.TOO_MANY, {"max_length": 2}) == {"max_items": 2}  # noqa: SLF001
    assert mapping._limits(ProblemCode.OUT_OF_RANGE, {"gt": 0, "le": 5}) == {"minimum": 0, "maximum": 5}  # noqa: SLF001
    assert mapping._limits(ProblemCode.OUT_OF_RANGE, {"ge": True}) == {}  # noqa: SLF001
    assert mapping._limits(ProblemCode.TOO_LONG, {}) == {}  # noqa: SLF001
    assert mapping._message("a\u202eb\n" + "c" * 400).startswith("a b c")  # noqa: SLF001
    assert len(mapping._message("c" * 400)) == 300  # noqa: SLF001


def test_too_many_resources() -> None:
    with pytest.raises(InvalidInputError, match=f"more than {MAX_RESOURCES} resources"):
        to_profile([{"resourceType": "Basic"}] * (MAX_RESOURCES + 1), today=TODAY)


def test_too_many_entries_stop_the_reading_with_one_problem() -> None:
    """Issue 21: 2.4 million entries gave one problem each (a 398.6 MB error); reading now stops at the cap."""
    entries: list[object] = [0 for _ in range(2 * MAX_RESOURCES)]
    with pytest.raises(InvalidInputError) as info:
        to_profile({"resourceType": "Bundle", "type": "collection", "entry": entries}, today=TODAY)
    assert [(p.path, p.code) for p in info.value.problems] == [(("entry",), ProblemCode.TOO_MANY)]
    small = {"resourceType": "Bundle", "type": "collection", "entry": [0, {"resource": {"resourceType": "Basic"}}]}
    with pytest.raises(InvalidInputError) as info:
        to_profile([small, *[{"resourceType": "Basic"}] * MAX_RESOURCES], today=TODAY)
    assert [p.code for p in info.value.problems] == [ProblemCode.WRONG_TYPE, ProblemCode.TOO_MANY]  # those before too


def test_errors_raised_by_the_models_are_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    from fhir.resources.R4B.patient import Patient  # noqa: PLC0415

    mapping._validated.cache_clear()  # noqa: SLF001 - a Patient validated before would not call the model again

    def broken(_data: object) -> None:
        raise RecursionError("too deep")

    monkeypatch.setattr(Patient, "model_validate", broken)
    with pytest.raises(InvalidInputError, match=r"Patient/p1 at entry\[0\]\.resource: nested too deeply") as info:
        read(patient())
    assert (info.value.problems[0].path, info.value.problems[0].code) == (("entry", 0, "resource"), "too-deep")

    def odd(_data: object) -> None:
        raise TypeError("can only concatenate str (not 'int') to str")

    monkeypatch.setattr(Patient, "model_validate", odd)
    with pytest.raises(InvalidInputError) as info:
        read(patient())
    (problem,) = info.value.problems
    assert (
        str(problem) == "Patient/p1 at entry[0].resource: cannot be read as a FHIR R4 Patient"
    )  # never Python's words
    assert (problem.path, problem.code) == (("entry", 0, "resource"), "invalid")


def test_a_resource_sent_again_is_not_validated_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 21: the models' validation was a third of a service call; the same resource is validated once."""
    from fhir.resources.R4B.patient import Patient  # noqa: PLC0415

    mapping._validated.cache_clear()  # noqa: SLF001
    calls: list[object] = []
    validate = Patient.model_validate

    def counted(data: object) -> object:
        calls.append(data)
        return validate(data)

    monkeypatch.setattr(Patient, "model_validate", counted)
    first = read(patient())
    assert read(dict(reversed(patient().items()))) == first  # the same resource, keys in another order
    assert len(calls) == 1
    with pytest.raises(InvalidInputError):
        read(patient(gender=3))  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        read(patient(gender=3))  # type: ignore[arg-type]
    assert len(calls) == 3  # errors are never kept
    read(patient(birth=dt.date(1950, 3, 1)))  # type: ignore[arg-type]  # not JSON: validated directly, not kept
    assert len(calls) == 4


@pytest.mark.parametrize(
    ("resource", "message"),
    [
        ({"id": "p 1"}, "not in the format FHIR allows here"),
        ({"meta": {"lastUpdated": "yesterday"}}, "expected a FHIR instant, such as 2026-12-07T10:15:00Z"),
        ({"foo": 1}, "not an element FHIR R4 defines here"),
        ({"multipleBirthInteger": "x"}, "expected an integer"),
        ({"name": [{"given": "x"}]}, "expected an array"),
        ({"birthDate": {"a": 1}}, "expected a FHIR date: YYYY, YYYY-MM or YYYY-MM-DD"),
        ({"name": "  "}, "expected an array"),
    ],
)
def test_problems_the_models_find_are_in_crampkits_words(resource: dict[str, Any], message: str) -> None:
    """Issue 21: 400 bodies showed pydantic's wording ("Value error, ... spec regex", a regular expression)."""
    with pytest.raises(InvalidInputError) as info:
        to_profile({"resourceType": "Patient", "id": "p1", **resource}, today=TODAY)
    assert [problem.message for problem in info.value.problems] == [message]


def test_model_problem_words_for_every_code() -> None:
    words = mapping._own_words  # noqa: SLF001
    assert words(ProblemCode.MISSING, "value_error", "Expect any of field value from this list ['a', 'b'].") == (
        "required: one of a, b"
    )
    assert words(ProblemCode.CONFLICT, "value_error", "from this list ['a', 'b'], but got multiple!") == (
        "give only one of a, b"
    )
    assert words(ProblemCode.CONFLICT, "value_error", "odd") == "conflicts with another element"
    assert words(ProblemCode.EMPTY, "string_too_short", "String should have at least 1 character") == (
        "must not be empty or only spaces"
    )
    assert "surrogate" in words(ProblemCode.FORBIDDEN_CHARACTER, "string_unicode", "Input should be a valid string")
    assert words(ProblemCode.WRONG_TYPE, "something_type", "x") == "not of a type FHIR allows here"
    assert words(ProblemCode.WRONG_FORMAT, "value_error", "DateTime value string does not match spec regex.") == (
        "expected a FHIR dateTime, such as 2026-12-07T10:15:00Z"
    )
    assert words(ProblemCode.WRONG_FORMAT, "value_error", "Time value x") == "expected a FHIR time, such as 10:15:00"
    assert words(ProblemCode.INVALID, "value_error", "Value error, odd") == "not a value FHIR allows here"
    assert words(ProblemCode.TOO_LONG, "string_too_long", "String should have at most 5 characters") == (
        "String should have at most 5 characters"
    )


def test_today_must_be_a_date() -> None:
    with pytest.raises(InvalidInputError, match=r"today: expected a datetime\.date"):
        to_profile(worked_example(), today=dt.datetime(2026, 11, 25, tzinfo=dt.UTC))


# The code table.

TABLE = code_table()
KB = default_knowledge_base()


def test_the_code_table_lives_with_the_fhir_package_not_the_knowledge_base() -> None:
    from pathlib import Path  # noqa: PLC0415

    from crampkit.fhir import codes  # noqa: PLC0415

    assert codes.PATH.is_file()
    assert codes.PATH.parent.parent == Path(codes.__file__).parent
    assert not codes.PATH.is_relative_to(DATA)
    assert crampkit.load_knowledge_base(DATA).version == KB.version


def test_every_row_is_well_formed_and_cites_a_source() -> None:
    values = {
        "condition": {c.value for c in Condition},
        "symptom": {s.value for s in Symptom},
        "cramps": {"", *(t.value for t in Timing)},
        "pregnant": {"true"},
        "observation": {"bmi", "pregnancy-status"},
        "pregnancy-status": {"true", "false"},
    }
    seen: set[tuple[str, str, str, str]] = set()
    for row in TABLE.codes:
        assert row.system in TABLE.systems
        assert row.maps in MAPS
        assert MAPS[row.maps]
        assert row.match in {"exact", "prefix"}
        assert row.seen_at
        assert set(row.seen_at) <= set(TABLE.sources), row
        assert row.display
        assert (row.system, row.code, row.maps, row.to) not in seen
        seen.add((row.system, row.code, row.maps, row.to))
        if row.maps == "pregnancy-weeks":
            assert 8 <= int(row.to) <= 42
        elif row.maps == "medication":
            assert row.fact in {"", *(f.value for f in Fact)}
        else:
            assert row.to in values[row.maps], row
    for system in TABLE.systems.values():
        assert set(system.seen_at) <= set(TABLE.sources)
    for source in TABLE.sources.values():
        assert source.where
        assert (source.repo and re.fullmatch(r"[0-9a-f]{40}", source.commit)) or source.url.startswith("https://")


def test_every_medicine_name_raises_its_drug_class_when_the_knowledge_base_has_it() -> None:
    facts = {drug_class.fact.value for drug_class in KB.drug_classes}
    for row in TABLE.codes:
        if row.maps == "medication" and row.fact in facts:
            assert Fact(row.fact) in crampkit.match_medications([row.to], KB).facts, row


@pytest.mark.parametrize(
    ("system", "code", "to"),
    [
        ("rxnorm", "5487", "hydrochlorothiazide"),
        ("rxnorm", "83367", "atorvastatin"),
        ("icd-10", "R25.2", ""),
        ("loinc", "82810-3", "pregnancy-status"),
        ("loinc", "39156-5", "bmi"),
    ],
)
def test_the_codes_the_issue_asks_for_are_there_with_their_sources(system: str, code: str, to: str) -> None:
    rows = TABLE.lookup(system, code)
    assert [row.to for row in rows] == [to]
    assert rows[0].seen_at


def test_unknown_system_uris() -> None:
    assert TABLE.system_key("http://example.org") is None
    assert TABLE.system_key(" http://snomed.info/sct ") == "snomed"
