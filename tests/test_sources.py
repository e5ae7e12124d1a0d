"""Every source at its publisher of record, graded, identified, and never the only weak support."""

from urllib.parse import urlsplit

import pytest

import crampkit
from crampkit import Authority, SourceKind, default_knowledge_base
from crampkit._regions import REGIONS

KB = default_knowledge_base()
SOURCES = {source.id: source for source in KB.sources}

# Hosts that copy, syndicate or aggregate other publishers' pages. A source links to the publisher of
# record; a copy that was read instead is named in ``via`` (shown, never linked).
MIRRORS = {
    "abacustraining.co.uk",
    "baymedical.org",
    "cirrhosiscare.ca",
    "drinkaware.co.uk",
    "drugs.com",
    "easterngeriatrics.com.au",
    "footlegspecialtycenter.com",
    "healthday.com",
    "jesse.tg",
    "laibokeji.com",
    "medluna.com",
    "philstar.com",
    "scribd.com",
    "studyres.com",
    "travelclinicglasgow.co.uk",
    "wfmz.com",
    "zana.com",
}

# Publishers' own pages on a listed host, kept because nothing else supports the one item that cites them.
MIRROR_EXCEPTIONS = {
    "baymedical-night-cramps": "a hospital's own health-library page; the only support for sleep-position",
    "cirrhosiscare-cramps-hcp": "the group's own provider page; the only support for venous-insufficiency-rf",
}

PAPERS = {SourceKind.TRIAL, SourceKind.OBSERVATIONAL, SourceKind.SYSTEMATIC_REVIEW}

# Items that cite only secondary sources (reviews, reference manuals, charities, hospital pages), each with
# why no guideline, systematic review, primary study or national patient page supports them yet.
SECONDARY_ONLY = {
    "neuromuscular-fatigue": "exercise-cramp mechanism: narrative reviews only (Miller 2022, Schwellnus, GSSI)",
    "exercise-associated-rf": "exercise-cramp setting: narrative reviews only (Miller 2022, Schwellnus)",
    "vigorous-activity-rf": "exercise-cramp setting: narrative review only (Miller 2022)",
    "exercise-habits": "exercise-cramp prevention: narrative reviews only (Miller 2022, GSSI)",
    "electrolytes-heat": "salt with fluids for heavy sweaters: reviews only, with a sports-drink institute",
    "drink-as-much-as-possible": "over-drinking harm: invited commentary and review (Miller 2015, Schwellnus)",
    "nerve-compression": "spinal stenosis as a cause: AFP review and Mayo Clinic only",
    "lumbar-stenosis-rf": "spinal stenosis as a cause: AFP review and Mayo Clinic only",
    "dialysis-rf": "dialysis cramps: Merck Manual and AFP review only",
    "sedentary-rf": "long sitting as a risk: Merck Manual only",
    "stay-active": "staying active: Merck Manual only",
    "venous-insufficiency-rf": "vein disease: provider guidance on cirrhosis only; no primary source found",
    "multiple-sclerosis-rf": "MS spasms: MS Trust only, which describes spasms, not cramps",
    "parkinsons-rf": "Parkinson's disease: Mayo Clinic's night-leg-cramps page only",
    "oestrogen-receptor-drug-rf": "drug association reported in the AFP review; primary studies not yet cited",
    "teriparatide-rf": "drug association reported in the AFP review; primary studies not yet cited",
    "iv-iron-rf": "drug association reported in the AFP review; primary studies not yet cited",
    "nsaid-rf": "drug association reported in the AFP review; primary studies not yet cited",
    "oestrogen-receptor-drugs": "drug class carried by the AFP review's association; primary studies not yet cited",
    "teriparatide": "drug class carried by the AFP review's association; primary studies not yet cited",
    "intravenous-iron": "drug class carried by the AFP review's association; primary studies not yet cited",
    "cholinesterase-inhibitor-rf": "product leaflet only; its side-effect section is still to be read",
    "cholinesterase-inhibitors": "product leaflet only; its side-effect section is still to be read",
    "heat-for-tight-muscle": "self-care advice on Mayo Clinic pages only",
    "cold-for-sore-muscle": "self-care advice on a Mayo Clinic page only",
    "walk-it-off": "self-care advice on Mayo Clinic pages only",
    "footwear": "self-care advice on a Mayo Clinic page only",
    "loose-bedclothes": "self-care advice on Mayo Clinic and hospital pages only",
    "sleep-position": "self-care advice on a hospital health-library page only",
    "muscle-breakdown": "no national patient page on rhabdomyolysis was found; Merck Manual and Miller 2022",
    "sign-dark-urine": "no national patient page on rhabdomyolysis was found; Merck Manual and Miller 2022",
    "sign-not-eased-by-self-care": "seeing a clinician when self-care fails: Mayo Clinic only",
}


def _claims() -> list[
    crampkit.Cause
    | crampkit.RiskFactor
    | crampkit.DrugClass
    | crampkit.Intervention
    | crampkit.RedFlag
    | crampkit.Sign
    | crampkit.PopulationRule
]:
    return [
        item
        for item in KB.items()
        if not isinstance(item, crampkit.Source | crampkit.AuditClaim) and getattr(item, "sources", None)
    ]


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _on(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


@pytest.mark.parametrize("source", KB.sources, ids=lambda source: source.id)
def test_every_source_links_to_its_publisher_over_https(source: crampkit.Source) -> None:
    assert urlsplit(source.url).scheme == "https"
    host = _host(source.url)
    mirrors = {domain for domain in MIRRORS if _on(host, domain)}
    assert not mirrors or source.id in MIRROR_EXCEPTIONS, f"{source.url} is on a mirror ({mirrors})"


@pytest.mark.parametrize("source", KB.sources, ids=lambda source: source.id)
def test_every_source_is_graded_and_dated(source: crampkit.Source) -> None:
    assert source.authority is not None
    assert source.accessed in {"2026-11-25", "2026-11-26"}


@pytest.mark.parametrize("source", [s for s in KB.sources if s.kind in PAPERS], ids=lambda source: source.id)
def test_every_paper_has_a_doi_or_pmid(source: crampkit.Source) -> None:
    assert source.doi or source.pmid


def test_identifiers_have_their_formats() -> None:
    with pytest.raises(crampkit.InvalidInputError, match="doi"):
        crampkit.Source(
            id="x", title="x", publisher="x", url="https://example.org/", kind=SourceKind.TRIAL, doi="doi:10.1/x"
        )
    with pytest.raises(crampkit.InvalidInputError, match="pmid"):
        crampkit.Source(
            id="x", title="x", publisher="x", url="https://example.org/", kind=SourceKind.TRIAL, pmid="PMID123"
        )


def test_a_secondary_source_is_never_the_only_support() -> None:
    secondary_only = {
        item.id
        for item in _claims()
        if all(SOURCES[source].authority is Authority.SECONDARY for source in item.sources)
    }
    assert secondary_only == set(SECONDARY_ONLY)


def test_the_exceptions_are_still_needed() -> None:
    assert set(MIRROR_EXCEPTIONS) <= set(SOURCES)
    for source_id in MIRROR_EXCEPTIONS:
        assert SOURCES[source_id].authority is Authority.SECONDARY
        citing = [item.id for item in _claims() if source_id in item.sources]
        assert all(item in SECONDARY_ONLY for item in citing), source_id


def test_every_source_is_cited_by_something() -> None:
    cited = {
        source
        for item in KB.items()
        for source in getattr(item, "sources", ())
        if not isinstance(item, crampkit.Source)
    }
    cited |= {source for region in REGIONS.values() for source in region.sources}  # the services each region names
    assert cited == set(SOURCES)
