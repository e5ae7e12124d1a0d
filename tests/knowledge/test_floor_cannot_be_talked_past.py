"""Issue 21, deliverable 5: a floor that cannot be talked past by a custom knowledge base.

Every reproducer found by the attacker is a hostile knowledge base here, with what the floor now says about it.
"""

import tomllib
import unicodedata
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import crampkit
from crampkit import ChangeKind, KnowledgeBaseError, ProblemCode, load_knowledge_base, recommend
from crampkit.knowledge import load as _kb
from crampkit.knowledge import safety as _safety
from crampkit.knowledge.medicines import MedicineMatcher, class_names, matcher, packaged_medicines
from crampkit.text.confusables import CONFUSABLES, normal_version, skeleton

KB = crampkit.default_knowledge_base()
MINI = Path(__file__).parents[1] / "data" / "mini.toml"
NSAIDS = next(drug_class for drug_class in KB.drug_classes if drug_class.id == "nsaids")


def mini() -> dict[str, Any]:
    return tomllib.loads(MINI.read_text())


def problems_of(source: dict[str, Any]) -> tuple[str, ...]:
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(source)
    return tuple(str(problem) for problem in info.value.problems)


def item(item_id: str, text: str, category: str, **more: object) -> dict[str, Any]:
    """An intervention that tells people to do ``text``."""
    return {
        "id": item_id,
        "name": "After a cramp",
        "summary": "Something to take after a cramp.",
        "phase": "during",
        "category": category,
        "instructions": [text],
        "certainty": "low",
        "stance": "optional",
        "sources": ["nhs-leg-cramps"],
        **more,
    }


def extension(*interventions: dict[str, Any], **more: object) -> dict[str, Any]:
    return {"extends": "default", "version": "clinic-1", "interventions": list(interventions), **more}


# -- medicines filed under a category that gives none ------------------------------------------------


def test_aspirin_filed_under_stretching_must_be_declared() -> None:
    found = problems_of(extension(item("aspirin-stretch", "Take aspirin, then stretch.", "stretching")))
    assert found[:2] == (
        "aspirin-stretch: medicines: its text names drug-antiplatelet, drug-aspirin; list them in medicines",
        (
            "aspirin-stretch: category: its text names a medicine (acetylsalicylic-acid), and a stretching item "
            "gives none; a medicine is given as pain-relief, prescription-drug, supplement"
        ),
    )


def test_aspirin_declared_under_stretching_is_refused_for_its_category() -> None:
    declared = item("aspirin-stretch", "Take aspirin, then stretch.", "stretching", medicines=["drug-antiplatelet"])
    assert (
        "aspirin-stretch: category: gives a medicine (drug-antiplatelet) but is filed under stretching; "
        "a medicine is given as pain-relief, prescription-drug, supplement "
        "(an item that only asks about a medicine is a medication-review)"
    ) in problems_of(extension(declared))


def test_baclofen_filed_under_stretching_is_refused() -> None:
    found = problems_of(extension(item("baclofen-stretch", "Take baclofen, then stretch.", "stretching")))
    assert found[0] == (
        "baclofen-stretch: category: its text names a medicine (baclofen), and a stretching item gives none; "
        "a medicine is given as pain-relief, prescription-drug, supplement"
    )


def test_a_prescription_drug_must_be_in_a_drug_class_and_left_out_for_children() -> None:
    found = problems_of(extension(item("baclofen-pill", "Ask about baclofen.", "prescription-drug")))
    assert found == (
        (
            "baclofen-pill: medicines: its text names baclofen, which no drug class covers, so the floor cannot "
            "check who must not take it; add it to a drug class and list the class in medicines"
        ),
    )
    # filed as a prescription drug, the exclusion table's row for children reaches it (a base of its own must
    # leave it out for them itself; the packaged population rules already do)
    data = mini()
    data["population_rules"] = [rule for rule in data["population_rules"] if rule["id"] != "under-18"]
    data["interventions"].append(item("baclofen-pill", "Ask a GP.", "prescription-drug", sources=["src-a"]))
    assert (
        "baclofen-pill: must be left out when age-under-18 (under 18) holds (exclusion table, row "
        "under-18-no-cramp-medicines): add a contraindication or a population rule"
    ) in problems_of(data)


def test_an_8_year_old_is_never_offered_a_declared_medicine_the_table_withholds() -> None:
    packaged = crampkit.unstructure(KB.get("ibuprofen-after"))
    ibuprofen = item(
        "nurofen-after",
        "Nurofen® after a cramp.",
        "pain-relief",
        medicines=["drug-nsaid"],
        contraindications=packaged["contraindications"],
    )
    clinic = load_knowledge_base(extension(ibuprofen))  # with the packaged item's contraindications, and rules
    child = recommend(crampkit.load_profile({"age": 8, "cramps": {"per_week": 3}}), knowledge_base=clinic)
    assert "nurofen-after" not in [rec.id for rec in child.recommendations]
    assert "nurofen-after" in [entry.id for entry in child.contraindicated]


# -- NSAIDs in any spelling, recommended in pregnancy -------------------------------------------------

SPELLINGS = [
    "Nurofen®",
    "ibuprofens",
    "ibu-profen",
    "ibu\u00adprofen",
    "\u0456buprofen",
    "IBUPROFEN",
    "ibu\u200bprofen",
    "an NSAID",
    "NSAIDs",
    # found by a blind attack
    "ibuprofin",  # one edit away: the floor reads tolerantly
    "ibuprofeno",
    "ibuprof\u00e8ne",
    "ibup\u0280ofen",  # LATIN LETTER SMALL CAPITAL R
    "ibupro\u0192en",  # LATIN SMALL LETTER F WITH HOOK
]


UNDER_18 = (
    "must be left out when age-under-18 (under 18) holds (exclusion table, row under-18-no-cramp-medicines): "
    "add a contraindication or a population rule"
)


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_an_nsaid_is_read(spelling: str) -> None:
    found = problems_of(extension(item("painkiller", f"Take {spelling} after a cramp.", "pain-relief")))
    assert found == (
        "painkiller: medicines: its text names drug-nsaid; list them in medicines",
        f"painkiller: {UNDER_18}",  # any painkiller, under 18
    )


def test_any_painkiller_for_a_child_is_refused_aspirin_included() -> None:
    """Found by a blind attack: aspirin filed as pain relief (an antiplatelet: no NSAID row) reached an 8-year-old."""
    aspirin = item("aspirin-after", "Give aspirin for the soreness afterwards.", "pain-relief")
    found = problems_of(extension(aspirin | {"medicines": ["drug-antiplatelet", "drug-aspirin"]}))
    assert found == (f"aspirin-after: {UNDER_18}",)


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_knowledge_base_of_its_own_without_nsaids_is_read_with_the_packaged_names(spelling: str) -> None:
    data = mini()
    data["interventions"].append(
        item("painkiller", f"Take {spelling} after a cramp.", "pain-relief", sources=["src-a"])
    )
    assert not any(
        drug_class.fact is crampkit.Fact.DRUG_NSAID for drug_class in load_knowledge_base(mini()).drug_classes
    )
    (problem,) = [found for found in problems_of(data) if found.startswith("painkiller: medicines: its text names")]
    assert "drug-nsaid" in problem.partition("names ")[2]  # a combination brand (Vimovo) names its other classes too


def test_once_declared_the_exclusion_rows_apply_in_pregnancy() -> None:
    data = mini()
    data["interventions"].append(
        item("painkiller", "Take Nurofen® after a cramp.", "pain-relief", medicines=["drug-nsaid"], sources=["src-a"])
    )
    load_knowledge_base(data)  # mini's own rules leave NSAIDs out in pregnancy
    data["population_rules"] = [rule for rule in data["population_rules"] if rule["id"] != "pregnancy"]
    assert (
        "painkiller: must be left out when pregnant (pregnant) holds (exclusion table, row "
        "pregnancy-no-cramp-medicines): add a contraindication or a population rule"
    ) in problems_of(data)


def test_a_medication_review_may_name_a_class_without_giving_it() -> None:
    review = item("statin-talk", "Ask whether your statins still suit you.", "medication-review")
    assert load_knowledge_base(extension(review)).get("statin-talk").id == "statin-talk"  # reviews give nothing
    named = item("statin-pill", "Take statins.", "prescription-drug")
    assert "statin-pill: medicines: its text names drug-statin; list them in medicines" in problems_of(extension(named))


# -- doses -------------------------------------------------------------------------------------------

DOSES = [
    ("Take 300-mg at night.", "300-mg"),
    ("300 mgs", "300 mgs"),
    ("300 milligrammes", "300 milligrammes"),
    ("\uff13\uff10\uff10mg", "300mg"),
    ("\u0663\u0660\u0660 mg", "300 mg"),
    ("300 \u338e", "300 mg"),
    ("300 мг", "300 мг"),
    ("two hundred milligrams", "two hundred milligrams"),
    ("300\u200bmg", "300mg"),
    ("\u00b3\u2070\u2070mg", "300mg"),
    ("Take seven tablets.", "seven tablets"),
    ("one and a half tablets", "one and a half tablets"),
    ("every 8 hours", "every 8 hours"),
    ("every eight hours", "every eight hours"),
    ("4-hourly", "4-hourly"),
    ("Take it tds.", "tds"),
    ("bd", "bd"),
    ("qds", "qds"),
    ("od", "od"),
    ("bid", "bid"),
    ("tid", "tid"),
    ("qid", "qid"),
    ("twice a day", "twice a day"),
    ("three times daily", "three times daily"),
    ("1-2 tablets", "1-2 tablets"),
    # found by a blind attack
    ("Give paracetamol 1 tab.", "1 tab"),
    ("2 tabs", "2 tabs"),
    ("2 x 200", "2 x 200"),
    ("two 200s", "two 200s"),
    ("300 m g", "300 m g"),
    ("MG 300", "MG 300"),
    ("1e3 mg", "1e3 mg"),
    ("1.2 gm", "1.2 gm"),
    ("5 cc", "5 cc"),
    ("1000 i.u.", "1000 i.u"),
    ("1000 international units", "1000 international units"),
    ("2 sprays", "2 sprays"),
    ("a double dose", "a double dose"),
    ("Take a tablet.", "a tablet"),
    ("a pill", "a pill"),
    ("a teaspoon", "a teaspoon"),
    ("a gram", "a gram"),
    ("nocte", "nocte"),
    ("mane", "mane"),
    # found by the blind GP and pharmacist review
    ("the usual is one 200 at bedtime", "one 200"),
    ("usually 300 at night", "300 at night"),
    ("usually one at night", "one at night"),
    ("a couple of tablets at night", "a couple of tablets"),
    ("a dose of 200", "dose of 200"),
    ("200 milli grams", "200 milli grams"),
]


@pytest.mark.parametrize(("text", "dose"), DOSES)
def test_every_way_of_writing_a_dose_is_found(text: str, dose: str) -> None:
    assert _safety.find_dose(text) == dose


@pytest.mark.parametrize(
    "text",
    [
        "Stretch every day.",
        "for two weeks",
        "a few minutes",
        "more than 14 units a week",
        "fourteen units of alcohol",
        "In one 2019 trial",
        "Wake up more than once at night",
        "Stretch for 10 minutes at night",
    ],
)
def test_what_is_still_not_a_dose(text: str) -> None:
    assert _safety.find_dose(text) is None


def test_a_dose_in_fullwidth_digits_is_refused_where_it_is_written() -> None:
    hidden = item("quinine-at-night", "Take quinine \uff13\uff10\uff10\u338e at night.", "prescription-drug")
    hidden["medicines"] = ["drug-quinine"]
    hidden["contraindications"] = [{"when": {"any": ["pregnant", "age-under-18"]}, "reason": "Not for you."}]
    assert problems_of(extension(hidden)) == (
        "interventions (quinine-at-night): instructions[0]: gives a dose ('300mg'); crampkit never gives doses",
    )


# -- a stand-alone copy of the packaged knowledge base -----------------------------------------------


def standalone_copy(**red_flag_changes: object) -> dict[str, Any]:
    document: dict[str, Any] = crampkit.unstructure(KB)
    document["version"] = "clinic-copy"
    for flag in document["red_flags"]:
        if flag["id"] == "possible-clot":
            flag.update(red_flag_changes)
    return document


def test_a_standalone_copy_cannot_lower_clot_triage_without_a_reason() -> None:
    found = problems_of(standalone_copy(urgency="routine"))
    assert found[0] == (
        "red_flags (possible-clot): replaces a packaged red flag; lowers its urgency from urgent to routine. "
        'To do this on purpose, give the reason under [overrides] (possible-clot = "...")'
    )


def test_a_standalone_change_with_a_reason_is_recorded_and_reaches_the_guidance() -> None:
    document = standalone_copy(name="Possible clot (DVT)")
    document["overrides"] = {"possible-clot": "Our clinic's wording."}
    clinic = load_knowledge_base(document)
    assert clinic.changes == (
        crampkit.KnowledgeBaseChange(
            id="possible-clot", section="red_flags", kind=ChangeKind.REPLACED, reason="Our clinic's wording."
        ),
    )
    guidance = recommend(crampkit.load_profile({"symptoms": ["calf-swelling"]}), knowledge_base=clinic)
    assert guidance.knowledge_base_changes == clinic.changes
    document["changes"] = []  # a document's own changes are never trusted: the loader works them out
    assert load_knowledge_base(document).changes == clinic.changes


def test_an_unchanged_standalone_copy_records_nothing() -> None:
    assert load_knowledge_base(standalone_copy()).changes == ()


def test_a_standalone_copy_cannot_leave_out_packaged_red_flags_unsaid() -> None:
    """Found by a blind attack: a copy without its 40 urgent and emergency red flags loaded with nothing recorded."""
    document = standalone_copy()
    dropped = [flag["id"] for flag in document["red_flags"] if flag["urgency"] in {"urgent", "emergency"}]
    document["red_flags"] = [flag for flag in document["red_flags"] if flag["id"] not in dropped]
    for entry in document["audit"]:
        if "items" in entry:
            entry["items"] = [item for item in entry["items"] if item not in dropped]
    found = problems_of(document)
    assert len([problem for problem in found if "removes a packaged red flag" in problem]) == len(dropped) > 10
    document["overrides"] = dict.fromkeys(dropped, "Our service triages these in person.")
    clinic = load_knowledge_base(document)
    removed = {change.id for change in clinic.changes if change.kind is ChangeKind.REMOVED}
    assert removed == set(dropped)


def test_a_knowledge_base_of_its_own_is_not_a_copy() -> None:
    """One with none of the packaged red flags, signs or population rules is not held to theirs."""
    assert [change.kind for change in load_knowledge_base(MINI).changes] == [ChangeKind.REPLACED]  # its cause


# -- versions ----------------------------------------------------------------------------------------

FULLWIDTH = str.maketrans({str(digit): chr(0xFF10 + digit) for digit in range(10)})


@pytest.mark.parametrize(
    "version",
    [
        f"{KB.version}\u200b",
        f"{KB.version} ",
        KB.version.translate(FULLWIDTH),
        f"{KB.version}+custom",
        f"{KB.version}+x",
    ],
)
@pytest.mark.parametrize("extends", [True, False])
def test_look_alike_and_reserved_versions_are_refused(version: str, extends: bool) -> None:
    document = standalone_copy() | {"version": version}
    if extends:
        document = {"extends": "default", "version": version}
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(document)
    (problem,) = info.value.problems
    assert (problem.path, problem.code) == (("version",), ProblemCode.RESERVED_VERSION)


def test_versions_are_compared_as_they_read() -> None:
    assert normal_version(" 2027.01\u200b") == normal_version("\uff12\uff10\uff12\uff17.01") == "2027.01"
    assert _kb.reserved_version("2027.01-clinic", "2027.01") is None
    assert _kb.reserved_version("2027.01", "2027.01") is None  # the packaged version itself: see claim_problems


# -- a knowledge base built in Python that claims the packaged version -----------------------------------


def lowered_clot() -> tuple[crampkit.RedFlag, ...]:
    """The packaged red flags without the clot flag: a swollen red calf falls from urgent to its sign's urgency."""
    return tuple(flag for flag in KB.red_flags if flag.id != "possible-clot")


def test_recommend_refuses_a_python_built_base_that_claims_the_packaged_version() -> None:
    evolved = attrs.evolve(KB, red_flags=lowered_clot())
    with pytest.raises(KnowledgeBaseError) as info:
        recommend(crampkit.Profile(), knowledge_base=evolved)
    problem = info.value.problems[0]
    assert (problem.path, problem.code) == (("version",), ProblemCode.CONFLICT)
    assert str(problem) == (
        f"version: '{KB.version}' is the packaged knowledge base's version, and this one differs from it; "
        "give it its own version"
    )


@pytest.mark.parametrize("version", [f"{KB.version}\u200b", KB.version.translate(FULLWIDTH), f"{KB.version}+x"])
def test_recommend_refuses_a_python_built_base_with_a_reserved_version(version: str) -> None:
    evolved = attrs.evolve(KB, version=version)
    with pytest.raises(KnowledgeBaseError) as info:
        recommend(crampkit.Profile(), knowledge_base=evolved)
    assert [problem.code for problem in info.value.problems] == [ProblemCode.RESERVED_VERSION]


def test_a_python_built_base_must_record_its_changes_with_their_reasons() -> None:
    """Found by a blind attack: attrs.evolve with a new version and a lowered clot flag was accepted, changes ()."""
    unrecorded = attrs.evolve(KB, version="clinic-9", red_flags=lowered_clot())
    with pytest.raises(KnowledgeBaseError) as info:
        recommend(crampkit.Profile(), knowledge_base=unrecorded)
    removed = "removes a packaged red flag. To do this on purpose, give the reason under [overrides]"
    removed += ' (possible-clot = "...")'
    assert [str(problem) for problem in info.value.problems] == [
        f"red_flags (possible-clot): {removed}",
        "changes: removed the packaged red_flags item possible-clot, and changes does not record it",
    ]
    clot = next(flag for flag in KB.red_flags if flag.id == "possible-clot")
    renamed = tuple(attrs.evolve(flag, name="Possible clot (DVT)") if flag is clot else flag for flag in KB.red_flags)
    with pytest.raises(KnowledgeBaseError) as info:
        recommend(crampkit.Profile(), knowledge_base=attrs.evolve(KB, version="clinic-9", red_flags=renamed))
    assert [str(problem).partition(".")[0] for problem in info.value.problems] == [
        "red_flags (possible-clot): replaces a packaged red flag",
        "changes: replaced the packaged red_flags item possible-clot, and changes does not record it",
    ]


def test_an_honest_python_built_base_is_fine_and_checked_once() -> None:
    reason = crampkit.KnowledgeBaseChange(
        id="possible-clot", section="red_flags", kind=ChangeKind.REMOVED, reason="Our clinic sees these the same day."
    )
    renamed = attrs.evolve(KB, version="clinic-2", red_flags=lowered_clot(), changes=(reason,))
    assert recommend(crampkit.Profile(), knowledge_base=renamed).knowledge_base_version == "clinic-2"
    assert _kb.claim_problems(renamed) is _kb.claim_problems(renamed)  # kept with the knowledge base
    extension_without_version = load_knowledge_base({"extends": "default"})
    copy = attrs.evolve(extension_without_version)
    assert _kb.claim_problems(copy) == ()  # the loader's own name for an extension
    assert _kb.claim_problems(KB) == ()
    assert _kb.claim_problems(crampkit.structure(crampkit.unstructure(KB), crampkit.KnowledgeBase)) == ()


# -- invariants: no way of writing a medicine name makes it invisible to the floor ----------------------

NSAID_NAMES = [name for name in class_names(NSAIDS, KB) if name.isascii() and len(name) > 3]
INVISIBLE = st.sampled_from(["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])


@st.composite
def disguised(draw: st.DrawFn) -> tuple[str, str]:
    """A name of an NSAID, with invisible characters put in, its case changed and perhaps a ® after it."""
    name = draw(st.sampled_from(NSAID_NAMES))
    chars = []
    for char in name:
        chars.append(char.upper() if draw(st.booleans()) else char)
        if draw(st.integers(0, 3)) == 0:
            chars.append(draw(INVISIBLE))
    return name, "".join(chars) + draw(st.sampled_from(["", "®", "™", "\u200b"]))


@given(disguised())
def test_a_disguised_medicine_name_is_never_invisible_to_the_floor(pair: tuple[str, str]) -> None:
    _, written = pair
    for reader in (matcher(KB), packaged_medicines()):
        assert NSAIDS in reader.read(f"Take {written} after a cramp.").classes


@given(st.lists(INVISIBLE, max_size=3), st.sampled_from(["300 mg", "2 tablets", "twice a day", "every 8 hours"]))
def test_invisible_characters_never_hide_a_dose(invisible: list[str], dose: str) -> None:
    written = dose[:1] + "".join(invisible) + dose[1:]
    assert _safety.find_dose(written) is not None


def test_the_confusables_table_maps_letters_to_ascii_letters() -> None:
    for look_alike, latin in CONFUSABLES.items():
        assert unicodedata.name(look_alike).split()[0] in {"CYRILLIC", "GREEK", "LATIN"}
        assert latin.isascii()
        assert latin.isalpha()
        assert len(latin) == 1
    assert skeleton("plain text") == "plain text"
    assert skeleton("\u0456bu\u00adprofen \uff13\uff10\uff10\u338e") == "ibuprofen 300mg"


def test_a_drug_class_whose_id_is_only_noise_is_not_read_as_a_class_word() -> None:
    calcium = crampkit.DrugClass(
        id="calcium",
        name="Calcium",
        summary="Calcium tablets.",
        fact=crampkit.Fact.DRUG_CALCIUM_LOWERING,
        generic_names=("calcium carbonate chewable",),
        sources=("src-a",),
    )
    reader = MedicineMatcher(attrs.evolve(load_knowledge_base(MINI), drug_classes=(calcium,)))
    assert reader.read("Eat calcium-rich food.").classes == frozenset()  # "calcium" is a salt's word
    assert reader.read("Calcium carbonate chewable tablets.").classes == {calcium}


@settings(max_examples=15)
@given(disguised())
@example(("vimovo", "v\xadimovo"))  # found in CI: naproxen with esomeprazole names two classes
def test_the_floor_refuses_a_disguised_medicine_name_in_a_knowledge_base_of_its_own(pair: tuple[str, str]) -> None:
    data = mini()
    data["interventions"].append(item("painkiller", f"Take {pair[1]} after a cramp.", "pain-relief", sources=["src-a"]))
    (problem,) = [found for found in problems_of(data) if found.startswith("painkiller: medicines: its text names")]
    assert "drug-nsaid" in problem.partition("names ")[2]  # a combination brand (Vimovo) names its other classes too


# -- found by a blind attack: a review, or a red flag's advice, that tells people to take a medicine -----


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Ask your pharmacist, then take ibuprofen afterwards.", "(ibuprofen, nsaids: 'take ibuprofen afterwards')"),
        ("Take NSAIDs afterwards.", "(nsaids: 'Take NSAIDs afterwards')"),
        (
            "Ask your GP, and give aspirin for the soreness.",
            "(acetylsalicylic-acid, antiplatelets, aspirin: 'give aspirin",
        ),
        ("Take your ibu\u200bprofen now.", "(ibuprofen, nsaids: 'Take your ibuprofen now')"),
    ],
)
def test_a_review_may_not_tell_anyone_to_take_a_medicine(text: str, named: str) -> None:
    review = item("relief-review", text, "medication-review", medicines=["drug-nsaid", "drug-antiplatelet"])
    found = [problem for problem in problems_of(extension(review)) if "tells the reader to take" in problem]
    assert len(found) == 1, text
    assert found[0].startswith("interventions (relief-review): instructions[0]: tells the reader to take or give")
    assert named in found[0]


@pytest.mark.parametrize(
    "text",
    [
        "If you take quinine for cramps, ask your prescriber whether you still need it.",
        "Keep taking your statin unless your doctor says otherwise.",
        "Tell the pharmacist which medicines you take, such as lithium.",
        "Do not take ibuprofen or aspirin until a doctor has seen the leg.",
        # false refusals the blind GP and pharmacist review found
        "Bring your medicines, including any quinine you take.",
        "Take your warfarin record book to the appointment.",
        "Take your lithium blood test results with you.",
        "Ask your pharmacist before you take ibuprofen.",
    ],
)
def test_a_review_may_still_ask_about_a_medicine(text: str) -> None:
    medicines = ["drug-nsaid", "drug-antiplatelet", "drug-quinine"]
    review = item("asking-review", text, "medication-review", medicines=medicines)
    assert not any("tells the reader" in problem for problem in _problems_or_none(extension(review)))


def _problems_or_none(source: dict[str, Any]) -> tuple[str, ...]:
    try:
        load_knowledge_base(source)
    except KnowledgeBaseError as error:
        return tuple(str(problem) for problem in error.problems)
    return ()


def _flag(**fields: object) -> dict[str, Any]:
    return {
        "id": "clinic-flag",
        "name": "Clinic warning",
        "summary": "Worth a check.",
        "when": {"all": ["cramps-reported"]},
        "urgency": "routine",
        "advice": "See your {doctor} this week.",
        "sources": ["nhs-leg-cramps"],
        **fields,
    }


def test_a_red_flags_advice_may_not_tell_anyone_to_give_a_medicine() -> None:
    """Found by a blind attack: 'Meanwhile give ibuprofen' in a red flag's advice was shown as 'do this first'."""
    flag = _flag(
        id="clinic-soreness",
        when={"any": ["activity-vigorous"]},
        advice="See your {doctor} soon. Meanwhile give ibuprofen or naproxen or aspirin.",
    )
    found = problems_of(extension(red_flags=[flag]))
    assert any(problem.startswith("red_flags (clinic-soreness): advice: tells the reader") for problem in found)


def test_a_source_title_may_name_a_strength_but_not_how_often() -> None:
    """Found by a blind attack: a source's title is shown in CDS cards, and titles were not read at all."""
    data = mini()
    data["sources"][0]["title"] = "Give 400 mg ibuprofen three times a day."
    assert problems_of(data) == (
        "sources (src-a): title: says how often to take a medicine ('three times a day'); crampkit never gives doses",
    )
    data["sources"][0]["title"] = "Tildiem 60 mg Modified-Release Tablets: summary of product characteristics"
    load_knowledge_base(data)


def test_an_ingredients_name_may_not_give_a_dose() -> None:
    """Found by a blind attack: an ingredient named '400 mg ibuprofen tds' loaded."""
    ingredient = {"id": "clinic-ibuprofen", "name": "400 mg ibuprofen tds"}
    found = problems_of(extension(ingredients=[ingredient]))
    assert any(problem.startswith("ingredients (clinic-ibuprofen): name: gives a dose") for problem in found)


def test_a_packaged_ingredient_cannot_be_filed_under_a_harmless_fact() -> None:
    """Found by a blind attack: baclofen in a new class of drug-ppi, given as pain relief, reached pregnancy."""
    laundering = {
        "id": "clinic-relaxants",
        "name": "Relaxants",
        "summary": "Muscle relaxants.",
        "fact": "drug-ppi",
        "ingredients": ["baclofen"],
        "sources": ["nhs-leg-cramps"],
    }
    found = problems_of(extension(drug_classes=[laundering]))
    laundered = "files the packaged ingredient baclofen under drug-ppi; the packaged medicines file it under no "
    laundered += "drug class"
    assert found == (f"drug_classes (clinic-relaxants): {laundered}",)
    own = laundering | {"ingredients": ["clinic-new-medicine"]}
    new = {"id": "clinic-new-medicine", "name": "clinicamab"}  # a made-up medicine, with no codes
    load_knowledge_base(extension(drug_classes=[own], ingredients=[new]))  # one the packaged medicines do not know


# -- found by a blind GP and pharmacist review: warnings that offer a medicine, and safe wording refused ---


@pytest.mark.parametrize(
    "fields",
    [
        {"advice": "See your {doctor} this week. Meanwhile an ibuprofen at night should help."},
        {"advice": "See your {doctor} this week; ibuprofen helps in the meantime."},
        {"advice": "Take ibuprofen while you wait."},
        {"advice": "Give them Calpol while you wait."},
        {"advice": "Consider ibuprofen."},
        {"summary": "Take ibuprofen at night until you are seen."},
        {
            "escalations": [
                {
                    "id": "clinic-chest",
                    "name": "Chest pain",
                    "urgency": "emergency",
                    "when": {"any": ["symptom-chest-pain"]},
                    "says": "if you have chest pain",
                    "advice": "Call emergency services (999) now and chew an aspirin while you wait.",
                }
            ],
            "advice": "See your {doctor} this week, or call 999 if you have chest pain.",
        },
    ],
)
def test_a_warning_may_not_offer_a_medicine(fields: dict[str, Any]) -> None:
    """A red flag's words are shown first to everyone it fires for, and no exclusion row reaches them."""
    found = problems_of(extension(red_flags=[_flag(**fields)]))
    assert any(
        "a red flag or sign names only the medicines the person takes" in problem
        or "tells the reader to take" in problem
        for problem in found
    ), found


@pytest.mark.parametrize(
    "text",
    [
        "Ask your pharmacist for quinine.",
        "Ask your GP to prescribe quinine.",
        "Get some quinine from your pharmacist.",
        "Ask your pharmacist to sell you quinine.",
        "Your pharmacist can sell you naproxen.",
    ],
)
def test_a_review_may_not_ask_for_a_medicine_to_be_supplied(text: str) -> None:
    """Found by the blind review: asking for, getting or being sold a medicine is being given it."""
    review = item("supply-review", text, "medication-review", medicines=["drug-nsaid", "drug-quinine"])
    assert any("tells the reader to take" in problem for problem in problems_of(extension(review)))


@pytest.mark.parametrize(
    ("category", "text"),
    [
        ("stretching", "Stretch your calves 3 times a day."),
        ("stretching", "Stretch twice a day for two weeks."),
        ("hydration", "Drink 500 ml of water an hour before exercise."),
        ("electrolytes", "Add half a teaspoon of salt to a litre of water."),
    ],
)
def test_how_much_water_or_how_often_to_stretch_is_no_dose(category: str, text: str) -> None:
    """False refusals the blind review found: the dose rule is about medicines."""
    assert not any(
        "gives a dose" in problem for problem in _problems_or_none(extension(item("x-plain", text, category)))
    )


@pytest.mark.parametrize(
    ("text", "dose"),
    [
        ("Stretch, then take 2 tablets.", "2 tablets"),
        ("Take ibuprofen 3 times a day.", "3 times a day"),
        ("Give 5 ml of paracetamol.", "5 ml"),
        ("Use it tds.", "tds"),
        ("Use it b.i.d.", "b.i.d"),  # the dotted abbreviations too (found in review, issue 21)
        ("Use it t.i.d. after stretching.", "t.i.d"),
        ("Use it q.i.d.", "q.i.d"),
        ("Use it p.r.n.", "p.r.n"),
        ("Use it q.d.", "q.d"),
    ],
)
def test_a_medicine_dose_in_an_item_that_gives_no_medicine_is_still_refused(text: str, dose: str) -> None:
    found = problems_of(extension(item("x-dosed", text, "stretching")))
    assert f"x-dosed: instructions[0]: gives a dose ({dose!r}); crampkit never gives doses" in [
        problem.replace("interventions (x-dosed)", "x-dosed") for problem in found
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Stretch your calves before bed, then take an anti-inflammatory if they still hurt.",
        "Stretch, then take a painkiller.",
        "Stretch, then take a muscle relaxant.",
        "Take salt tablets before exercise in hot weather.",
    ],
)
def test_a_kind_of_medicine_is_a_medicine(text: str) -> None:
    """Found by the blind review: "take a painkiller" in a stretching item reached children and pregnancy."""
    found = problems_of(extension(item("x-kind", text, "stretching")))
    assert any("tells the reader to take or give a medicine" in problem for problem in found), found


def test_a_medicine_a_class_no_longer_covers_is_unrecognised() -> None:
    """Found by the blind review: an override dropping warfarin from the anticoagulants gave ibuprofen to warfarin."""
    anticoagulants = next(c for c in KB.drug_classes if c.id == "anticoagulants")
    kept = [ingredient for ingredient in anticoagulants.ingredients if ingredient != "warfarin"]
    narrowed = crampkit.unstructure(anticoagulants) | {"ingredients": kept}
    narrowed["generic_names"] = [name for name in narrowed.get("generic_names", []) if "warfarin" not in name.lower()]
    narrowed["brand_names"] = [name for name in narrowed.get("brand_names", []) if name.lower() != "marevan"]
    clinic = load_knowledge_base(
        extension(drug_classes=[narrowed], overrides={"anticoagulants": "We list only the newer anticoagulants."})
    )
    guidance = recommend(crampkit.Profile(age=50, medications=frozenset({"warfarin"})), knowledge_base=clinic)
    assert guidance.unrecognized_medications == ("warfarin",)
    assert not any("ibuprofen" in rec.id or "nsaid" in rec.id for rec in guidance.recommendations)
    packaged = recommend(crampkit.Profile(age=50, medications=frozenset({"warfarin"})), knowledge_base=KB)
    assert packaged.unrecognized_medications == ()


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("reason", "Swelling can be a clot; an aspirin while you wait may help."),
        ("watch_for", "While you wait, ibuprofen can ease the pain."),
    ],
)
def test_a_replaced_sign_may_not_offer_a_medicine_even_with_an_override(field: str, text: str) -> None:
    """Found by the blind review: a replaced calf-swelling sign offered aspirin for a possible clot."""
    sign = crampkit.unstructure(next(s for s in KB.signs if s.id == "sign-calf-swelling")) | {field: text}
    found = problems_of(extension(signs=[sign], overrides={"sign-calf-swelling": "Our wording."}))
    assert any(
        problem.startswith(f"signs (sign-calf-swelling): {field}: names") and "never one to take" in problem
        for problem in found
    ), found
