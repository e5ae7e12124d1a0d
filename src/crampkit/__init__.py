"""crampkit: structured, evidence-backed guidance about muscle cramps and spasms.

General information, not a diagnosis. The documentation lives in the
project's ``docs/`` folder.
"""

from typing import TYPE_CHECKING

from crampkit._batch import FLAT_COLUMNS, BatchResult, recommend_many, row_schema
from crampkit._kb import default_knowledge_base, load_knowledge_base
from crampkit._regions import DEFAULT_REGION, PLACEHOLDERS, REGIONS, Region
from crampkit.cds_hooks import to_cds_hooks
from crampkit.engine import recommend
from crampkit.exceptions import InvalidInputError, KnowledgeBaseError, Problem, ProblemCode
from crampkit.facts import FACT_LABELS, THRESHOLDS, MedicationMatch, Threshold, derive_facts, match_medications
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

if TYPE_CHECKING:  # the optional ``fhir`` extra and the questions are imported on first use, below
    from crampkit.fhir import FhirProfile, Unmapped, to_profile
    from crampkit.questions import Question, next_questions

    __version__: str

_FHIR_NAMES = frozenset({"FhirProfile", "Unmapped", "to_profile"})
_QUESTION_NAMES = frozenset({"Question", "next_questions"})


def __getattr__(name: str) -> object:
    """Provide ``__version__``, the FHIR names and the question names lazily.

    Reading package metadata is slow and most programs never ask; the FHIR
    names need the optional ``fhir`` extra, which ``import crampkit`` must not
    import; the questions' classes are built only when first asked for.
    """
    if name == "__version__":
        from crampkit.metadata import version  # noqa: PLC0415

        return version()
    if name in _FHIR_NAMES:
        from crampkit import fhir  # noqa: PLC0415

        return getattr(fhir, name)
    if name in _QUESTION_NAMES:
        from crampkit import questions  # noqa: PLC0415

        return getattr(questions, name)
    msg = f"module 'crampkit' has no attribute {name!r}"
    raise AttributeError(msg)


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
