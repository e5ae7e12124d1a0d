"""RxNorm product codes and a Medication's ingredients: what an EHR sends reaches the guidance, or is reported."""

import datetime as dt
from typing import Any

import pytest

import crampkit
from crampkit import Fact
from crampkit.fhir import to_profile
from crampkit.fhir.codes import code_table
from crampkit.knowledge.medicines import matcher
from fhirkit import ATC, CRAMP, RXNORM, SNOMED, bundle, coding, medication_request, patient

TODAY = dt.date(2026, 12, 7)
KB = crampkit.default_knowledge_base()


def statement(sid: str, *codings: dict[str, str], **concept: Any) -> dict[str, Any]:
    return {
        "resourceType": "MedicationStatement",
        "id": sid,
        "status": "active",
        "subject": {"reference": "Patient/p1"},
        "medicationCodeableConcept": {"coding": list(codings), **concept},
    }


def guidance_for(*resources: dict[str, Any]) -> crampkit.Guidance:
    return crampkit.recommend(to_profile(bundle(patient(), CRAMP, *resources), today=TODAY).profile)


@pytest.mark.parametrize("make", [statement, medication_request], ids=["MedicationStatement", "MedicationRequest"])
def test_a_clinical_drug_code_with_no_display_gives_its_class(make: Any) -> None:
    result = to_profile(bundle(make("m", coding(RXNORM, "617310"))), today=TODAY)
    assert result.profile.medications == {"atorvastatin 20 MG Oral Tablet"}
    assert result.unmapped == ()
    guidance = crampkit.recommend(result.profile)
    assert Fact.DRUG_STATIN in guidance.facts
    assert guidance.unrecognized_medications == ()


# research/issue-20-medicines.md section 3.6: codes that EHRs send, with no display, and the classes they must reach.
CODES = [
    ("617310", {"statins"}),  # atorvastatin 20 mg
    ("617312", {"statins"}),  # atorvastatin 10 mg (issue 20 calls it 20 mg; both VSAC expansions say 10)
    ("314076", {"raas-blockers"}),  # lisinopril 10 mg
    ("310798", {"thiazide-diuretics"}),  # hydrochlorothiazide 25 mg
    ("197886", {"raas-blockers", "thiazide-diuretics"}),  # hydrochlorothiazide 12.5 / lisinopril 20 mg
    ("979468", {"raas-blockers", "thiazide-diuretics"}),  # hydrochlorothiazide 12.5 / losartan 50 mg
    ("1656349", {"raas-blockers"}),  # sacubitril 49 / valsartan 51
    ("313988", {"loop-diuretics"}),  # furosemide 40 mg
    ("198224", {"thiazide-diuretics", "potassium-sparing-diuretics"}),  # hydrochlorothiazide 25 / spironolactone 25
    ("312941", {"ssri-snri"}),  # sertraline 50 mg
    ("309362", {"antiplatelets"}),  # clopidogrel 75 mg
    ("1545658", {"sglt2-inhibitors"}),  # empagliflozin 10 mg
    ("861007", {"metformin"}),  # metformin 500 mg
    ("197604", {"digoxin"}),  # digoxin 0.125 mg
    ("213169", {"antiplatelets"}),  # clopidogrel 75 mg [Plavix], a branded drug
]


@pytest.mark.parametrize(("code", "classes"), CODES)
def test_the_codes_of_the_dossier_reach_their_classes(code: str, classes: set[str]) -> None:
    result = to_profile(bundle(statement("s", coding(RXNORM, code))), today=TODAY)
    (name,) = result.profile.medications
    match = crampkit.match_medications([name], KB)
    assert set(match.classes.get(name, ())) == classes
    assert match.unrecognized == ()


def test_a_code_crampkit_cannot_map_is_reported_unrecognised_never_only_in_unmapped() -> None:
    result = to_profile(bundle(patient(), CRAMP, statement("s", coding(RXNORM, "996561"))), today=TODAY)
    assert result.profile.medications == {"RxNorm 996561"}
    assert [(item.code, item.reason) for item in result.unmapped] == [("996561", "a code crampkit does not map")]
    guidance = crampkit.recommend(result.profile)
    assert guidance.unrecognized_medications == ("RxNorm 996561",)
    assert Fact.MEDICATION_UNRECOGNIZED in guidance.facts


@pytest.mark.parametrize("code", ["\x1b", "\u202e42", "9" * 2000])
def test_a_code_no_name_can_hold_still_reaches_the_guidance_unnamed(code: str) -> None:
    """A control character or an overlong code never becomes a profile problem (found by a property test)."""
    result = to_profile(bundle(patient(), CRAMP, statement("s", coding(RXNORM, code))), today=TODAY)
    (name,) = result.profile.medications
    assert name.startswith("a medicine with no code or name crampkit can read")
    assert crampkit.recommend(result.profile).unrecognized_medications == (name,)


def test_a_code_of_a_system_crampkit_does_not_know_is_named_by_its_system() -> None:
    result = to_profile(bundle(statement("s", coding("urn:oid:1.2.3", "42"), coding(SNOMED, "7"))), today=TODAY)
    assert result.profile.medications == {"urn:oid:1.2.3 42"}


def test_a_display_is_used_before_the_code() -> None:
    result = to_profile(bundle(statement("s", coding(RXNORM, "996561", "memantine 10 MG Oral Tablet"))), today=TODAY)
    assert result.profile.medications == {"memantine 10 MG Oral Tablet"}
    assert crampkit.recommend(result.profile).unrecognized_medications == ()


def medication(mid: str, *ingredients: dict[str, Any], code: dict[str, Any] | None = None) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Medication", "id": mid, "ingredient": list(ingredients)}
    if code is not None:
        resource["code"] = code
    return resource


def item(*codings: dict[str, str], text: str | None = None) -> dict[str, Any]:
    concept: dict[str, Any] = {"coding": list(codings)} | ({"text": text} if text else {})
    return {"itemCodeableConcept": concept}


def by_reference(rid: str, reference: str, **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "MedicationRequest",
        "id": rid,
        "status": "active",
        "intent": "order",
        "subject": {"reference": "Patient/p1"},
        "medicationReference": {"reference": reference},
        **extra,
    }


def test_the_ingredients_of_a_referenced_medication_are_read() -> None:
    entresto = medication("med1", item(coding(RXNORM, "69749")), item(coding(RXNORM, "1656328")))
    result = to_profile(bundle(entresto, by_reference("r1", "Medication/med1")), today=TODAY)
    assert result.profile.medications == {"valsartan", "sacubitril"}
    match = crampkit.match_medications(result.profile.medications, KB)
    assert set(match.facts) == {Fact.DRUG_RAAS_BLOCKER}


def test_the_ingredients_of_a_contained_medication_are_read_by_code_or_text() -> None:
    contained = medication(
        "inline",
        item(coding(RXNORM, "29046")),
        item(coding(RXNORM, "99999999"), text="hydrochlorothiazide"),
        item(coding(ATC, "C03DB01")),
        code={"text": "Some local combination name"},
    )
    request = by_reference("r2", "#inline", contained=[contained])
    result = to_profile(bundle(request), today=TODAY)
    assert result.profile.medications == {"lisinopril", "hydrochlorothiazide", "C03DB01"}
    reasons = {(item.path, item.reason) for item in result.unmapped}
    assert ("entry[0].resource.contained[0].code.text", "not needed: the medicine's ingredients were used") in reasons
    match = crampkit.match_medications(result.profile.medications, KB)
    assert set(match.facts) == {
        Fact.DRUG_RAAS_BLOCKER,
        Fact.DRUG_THIAZIDE_DIURETIC,
        Fact.DRUG_POTASSIUM_SPARING_DIURETIC,
    }


def test_a_coded_medication_does_not_need_its_ingredients() -> None:
    coded = medication("med1", item(coding(RXNORM, "1")), code={"coding": [coding(RXNORM, "617310")]})
    result = to_profile(bundle(coded, by_reference("r1", "Medication/med1")), today=TODAY)
    assert result.profile.medications == {"atorvastatin 20 MG Oral Tablet"}
    assert [item.reason for item in result.unmapped] == ["not needed: the medicine's code was used"]


def test_an_ingredient_crampkit_cannot_read_is_still_reported() -> None:
    unreadable = medication(
        "med1",
        item(coding(RXNORM, "83367")),
        item(coding(RXNORM, "123456789")),
        {"itemReference": {"reference": "Substance/s1", "display": "a local substance"}},
        {"itemReference": {"reference": "Substance/s2"}},
        {"itemCodeableConcept": {}},
    )
    result = to_profile(bundle(unreadable, by_reference("r1", "Medication/med1")), today=TODAY)
    assert result.profile.medications == {
        "atorvastatin",
        "RxNorm 123456789",
        "a local substance",
        "a medicine with no code or name crampkit can read (Medication/med1)",
    }
    guidance = crampkit.recommend(result.profile)
    assert set(guidance.unrecognized_medications) == {
        "RxNorm 123456789",
        "a local substance",
        "a medicine with no code or name crampkit can read (Medication/med1)",
    }


def test_a_medication_with_nothing_to_read_is_still_reported() -> None:
    empty = medication("med1")
    result = to_profile(bundle(empty, by_reference("r1", "Medication/med1")), today=TODAY)
    assert result.profile.medications == {"a medicine with no code or name crampkit can read (Medication/med1)"}
    named = medication("med2", code={"text": "Zimovane"})
    assert to_profile(bundle(named, by_reference("r2", "Medication/med2")), today=TODAY).profile.medications == {
        "Zimovane"
    }
    uncoded = statement("s", text=" ")
    result = to_profile(bundle(uncoded), today=TODAY)
    assert result.profile.medications == {"a medicine with no code or name crampkit can read (MedicationStatement/s)"}
    assert [item.reason for item in result.unmapped] == ["an empty name"]


def test_a_coding_with_no_code_and_no_name_still_gives_a_name() -> None:
    result = to_profile(bundle(statement("s", {"system": RXNORM})), today=TODAY)
    assert result.profile.medications == {"a medicine with no code or name crampkit can read (MedicationStatement/s)"}
    assert "no known code and no name to match" in [item.reason for item in result.unmapped]


def test_a_very_long_resource_id_still_gives_a_name() -> None:
    coded = {
        "resourceType": "MedicationStatement",
        "id": "x" * 64,
        "status": "active",
        "subject": {"reference": "Patient/p1"},
        "medicationReference": {"reference": "#" + "y" * 200},
    }
    result = to_profile(bundle(coded), today=TODAY)
    assert result.profile.medications == {"a medicine with no code or name crampkit can read"}


# The code table and the knowledge base carry the same RxNorm codes of medicines: each row's name resolves to the
# ingredients that the knowledge base records for that code.


def test_every_rxnorm_row_and_the_knowledge_base_agree() -> None:
    table = code_table()
    found = matcher(KB)
    rows = {row.code: row for row in table.codes if row.system == "rxnorm" and row.maps == "medication"}
    held = {
        code: (set(medicine.ingredients) if isinstance(medicine, crampkit.Product) else {medicine.id})
        for medicine in KB.medicines()
        for code in medicine.rxnorm
    }
    assert set(rows) == set(held)
    for code, row in rows.items():
        assert found.resolve(row.to).ingredients == held[code], code


def test_a_reference_to_a_contained_resource_that_is_not_a_medication_is_skipped_not_a_crash() -> None:
    """Issue 21's reproducer: a '#ref' to a contained Patient gave a 500 (AttributeError); now it is unmapped."""
    request = by_reference("r", "#p", contained=[{"resourceType": "Patient", "id": "p"}])
    result = to_profile(bundle(request), today=TODAY)
    (name,) = result.profile.medications
    assert name.startswith("a medicine with no code or name crampkit can read")
    assert "the medicine '#p' is not a Medication in the input" in [item.reason for item in result.unmapped]
