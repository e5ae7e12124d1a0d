"""crampkit: structured, evidence-backed guidance about muscle cramps and spasms.

General information, not a diagnosis. The documentation lives in the
project's ``docs/`` folder.
"""

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (type checkers take it as true)

if TYPE_CHECKING:  # for type checkers: at run time every name is imported on first use (see __getattr__)
    from crampkit._batch import FLAT_COLUMNS, BatchResult, recommend_many, row_schema
    from crampkit._kb import default_knowledge_base, load_knowledge_base
    from crampkit._regions import DEFAULT_REGION, PLACEHOLDERS, REGIONS, Region
    from crampkit.cds_hooks import to_cds_hooks
    from crampkit.engine import recommend
    from crampkit.exceptions import InvalidInputError, KnowledgeBaseError, Problem, ProblemCode
    from crampkit.facts import FACT_LABELS, THRESHOLDS, MedicationMatch, Threshold, derive_facts, match_medications
    from crampkit.fhir import FhirProfile, Unmapped, to_profile
    from crampkit.guidance import (
        DISCLAIMER,
        DISCLAIMER_SHORT,
        CauseHit,
        Contraindicated,
        Guidance,
        NotRecommended,
        Recommendation,
        RedFlagHit,
    )
    from crampkit.knowledge import (
        AuditClaim,
        Cause,
        ChangeKind,
        Contraindication,
        Criteria,
        DrugClass,
        Intervention,
        KnowledgeBase,
        KnowledgeBaseChange,
        PopulationRule,
        RedFlag,
        RiskFactor,
        Sign,
        Source,
    )
    from crampkit.loading import load_profile, structure, to_json, unstructure
    from crampkit.profile import Cramps, Habits, Profile, example_profile
    from crampkit.questions import Question, next_questions
    from crampkit.schema import guidance_schema, json_schema, profile_schema
    from crampkit.vocab import (
        Activity,
        Authority,
        Category,
        Certainty,
        ClotRisk,
        Condition,
        Fact,
        Phase,
        Sex,
        Site,
        SourceKind,
        Stance,
        Strength,
        Symptom,
        Timing,
        Urgency,
    )

    __version__: str

_WHERE: dict[str, str] = {
    "BatchResult": "crampkit._batch",
    "FLAT_COLUMNS": "crampkit._batch",
    "recommend_many": "crampkit._batch",
    "row_schema": "crampkit._batch",
    "default_knowledge_base": "crampkit._kb",
    "load_knowledge_base": "crampkit._kb",
    "DEFAULT_REGION": "crampkit._regions",
    "PLACEHOLDERS": "crampkit._regions",
    "REGIONS": "crampkit._regions",
    "Region": "crampkit._regions",
    "to_cds_hooks": "crampkit.cds_hooks",
    "recommend": "crampkit.engine",
    "InvalidInputError": "crampkit.exceptions",
    "KnowledgeBaseError": "crampkit.exceptions",
    "Problem": "crampkit.exceptions",
    "ProblemCode": "crampkit.exceptions",
    "FACT_LABELS": "crampkit.facts",
    "MedicationMatch": "crampkit.facts",
    "THRESHOLDS": "crampkit.facts",
    "Threshold": "crampkit.facts",
    "derive_facts": "crampkit.facts",
    "match_medications": "crampkit.facts",
    "FhirProfile": "crampkit.fhir",
    "Unmapped": "crampkit.fhir",
    "to_profile": "crampkit.fhir",
    "CauseHit": "crampkit.guidance",
    "Contraindicated": "crampkit.guidance",
    "DISCLAIMER": "crampkit.guidance",
    "DISCLAIMER_SHORT": "crampkit.guidance",
    "Guidance": "crampkit.guidance",
    "NotRecommended": "crampkit.guidance",
    "Recommendation": "crampkit.guidance",
    "RedFlagHit": "crampkit.guidance",
    "AuditClaim": "crampkit.knowledge",
    "Cause": "crampkit.knowledge",
    "ChangeKind": "crampkit.knowledge",
    "Contraindication": "crampkit.knowledge",
    "Criteria": "crampkit.knowledge",
    "DrugClass": "crampkit.knowledge",
    "Intervention": "crampkit.knowledge",
    "KnowledgeBase": "crampkit.knowledge",
    "KnowledgeBaseChange": "crampkit.knowledge",
    "PopulationRule": "crampkit.knowledge",
    "RedFlag": "crampkit.knowledge",
    "RiskFactor": "crampkit.knowledge",
    "Sign": "crampkit.knowledge",
    "Source": "crampkit.knowledge",
    "load_profile": "crampkit.loading",
    "structure": "crampkit.loading",
    "to_json": "crampkit.loading",
    "unstructure": "crampkit.loading",
    "Cramps": "crampkit.profile",
    "Habits": "crampkit.profile",
    "Profile": "crampkit.profile",
    "example_profile": "crampkit.profile",
    "Question": "crampkit.questions",
    "next_questions": "crampkit.questions",
    "guidance_schema": "crampkit.schema",
    "json_schema": "crampkit.schema",
    "profile_schema": "crampkit.schema",
    "Activity": "crampkit.vocab",
    "Authority": "crampkit.vocab",
    "Category": "crampkit.vocab",
    "Certainty": "crampkit.vocab",
    "ClotRisk": "crampkit.vocab",
    "Condition": "crampkit.vocab",
    "Fact": "crampkit.vocab",
    "Phase": "crampkit.vocab",
    "Sex": "crampkit.vocab",
    "Site": "crampkit.vocab",
    "SourceKind": "crampkit.vocab",
    "Stance": "crampkit.vocab",
    "Strength": "crampkit.vocab",
    "Symptom": "crampkit.vocab",
    "Timing": "crampkit.vocab",
    "Urgency": "crampkit.vocab",
}
"""The module that defines each public name (the names of :data:`__all__`, and nothing else)."""


def __getattr__(name: str) -> object:
    """Import each public name the first time it is asked for, and ``__version__`` when asked.

    ``import crampkit`` imports nothing else, so it costs almost nothing; the
    modules a program uses are imported when it first uses them. The FHIR
    names need the optional ``fhir`` extra, and package metadata is slow to
    read, so neither is touched unless asked for.
    """
    if name == "__version__":
        from crampkit.metadata import version  # noqa: PLC0415

        return version()
    module = _WHERE.get(name)
    if module is None:
        msg = f"module 'crampkit' has no attribute {name!r}"
        raise AttributeError(msg)
    import importlib  # noqa: PLC0415 - only when a name is first used

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup finds it directly
    return value


def __dir__() -> list[str]:
    """The public names, with what the module holds."""
    return sorted({*globals(), *__all__})


__all__ = [
    "DEFAULT_REGION",
    "DISCLAIMER",
    "DISCLAIMER_SHORT",
    "FACT_LABELS",
    "FLAT_COLUMNS",
    "PLACEHOLDERS",
    "REGIONS",
    "THRESHOLDS",
    "Activity",
    "AuditClaim",
    "Authority",
    "BatchResult",
    "Category",
    "Cause",
    "CauseHit",
    "Certainty",
    "ChangeKind",
    "ClotRisk",
    "Condition",
    "Contraindicated",
    "Contraindication",
    "Cramps",
    "Criteria",
    "DrugClass",
    "Fact",
    "FhirProfile",
    "Guidance",
    "Habits",
    "Intervention",
    "InvalidInputError",
    "KnowledgeBase",
    "KnowledgeBaseChange",
    "KnowledgeBaseError",
    "MedicationMatch",
    "NotRecommended",
    "Phase",
    "PopulationRule",
    "Problem",
    "ProblemCode",
    "Profile",
    "Question",
    "Recommendation",
    "RedFlag",
    "RedFlagHit",
    "Region",
    "RiskFactor",
    "Sex",
    "Sign",
    "Site",
    "Source",
    "SourceKind",
    "Stance",
    "Strength",
    "Symptom",
    "Threshold",
    "Timing",
    "Unmapped",
    "Urgency",
    "__version__",
    "default_knowledge_base",
    "derive_facts",
    "example_profile",
    "guidance_schema",
    "json_schema",
    "load_knowledge_base",
    "load_profile",
    "match_medications",
    "next_questions",
    "profile_schema",
    "recommend",
    "recommend_many",
    "row_schema",
    "structure",
    "to_cds_hooks",
    "to_json",
    "to_profile",
    "unstructure",
]
