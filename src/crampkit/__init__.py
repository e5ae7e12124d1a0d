"""crampkit: structured, evidence-backed guidance about muscle cramps and spasms.

General information, not a diagnosis. The documentation lives in the
project's ``docs/`` folder.
"""

from typing import TYPE_CHECKING

from crampkit._batch import FLAT_COLUMNS, BatchResult, recommend_many, row_schema
from crampkit._kb import default_knowledge_base, load_knowledge_base
from crampkit.cds_hooks import to_cds_hooks
from crampkit.engine import recommend
from crampkit.exceptions import InvalidInputError, KnowledgeBaseError
from crampkit.facts import FACT_LABELS, MedicationMatch, derive_facts, match_medications
from crampkit.guidance import (
    DISCLAIMER,
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

if TYPE_CHECKING:  # the optional ``fhir`` extra is imported on first use, below
    from crampkit.fhir import FhirProfile, Unmapped, to_profile

    __version__: str

_FHIR_NAMES = frozenset({"FhirProfile", "Unmapped", "to_profile"})


def __getattr__(name: str) -> object:
    """Provide ``__version__`` and the FHIR names lazily.

    Reading package metadata is slow and most programs never ask; the FHIR
    names need the optional ``fhir`` extra, which ``import crampkit`` must not
    import.
    """
    if name == "__version__":
        from crampkit.metadata import version  # noqa: PLC0415

        return version()
    if name in _FHIR_NAMES:
        from crampkit import fhir  # noqa: PLC0415

        return getattr(fhir, name)
    msg = f"module 'crampkit' has no attribute {name!r}"
    raise AttributeError(msg)


__all__ = [
    "DISCLAIMER",
    "FACT_LABELS",
    "FLAT_COLUMNS",
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
    "Profile",
    "Recommendation",
    "RedFlag",
    "RedFlagHit",
    "RiskFactor",
    "Sex",
    "Sign",
    "Site",
    "Source",
    "SourceKind",
    "Stance",
    "Strength",
    "Symptom",
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
