"""Medicines by ingredient: names resolve to ingredients, classes attach to ingredients, with zero wrong matches."""

import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import crampkit
from crampkit import DrugClass, Ingredient, Product, default_knowledge_base, match_medications
from crampkit.knowledge.medicines import (
    FUZZY_LENGTH,
    NOISE,
    SHORTEST_E_NAME,
    MedicineMatcher,
    class_names,
    edit_distance,
    matcher,
    medicine_words,
)

KB = default_knowledge_base()
MATCHER = matcher(KB)
DATA = Path(__file__).parents[1] / "data"
NAMES = tomllib.loads((DATA / "medicine_names.toml").read_text(encoding="utf-8"))
RESOLVE: list[dict[str, Any]] = NAMES["resolve"]
NOT_LINKED: list[dict[str, Any]] = NAMES["not_linked"]
BEFORE: list[dict[str, Any]] = tomllib.loads((DATA / "drug_class_names_before.toml").read_text(encoding="utf-8"))[
    "names"
]
LISTS = {"R1", "R2", "R3", "R4", "R5", "N1", "N2", "N3", "N4", "issue 20", "review"}


def resolved(name: str) -> tuple[list[str], list[str]]:
    """The ingredient ids and drug-class ids that ``name`` resolves to, sorted."""
    found = MATCHER.resolve(name)
    return sorted(found.ingredients), sorted(drug_class.id for drug_class in found.classes)


# -- the test lists of the dossier ------------------------------------------------------------------


def test_the_lists_are_long_enough_and_each_name_is_traceable() -> None:
    assert len(RESOLVE) >= 300
    assert len(NOT_LINKED) >= 300
    for entry in (*RESOLVE, *NOT_LINKED):
        assert set(entry["list"].split(", ")) <= LISTS, entry


@pytest.mark.parametrize("entry", RESOLVE, ids=lambda entry: entry["name"])
def test_every_name_that_must_resolve_gives_exactly_its_ingredients_and_classes(entry: dict[str, Any]) -> None:
    assert resolved(entry["name"]) == (entry["ingredients"], entry["classes"])


@pytest.mark.parametrize("entry", NOT_LINKED, ids=lambda entry: entry["name"])
def test_no_other_medicine_reaches_a_drug_class_and_each_is_recognised(entry: dict[str, Any]) -> None:
    assert resolved(entry["name"]) == (entry["ingredients"], [])


def test_every_name_issue_20_lists_is_recognised() -> None:
    issue = [entry["name"] for entry in RESOLVE if "issue 20" in entry["list"]]
    assert len(issue) >= 60
    match = match_medications(issue, KB)
    assert match.unrecognized == ()


# Names that match more classes than before, and why: the new classes, and combinations whose every
# ingredient is now known (a brand that was listed under one of its classes only).
GAINED = {
    "acetylsalicylic acid": {"aspirin"},  # aspirin at any dose, its own class since the review of 2027.04
    "afeditab": {"calcium-channel-blockers"},  # nifedipine, listed under the nifedipine class only
    "aspirin": {"aspirin"},
    "azor": {"raas-blockers"},  # amlodipine with olmesartan
    "clarithromycin": {"macrolides"},
    "erythromycin": {"macrolides"},
    "exforge": {"raas-blockers"},  # amlodipine with valsartan
    "lotrel": {"raas-blockers"},  # amlodipine with benazepril
    "prestalia": {"raas-blockers"},  # amlodipine with perindopril
    "simvastatin": {"simvastatin"},
    "telithromycin": {"macrolides"},
    "tribenzor": {"raas-blockers", "thiazide-diuretics"},  # amlodipine, olmesartan and hydrochlorothiazide
    "twynsta": {"raas-blockers"},  # amlodipine with telmisartan
    "zocor": {"simvastatin"},
}


def test_every_name_the_classes_had_before_still_matches_them() -> None:
    assert len(BEFORE) > 400
    gained: dict[str, set[str]] = {}
    for entry in BEFORE:
        now = set(resolved(entry["name"])[1])
        assert set(entry["classes"]) <= now, entry
        if now != set(entry["classes"]):
            gained[entry["name"]] = now - set(entry["classes"])
    assert gained == GAINED


# -- tolerant matching ---------------------------------------------------------------------------------

STRENGTHS = ("40", "40mg", "40 mg", "20/12.5", "49/51", "24mg/26mg", "62.5 micrograms", "2.5 mg tablets", "MR", "XL")
MUST_RESOLVE = [entry["name"] for entry in RESOLVE]


def _spaced(name: str, gap: str) -> str:
    return gap + gap.join(name.split()) + gap


@given(
    name=st.sampled_from(MUST_RESOLVE),
    case=st.sampled_from([str.upper, str.lower, str.title, str.swapcase]),
    gap=st.sampled_from([" ", "  ", "\t", " \u00a0 "]),
    strength=st.sampled_from(STRENGTHS),
)
def test_matching_ignores_case_spacing_and_strength(name: str, case: Any, gap: str, strength: str) -> None:
    expected = resolved(name)
    assert resolved(case(name)) == expected
    assert resolved(_spaced(name, gap)) == expected
    assert resolved(f"{name} {strength}") == expected
    assert resolved(f"{strength} {name}") == expected


@given(
    name=st.sampled_from([*MUST_RESOLVE, *(entry["name"] for entry in NOT_LINKED)]),
    before=st.lists(st.sampled_from(sorted(NOISE)), max_size=3),
    after=st.lists(st.sampled_from(sorted(NOISE)), max_size=3),
)
def test_noise_words_never_add_a_class(name: str, before: list[str], after: list[str]) -> None:
    noisy = " ".join([*before, name, *after])
    assert set(resolved(noisy)[1]) <= set(resolved(name)[1])


@pytest.mark.parametrize(
    ("name", "ingredients", "classes"),
    [
        ("Diovan", ["valsartan"], ["raas-blockers"]),
        ("Diovan HCT", ["hydrochlorothiazide", "valsartan"], ["raas-blockers", "thiazide-diuretics"]),
        ("Burinex", [], ["loop-diuretics"]),
        ("Burinex A", ["amiloride", "bumetanide"], ["loop-diuretics", "potassium-sparing-diuretics"]),
        ("Burinex K", ["bumetanide", "potassium-chloride"], ["loop-diuretics"]),
        ("Aldactide", ["hydroflumethiazide", "spironolactone"], ["potassium-sparing-diuretics", "thiazide-diuretics"]),
        ("Co-Aprovel", ["hydrochlorothiazide", "irbesartan"], ["raas-blockers", "thiazide-diuretics"]),
        ("co amilofruse", ["amiloride", "furosemide"], ["loop-diuretics", "potassium-sparing-diuretics"]),
        ("coamilofruse", ["amiloride", "furosemide"], ["loop-diuretics", "potassium-sparing-diuretics"]),
        ("Furosémide 40 mg", ["furosemide"], ["loop-diuretics"]),
        ("aspirin and clopidogrel", ["acetylsalicylic-acid", "clopidogrel"], ["antiplatelets", "aspirin"]),
        ("amlodipine with valsartan", ["amlodipine", "valsartan"], ["calcium-channel-blockers", "raas-blockers"]),
        ("C10AA05", ["atorvastatin"], ["statins"]),
        ("c10aa", [], ["statins"]),
        ("N05CF02", ["zolpidem"], []),
        ("RxNorm 617310", ["atorvastatin"], ["statins"]),
        ("rxcui: 1656349", ["sacubitril", "valsartan"], ["raas-blockers"]),
        ("Plavix (RxNorm 213169)", ["clopidogrel"], ["antiplatelets"]),
        ("hydroquinone cream", ["hydroquinone"], []),  # one letter from hydroquinine, and known by its own name
        ("alsactide", [], []),  # one letter from the brand Aldactide: brands are never taken as misspelt
        ("Pravachol", [], ["statins"]),  # a brand whose ingredient is not recorded: matched to its class by name
    ],
)
def test_worked_names(name: str, ingredients: list[str], classes: list[str]) -> None:
    assert resolved(name) == (ingredients, classes)


def test_unknown_codes_and_words_are_unrecognised() -> None:
    match = match_medications(["RxNorm 996561", "B12", "vitamin", "Zimovane", "zolpidem"], KB)
    assert match.unrecognized == ("B12", "RxNorm 996561", "Zimovane", "vitamin")
    assert dict(match.ingredients) == {"zolpidem": ("zolpidem",)}
    assert dict(match.classes) == {}


def test_a_family_name_whose_products_differ_is_not_read_as_one_of_them() -> None:
    # Lemsip Cough products hold no paracetamol (research/issue-20-medicines.md, section 8); only the Lemsip
    # products whose composition was read are known, and "Day Nurse" alone is not "Day & Night Nurse".
    names = ["Lemsip", "Lemsip Cough for Chesty Cough", "Lemsip Max Cold & Flu Capsules", "Day Nurse"]
    match = match_medications(names, KB)
    assert match.unrecognized == tuple(sorted(names))
    assert dict(match.classes) == {}


def test_medication_match_gives_the_ingredients_of_each_name() -> None:
    match = match_medications(["Zestoretic 20/12.5", "zopiclone 7.5 mg", "Pravachol"], KB)
    assert dict(match.ingredients) == {
        "Zestoretic 20/12.5": ("hydrochlorothiazide", "lisinopril"),
        "zopiclone 7.5 mg": ("zopiclone",),
    }
    assert dict(match.classes) == {
        "Pravachol": ("statins",),
        "Zestoretic 20/12.5": ("raas-blockers", "thiazide-diuretics"),
    }
    assert match.unrecognized == ()


def test_medicine_words() -> None:
    assert medicine_words("Co-Amilofruse 5/40") == ["coamilofruse"]
    assert medicine_words("simvastatin40 and  Ézetimibe") == ["simvastatin", "ezetimibe"]
    assert medicine_words("Priadel 400mg e/c") == ["priadel", "mg", "e", "c"]
    assert medicine_words("co") == ["co"]


@pytest.mark.parametrize(
    ("first", "second", "distance"),
    [
        ("", "", 0),
        ("", "abc", 3),
        ("abc", "", 3),
        ("kitten", "sitting", 3),
        ("atorvastatin", "atorvastatin", 0),
        ("atrovastatin", "atorvastatin", 1),  # two neighbours swapped
        ("bendroflumethazide", "bendroflumethiazide", 1),
        ("ca", "abc", 3),  # the restricted distance: no edit of a swapped pair
    ],
)
def test_edit_distance(first: str, second: str, distance: int) -> None:
    assert edit_distance(first, second) == distance
    assert edit_distance(second, first) == distance


def test_misspellings_are_read_only_for_long_unknown_words_one_edit_from_one_ingredient() -> None:
    assert resolved("bendroflumethazide")[0] == ["bendroflumethiazide"]
    assert resolved("lisinoprill")[0] == ["lisinopril"]
    assert resolved("ramipri")[0] == []  # one edit away, but shorter than FUZZY_LENGTH letters
    assert len("ramipri") < FUZZY_LENGTH
    assert resolved("zestoreticc")[0] == []  # a brand is never taken as misspelt
    assert resolved("tabletss")[0] == []  # nor is a word one edit from a word that is passed over


def _kb(*ingredients: Ingredient) -> crampkit.KnowledgeBase:
    return crampkit.KnowledgeBase(version="test", ingredients=ingredients)


def _ingredient(item_id: str, name: str) -> Ingredient:
    return Ingredient(id=item_id, name=name)


def test_a_final_e_matches_only_a_name_of_six_letters_or_more_that_no_other_name_claims() -> None:
    knowledge_base = _kb(
        _ingredient("abcdefg", "abcdefg"),
        _ingredient("qrstuv", "qrstuv"),
        _ingredient("qrstuve", "qrstuvee"),  # claims "qrstuve" too: neither is matched by it
        _ingredient("short", "wxyz"),
        _ingredient("hijklmn", "hijklmn"),
        _ingredient("hijklmne", "hijklmne"),  # each is the other with a final "e": each is matched as it is
    )
    found = MedicineMatcher(knowledge_base, remember=False)
    assert found.resolve("abcdefge").ingredients == {"abcdefg"}
    assert found.resolve("wxyze").ingredients == frozenset()  # shorter than SHORTEST_E_NAME
    assert len("qrstuv") == SHORTEST_E_NAME
    assert found.resolve("qrstuve").ingredients == frozenset()
    assert found.resolve("hijklmne").ingredients == {"hijklmne"}
    assert found.resolve("hijklmn").ingredients == {"hijklmn"}


def test_a_misspelling_one_edit_from_two_ingredients_matches_neither() -> None:
    knowledge_base = _kb(_ingredient("a", "abcdefghij"), _ingredient("b", "abcdefghik"))
    found = MedicineMatcher(knowledge_base, remember=False)
    assert found.resolve("abcdefghiz").ingredients == frozenset()
    assert found.resolve("abcdefghijj").ingredients == {"a"}


def test_prose_is_read_for_exact_names_only() -> None:
    assert MATCHER.named("Take paracetamol or ibuprofen") == {KB.get("paracetamol"), KB.get("nsaids")}
    assert MATCHER.named("furosemid and bendroflumethazide") == frozenset()


# -- the data ----------------------------------------------------------------------------------------


def test_every_name_of_every_medicine_resolves_to_that_medicine() -> None:
    for medicine in KB.medicines():
        held = set(medicine.ingredients) if isinstance(medicine, Product) else {medicine.id}
        for name in medicine.names:
            assert MATCHER.resolve(name).ingredients == held, (medicine.id, name)
        for code in medicine.rxnorm:
            assert MATCHER.resolve(f"RxNorm {code}").ingredients == held, (medicine.id, code)


def test_each_name_and_code_has_one_home() -> None:
    medicine_names = {" ".join(medicine_words(name)) for medicine in KB.medicines() for name in medicine.names}
    for drug_class in KB.drug_classes:
        assert not drug_class.generic_names, drug_class.id  # the packaged classes name their ingredients
        for name in drug_class.brand_names:
            assert " ".join(medicine_words(name)) not in medicine_names, (drug_class.id, name)
    codes = [code for medicine in KB.medicines() for code in medicine.rxnorm]
    assert len(codes) == len(set(codes))


# The cramp-relevant ATC groups of the dossier (section 4): an ingredient with a code in one of them belongs to a
# drug class, but for those listed below.
RELEVANT = (
    *("C03", "C07", "C08", "C09", "C10AA", "C10B", "C10AB04", "N05AN", "B01AA", "B01AB", "B01AC", "B01AE", "B01AF"),
    *("B01AX05", "N06AB", "N06AX06", "N06AX16", "N06AX21", "N06AX23", "H02", "L01BA01", "L04AX03", "C01AA"),
    *("C01BD01", "C01EB17", "J01FA", "N02BE", "N02AJ", "N02BA", "A01AD05", "M01A", "A10BA02", "A10BD", "A10BK"),
    *("M05BX04", "M05BA08", "M05BB08", "H05BX01", "H05AA", "G03XC", "G03CC07", "G03AA", "G03AB", "G03C", "G03F"),
    *("G02BB01", "R03AC", "R03AK", "R03AL", "A02BC", "A02BD", "M09AA", "P01BC01", "B03AC", "N06DA", "J02AB02"),
    *("J02AC02", "J02AC04", "L04AD01", "G03XA01"),
)
NO_CLASS_YET = {
    "bazedoxifene": "a bone medicine; the raloxifene class cites sources for raloxifene and conjugated oestrogens only",
    "abaloparatide": "a bone medicine; the teriparatide class cites sources for teriparatide only",
    "codeine": "codeine alone (R05DA04); only its combinations with paracetamol (N02AJ) are in the paracetamol class",
    "dihydrocodeine": "dihydrocodeine alone (N02AA08), as codeine",
    "caffeine": "caffeine alone (N06BC01), as codeine",
}


def test_an_ingredient_with_no_class_has_no_code_in_a_cramp_relevant_group() -> None:
    in_a_class = {ingredient for drug_class in KB.drug_classes for ingredient in drug_class.ingredients}
    unclassed = {
        ingredient.id
        for ingredient in KB.ingredients
        if ingredient.id not in in_a_class and any(code.startswith(RELEVANT) for code in ingredient.atc_codes)
    }
    assert unclassed == set(NO_CLASS_YET) - {"codeine", "dihydrocodeine", "caffeine"}


def test_a_class_and_its_ingredients_agree_on_the_atc_codes() -> None:
    for drug_class in KB.drug_classes:
        prefixes = tuple(drug_class.atc_codes)
        for ingredient in KB.ingredients:
            under = any(code.startswith(prefixes) for code in ingredient.atc_codes)
            if ingredient.id in drug_class.ingredients:
                assert under or not ingredient.atc_codes, (drug_class.id, ingredient.id)
            else:
                assert not under, (drug_class.id, ingredient.id)


def test_every_class_has_a_name_to_ask_about() -> None:
    for drug_class in KB.drug_classes:
        names = class_names(drug_class, KB)
        assert drug_class in MATCHER.resolve(names[0]).classes
        assert len(names) == len(set(names))


def test_packaged_counts() -> None:
    assert len(KB.ingredients) >= 500
    assert len(KB.products) >= 120
    assert isinstance(KB.medicine("furosemide"), Ingredient)
    assert isinstance(KB.medicine("co-amilofruse"), Product)
    assert isinstance(KB.get("lithium"), DrugClass)
    assert isinstance(KB.medicine("lithium"), Ingredient)
    with pytest.raises(KeyError):
        KB.medicine("statins")
