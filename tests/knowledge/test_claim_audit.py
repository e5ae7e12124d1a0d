"""The claim audit (docs/claim-audit.toml): every item and escalation clause that makes a claim is audited once,
against its own sources."""

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

import attrs

import crampkit
from crampkit import default_knowledge_base

KB = default_knowledge_base()
AUDIT = tomllib.loads((Path(__file__).parents[2] / "docs" / "claim-audit.toml").read_text(encoding="utf-8"))["claim"]
CLAIMS = (
    crampkit.Cause,
    crampkit.RiskFactor,
    crampkit.DrugClass,
    crampkit.Intervention,
    crampkit.RedFlag,
    crampkit.Sign,
    crampkit.PopulationRule,
)
VERDICTS = {"supported", "partly", "expert-opinion"}
SOURCE_IDS = {source.id for source in KB.sources}


CLAUSES = {
    clause.id: (item, clause)
    for item in KB.items()
    if isinstance(item, crampkit.RedFlag | crampkit.Sign | crampkit.Intervention)
    for clause in item.escalations
}
"""Every escalation clause, by id, with its item: each makes a claim of its own (this level of care, in this case)."""


def test_every_item_and_clause_that_makes_a_claim_is_audited_once() -> None:
    audited = [record["id"] for record in AUDIT]
    assert len(audited) == len(set(audited))
    items = {item.id for item in KB.items() if isinstance(item, CLAIMS)}
    assert set(audited) == items | set(CLAUSES)


def test_every_record_is_complete() -> None:
    for record in AUDIT:
        assert set(record) == {"id", "claim", "support", "verdict"}, record["id"]
        assert record["verdict"] in VERDICTS, record["id"]
        assert record["claim"].strip(), record["id"]
        assert record["support"].strip(), record["id"]


def test_the_support_speaks_for_each_source_the_item_cites() -> None:
    for record in AUDIT:
        named = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", record["support"])) & SOURCE_IDS
        if record["id"] in CLAUSES:  # a clause: its item's sources and its own
            owner, clause = CLAUSES[record["id"]]
            assert named == {*owner.sources, *clause.sources}, record["id"]
            continue
        item = KB.by_id[record["id"]]
        assert isinstance(item, CLAIMS), record["id"]
        assert named == set(item.sources), record["id"]


def _graded_above_the_audit(interventions: Iterable[crampkit.Intervention]) -> list[str]:
    """The interventions audited as expert opinion yet graded above very low (issue 20)."""
    verdicts = {record["id"]: record["verdict"] for record in AUDIT}
    return sorted(
        item.id
        for item in interventions
        if verdicts.get(item.id) == "expert-opinion" and item.certainty is not crampkit.Certainty.VERY_LOW
    )


def test_an_intervention_audited_as_expert_opinion_is_graded_very_low() -> None:
    """Advice that a guideline or patient page states without evidence of its own is never graded above very low."""
    assert _graded_above_the_audit(KB.interventions) == []
    audited = {record["id"] for record in AUDIT if record["verdict"] == "expert-opinion"}
    assert audited & {item.id for item in KB.interventions}  # the rule has something to hold


def test_the_rule_catches_an_expert_opinion_item_graded_back_up() -> None:
    massage = KB.get("massage")
    assert isinstance(massage, crampkit.Intervention)
    raised = attrs.evolve(massage, certainty=crampkit.Certainty.LOW)
    assert _graded_above_the_audit([raised]) == ["massage"]
