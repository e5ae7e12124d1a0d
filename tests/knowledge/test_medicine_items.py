"""Ingredients and products as knowledge-base items: loading, references, names, and extension with a floor."""

import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import crampkit
from crampkit import ChangeKind, Ingredient, KnowledgeBaseError, Product, load_knowledge_base
from crampkit.knowledge.items import ATC_CODE

KB = crampkit.default_knowledge_base()
MINI = Path(__file__).parents[1] / "data" / "mini.toml"


def mini(**sections: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = tomllib.loads(MINI.read_text())
    return data | sections


def problems_of(source: dict[str, Any] | Path) -> list[tuple[tuple[str | int, ...], str, str]]:
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(source)
    return [(problem.path, problem.code, str(problem)) for problem in info.value.problems]


def packaged(medicine_id: str, **changes: object) -> dict[str, Any]:
    data: dict[str, Any] = crampkit.unstructure(KB.medicine(medicine_id))
    return data | changes


def extension(**sections: object) -> dict[str, Any]:
    return {"extends": "default", "version": "clinic-1", **sections}


def test_a_knowledge_base_of_its_own_has_medicines() -> None:
    data = mini(
        ingredients=[{"id": "abc", "name": "abcstatin", "other_names": ["ABC"], "atc_codes": ["C10AA99"]}],
        products=[{"id": "abc-plus", "name": "Abc Plus", "ingredients": ["abc"], "rxnorm": ["123"]}],
    )
    data["drug_classes"][0]["ingredients"] = ["abc"]
    loaded = load_knowledge_base(data)
    assert loaded.ingredients == (Ingredient(id="abc", name="abcstatin", other_names=("ABC",), atc_codes=("C10AA99",)),)
    assert loaded.products == (Product(id="abc-plus", name="Abc Plus", ingredients=("abc",), rxnorm=("123",)),)
    match = crampkit.match_medications(["Abc Plus 10 mg", "RxNorm 123", "abc"], loaded)
    assert set(match.classes) == {"Abc Plus 10 mg", "RxNorm 123", "abc"}
    assert crampkit.structure(crampkit.unstructure(loaded), crampkit.KnowledgeBase) == loaded


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("atc_codes", ["C10AA"], "wrong-format"),
        ("atc_codes", ["c10aa05"], "wrong-format"),
        ("rxnorm", ["0123"], "wrong-format"),
        ("rxnorm", ["RX1"], "wrong-format"),
        ("id", "Not An Id", "wrong-format"),
    ],
)
def test_codes_and_ids_have_their_shapes(field: str, value: object, code: str) -> None:
    found = problems_of(mini(ingredients=[{"id": "abc", "name": "abc"} | {field: value}]))
    assert found[0][1] == code
    assert found[0][0][:3] == ("ingredients", 0, field)


def test_references_resolve() -> None:
    data = mini(
        ingredients=[{"id": "abc", "name": "abc", "sources": ["nowhere"]}],
        products=[{"id": "p", "name": "P", "ingredients": ["abc", "missing"], "sources": ["src-a"]}],
    )
    data["drug_classes"][0]["ingredients"] = ["ghost"]
    found = {(path, code) for path, code, _ in problems_of(data)}
    assert found == {
        (("drug_classes", 0, "ingredients", 0), "unknown-reference"),
        (("ingredients", 0, "sources", 0), "unknown-reference"),
        (("products", 0, "ingredients", 1), "unknown-reference"),
    }


def test_a_product_needs_an_ingredient_and_a_class_needs_ingredients_or_generic_names() -> None:
    data = mini(products=[{"id": "p", "name": "P", "ingredients": []}])
    data["drug_classes"][0].pop("generic_names")
    found = {(path, code) for path, code, _ in problems_of(data)}
    assert found == {(("products", 0, "ingredients"), "empty"), (("drug_classes", 0, "ingredients"), "empty")}


def test_ingredients_and_products_share_their_ids_and_not_those_of_items() -> None:
    data = mini(
        ingredients=[{"id": "abc", "name": "abc"}, {"id": "thiazides", "name": "thiazide-one"}],
        products=[{"id": "abc", "name": "Abc Brand", "ingredients": ["abc"]}],
    )
    assert [(path, code) for path, code, _ in problems_of(data)] == [(("products", 0, "id"), "duplicate-id")]


def test_a_name_means_one_medicine_and_has_a_word() -> None:
    data = mini(
        ingredients=[{"id": "abc", "name": "abc"}],
        products=[
            {"id": "p", "name": "Abc Brand", "ingredients": ["abc"]},
            {"id": "q", "name": "ABC", "ingredients": ["abc"]},
            {"id": "r", "name": "20 mg", "ingredients": ["abc"], "other_names": ["Abc  Brand", "10/20"]},
        ],
    )
    found = {(path, code): line for path, code, line in problems_of(data)}
    assert set(found) == {
        (("products", 1, "name"), "conflict"),
        (("products", 2, "name"), "invalid"),
        (("products", 2, "name"), "below-safety-floor"),  # "20 mg" is a dose, too
        (("products", 2, "other_names", 0), "conflict"),
        (("products", 2, "other_names", 1), "invalid"),
    }
    assert (
        "'ABC' already names ingredients (abc); a name means one medicine" in found[("products", 1, "name"), "conflict"]
    )
    assert "'20 mg' has no word to match" in found[("products", 2, "name"), "invalid"]


def test_a_knowledge_base_of_its_own_may_disable_its_own_medicines() -> None:
    data = mini(ingredients=[{"id": "abc", "name": "abc"}, {"id": "xyz", "name": "xyz"}])
    data["disable"] = ["ingredients.xyz"]
    loaded = load_knowledge_base(data)
    assert [ingredient.id for ingredient in loaded.ingredients] == ["abc"]
    # its own medicines are no change; its own "medication" cause has a packaged id (the server reads that cause)
    assert [(change.section, change.id) for change in loaded.changes] == [("causes", "medication")]


def test_the_json_schema_of_a_knowledge_base_holds_its_medicines() -> None:
    schema = crampkit.json_schema(crampkit.KnowledgeBase, limit_lists=False)
    validator = jsonschema.Draft202012Validator(schema)
    document = crampkit.unstructure(KB)
    validator.validate(document)
    document["ingredients"][0]["atc_codes"] = ["C03"]
    assert not validator.is_valid(document)
    assert schema["$defs"]["Product"]["properties"]["rxnorm"]["items"]["pattern"] == "^(?:[1-9][0-9]{0,9})$"
    assert ATC_CODE.fault(3) is not None
    assert ATC_CODE.fault("C03CA01") is None
    assert ATC_CODE.example() == "C03CA01"


def test_the_sections_of_medicines_are_read_from_every_document(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(MINI.read_text())
    (tmp_path / "b.toml").write_text('[[ingredients]]\nid = "abc"\nname = "abc"\n')
    assert load_knowledge_base(tmp_path).ingredients[0].id == "abc"


class TestExtension:
    def test_adding_medicines_needs_no_reason(self) -> None:
        clinic = load_knowledge_base(
            extension(
                ingredients=[{"id": "newdrug", "name": "newdrugmab"}],
                products=[
                    {"id": "newbrand", "name": "Newbrand", "ingredients": ["newdrug", "furosemide"]},
                    packaged("lasix", other_names=["Lasix Retard"]),  # a name added, none lost
                ],
            )
        )
        assert clinic.changes == (
            crampkit.KnowledgeBaseChange(id="lasix", section="products", kind=ChangeKind.REPLACED),
        )
        match = crampkit.match_medications(["Newbrand", "newdrugmab"], clinic)
        assert dict(match.classes) == {"Newbrand": ("loop-diuretics",)}
        assert match.unrecognized == ()

    @pytest.mark.parametrize(
        ("section", "item", "expected"),
        [
            (
                "ingredients",
                {"id": "furosemide", "name": "furosemide"},
                "drops packaged names; drops packaged atc codes; drops packaged rxnorm",
            ),
            ("ingredients", packaged("atorvastatin", rxnorm=["83367"]), "drops packaged rxnorm"),
            ("products", packaged("zestoretic", ingredients=["lisinopril"]), "drops packaged ingredients"),
            ("products", packaged("co-amilofruse", other_names=["Frumil"]), "drops packaged names"),
        ],
    )
    def test_replacements_that_lose_a_name_code_or_ingredient_need_a_reason(
        self, section: str, item: dict[str, Any], expected: str
    ) -> None:
        key = f"{section}.{item['id']}"
        ((path, code, line),) = problems_of(extension(**{section: [item]}))
        assert (path, code) == (("overrides", key), "needs-override")
        assert line.startswith(f"{section} ({item['id']}): {expected}. ")
        assert f'({key} = "...")' in line
        reason = "Our formulary's product differs."
        flat = load_knowledge_base(extension(**{section: [item]}, overrides={key: reason}))
        nested = load_knowledge_base(extension(**{section: [item]}, overrides={section: {item["id"]: reason}}))
        assert flat == nested
        assert flat.changes == (
            crampkit.KnowledgeBaseChange(id=item["id"], section=section, kind=ChangeKind.REPLACED, reason=reason),
        )

    def test_a_reformatted_name_is_not_a_lost_name(self) -> None:
        clinic = load_knowledge_base(extension(products=[packaged("co-amilofruse", name="Co Amilofruse")]))
        assert clinic.changes[0].reason is None

    @pytest.mark.parametrize(
        ("entry", "expected"),
        [
            ("products.zestoretic", "removes a packaged product (its names would no longer be recognised)"),
            ("ingredients.zolpidem", "removes a packaged ingredient (its names would no longer be recognised)"),
        ],
    )
    def test_removals_need_a_reason(self, entry: str, expected: str) -> None:
        ((path, code, line),) = problems_of(extension(disable=[entry]))
        assert (path, code) == (("overrides", entry), "needs-override")
        assert expected in line
        kept = extension(disable=[entry], overrides={entry: "Not sold here."})
        clinic = load_knowledge_base(kept)
        section, _, medicine_id = entry.partition(".")
        assert [(change.id, change.section, change.kind) for change in clinic.changes] == [
            (medicine_id, section, ChangeKind.REMOVED)
        ]
        with pytest.raises(KeyError):
            clinic.medicine(medicine_id)

    def test_an_unknown_medicine_or_section_cannot_be_disabled(self) -> None:
        found = [line for _, _, line in problems_of(extension(disable=["products.nothing", "drug_classes.statins"]))]
        assert found == [
            "disable: no ingredient or product is 'products.nothing' (write ingredients.<id> or products.<id>)",
            "disable: no ingredient or product is 'drug_classes.statins' (write ingredients.<id> or products.<id>)",
        ]

    def test_a_medicine_id_of_the_other_medicine_section_is_taken(self) -> None:
        found = problems_of(extension(products=[{"id": "furosemide", "name": "Furo", "ingredients": ["furosemide"]}]))
        assert [(path, line) for path, _, line in found] == [
            (("products", 0, "id"), "products (furosemide): id already used by a default ingredients item")
        ]

    def test_the_same_id_may_be_an_item_and_a_medicine(self) -> None:
        assert KB.get("lithium").id == KB.medicine("lithium").id == "lithium"
        clinic = load_knowledge_base(
            extension(disable=["ingredients.hydroquinone"], overrides={"ingredients.hydroquinone": "Not used here."})
        )
        assert clinic.get("cut-down-alcohol").id == "cut-down-alcohol"
        assert "hydroquinone" not in {ingredient.id for ingredient in clinic.ingredients}

    def test_a_class_that_loses_an_ingredient_needs_a_reason(self) -> None:
        statins: dict[str, Any] = crampkit.unstructure(KB.get("statins"))
        statins["ingredients"] = statins["ingredients"][1:]
        ((path, _, line),) = problems_of(extension(drug_classes=[statins]))
        assert path == ("overrides", "statins")
        assert "drops packaged ingredients" in line
