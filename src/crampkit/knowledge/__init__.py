"""The knowledge base's items: sources, causes, risk factors, drug classes, medicines, interventions, red flags, signs.

``from crampkit.knowledge import KnowledgeBase`` works as it did in 0.1; the
same names are exported from :mod:`crampkit`. The package also holds the
loader (:mod:`crampkit.knowledge.load`), the safety floor
(:mod:`crampkit.knowledge.safety`), the medicine matcher
(:mod:`crampkit.knowledge.medicines`) and the packaged data (``data/``).
"""

from crampkit.knowledge.items import (
    AuditClaim,
    Cause,
    ChangeKind,
    Contraindication,
    Criteria,
    DrugClass,
    Ingredient,
    Intervention,
    Item,
    KnowledgeBase,
    KnowledgeBaseChange,
    PopulationRule,
    Product,
    RedFlag,
    RiskFactor,
    Sign,
    Source,
)

__all__ = [
    "AuditClaim",
    "Cause",
    "ChangeKind",
    "Contraindication",
    "Criteria",
    "DrugClass",
    "Ingredient",
    "Intervention",
    "Item",
    "KnowledgeBase",
    "KnowledgeBaseChange",
    "PopulationRule",
    "Product",
    "RedFlag",
    "RiskFactor",
    "Sign",
    "Source",
]
