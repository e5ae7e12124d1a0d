"""The exclusion table (issue 20): who must never be offered what, with sources, for every knowledge base."""

from typing import Any

import pytest

import crampkit
from crampkit import Category, Fact, InvalidInputError, KnowledgeBaseError
from crampkit.knowledge.exclusions import ExclusionRow, exclusion_table
from kbtools import quiet_signs, table_rules

TABLE = exclusion_table()
KB = crampkit.default_knowledge_base()


def test_rows_have_unique_ids_and_cite_packaged_sources() -> None:
    assert len({row.id for row in TABLE}) == len(TABLE)
    for row in TABLE:
        for source in row.sources:
            assert isinstance(KB.get(source), crampkit.Source), (row.id, source)


def test_every_row_withholds_something_and_holds_on_facts_present() -> None:
    for row in TABLE:
        assert row.excludes_categories or row.excludes_medicines, row.id
        assert list(row.cases()), row.id


def test_a_row_may_not_use_none() -> None:
    with pytest.raises(InvalidInputError, match="may not use 'none'"):
        ExclusionRow(id="x", when=crampkit.Criteria(none_of=frozenset({Fact.PREGNANT})), why="x", sources=("s",))


def test_cases_are_the_smallest_fact_sets_that_meet_a_row() -> None:
    row = ExclusionRow(
        id="x",
        when=crampkit.Criteria(
            all_of=frozenset({Fact.PREGNANT}),
            each_of=(frozenset({Fact.DRUG_RAAS_BLOCKER}), frozenset({Fact.DRUG_LOOP_DIURETIC, Fact.DRUG_STATIN})),
        ),
        excludes_medicines=frozenset({Fact.DRUG_NSAID}),
        why="x",
        sources=("s",),
    )
    assert set(row.cases()) == {
        frozenset({Fact.PREGNANT, Fact.DRUG_RAAS_BLOCKER, Fact.DRUG_LOOP_DIURETIC}),
        frozenset({Fact.PREGNANT, Fact.DRUG_RAAS_BLOCKER, Fact.DRUG_STATIN}),
    }


def _unsafe(category: Category, medicines: list[str]) -> dict[str, Any]:
    return {
        "version": "unsafe",
        "sources": [{"id": "s", "title": "t", "publisher": "p", "url": "https://example.org", "kind": "guideline"}],
        "signs": quiet_signs("s"),
        "interventions": [
            {
                "id": "item",
                "name": "An item",
                "summary": "Something to do.",
                "phase": "prevent",
                "category": category.value,
                "instructions": ["Do it."],
                "certainty": "low",
                "stance": "optional",
                "medicines": medicines,
                "sources": ["s"],
            }
        ],
    }


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.id)
def test_a_custom_knowledge_base_that_breaks_a_row_is_refused(row: ExclusionRow) -> None:
    category = min(row.excludes_categories, default=Category.PAIN_RELIEF)
    document = _unsafe(category, sorted(row.excludes_medicines))
    with pytest.raises(KnowledgeBaseError) as caught:
        crampkit.load_knowledge_base(document)
    problems = [str(problem) for problem in caught.value.problems]
    assert sum(f"(exclusion table, row {row.id})" in problem for problem in problems) == len(list(row.cases()))


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.id)
def test_a_population_rule_per_row_is_enough(row: ExclusionRow) -> None:
    category = min(row.excludes_categories, default=Category.PAIN_RELIEF)
    document = _unsafe(category, sorted(row.excludes_medicines))
    document["population_rules"] = table_rules("s")
    crampkit.load_knowledge_base(document)  # no problem: every row is kept


def test_a_not_recommended_item_is_not_held_to_the_table() -> None:
    document = _unsafe(Category.PRESCRIPTION_DRUG, ["drug-nsaid"])
    document["interventions"][0].update(stance="not-recommended", reason="Not for cramps.")
    crampkit.load_knowledge_base(document)
