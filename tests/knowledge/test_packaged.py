"""The packaged knowledge base: complete, sourced, graded, and safe."""

import re

import pytest

import crampkit
from crampkit import Fact, Phase, Stance, Urgency, default_knowledge_base, match_medications, recommend
from crampkit.text.regions import REGIONS
from kbtools import profile_with

KB = default_knowledge_base()

# Every red flag of the evidence dossier (EVIDENCE.md, "Red flags"), with the urgency it must carry as
# recalibrated in knowledge base 2026.12 against the national health-service pages each flag cites: tetanus
# after a wound is an emergency (current NHS tetanus page), claudication on its own is a routine GP visit (NHS
# peripheral arterial disease page); body-wide cramps and cramps after fluid loss need alarm signs or signs of
# dehydration (trunk-cramps-with-alarm-signs, fluid-loss-dehydration); numbness and swelling are signs.
DOSSIER_RED_FLAGS = {
    "possible-clot": Urgency.URGENT,
    "clot-to-lung-swelling": Urgency.EMERGENCY,
    "long-cramp": Urgency.URGENT,
    "tetanus-risk": Urgency.EMERGENCY,
    "muscle-breakdown": Urgency.URGENT,
    "heat-illness": Urgency.URGENT,
    "heatstroke": Urgency.EMERGENCY,
    "low-calcium": Urgency.URGENT,
    "pregnancy-warning": Urgency.URGENT,
    "trunk-cramps-with-alarm-signs": Urgency.URGENT,
    "fluid-loss-dehydration": Urgency.URGENT,
    "weakness-wasting": Urgency.SOON,
    "claudication": Urgency.ROUTINE,
    "new-medicine": Urgency.SOON,
    "frequent-or-sleep": Urgency.ROUTINE,
    "no-obvious-cause": Urgency.ROUTINE,
}

# Alcohol "units" are guidance on drinking, not a dose, so "units" is not in the pattern.
DOSE = re.compile(r"\b\d+(?:\.\d+)?\s*(?:mg|g|mcg|µg|micrograms?|ml|mmol|iu|tablets?)\b", re.IGNORECASE)


def test_the_counts_the_issue_asks_for() -> None:
    assert len(KB.sources) >= 15
    assert len(KB.causes) >= 8
    assert len(KB.risk_factors) >= 15
    assert len(KB.drug_classes) >= 8
    assert len(KB.interventions) >= 22
    assert len(KB.red_flags) >= 10
    names = sum(len(c.generic_names) + len(c.brand_names) for c in KB.drug_classes)
    assert names + sum(len(c.atc_codes) for c in KB.drug_classes) >= 60
    assert {i.phase for i in KB.interventions} == set(Phase)


def test_the_causes_the_issue_names() -> None:
    assert {c.id for c in KB.causes} >= {
        "dehydration-electrolytes",
        "neuromuscular-fatigue",
        "reduced-blood-flow",
        "nerve-compression",
        "neurological-disease",
        "medication",
        "metabolic-endocrine",
        "pregnancy",
        "idiopathic",
    }
    assert [c.id for c in KB.causes if c.prior > 0] == ["idiopathic"]


def test_every_item_cites_a_known_source() -> None:
    source_ids = {s.id for s in KB.sources}
    for item in KB.items():
        if not isinstance(item, crampkit.Source):
            if not isinstance(item, crampkit.AuditClaim) or item.verdict != "unsupported":
                assert item.sources, item.id
            assert set(item.sources) <= source_ids, item.id
    used = {s for item in KB.items() if not isinstance(item, crampkit.Source) for s in item.sources}
    used |= {s for item in KB.items() for clause in getattr(item, "escalations", ()) for s in clause.sources}
    used |= {s for region in REGIONS.values() for s in region.sources}  # the services each region names
    assert used == source_ids  # no source is cited by nothing


def test_sources_have_urls_and_plausible_years() -> None:
    for source in KB.sources:
        assert source.url.startswith(("http://", "https://")), source.id
        assert source.year is None or 1990 <= source.year <= 2026, source.id


def test_every_drug_fact_has_a_class_and_every_cause_can_be_raised() -> None:
    drug_facts = {f for f in Fact if f.value.startswith("drug-")}
    assert {c.fact for c in KB.drug_classes} == drug_facts
    raised = {cause for rf in KB.risk_factors for cause in rf.raises}
    assert raised | {c.id for c in KB.causes if c.prior > 0} == {c.id for c in KB.causes}


@pytest.mark.parametrize("flag_id", sorted(DOSSIER_RED_FLAGS))
def test_every_dossier_red_flag_is_reachable_with_its_urgency(flag_id: str) -> None:
    flag = KB.get(flag_id)
    assert isinstance(flag, crampkit.RedFlag)
    assert flag.urgency is DOSSIER_RED_FLAGS[flag_id]
    facts = set(flag.when.all_of) | set(sorted(flag.when.any_of)[:1]) | {min(group) for group in flag.when.each_of}
    guidance = recommend(profile_with(facts))
    hit = next(hit for hit in guidance.red_flags if hit.id == flag_id)
    assert hit.urgency is flag.urgency
    assert guidance.triage.level >= flag.urgency.level


@pytest.mark.parametrize("flag", KB.red_flags, ids=lambda flag: flag.id)
def test_every_packaged_red_flag_fires_on_each_of_its_signs(flag: crampkit.RedFlag) -> None:
    signs: list[set[Fact]] = [{sign} for sign in sorted(flag.when.any_of)] or [set()]
    signs += [{sign} for group in flag.when.each_of for sign in sorted(group)]
    for sign in signs:
        facts = set(flag.when.all_of) | sign | {min(group) for group in flag.when.each_of if not sign & group}
        assert flag.id in [hit.id for hit in recommend(profile_with(facts)).red_flags], sign


def test_no_instruction_gives_a_dose_and_every_not_recommended_says_why() -> None:
    for item in KB.interventions:
        for text in (*item.instructions, item.summary, item.reason or ""):
            assert not DOSE.search(text), (item.id, text)
        if item.stance is Stance.NOT_RECOMMENDED:
            assert item.reason
            assert len(item.reason) > 40, item.id


def test_the_not_recommended_items_the_evidence_rejects() -> None:
    not_recommended = {i.id for i in KB.interventions if i.stance is Stance.NOT_RECOMMENDED}
    assert {"quinine-routine", "magnesium-older-adults", "supplements-in-pregnancy", "drink-as-much-as-possible"} <= (
        not_recommended
    )
    quinine = KB.get("quinine-routine")
    assert isinstance(quinine, crampkit.Intervention)
    assert any(c.when.all_of == {Fact.PREGNANT} for c in quinine.contraindications)


@pytest.mark.parametrize(
    ("symptoms", "left_out"),
    [
        ({"calf-swelling"}, {"massage", "heat-for-tight-muscle"}),
        ({"redness-or-warmth"}, {"massage", "heat-for-tight-muscle"}),
        ({"dark-urine"}, {"exercise-habits", "walk-it-off", "massage"}),
    ],
)
def test_contraindications_that_matter(symptoms: set[str], left_out: set[str]) -> None:
    profile = crampkit.load_profile({"activity": "vigorous", "symptoms": sorted(symptoms), "cramps": {"per_week": 1}})
    guidance = recommend(profile)
    assert left_out.isdisjoint(rec.id for rec in guidance.recommendations)
    assert left_out <= {item.id for item in guidance.contraindicated}


def test_no_keep_moving_advice_with_heat_illness() -> None:
    profile = crampkit.load_profile(
        {
            "heat_exposure": True,
            "activity": "vigorous",
            "symptoms": ["confusion"],
            "cramps": {"timing": ["during-exercise"]},
        }
    )
    recommended = {rec.id for rec in recommend(profile).recommendations}
    assert recommended.isdisjoint({"walk-it-off", "exercise-habits", "heat-for-tight-muscle"})


@pytest.mark.parametrize(
    ("name", "fact"),
    [
        ("salbutamol", Fact.DRUG_SABA),
        ("R03AC02", Fact.DRUG_SABA),
        ("Ventolin", Fact.DRUG_SABA),
        ("salmeterol", Fact.DRUG_LABA),
        ("R03AC12", Fact.DRUG_LABA),
        ("Symbicort", Fact.DRUG_LABA),
        ("Lipitor", Fact.DRUG_STATIN),
        ("C10AA05", Fact.DRUG_STATIN),
        ("bendroflumethiazide", Fact.DRUG_THIAZIDE_DIURETIC),
        ("Aldactone", Fact.DRUG_POTASSIUM_SPARING_DIURETIC),
        ("furosemide", Fact.DRUG_LOOP_DIURETIC),
        ("Evista", Fact.DRUG_OESTROGEN_RECEPTOR),
        ("teriparatide", Fact.DRUG_TERIPARATIDE),
        ("Aricept", Fact.DRUG_CHOLINESTERASE_INHIBITOR),
        ("amlodipine", Fact.DRUG_CALCIUM_CHANNEL_BLOCKER),
        ("C08DB01", Fact.DRUG_CALCIUM_CHANNEL_BLOCKER),
        ("bisoprolol", Fact.DRUG_BETA_BLOCKER),
        ("Eliquis", Fact.DRUG_ANTICOAGULANT),
        ("naproxen", Fact.DRUG_NSAID),
        ("Nexium", Fact.DRUG_PPI),
        ("omeprazole 20mg", Fact.DRUG_PPI),
        ("prednisolone", Fact.DRUG_CORTICOSTEROID),
        ("quinine sulfate", Fact.DRUG_QUININE),
        ("Microgynon", Fact.DRUG_OESTROGEN_CONTAINING),
        ("iron sucrose", Fact.DRUG_IV_IRON),
    ],
)
def test_medicines_map_to_the_right_class(name: str, fact: Fact) -> None:
    assert match_medications([name], KB).facts == {fact}


def test_nifedipine_is_both_a_named_cause_and_a_calcium_channel_blocker() -> None:
    assert match_medications(["Adalat"], KB).facts == {Fact.DRUG_NIFEDIPINE, Fact.DRUG_CALCIUM_CHANNEL_BLOCKER}


def test_short_acting_inhalers_are_not_long_acting() -> None:
    laba = next(c for c in KB.drug_classes if c.fact is Fact.DRUG_LABA)
    assert "R03AC" not in laba.atc_codes
    assert not any("R03AC02".startswith(code) for code in laba.atc_codes)


def test_the_seed_audit_accounts_for_every_claim() -> None:
    assert [claim.id for claim in KB.audit] == [f"claim-{letter}" for letter in "abcdefghijklmnopqrstuv"]
    for claim in KB.audit:
        assert claim.note
        if claim.verdict == "unsupported":
            assert not claim.items, claim.id
        else:
            assert claim.items, claim.id
            assert claim.sources, claim.id
    assert KB.get("claim-k").verdict == "unsupported"  # type: ignore[union-attr]


def test_every_matching_contraindication_is_given_as_the_reason() -> None:
    profile = crampkit.load_profile({"heat_exposure": True, "symptoms": ["calf-swelling", "dizziness"]})
    heat = next(item for item in recommend(profile).contraindicated if item.id == "heat-for-tight-muscle")
    intervention = KB.get("heat-for-tight-muscle")
    assert isinstance(intervention, crampkit.Intervention)
    reasons = [c.reason for c in intervention.contraindications if c.when.matches(frozenset(recommend(profile).facts))]
    assert len(reasons) == 2
    # its own contraindications first, then the red flags it would contradict, then urgent-care deferral
    assert heat.reason == " ".join(
        [
            *reasons,
            "It would go against the advice for: Possible blood clot in the leg (DVT).",
            "It would go against the advice for: Possible heat exhaustion.",
            "It would go against the advice for: A swollen calf.",
            "Left out while urgent care is needed: do this only once a clinician has checked the problem.",
        ]
    )


def test_the_certainty_review_matches_the_knowledge_base() -> None:
    """Every row of docs/certainty-review.toml names a real item whose field now has the new value."""
    import tomllib  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    rows = tomllib.loads((Path(__file__).parents[2] / "docs" / "certainty-review.toml").read_text())["change"]
    assert {row["id"] for row in rows} >= {"stretch-before-bed", "quinine-routine", "cut-down-alcohol", "claudication"}
    for row in rows:
        value = getattr(KB.get(row["id"]), row["field"])
        assert getattr(value, "value", value) == row["new"], row["id"]
        assert row["why"]
        assert set(row["sources"]) <= {source.id for source in KB.sources}


# Facts that describe a person but that no packaged item needs: they are kept for callers and custom
# knowledge bases. Every other fact, including every sign, condition, clot risk and drug class, is used.
DESCRIPTIVE_FACTS = {
    Fact.ACTIVITY_LIGHT,
    Fact.ACTIVITY_MODERATE,
    Fact.MEDICATION_ANY,
    Fact.SEX_FEMALE,
    Fact.SEX_MALE,
    Fact.SITE_CALF,  # only the footwear advice used it, dropped in 2027.01 for want of a non-secondary source
    Fact.SITE_THIGH,
}


def test_every_fact_is_used_by_an_item_or_is_descriptive() -> None:
    used: set[Fact] = {Fact(f"symptom-{sign.symptom.value}") for sign in KB.signs}
    used |= {drug_class.fact for drug_class in KB.drug_classes}
    for item in KB.items():
        for criteria in (getattr(item, "when", None), *(c.when for c in getattr(item, "contraindications", ()))):
            if criteria is not None:
                used |= criteria.names
        used |= set(getattr(item, "medicines", ())) | set(getattr(item, "excludes_medicines", ()))
    assert set(Fact) - used == DESCRIPTIVE_FACTS
    # and every fact a criterion names can be produced from a profile
    from kbtools import profile_with  # noqa: PLC0415

    for fact in set(Fact) - {Fact.MEDICATION_UNRECOGNIZED, Fact.MEDICATION_ANY}:
        assert fact in crampkit.derive_facts(profile_with({fact})), fact
