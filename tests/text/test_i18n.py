"""Languages: every user-facing string goes through the message catalogue, and the template is up to date.

A pseudo-locale, built at test time from the committed template, wraps every
message in brackets (``⟦...⟧``). Guidance made in it, and its text, short and
CDS Hooks forms, must show no word outside brackets: any English left is a
string that does not go through the catalogue. Ids, numbers and vocabulary
values (urgency, phase, category...) are the only words allowed outside.
"""

import asyncio
import io
import json
import re
import threading
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

import crampkit
from crampkit import InvalidInputError, Profile, recommend, to_cds_hooks, vocab
from crampkit.cli import main
from crampkit.render.terminal import render_guidance, render_short
from crampkit.text import _choices, i18n
from crampkit.text.regions import REGIONS
from strategies import profiles

ROOT = Path(__file__).parents[2]
TEMPLATE = ROOT / "src" / "crampkit" / "locale" / "crampkit.pot"
PSEUDO = "en_XA"
OPEN, CLOSE = "⟦", "⟧"
KB = crampkit.default_knowledge_base()

# Words that may stand outside a translated message: ids, source ids, and vocabulary values.
ALLOWED = {item.id for item in KB.items()} | {
    member.value
    for enum in vars(vocab).values()
    if isinstance(enum, type) and issubclass(enum, StrEnum)
    for member in enum
}
ALLOWED |= {word.upper() for word in ALLOWED} | {"x"}  # "x" marks a left-out item in the text output
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# Fields of the guidance JSON that hold ids, vocabulary values, a version, or what the caller typed.
NOT_TEXT = {
    "id",
    "sources",
    "facts",
    "triage",
    "urgency",
    "category",
    "phase",
    "certainty",
    "stance",
    "knowledge_base_version",
    "region",
    "language",
    "medications",
    "unrecognized_medications",
}


def _extract(output: Path) -> None:
    CommandLineInterface().run(  # type: ignore[no-untyped-call]
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "--no-location",
            "--sort-output",
            "--project=crampkit",
            "-o",
            str(output),
            str(ROOT / "src" / "crampkit"),
        ]
    )


def _messages(path: Path) -> list[tuple[str, list[str]]]:
    with path.open("rb") as file:
        catalog = read_po(file)
    return [(str(message.id), list(message.auto_comments)) for message in catalog if message.id]


def test_the_committed_template_is_up_to_date(tmp_path: Path) -> None:
    # Regenerate it as babel.cfg says; every message and its note for translators must match.
    fresh = tmp_path / "crampkit.pot"
    _extract(fresh)
    assert _messages(fresh) == _messages(TEMPLATE), "run the pybabel extract command in babel.cfg"


def test_the_template_holds_code_and_knowledge_base_text() -> None:
    ids = {message for message, _ in _messages(TEMPLATE)}
    flag = KB.get("clot-to-lung-swelling")
    assert isinstance(flag, crampkit.RedFlag)
    assert {flag.name, flag.advice, flag.summary, str(flag.short)} <= ids
    assert {crampkit.DISCLAIMER, crampkit.DISCLAIMER_SHORT, "Triage: {triage}", "likely cause: {cause}"} <= ids
    assert set(crampkit.FACT_LABELS.values()) <= ids
    source = KB.sources[0]
    assert source.title not in ids  # titles of publications are citations, never translated


# -- the pseudo-locale ----------------------------------------------------------------------------


def _clear_caches() -> None:
    i18n.languages.cache_clear()
    i18n.translator.cache_clear()


@pytest.fixture(scope="module", autouse=True)
def pseudo_locale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A catalogue for ``en_XA`` that brackets every message of the template, installed for this module."""
    locale = tmp_path_factory.mktemp("locale")
    with TEMPLATE.open("rb") as file:
        catalog = read_po(file)
    for message in catalog:
        if message.id:
            message.string = f"{OPEN}{message.id}{CLOSE}"
    folder = locale / PSEUDO / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "crampkit.mo").open("wb") as file:
        write_mo(file, catalog)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_choices, "LOCALE_DIR", str(locale))
        _clear_caches()
        yield
    _clear_caches()


def _outside(text: str) -> str:
    """The part of ``text`` outside brackets; a bracket left open is allowed only where text was cut short (…)."""
    depth, kept = 0, []
    for char in text:
        if char == OPEN:
            depth += 1
        elif char == CLOSE:
            depth -= 1
            assert depth >= 0, text
        elif depth == 0:
            kept.append(char)
    assert depth == 0 or text.endswith("…"), text
    return "".join(kept)


def _untranslated(text: str) -> list[str]:
    return [word for word in _WORD.findall(_outside(text)) if not word.isdigit() and word not in ALLOWED]


def _strings(data: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(data, str):
        yield key, data
    elif isinstance(data, list):
        for entry in data:
            yield from _strings(entry, key)
    elif isinstance(data, dict):
        for name, value in data.items():
            if name not in NOT_TEXT:
                yield from _strings(value, name)


@given(profiles, st.sampled_from(list(REGIONS)))
def test_every_string_of_the_guidance_comes_from_the_catalogue(profile: Profile, region: str) -> None:
    guidance = recommend(profile, region=region, language=PSEUDO)
    for key, text in _strings(json.loads(crampkit.to_json(guidance))):
        assert not _untranslated(text), (key, text)


@given(profiles, st.sampled_from(list(REGIONS)))
def test_every_word_of_the_text_and_short_forms_comes_from_the_catalogue(profile: Profile, region: str) -> None:
    guidance = recommend(profile, region=region, language=PSEUDO)
    text = render_guidance(guidance)
    lines = [line for line in text.splitlines() if not line.startswith("  ? ")]  # the caller's medicine names
    assert not _untranslated(" ".join(lines))
    assert not _untranslated(render_short(guidance))


@given(profiles, st.sampled_from(list(REGIONS)))
def test_every_word_of_the_cds_hooks_cards_comes_from_the_catalogue(profile: Profile, region: str) -> None:
    guidance = recommend(profile, region=region, language=PSEUDO)
    for card in to_cds_hooks(guidance)["cards"]:  # in the guidance's language, without being told again
        assert not _untranslated(card["summary"]), card["summary"]
        detail = card["detail"].replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        assert not _untranslated(detail), card["detail"]


@pytest.mark.parametrize("region", list(REGIONS))
@pytest.mark.parametrize("form", ["text", "short"])
def test_to_text_and_to_short_give_what_the_command_line_prints_in_the_language(region: str, form: str) -> None:
    signs = crampkit.load_profile({"symptoms": ["calf-swelling"], "medications": ["Lipitor", "dandelion tea"]})
    for profile in (crampkit.example_profile(), signs):
        out, err = io.StringIO(), io.StringIO()
        argv = ["recommend", "-", "--format", form, "--region", region, "--language", PSEUDO]
        assert main(argv, stdout=out, stderr=err, stdin=io.StringIO(crampkit.to_json(profile))) == 0
        guidance = recommend(profile, region=region, language=PSEUDO)
        assert (crampkit.to_text if form == "text" else crampkit.to_short)(guidance) == out.getvalue()
        assert out.getvalue().startswith(f"{OPEN}Triage: ")


def test_placeholders_are_resolved_after_translation() -> None:
    guidance = recommend(crampkit.load_profile({"symptoms": ["calf-swelling", "breathlessness"]}), region="au")
    pseudo = recommend(
        crampkit.load_profile({"symptoms": ["calf-swelling", "breathlessness"]}), region="au", language=PSEUDO
    )
    assert pseudo.red_flags[0].short == f"{OPEN}{guidance.red_flags[0].short}{CLOSE}"
    assert "Call 000 now" in pseudo.red_flags[0].short


def test_english_is_the_default_and_reads_as_the_message_ids() -> None:
    profile = crampkit.example_profile()
    assert recommend(profile) == recommend(profile, language="en")
    assert i18n.translator("en")("Triage: {triage}") == "Triage: {triage}"
    assert recommend(profile).disclaimer == crampkit.DISCLAIMER


def test_the_languages_are_english_and_every_installed_catalogue() -> None:
    assert i18n.languages() == ("en", PSEUDO)


@pytest.mark.parametrize("language", ["fr", "EN", "", None])
def test_an_unknown_language_is_refused_with_the_available_ones(language: object) -> None:
    with pytest.raises(InvalidInputError, match=rf"recommend\(\): language: expected one of en, {PSEUDO}, got"):
        recommend(Profile(), language=language)  # type: ignore[arg-type]


def test_guidance_records_its_language_and_region() -> None:
    guidance = recommend(Profile(), region="au", language=PSEUDO)
    assert (guidance.region, guidance.language) == ("au", PSEUDO)
    assert crampkit.structure(json.loads(crampkit.to_json(guidance)), crampkit.Guidance) == guidance


def test_guidance_in_a_language_without_a_catalogue_here_is_refused_by_to_cds_hooks() -> None:
    data = json.loads(crampkit.to_json(recommend(Profile()))) | {"language": "fr"}
    guidance = crampkit.structure(data, crampkit.Guidance)  # made where French was installed, perhaps
    with pytest.raises(InvalidInputError) as caught:
        to_cds_hooks(guidance)
    assert [problem.as_data() for problem in caught.value.problems] == [
        {
            "path": ["guidance", "language"],
            "code": "not-allowed-value",
            "message": f"expected one of en, {PSEUDO}, got 'fr'",
            "location": "to_cds_hooks(): guidance.language",
            "allowed": ["en", PSEUDO],
        }
    ]


@pytest.mark.parametrize("language", ["EN", "", "../../etc", "en_xa", None, 3])
def test_guidance_language_must_be_a_language_code(language: object) -> None:
    data = json.loads(crampkit.to_json(recommend(Profile()))) | {"language": language}
    with pytest.raises(InvalidInputError) as caught:
        crampkit.structure(data, crampkit.Guidance)
    assert [problem.path for problem in caught.value.problems] == [("language",)]


def test_the_language_code_check() -> None:
    assert i18n.LANGUAGE_CODE.fault("pt_BR") is None
    assert i18n.LANGUAGE_CODE.problem("../fr") == "must be a language code such as 'en' or 'pt_BR', got '../fr'"
    assert i18n.LANGUAGE_CODE.problem(3) == "expected a string, got an integer"
    assert i18n.LANGUAGE_CODE.example() == "en"
    assert i18n.LANGUAGE_CODE.schema() == {"pattern": i18n.LANGUAGE_PATTERN}


def test_the_command_line_takes_a_language() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["recommend", "-", "--format", "short", "--language", PSEUDO],
        stdout=out,
        stderr=err,
        stdin=io.StringIO('{"symptoms": ["calf-swelling"]}'),
    )
    assert (code, err.getvalue()) == (0, "")
    assert out.getvalue().splitlines()[0] == f"{OPEN}Triage: URGENT{CLOSE}"


def test_the_interview_asks_and_answers_in_the_language_asked_for() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["interview", "--language", PSEUDO, "--region", "us"], stdout=out, stderr=err, stdin=io.StringIO("none\n")
    )
    assert (code, err.getvalue()) == (0, "")
    first, second = crampkit.next_questions(Profile(), language=PSEUDO)[:2]
    assert first.text.startswith(OPEN)
    assert first.text in out.getvalue()
    assert all(f"  {n}. {OPEN}" in out.getvalue() for n, _ in enumerate(first.choices, start=1))  # the choices too
    assert second.text in out.getvalue()
    guidance = recommend(first.answer(Profile(), ()), region="us", language=PSEUDO)
    assert out.getvalue().endswith(render_guidance(guidance))


def test_kb_show_in_the_language_asked_for() -> None:
    out = io.StringIO()
    assert main(["kb", "show", "possible-clot", "--language", PSEUDO, "--region", "au"], stdout=out) == 0
    text = out.getvalue()
    assert f"name: {OPEN}Possible blood clot in the leg (DVT){CLOSE}" in text
    assert f"short: {OPEN}See a GP or contact healthdirect (1800 022 222) today. Do not rub the leg.{CLOSE}" in text
    assert "urgency: urgent" in text  # vocabulary values and ids are not translated
    assert text.splitlines()[0] == "possible-clot  (RedFlag)"


def _post(app: Any, path: str, body: object) -> tuple[int, Any]:
    """One JSON POST to an ASGI app, in-process: its status and its JSON answer."""
    messages: list[dict[str, Any]] = []
    request = [{"type": "http.request", "body": json.dumps(body).encode(), "more_body": False}]

    async def receive() -> dict[str, Any]:
        return request.pop(0) if request else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "headers": [(b"content-type", b"application/json")]}
    asyncio.run(app(scope | {"query_string": b"", "root_path": "", "raw_path": path.encode()}, receive, send))
    return messages[0]["status"], json.loads(b"".join(message.get("body", b"") for message in messages[1:]))


def test_the_cds_service_answers_in_its_language_or_the_call_s() -> None:
    from crampkit.server import LANGUAGE_EXTENSION, PATIENT_VIEW_ID, create_app  # noqa: PLC0415 - the server extra
    from fhirkit import CRAMP, SNOMED, bundle, coding, condition, hook_request  # noqa: PLC0415

    request = hook_request()
    request["prefetch"]["conditions"] = bundle(CRAMP, condition("c2", coding(SNOMED, "2776000")))
    path = f"/cds-services/{PATIENT_VIEW_ID}"
    status, body = _post(create_app(auth="insecure-no-auth", language=PSEUDO, region="us"), path, request)
    assert status == 200
    assert f"{OPEN}Sudden confusion" in body["cards"][0]["detail"]
    assert "911" in json.dumps(body)
    status, body = _post(
        create_app(auth="insecure-no-auth"), path, request | {"extension": {LANGUAGE_EXTENSION: PSEUDO}}
    )
    assert status == 200
    assert f"{OPEN}Sudden confusion" in body["cards"][0]["detail"]
    status, body = _post(create_app(auth="insecure-no-auth"), path, request)
    assert f"{OPEN}" not in json.dumps(body, ensure_ascii=False)


def test_a_catalogue_is_loaded_once_and_shared_between_threads() -> None:
    _clear_caches()
    found: list[object] = []

    def load() -> None:
        found.append(i18n.translator(PSEUDO))

    threads = [threading.Thread(target=load) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(translate("What to do") == f"{OPEN}What to do{CLOSE}" for translate in found)  # type: ignore[operator]
    assert i18n.translator(PSEUDO)("not in the catalogue") == "not in the catalogue"


@given(profiles)
def test_every_question_comes_from_the_catalogue(profile: Profile) -> None:
    english = crampkit.next_questions(profile)
    pseudo = crampkit.next_questions(profile, language=PSEUDO)
    assert [question.id for question in pseudo] == [question.id for question in english]
    for question, original in zip(pseudo, english, strict=True):
        assert question.text == f"{OPEN}{original.text}{CLOSE}"
        assert [choice.text for choice in question.choices] == [
            f"{OPEN}{choice.text}{CLOSE}" for choice in original.choices
        ]
