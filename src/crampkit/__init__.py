"""crampkit: structured, evidence-backed guidance about muscle cramps and spasms.

General information, not a diagnosis. Start with :func:`recommend` and
:func:`load_profile` (``help(crampkit.recommend)``), or the command line
(``crampkit --help``). The full documentation is Sphinx source in the ``docs/``
folder of crampkit's source distribution (the sdist) and repository, not in
the installed package; its README says how to build it.
"""

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (type checkers take it as true)

if TYPE_CHECKING:  # for type checkers: at run time every name is imported on first use (see __getattr__)
    from crampkit._api import (
        derive_facts as derive_facts,
    )
    from crampkit._api import (
        error_schema as error_schema,
    )
    from crampkit._api import (
        guidance_schema as guidance_schema,
    )
    from crampkit._api import (
        json_schema as json_schema,
    )
    from crampkit._api import (
        match_medications as match_medications,
    )
    from crampkit._api import (
        next_questions as next_questions,
    )
    from crampkit._api import (
        openapi_schemas as openapi_schemas,
    )
    from crampkit._api import (
        profile_schema as profile_schema,
    )
    from crampkit._api import (
        recommend as recommend,
    )
    from crampkit._api import (
        to_cds_hooks as to_cds_hooks,
    )
    from crampkit._api import (
        to_short as to_short,
    )
    from crampkit._api import (
        to_text as to_text,
    )
    from crampkit._tables import recommend_rows as recommend_rows
    from crampkit.batch import (
        FLAT_COLUMNS as FLAT_COLUMNS,
    )
    from crampkit.batch import (
        BatchResult as BatchResult,
    )
    from crampkit.batch import (
        recommend_many as recommend_many,
    )
    from crampkit.batch import (
        row_schema as row_schema,
    )
    from crampkit.decision.questions._question import AnswerKind as AnswerKind
    from crampkit.decision.questions._question import Choice as Choice
    from crampkit.decision.questions._question import Question as Question
    from crampkit.exceptions import (
        InvalidInputError as InvalidInputError,
    )
    from crampkit.exceptions import (
        KnowledgeBaseError as KnowledgeBaseError,
    )
    from crampkit.exceptions import (
        Problem as Problem,
    )
    from crampkit.exceptions import (
        ProblemCode as ProblemCode,
    )
    from crampkit.fhir.mapping import FhirProfile as FhirProfile
    from crampkit.fhir.mapping import Unmapped as Unmapped
    from crampkit.fhir.mapping import to_profile as to_profile
    from crampkit.guidance import (
        DISCLAIMER as DISCLAIMER,
    )
    from crampkit.guidance import (
        DISCLAIMER_SHORT as DISCLAIMER_SHORT,
    )
    from crampkit.guidance import (
        CauseHit as CauseHit,
    )
    from crampkit.guidance import (
        Contraindicated as Contraindicated,
    )
    from crampkit.guidance import (
        Guidance as Guidance,
    )
    from crampkit.guidance import (
        MedicationHit as MedicationHit,
    )
    from crampkit.guidance import (
        NotRecommended as NotRecommended,
    )
    from crampkit.guidance import (
        Recommendation as Recommendation,
    )
    from crampkit.guidance import (
        RedFlagHit as RedFlagHit,
    )
    from crampkit.guidance import (
        SafetyNet as SafetyNet,
    )
    from crampkit.io.json import (
        load_profile as load_profile,
    )
    from crampkit.io.json import (
        structure as structure,
    )
    from crampkit.io.json import (
        to_json as to_json,
    )
    from crampkit.io.json import (
        unstructure as unstructure,
    )
    from crampkit.io.table import PROFILE_COLUMNS as PROFILE_COLUMNS
    from crampkit.io.table import profile_from_row as profile_from_row
    from crampkit.io.table import profile_to_row as profile_to_row
    from crampkit.knowledge.exclusions import ExclusionRow as ExclusionRow
    from crampkit.knowledge.exclusions import exclusion_table as exclusion_table
    from crampkit.knowledge.items import (
        AuditClaim as AuditClaim,
    )
    from crampkit.knowledge.items import (
        Cause as Cause,
    )
    from crampkit.knowledge.items import (
        ChangeKind as ChangeKind,
    )
    from crampkit.knowledge.items import (
        Contraindication as Contraindication,
    )
    from crampkit.knowledge.items import (
        Criteria as Criteria,
    )
    from crampkit.knowledge.items import (
        DrugClass as DrugClass,
    )
    from crampkit.knowledge.items import (
        Escalation as Escalation,
    )
    from crampkit.knowledge.items import (
        EscalationRule as EscalationRule,
    )
    from crampkit.knowledge.items import (
        Ingredient as Ingredient,
    )
    from crampkit.knowledge.items import (
        Intervention as Intervention,
    )
    from crampkit.knowledge.items import (
        KnowledgeBase as KnowledgeBase,
    )
    from crampkit.knowledge.items import (
        KnowledgeBaseChange as KnowledgeBaseChange,
    )
    from crampkit.knowledge.items import (
        PopulationRule as PopulationRule,
    )
    from crampkit.knowledge.items import (
        Product as Product,
    )
    from crampkit.knowledge.items import (
        RedFlag as RedFlag,
    )
    from crampkit.knowledge.items import (
        RiskFactor as RiskFactor,
    )
    from crampkit.knowledge.items import (
        Sign as Sign,
    )
    from crampkit.knowledge.items import (
        Source as Source,
    )
    from crampkit.knowledge.load import (
        claim_problems as claim_problems,
    )
    from crampkit.knowledge.load import (
        default_knowledge_base as default_knowledge_base,
    )
    from crampkit.knowledge.load import (
        load_knowledge_base as load_knowledge_base,
    )
    from crampkit.knowledge.medicines import MedicationMatch as MedicationMatch
    from crampkit.knowledge.safety import check_floor as check_floor
    from crampkit.knowledge.safety import floor_problems as floor_problems
    from crampkit.profile import (
        Cramps as Cramps,
    )
    from crampkit.profile import (
        Habits as Habits,
    )
    from crampkit.profile import (
        Profile as Profile,
    )
    from crampkit.profile import (
        example_profile as example_profile,
    )
    from crampkit.text.regions import (
        DEFAULT_REGION as DEFAULT_REGION,
    )
    from crampkit.text.regions import (
        PLACEHOLDERS as PLACEHOLDERS,
    )
    from crampkit.text.regions import (
        REGIONS as REGIONS,
    )
    from crampkit.text.regions import (
        Region as Region,
    )
    from crampkit.thresholds import FACT_LABELS as FACT_LABELS
    from crampkit.thresholds import THRESHOLDS as THRESHOLDS
    from crampkit.thresholds import Threshold as Threshold
    from crampkit.vocab import (
        Activity as Activity,
    )
    from crampkit.vocab import (
        Asked as Asked,
    )
    from crampkit.vocab import (
        Authority as Authority,
    )
    from crampkit.vocab import (
        Category as Category,
    )
    from crampkit.vocab import (
        Certainty as Certainty,
    )
    from crampkit.vocab import (
        ClotRisk as ClotRisk,
    )
    from crampkit.vocab import (
        Condition as Condition,
    )
    from crampkit.vocab import (
        Fact as Fact,
    )
    from crampkit.vocab import (
        Phase as Phase,
    )
    from crampkit.vocab import (
        Sex as Sex,
    )
    from crampkit.vocab import (
        Site as Site,
    )
    from crampkit.vocab import (
        SourceKind as SourceKind,
    )
    from crampkit.vocab import (
        Stance as Stance,
    )
    from crampkit.vocab import (
        Strength as Strength,
    )
    from crampkit.vocab import (
        Symptom as Symptom,
    )
    from crampkit.vocab import (
        Timing as Timing,
    )
    from crampkit.vocab import (
        Urgency as Urgency,
    )

    __version__: str

del TYPE_CHECKING  # a helper, not a public name

_WHERE: dict[str, str] = {
    "derive_facts": "crampkit._api",
    "error_schema": "crampkit._api",
    "guidance_schema": "crampkit._api",
    "json_schema": "crampkit._api",
    "match_medications": "crampkit._api",
    "next_questions": "crampkit._api",
    "openapi_schemas": "crampkit._api",
    "profile_schema": "crampkit._api",
    "recommend": "crampkit._api",
    "to_cds_hooks": "crampkit._api",
    "to_short": "crampkit._api",
    "to_text": "crampkit._api",
    "recommend_rows": "crampkit._tables",
    "BatchResult": "crampkit.batch",
    "FLAT_COLUMNS": "crampkit.batch",
    "recommend_many": "crampkit.batch",
    "row_schema": "crampkit.batch",
    "AnswerKind": "crampkit.decision.questions._question",
    "Choice": "crampkit.decision.questions._question",
    "Question": "crampkit.decision.questions._question",
    "InvalidInputError": "crampkit.exceptions",
    "KnowledgeBaseError": "crampkit.exceptions",
    "Problem": "crampkit.exceptions",
    "ProblemCode": "crampkit.exceptions",
    "FhirProfile": "crampkit.fhir.mapping",
    "Unmapped": "crampkit.fhir.mapping",
    "to_profile": "crampkit.fhir.mapping",
    "CauseHit": "crampkit.guidance",
    "Contraindicated": "crampkit.guidance",
    "DISCLAIMER": "crampkit.guidance",
    "DISCLAIMER_SHORT": "crampkit.guidance",
    "Guidance": "crampkit.guidance",
    "MedicationHit": "crampkit.guidance",
    "NotRecommended": "crampkit.guidance",
    "Recommendation": "crampkit.guidance",
    "RedFlagHit": "crampkit.guidance",
    "SafetyNet": "crampkit.guidance",
    "load_profile": "crampkit.io.json",
    "structure": "crampkit.io.json",
    "to_json": "crampkit.io.json",
    "unstructure": "crampkit.io.json",
    "PROFILE_COLUMNS": "crampkit.io.table",
    "profile_from_row": "crampkit.io.table",
    "profile_to_row": "crampkit.io.table",
    "AuditClaim": "crampkit.knowledge.items",
    "Cause": "crampkit.knowledge.items",
    "ChangeKind": "crampkit.knowledge.items",
    "Contraindication": "crampkit.knowledge.items",
    "Criteria": "crampkit.knowledge.items",
    "DrugClass": "crampkit.knowledge.items",
    "Escalation": "crampkit.knowledge.items",
    "EscalationRule": "crampkit.knowledge.items",
    "Ingredient": "crampkit.knowledge.items",
    "Intervention": "crampkit.knowledge.items",
    "KnowledgeBase": "crampkit.knowledge.items",
    "KnowledgeBaseChange": "crampkit.knowledge.items",
    "PopulationRule": "crampkit.knowledge.items",
    "Product": "crampkit.knowledge.items",
    "RedFlag": "crampkit.knowledge.items",
    "RiskFactor": "crampkit.knowledge.items",
    "Sign": "crampkit.knowledge.items",
    "Source": "crampkit.knowledge.items",
    "claim_problems": "crampkit.knowledge.load",
    "default_knowledge_base": "crampkit.knowledge.load",
    "load_knowledge_base": "crampkit.knowledge.load",
    "ExclusionRow": "crampkit.knowledge.exclusions",
    "exclusion_table": "crampkit.knowledge.exclusions",
    "MedicationMatch": "crampkit.knowledge.medicines",
    "check_floor": "crampkit.knowledge.safety",
    "floor_problems": "crampkit.knowledge.safety",
    "Cramps": "crampkit.profile",
    "Habits": "crampkit.profile",
    "Profile": "crampkit.profile",
    "example_profile": "crampkit.profile",
    "DEFAULT_REGION": "crampkit.text.regions",
    "PLACEHOLDERS": "crampkit.text.regions",
    "REGIONS": "crampkit.text.regions",
    "Region": "crampkit.text.regions",
    "FACT_LABELS": "crampkit.thresholds",
    "THRESHOLDS": "crampkit.thresholds",
    "Threshold": "crampkit.thresholds",
    "Activity": "crampkit.vocab",
    "Asked": "crampkit.vocab",
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
        from crampkit._version import version  # noqa: PLC0415

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


__all__ = sorted([*_WHERE, "__version__"])  # noqa: PLE0605 - derived from the one name map
