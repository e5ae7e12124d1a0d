"""Hardening at the output boundary: text from input or a knowledge base is escaped for its medium.

CDS Hooks ``detail`` (Markdown, often shown as HTML), CDS Hooks ``summary``
and source labels (plain text), the terminal renderer, the HTML of the
try-it page, and the Sphinx extension that turns the knowledge base into
documentation.
"""

import html
import importlib.util
import sys
import unicodedata
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crampkit
from crampkit import Guidance, KnowledgeBaseChange, Profile, recommend, to_cds_hooks
from crampkit._model.checks import construct
from crampkit.render.cds_hooks import NO_SOURCE_LABEL, CardBuilder, cards_for
from crampkit.render.html import render_html
from crampkit.render.terminal import render_guidance, render_item
from crampkit.text.escape import ELLIPSIS, SHOWN_AS_ESCAPES, html_lines, html_text, https_link, markdown, plain
from htmlkit import Text
from strategies import TROUBLE, hostile_markup, hostile_text

markdown_it = pytest.importorskip("markdown_it")

MINI = crampkit.load_knowledge_base(Path(__file__).parents[1] / "data" / "mini.toml")
RENDERER = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])
ACTING = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Unicode categories of characters that act instead of showing: controls, format controls, separators, surrogates."""
HOSTILE_NAMES = frozenset(
    {
        "<img src=x onerror=alert(1)>",
        "[click here](javascript:alert(1))",
        "# Forged heading",
        "**urgent** call 0800 FAKE",
        "1. step one",
        "&lt;script&gt;",
    }
)


def html_of(detail: str) -> str:
    html: str = RENDERER.render(detail)
    return html


def unchecked(cls: type, **values: Any) -> Any:
    """An object built without its field checks, as code that bypasses ``__init__`` could make one."""
    return construct(cls, values)


class TestCdsHooks:
    def test_issue_reproducer_medicine_names_are_not_markup(self) -> None:
        guidance = recommend(Profile(medications=HOSTILE_NAMES), knowledge_base=MINI)
        cards = to_cds_hooks(guidance, knowledge_base=MINI)["cards"]
        detail = cards[-1]["detail"]
        html = html_of(detail)
        assert "<img" not in html
        assert "<a " not in html
        assert "<h1>" not in html
        assert "<strong>urgent</strong>" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert "[click here](javascript:alert(1))" in html
        assert "&amp;lt;script&amp;gt;" in html  # shown as typed, not decoded into a tag

    def test_issue_reproducer_a_javascript_source_url_is_never_a_link(self) -> None:
        evil = attrs.evolve(MINI.sources[0], url="javascript:alert(1)")
        kb = attrs.evolve(MINI, sources=(evil,))
        profile = Profile(symptoms=frozenset({crampkit.Symptom.CALF_SWELLING}))
        with pytest.raises(crampkit.KnowledgeBaseError, match="url: must be an https:// link"):
            recommend(profile, knowledge_base=kb)  # the floor holds for a knowledge base built in Python too
        guidance = recommend(profile, knowledge_base=MINI)
        with pytest.raises(crampkit.KnowledgeBaseError, match="url: must be an https:// link"):
            to_cds_hooks(guidance, knowledge_base=kb)  # every public function checks the floor
        cards = cards_for(guidance, kb)["cards"]
        for card in cards:  # and the card builder itself never makes it a link
            assert card["source"] in ({"label": "Source A (Test publisher, 2020)"}, {"label": NO_SOURCE_LABEL})
        assert {"label": "Source A (Test publisher, 2020)"} in [card["source"] for card in cards]
        server_style = CardBuilder(guidance, kb, links=3)  # nor a link in `links`, as the service asks for
        card = server_style.red_flag(guidance.red_flags[0])
        assert card["source"] == {"label": "Source A (Test publisher, 2020)"}
        assert "links" not in card
        with pytest.raises(crampkit.KnowledgeBaseError, match="url: must be an https:// link"):
            crampkit.load_knowledge_base(crampkit.unstructure(kb))

    def test_knowledge_base_text_is_escaped_in_detail_and_plain_in_summary(self) -> None:
        flag = attrs.evolve(
            MINI.red_flags[0],
            name="<b>Clot</b> | # `x`",
            advice="Call **now** <script>alert(1)</script> ~~never~~",
        )
        kb = attrs.evolve(MINI, red_flags=(flag,))
        guidance = recommend(Profile(symptoms=frozenset({crampkit.Symptom.CALF_SWELLING})), knowledge_base=kb)
        card = to_cds_hooks(guidance, knowledge_base=kb)["cards"][0]
        assert card["summary"] == "<b>Clot</b> | # `x`: seek care (urgent)"
        html = html_of(card["detail"])
        assert "<script>" not in html
        assert "<del>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<strong>Call **now**" in html

    def test_controls_that_slip_past_the_checks_are_shown_not_obeyed(self) -> None:
        made = recommend(Profile(), knowledge_base=MINI)
        sneaky = unchecked(
            Guidance,
            **{field.name: getattr(made, field.name) for field in attrs.fields(Guidance)}
            | {"unrecognized_medications": ("evil\r\n# heading\x1b[2J\u202e",)},
        )
        detail = to_cds_hooks(sneaky, knowledge_base=MINI)["cards"][-1]["detail"]
        line = next(line for line in detail.splitlines() if line.startswith("Medicines not recognised"))
        assert line == "Medicines not recognised: evil\\\\x0d\\\\x0a# heading\\\\x1b\\[2J\\\\u202e."
        assert "<h1>" not in html_of(detail)

    def test_changes_to_packaged_items_are_on_every_card(self) -> None:
        change = KnowledgeBaseChange(id="clot", section="red_flags", kind="replaced", reason="Triage by *phone*.")
        kb = attrs.evolve(MINI, version="clinic-3", changes=(*MINI.changes, change))  # keep what MINI records
        guidance = recommend(Profile(symptoms=frozenset({crampkit.Symptom.CALF_SWELLING})), knowledge_base=kb)
        for card in to_cds_hooks(guidance, knowledge_base=kb)["cards"]:
            assert card["detail"].endswith(
                "\n\n_Knowledge base clinic-3 changes packaged items: medication (causes) replaced; clot (red flags) "
                "replaced: Triage by \\*phone\\*._\n_(knowledge base clinic-3)_"
            )
        text = " ".join(render_guidance(guidance).split())
        assert "clot (red flags) replaced: Triage by *phone*." in text

    @given(st.frozensets(hostile_markup, min_size=1, max_size=4))
    def test_any_medicine_name_renders_as_text(self, names: frozenset[str]) -> None:
        try:
            profile = Profile(medications=names)
        except crampkit.InvalidInputError:
            return
        cards = to_cds_hooks(recommend(profile, knowledge_base=MINI), knowledge_base=MINI)["cards"]
        for card in cards:
            assert not set(card["summary"]) & set("\r\n\x1b")
            tokens = RENDERER.parse(card["detail"])
            kinds = {token.type for token in tokens} | {
                child.type for token in tokens for child in (token.children or [])
            }
            assert not kinds & {
                "html_inline",
                "html_block",
                "link_open",
                "image",
                "heading_open",
                "table_open",
                "s_open",
            }


class TestTerminal:
    def test_unchecked_text_cannot_act_on_the_terminal(self) -> None:
        made = recommend(Profile(), knowledge_base=MINI)
        sneaky = unchecked(
            Guidance,
            **{field.name: getattr(made, field.name) for field in attrs.fields(Guidance)}
            | {"unrecognized_medications": ("red\x1b[31m\rover\nline\ud800\u202e",), "knowledge_base_version": "v\x07"},
        )
        text = render_guidance(sneaky)
        assert "  ? red\\x1b[31m\\x0dover\\x0aline\\ud800\\u202e" in text.splitlines()
        assert text.splitlines()[-1] == "(knowledge base v\\x07)"
        assert not set(text) & set("\x1b\r\x07\ud800\u202e")
        text.encode("utf-8")  # no lone surrogate left to fail the terminal's encoder

    def test_items_show_only_https_links(self) -> None:
        evil = attrs.evolve(MINI.sources[0], url="javascript:alert(1)")
        kb = attrs.evolve(MINI, sources=(evil,))
        assert "url: (not shown: not an https link)" in render_item(evil, kb)
        assert "(link not shown: not https)" in render_item(kb.get("clot"), kb)

    @given(hostile_text)
    def test_plain_leaves_nothing_that_acts(self, text: str) -> None:
        shown = plain(text)
        assert not [char for char in shown if unicodedata.category(char) in ACTING]
        shown.encode("utf-8")


class TestHtml:
    """The try-it page's HTML: text is text, in elements and in attribute values."""

    @given(hostile_text | hostile_markup)
    def test_html_text_shows_the_plain_text_and_holds_no_markup(self, text: str) -> None:
        shown = html_text(text)
        assert not set(shown) & set("<>\"'")
        assert html.unescape(shown) == plain(text)
        parsed = Text(f'<p title="{shown}">{shown}</p>')
        assert parsed.tags == [("p", {"title": plain(text)})]
        assert parsed.text == " ".join(plain(text).split())

    @given(st.lists(hostile_text | hostile_markup, max_size=4))
    def test_html_lines_keep_line_breaks_and_escape_the_rest(self, lines: list[str]) -> None:
        text = "\r\n".join(line.replace("\r", "").replace("\n", "") for line in lines)
        shown = html_lines(text)
        assert shown.split("\n") == [html_text(line) for line in text.split("\r\n")]

    def test_unchecked_text_and_markup_are_shown_as_typed(self) -> None:
        made = recommend(Profile(symptoms=frozenset({crampkit.Symptom.CALF_SWELLING})), knowledge_base=MINI)
        flag = made.red_flags[0]
        sneaky = unchecked(
            Guidance,
            **{field.name: getattr(made, field.name) for field in attrs.fields(Guidance)}
            | {
                "unrecognized_medications": tuple(sorted(HOSTILE_NAMES)),
                "action": '"><script>alert(1)</script>',
                "red_flags": (
                    unchecked(
                        crampkit.RedFlagHit,
                        **attrs.asdict(flag, recurse=False)
                        | {"name": "<b onmouseover=alert(1)>x</b>", "advice": "\u202eevil\x1b[31m"},
                    ),
                ),
                "knowledge_base_version": "v<i>",
            },
        )
        page = Text(render_html(sneaky, MINI))
        allowed = {"section", "div", "h2", "h3", "h4", "p", "strong", "span", "ul", "ol", "li", "a"}
        assert {tag for tag, _ in page.tags} <= allowed
        assert not [name for _, attributes in page.tags for name in attributes if name.startswith("on")]
        assert all(attributes["href"].startswith("https://") for tag, attributes in page.tags if tag == "a")
        for name in HOSTILE_NAMES:
            assert name in page.text
        assert '"><script>alert(1)</script>' in page.text
        assert f"[{flag.urgency.value}] <b onmouseover=alert(1)>x</b>" in page.text
        assert "\\u202eevil\\x1b[31m" in page.text
        assert "(knowledge base v<i>)" in page.text


class TestEscapers:
    def test_every_character_that_acts_is_shown_as_an_escape_and_nothing_else_changes(self) -> None:
        # Controls, separators, lone surrogates and every format control (Cf): bidirectional embeddings,
        # overrides, isolates and marks, zero-width characters, the byte-order mark, the soft hyphen, tags...
        acting = [chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) in ACTING]
        assert {"\u202e", "\u2067", "\u200f", "\u061c", "\u200b", "\ufeff", "\u00ad", "\U000e0041"} <= set(acting)
        for char in acting:
            code = ord(char)
            escape = f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
            assert plain(char) == escape
        assert plain("\u202eevil\U000e0041") == "\\u202eevil\\U000e0041"
        others = "".join(
            chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) not in ACTING | {"Cn"}
        )
        assert plain(others) == others

    def test_every_format_control_in_the_escape_ranges_is_known_to_unicode_or_reserved(self) -> None:
        for low, high in SHOWN_AS_ESCAPES:
            for code in range(low, high + 1):
                assert unicodedata.category(chr(code)) in ACTING | {"Cn"}, hex(code)

    @given(st.text(st.sampled_from(TROUBLE) | st.characters(), max_size=300), st.integers(1, 200))
    def test_plain_shortens_to_the_limit(self, text: str, limit: int) -> None:
        shown = plain(text, limit=limit)
        assert len(shown) <= limit
        if len(plain(text)) <= limit:
            assert shown == plain(text)
        else:
            assert shown.endswith(ELLIPSIS)
            assert plain(text).startswith(shown.removesuffix(ELLIPSIS))

    @given(st.text(st.sampled_from(TROUBLE) | st.characters(), max_size=40))
    def test_markdown_renders_as_the_text_itself(self, text: str) -> None:
        tokens = RENDERER.parse(markdown(text))
        kinds = {token.type for token in tokens} | {child.type for token in tokens for child in (token.children or [])}
        assert kinds <= {"paragraph_open", "paragraph_close", "inline", "text", "softbreak"}, markdown(text)
        rendered = "".join(
            child.content for token in tokens if token.type == "inline" for child in (token.children or [])
        )
        assert rendered.strip() == plain(text).strip()

    @pytest.mark.parametrize(
        "url",
        [
            "javascript:alert(1)",
            "http://example.org",
            "data:text/html,<script>",
            "https://",
            "https://ex ample.org",
            "https://example.org/<script>",
            'https://example.org/"onmouseover=',
            "//example.org",
            "HTTPS://EXAMPLE.ORG",
        ],
    )
    def test_only_plain_https_links(self, url: str) -> None:
        assert https_link(url) is None

    def test_https_links_pass(self) -> None:
        for source in crampkit.default_knowledge_base().sources:
            assert https_link(source.url) == source.url


def _docs_extension() -> ModuleType:
    pytest.importorskip("sphinx")
    path = Path(__file__).parents[2] / "docs" / "_ext" / "crampkit_docs.py"
    spec = importlib.util.spec_from_file_location("crampkit_docs_under_test", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class TestDocsExtension:
    """The issue's reproducer: ``<script>`` from knowledge-base data reached the built HTML."""

    def test_code_spans_hold_any_text(self) -> None:
        docs = _docs_extension()
        for text in ("plain", "a`b", "``x``", "`start", "<script>alert(1)</script>", "end`", "two\nlines"):
            tokens = RENDERER.parseInline(docs.code(text))[0].children
            assert [token.type for token in tokens] == ["code_inline"], text
            assert tokens[0].content == plain(text)

    def test_links_only_to_https_and_their_targets_are_escaped(self) -> None:
        docs = _docs_extension()
        html = RENDERER.render(docs.link("javascript:alert(1)"))
        assert "<a " not in html
        assert "not linked: not an https address" in html
        html = RENDERER.render(docs.link("https://example.org/a?b=1&c=2"))
        assert '<a href="https://example.org/a?b=1&amp;c=2">' in html
        assert "<a " not in RENDERER.render(docs.link("https://doi.org/10.1234/a>b", "10.1234/a>b"))

    def test_text_and_references(self) -> None:
        docs = _docs_extension()
        assert "<script>" not in RENDERER.render(docs.esc("<script>alert(1)</script>"))
        assert docs.ref("possible-clot", "A `clot` <here>") == "{ref}`A 'clot' (here) <possible-clot>`"
        assert docs.ref("Not An Id\n", "x") == "x"

    def test_text_is_shown_as_the_default_region_reads_it(self) -> None:
        docs = _docs_extension()
        shown = docs.esc("Call {emergency} now{emergency_elsewhere}")
        assert shown == "Call 999 now (112 in Europe, 911 in North America)"
        assert docs.ref("an-id", "Ask your {doctor}") == "{ref}`Ask your GP <an-id>`"
        assert "{emergency}" not in docs.signs_table(crampkit.default_knowledge_base())

    @pytest.mark.parametrize("text", ["% a MyST comment", "(a-myst-target)=", "::: a MyST fence"])
    def test_myst_block_starts_are_escaped(self, text: str) -> None:
        escaped = _docs_extension().esc(text)
        assert escaped.startswith("\\")
        assert RENDERER.render(escaped) == f"<p>{text}</p>\n"

    def test_key_types_are_in_words(self) -> None:
        fields = _docs_extension().kb_fields()
        assert "| `while_waiting` | boolean | optional, default `false` |" in fields
        assert "<class" not in fields

    def test_the_catalogue_of_a_hostile_knowledge_base_has_no_html(self) -> None:
        docs = _docs_extension()
        evil_source = attrs.evolve(MINI.sources[0], title="<script>alert(1)</script>", url="javascript:alert(1)")
        evil_class = attrs.evolve(MINI.drug_classes[0], atc_codes=("`<script>`",), brand_names=("<b>x</b>",))
        kb = attrs.evolve(MINI, version="v`<script>`", sources=(evil_source,), drug_classes=(evil_class,))
        tokens = RENDERER.parse(docs.catalogue(kb))
        kinds = {token.type for token in tokens} | {child.type for token in tokens for child in (token.children or [])}
        assert not kinds & {"html_inline", "html_block"}
        links = [
            child.attrGet("href") for token in tokens for child in (token.children or []) if child.type == "link_open"
        ]
        assert all(str(href).startswith("https://") for href in links)
