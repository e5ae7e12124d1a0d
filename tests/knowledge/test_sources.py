"""Every source at its publisher of record, graded, identified, and never the only weak support."""

from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

import crampkit
from crampkit import Authority, SourceKind, default_knowledge_base
from crampkit.text.regions import REGIONS

KB = default_knowledge_base()
SOURCES = {source.id: source for source in KB.sources}

# Hosts that copy, syndicate or aggregate other publishers' pages. A source links to the publisher of
# record; a copy that was read instead is named in ``via`` (shown, never linked).
MIRRORS = {
    "abacustraining.co.uk",
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

# Hosts that publish under their own name but are not a publisher of record for what crampkit cites: an
# industry institute (gssiweb.org, the Gatorade Sports Science Institute), leaflet aggregators (imedi.co.uk
# and medine.co.uk) and a tribal government's clinic page used for US care routing (cowcreek-nsn.gov).
# Replaced in issue 20 by the journal, the emc and MedlinePlus; a source never links to them again.
NOT_PUBLISHERS_OF_RECORD = {
    "cowcreek-nsn.gov",
    "gssiweb.org",
    "imedi.co.uk",
    "medine.co.uk",
}

PAPERS = {SourceKind.TRIAL, SourceKind.OBSERVATIONAL, SourceKind.SYSTEMATIC_REVIEW}

# Items that cite only secondary sources (reviews, reference manuals, charities, hospital pages), each with
# why no guideline, systematic review, primary study or national patient page supports them yet. Empty since
# knowledge base 2027.01: an item that cannot be given better support is removed, not listed here.
SECONDARY_ONLY: dict[str, str] = {}


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
    assert not mirrors, f"{source.url} is on a mirror ({mirrors})"
    others = {domain for domain in NOT_PUBLISHERS_OF_RECORD if _on(host, domain)}
    assert not others, f"{source.url} is not on a publisher of record ({others})"


def test_the_host_checks_catch_the_hosts_they_name() -> None:
    """The two host lists do not overlap, and a subdomain of a listed host is caught too."""
    assert not MIRRORS & NOT_PUBLISHERS_OF_RECORD
    assert _on(_host("https://www.gssiweb.org/sports-science-exchange/"), "gssiweb.org")
    assert not _on(_host("https://notgssiweb.org/"), "gssiweb.org")


@pytest.mark.parametrize("source", KB.sources, ids=lambda source: source.id)
def test_every_source_is_graded_and_dated(source: crampkit.Source) -> None:
    assert source.authority is not None
    assert source.accessed is not None
    assert datetime.fromisoformat(source.accessed).replace(tzinfo=UTC) <= datetime.now(UTC)


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


def test_every_source_is_cited_by_something() -> None:
    cited = {
        source
        for item in KB.items()
        for source in getattr(item, "sources", ())
        if not isinstance(item, crampkit.Source)
    }
    cited |= {source for item in KB.items() for clause in getattr(item, "escalations", ()) for source in clause.sources}
    cited |= {source for region in REGIONS.values() for source in region.sources}  # the services each region names
    assert cited == set(SOURCES)
