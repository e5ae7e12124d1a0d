"""Loading and validating knowledge bases: every problem, with file and item."""

import json
import tomllib
import typing
from pathlib import Path
from typing import Any

import attrs
import pytest

import crampkit
from crampkit import KnowledgeBaseError, load_knowledge_base
from crampkit.knowledge.items import MEDICINE_SECTIONS
from crampkit.knowledge.load import MAX_FILE_BYTES, SECTIONS

MINI = Path(__file__).parents[1] / "data" / "mini.toml"


def mini() -> dict[str, Any]:
    return tomllib.loads(MINI.read_text())


def problems_of(source: object) -> tuple[str, ...]:
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(source)  # type: ignore[arg-type]
    return tuple(str(problem) for problem in info.value.problems)


def test_mini_loads_from_file_mapping_json_and_folder(tmp_path: Path) -> None:
    from_file = load_knowledge_base(MINI)
    assert load_knowledge_base(mini()) == from_file
    (tmp_path / "kb.json").write_text(json.dumps(mini()))
    assert load_knowledge_base(tmp_path / "kb.json") == from_file
    folder = tmp_path / "folder"
    folder.mkdir()
    data = mini()
    (folder / "a.json").write_text(json.dumps({"version": data.pop("version"), "sources": data.pop("sources")}))
    (folder / "b.json").write_text(json.dumps(data))
    (folder / "notes.txt").write_text("ignored: not a knowledge-base file")
    assert load_knowledge_base(str(folder)) == from_file
    assert from_file.get("stretch").id == "stretch"
    assert isinstance(from_file.by_id["src-a"], crampkit.Source)


def test_item_errors_name_the_file_the_section_and_the_item(tmp_path: Path) -> None:
    data = mini()
    data["red_flags"][0]["urgency"] = "whenever"
    data["red_flags"][1]["when"] = {"all": ["calf-swelling"]}
    data["interventions"][0]["sources"] = []
    data["interventions"][4].pop("reason")
    del data["causes"][0]["summary"]
    data["surprise"] = []
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    assert set(problems_of(path)) == {
        (
            "bad.json: red_flags[0] (clot): urgency: unknown value 'whenever' "
            "(allowed: self-care, routine, soon, urgent, emergency)"
        ),
        (
            "bad.json: red_flags[1] (breathless-clot): when.all[0]: "
            "unknown value 'calf-swelling'; did you mean 'symptom-calf-swelling'? (allowed: see crampkit.Fact)"
        ),
        "bad.json: interventions[0] (stretch): sources: must not be empty",
        "bad.json: interventions[4] (quinine): reason: a not-recommended intervention must say why",
        "bad.json: causes[0] (idiopathic-cramps): summary: required field missing",
        (
            "bad.json: unknown section 'surprise' (known: disable, extends, overrides, version, sources, causes, "
            "risk_factors, drug_classes, interventions, red_flags, signs, population_rules, audit, ingredients, "
            "products)"
        ),
    }


def test_references_must_resolve() -> None:
    data = mini()
    data["risk_factors"][0]["raises"] = ["nowhere"]
    data["interventions"][0]["addresses"] = ["idiopathic-cramps", "elsewhere"]
    data["red_flags"][0]["sources"] = ["src-missing"]
    data["audit"][0]["items"] = ["ghost"]
    assert set(problems_of(data)) == {
        "rf-thiazide: raises: no cause has id 'nowhere'",
        "stretch: addresses: no cause has id 'elsewhere'",
        "clot: sources: no source has id 'src-missing'",
        "claim-x: items: no item has id 'ghost'",
    }


def test_ids_must_be_unique_across_sections() -> None:
    data = mini()
    data["causes"].append({**data["causes"][0]})
    data["red_flags"][0]["id"] = "stretch"
    assert set(problems_of(data)) == {
        "causes (idiopathic-cramps): duplicate id, also in causes (idiopathic-cramps)",
        "red_flags (stretch): duplicate id, also in interventions (stretch)",
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"version": ""}, "version: must not be empty"),
        ({"version": 3}, "version: expected a string, got an integer"),
        ({"version": None}, 'version: missing (give version = "..." or extends = "default")'),
        ({"extends": "mine"}, "extends: only 'default' is supported, got 'mine'"),
        ({"disable": "stretch"}, "disable: expected an array of ids"),
        ({"disable": ["nope"]}, "disable: no item has id 'nope'"),
        ({"causes": {"id": "x"}}, "causes: expected an array of tables"),
        ({"causes": [3]}, "causes[0]: expected an object, got an integer"),
        (
            {
                "red_flags": [
                    {
                        "id": "rf",
                        "name": "n",
                        "summary": "s",
                        "when": {"none": ["pregnant"]},
                        "urgency": "urgent",
                        "advice": "a",
                        "sources": ["src-a"],
                    }
                ]
            },
            "red_flags[0] (rf): when: exclusion criteria need 'all', 'any' or 'each' facts and may not use 'none'",
        ),
        (
            {
                "sources": [
                    {
                        "id": "Bad Id",
                        "title": "t",
                        "publisher": "p",
                        "year": 1800,
                        "url": "https://example.org/u",
                        "kind": "trial",
                    }
                ]
            },
            "sources[0] (Bad Id): year: must be between 1900 and 2100, got 1800",
        ),
    ],
)
def test_meta_and_shape_problems(change: dict[str, Any], expected: str) -> None:
    data = {**mini(), **change}
    if change.get("version", "") is None:
        del data["version"]
    assert expected in problems_of(data)


def test_python_validators_report_bad_ids() -> None:
    with pytest.raises(crampkit.InvalidInputError, match=r"id: must be a kebab-case id \(.*\), got 'Bad Id'"):
        crampkit.Source(id="Bad Id", title="t", publisher="p", year=2000, url="u", kind=crampkit.SourceKind.TRIAL)


def test_files_are_data_only(tmp_path: Path) -> None:
    script = tmp_path / "kb.py"
    script.write_text("raise SystemExit('executed!')")
    assert problems_of(script) == ("kb.py: knowledge-base files must end in .toml or .json",)
    assert problems_of(tmp_path / "nope") == ("nope: cannot be read: no such file",)  # not "must end in"
    broken = tmp_path / "broken.toml"
    broken.write_text("version = ")
    (problem,) = problems_of(broken)
    assert problem.startswith("broken.toml: cannot be parsed:")
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    assert problems_of(huge) == (f"huge.toml: larger than {MAX_FILE_BYTES} bytes",)
    array = tmp_path / "array.json"
    array.write_text("[]")
    assert problems_of(array) == ("array.json: expected a table of sections at the top level",)
    assert problems_of(tmp_path / "absent.toml")[0].startswith("absent.toml: cannot be read:")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert problems_of(empty) == ("empty: no .toml or .json files in this folder",)


class TestExtendingTheDefault:
    def test_override_add_and_disable(self) -> None:
        base = crampkit.default_knowledge_base()
        first_flag = next(flag for flag in base.red_flags if flag.urgency is not crampkit.Urgency.EMERGENCY)
        # the first intervention with no contraindications (removing one with them needs a reason)
        first_intervention = next(item for item in base.interventions if not item.contraindications)
        extra = load_knowledge_base(
            {
                "extends": "default",
                "version": "clinic-2",
                "disable": [first_intervention.id],
                "red_flags": [
                    {**crampkit.unstructure(first_flag), "advice": "Call our clinic's triage line.", "escalations": []},
                ],
                "overrides": {first_flag.id: "Our clinic triages these by phone."},
                "sources": [
                    {
                        "id": "local-src",
                        "title": "Local",
                        "publisher": "Us",
                        "year": 2026,
                        "url": "https://example.org/u",
                        "kind": "reference",
                    }
                ],
            }
        )
        assert extra.version == "clinic-2"
        assert extra.get(first_flag.id).advice == "Call our clinic's triage line."  # type: ignore[union-attr]
        assert first_intervention.id not in extra.by_id
        assert "local-src" in extra.by_id
        assert len(extra.red_flags) == len(base.red_flags)

    def test_own_version_and_clashing_section(self) -> None:
        base = crampkit.default_knowledge_base()
        assert load_knowledge_base({"extends": "default", "version": "clinic-7"}).version == "clinic-7"
        cause = base.causes[0]
        clash = {"extends": "default", "red_flags": [{**crampkit.unstructure(base.red_flags[0]), "id": cause.id}]}
        assert problems_of(clash) == (f"red_flags ({cause.id}): id already used by a default causes item",)


def test_file_level_problems_name_the_file_and_later_sections_are_still_checked(tmp_path: Path) -> None:
    path = tmp_path / "meta.json"
    data = mini()
    data |= {"version": "", "extends": "mine", "disable": "x", "causes": {"id": "x"}}
    data["red_flags"][0]["urgency"] = "later"
    path.write_text(json.dumps(data))
    found = problems_of(path)
    assert "meta.json: version: must not be empty" in found
    assert "meta.json: extends: only 'default' is supported, got 'mine'" in found
    assert "meta.json: disable: expected an array of ids" in found
    assert "meta.json: causes: expected an array of tables" in found
    assert any(problem.startswith("meta.json: red_flags[0] (clot): urgency:") for problem in found)


def test_duplicates_name_the_file(tmp_path: Path) -> None:
    data = mini()
    data["causes"].append({**data["causes"][0]})
    path = tmp_path / "dup.json"
    path.write_text(json.dumps(data))
    assert problems_of(path) == (
        "dup.json: causes (idiopathic-cramps): duplicate id, also in dup.json: causes (idiopathic-cramps)",
    )


def test_knowledge_base_files_at_the_size_limit_are_accepted(tmp_path: Path) -> None:
    text = MINI.read_text()
    path = tmp_path / "padded.toml"
    path.write_text(text + "#" * (MAX_FILE_BYTES - len(text.encode())))
    assert len(path.read_bytes()) == MAX_FILE_BYTES
    assert load_knowledge_base(path).version == "test-1"


def test_plain_text_fields_are_strict_and_long_lists_are_fine_in_a_knowledge_base() -> None:
    data = mini()
    data["causes"][1]["name"] = 3
    assert problems_of(data) == ("causes[1] (medication): name: expected a string, got an integer",)
    data = mini()
    data["drug_classes"][0]["brand_names"] = [f"brand {n}" for n in range(150)]
    assert len(load_knowledge_base(data).drug_classes[0].brand_names) == 150


def test_safety_floor_problems_are_reported_with_the_item() -> None:
    data = mini()
    first, second = data["signs"][0], data["signs"][1]
    data["signs"].append({**second, "id": "sign-again"})  # a second sign for the same symptom
    first.update(urgency="emergency", advice="Lie down.")  # emergency advice without emergency services
    data["interventions"].append(
        {
            "id": "pill-talk",
            "name": "Talk about quinine",
            "summary": "Ask about it.",
            "phase": "prevent",
            "category": "medication-review",
            "instructions": ["Ask your GP about bendroflumethiazide."],
            "certainty": "low",
            "stance": "recommended",
            "sources": ["src-a"],
        }
    )
    problems = problems_of(data)
    assert f"sign-again: symptom {second['symptom']!r} already has the sign {second['id']!r}" in problems
    assert (
        f"signs ({first['id']}): advice: an emergency sign must say to call emergency services "
        "(name them, 999, 112, 911 or 000, or use {emergency}); not in region uk, us, eu, au"
    ) in problems
    # quinine is not in this knowledge base's drug classes, but the floor reads names with the packaged ones too
    assert (
        "pill-talk: medicines: its text names drug-quinine, drug-thiazide-diuretic; list them in medicines" in problems
    )


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("doi", "11.1000/x", "doi: expected a DOI (10.NNNN/...), got '11.1000/x'"),
        ("pmid", "PMID123", "pmid: expected a PubMed id (digits), got 'PMID123'"),
        ("accessed", "25/11/2026", "accessed: expected a date (YYYY-MM-DD), got '25/11/2026'"),
    ],
)
def test_source_record_formats_are_checked(field: str, value: str, expected: str) -> None:
    data = mini()
    data["sources"][0][field] = value
    assert f"sources[0] (src-a): {expected}" in problems_of(data)


def test_criteria_groups_may_not_be_empty() -> None:
    data = mini()
    data["risk_factors"][0]["when"] = {"each": [["age-60-plus"], []]}
    assert "risk_factors[0] (rf-thiazide): when.each: every group needs at least one fact" in problems_of(data)


def test_sections_are_the_item_fields_of_a_knowledge_base() -> None:
    hints = typing.get_type_hints(crampkit.KnowledgeBase)
    sections = {**SECTIONS, **MEDICINE_SECTIONS}
    assert {name: typing.get_args(hints[name]) for name in sections} == {
        name: (cls, ...) for name, cls in sections.items()
    }
    assert {field.name for field in attrs.fields(crampkit.KnowledgeBase)} - set(sections) == {"version", "changes"}
