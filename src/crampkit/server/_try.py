"""The try-it page (``crampkit serve --try``): a profile form, and the guidance as a person reads it.

``GET /try`` answers with one HTML page, rendered on the server, so that it
reads the same with or without its script (``curl`` shows the triage and the
first recommendation):

- the **form** is generated from :func:`crampkit.profile_schema`: one
  control for every field, nested objects as groups, each labelled with its
  description, each vocabulary as choices worded as :func:`crampkit.next_questions`
  words them (:data:`~crampkit.decision.questions.CHOICE_TEXT`). Submitted by
  ``GET``, its fields name their JSON paths (``cramps.per_week``);
- ``?profile=<JSON>`` shows the guidance for that profile, so a case can be
  sent as a link; ``?example=1`` the built-in example; ``region`` and
  ``language`` choose the guidance's (the deployment's by default);
- the **guidance** is :func:`crampkit.render.html.render_html`, then a link
  to the case and the profile and guidance as JSON, to copy;
- bad input is a 400 page listing every problem with its path and code (at
  most ``max_problems`` of the service's :class:`~crampkit.server.Limits`),
  escaped; a query longer than ``max_body_bytes`` is a 413. Nothing else
  escapes.

The page's one script (``try/static/try.js``) only shows the pregnancy fields
and the months of a young child's age when they apply, and copies the JSON.
Every answer carries a content security policy that allows nothing but the
service's own files, no inline script or style, no framing and no referrer
(a source's site never sees the profile in the page's address).
"""

import re
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import resources
from string import Template
from typing import Any, Literal

import attrs

from crampkit._api import profile_schema, recommend
from crampkit._version import version
from crampkit.decision.questions import CHILDBEARING_AGES, CHOICE_TEXT, QUESTION_TEXT
from crampkit.exceptions import InvalidInputError, Problem, ProblemCode
from crampkit.io.json import structure, to_json, unstructure
from crampkit.knowledge.items import KnowledgeBase
from crampkit.profile import Profile, example_profile
from crampkit.render.html import render_html
from crampkit.server._errors import BadRequestError, bounded
from crampkit.server._limits import Limits, parse_json
from crampkit.text.escape import html_lines, html_text
from crampkit.text.i18n import N_, language_problem, languages, text_for, translator
from crampkit.text.regions import REGIONS, region_problem

__all__ = ["HEADERS", "STATIC", "Field", "Group", "TryPage", "form_fields", "form_values", "read_form"]

HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'none'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
"""The headers of every answer under ``/try``: only the service's own script and style, no referrer, no framing."""

STATIC = {"try.css": "text/css; charset=utf-8", "try.js": "text/javascript; charset=utf-8"}
"""The page's own files, served at ``/try/static/<name>``, with their media types."""

_PARAMETERS = ("profile", "example", "region", "language")
"""The query parameters that are not fields of the form."""

Kind = Literal["integer", "number", "boolean", "choice", "choices", "texts"]

_CHOICE_KEYS = {
    "sex": "sex-",
    "symptoms": "symptom-",
    "absent_symptoms": "symptom-",
    "cramps.sites": "site-",
    "cramps.timing": "timing-",
    "conditions": "condition-",
    "clot_risks": "clot-risk-",
}
"""Where the questions' words for each field's values are (:data:`CHOICE_TEXT` keys start so)."""

_APPLIES = {"pregnant": "pregnancy", "pregnancy_weeks": "pregnancy-weeks", "age_months": "age-months"}
"""Fields the page's script shows only when they apply (or hold a value), by the rule it applies."""

_LAYOUT = (
    (
        N_("About the person"),
        ("age", "age_months", "sex", "pregnant", "pregnancy_weeks", "bmi", "activity", "heat_exposure"),
    ),
    (N_("The cramps"), ("cramps",)),
    (N_("Symptoms now"), ("symptoms", "sudden_onset")),
    (N_("Medicines"), ("medications",)),
    (N_("Long-term conditions and clot risks"), ("conditions", "clot_risks")),
    (N_("Habits"), ("habits",)),
    (N_("What the person was asked about"), ("absent_symptoms", "asked")),
)
"""How the form groups the profile's fields; a field of the schema left out here comes in a last group."""
_MORE_FIELDS = N_("More fields")
_WORDS = {
    "share": N_("Share and copy"),
    "link": N_("Link to this case"),
    "profile": N_("The profile"),
    "blank": N_("Leave a field blank when it is not known."),
    "settings": N_("Region and language"),
    "region": N_("Region: whose services the guidance names"),
    "language": N_("Language of the guidance"),
    "paste": N_("Or paste a profile as JSON"),
    "json": N_("A profile as JSON (crampkit schema profile)"),
    "show_json": N_("Show the guidance for this JSON"),
}
"""Words of the page put in its markup, by key (each a message of the catalogue)."""

_LINE_BREAK = re.compile(r"\r\n?|\n")
"""What ends a line of a text area (browsers send ``\r\n``)."""

_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z])")
"""Where a description's first sentence ends: its label; the rest is a hint below it."""


@attrs.frozen
class Field:
    """One control of the form: a field of the profile's JSON Schema.

    Attributes:
        path: Its JSON path (``("cramps", "per_week")``).
        kind: The control it gets.
        description: Its description in the schema.
        choices: The allowed values, for a choice or choices.
        minimum: The least number allowed.
        maximum: The largest number allowed.
    """

    path: tuple[str, ...]
    kind: Kind
    description: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    @property
    def name(self) -> str:
        """The form field's name: the path joined by dots."""
        return ".".join(self.path)

    @property
    def id(self) -> str:
        """The control's id in the page."""
        return "f-" + "-".join(self.path).replace("_", "-")


@attrs.frozen
class Group:
    """A nested object of the profile (``cramps``, ``habits``): a group of fields under its description."""

    path: tuple[str, ...]
    description: str
    fields: tuple[Field, ...]


def _kind(schema: Mapping[str, Any]) -> tuple[Kind, Mapping[str, Any]]:
    """The control for a field's schema, and the schema of its value (``null`` left out)."""
    options = [option for option in schema.get("anyOf", [schema]) if option.get("type") != "null"]
    value = options[0]
    if value.get("type") == "array":
        return ("choices" if "enum" in value["items"] else "texts"), value["items"]
    if "enum" in value:
        return "choice", value
    kinds: dict[str, Kind] = {"integer": "integer", "number": "number", "boolean": "boolean"}
    return kinds[value["type"]], value


def _field(path: tuple[str, ...], schema: Mapping[str, Any]) -> Field:
    kind, value = _kind(schema)
    return Field(
        path=path,
        kind=kind,
        description=schema.get("description", ""),
        choices=tuple(value.get("enum", ())),
        minimum=value.get("minimum"),
        maximum=value.get("maximum"),
    )


def form_fields(schema: Mapping[str, Any]) -> tuple[Field | Group, ...]:
    """Every field of the profile's JSON Schema as a control, nested objects as groups, in the schema's order."""
    found: list[Field | Group] = []
    for name, field in schema["properties"].items():
        if "$ref" in field:
            nested = schema["$defs"][field["$ref"].rsplit("/", 1)[-1]]
            inner = tuple(_field((name, key), value) for key, value in nested["properties"].items())
            found.append(Group(path=(name,), description=field.get("description", ""), fields=inner))
        else:
            found.append(_field((name,), field))
    return tuple(found)


def _fields_of(items: Iterable[Field | Group]) -> list[Field]:
    return [field for item in items for field in (item.fields if isinstance(item, Group) else (item,))]


def _number(text: str) -> int | float | None:
    """The number a form field's text gives (whole numbers as ``int``), or ``None`` when it is not a finite number."""
    if re.fullmatch(r"[+-]?\d{1,30}", text):
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return None
    return number if number not in {float("inf"), float("-inf")} and number == number else None  # noqa: PLR0124


def _field_problem(field: Field, code: ProblemCode, message: str, allowed: tuple[str, ...] | None = None) -> Problem:
    return Problem(field.path, code, message, location=field.name, allowed=allowed)


def read_form(fields: Sequence[Field], values: Mapping[str, list[str]]) -> tuple[dict[str, Any], list[Problem]]:
    """The profile's JSON data from the form's values, and the problems with values no field can hold.

    A blank field is not known, and left out. Each value becomes the JSON type
    its field holds, as typed (a number's text may have spaces around it);
    whether it is allowed is :func:`crampkit.structure`'s to say, as for any
    profile. A text area holds one value a line. A value of the wrong type
    (text in a number field, ``maybe`` in a yes-or-no field), or more than one
    value for a field that takes one, is a problem, and its field is left out
    of the data.
    """
    data: dict[str, Any] = {}
    problems: list[Problem] = []
    for field in fields:
        given = values.get(field.name, [])
        value: Any = None
        if field.kind == "choices":
            value = given or None
        elif field.kind == "texts":  # one a line, as typed; a blank line is no value
            value = [line for text in given for line in _LINE_BREAK.split(text) if line.strip()] or None
        elif len(given) > 1:
            problems.append(_field_problem(field, ProblemCode.CONFLICT, f"given {len(given)} times: give one value"))
        elif given and given[0]:
            text = given[0]
            if field.kind == "boolean":
                value = {"true": True, "false": False}.get(text)
                if value is None:
                    message = f"expected true or false, got {text[:100]!r}"
                    problems.append(
                        _field_problem(field, ProblemCode.NOT_ALLOWED_VALUE, message, allowed=("true", "false"))
                    )
            elif field.kind in {"integer", "number"}:
                value = _number(text.strip())
                if value is None:
                    problems.append(
                        _field_problem(field, ProblemCode.WRONG_TYPE, f"expected a number, got {text[:100]!r}")
                    )
            else:
                value = text
        if value is not None:
            *parents, last = field.path
            target = data
            for parent in parents:
                target = target.setdefault(parent, {})
            target[last] = value
    return data, problems


def _number_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def form_values(fields: Sequence[Field], data: object) -> dict[str, list[str]]:
    """The form's values that show ``data`` (a profile's JSON, valid or not): what fits a field, as text."""
    values: dict[str, list[str]] = {}
    for field in fields:
        value: object = data
        for step in field.path:
            value = value.get(step) if isinstance(value, dict) else None
        if value is None:
            continue
        if field.kind == "choices" and isinstance(value, list):
            values[field.name] = [str(item) for item in value]
        elif field.kind == "texts" and isinstance(value, list):
            values[field.name] = ["\n".join(str(item) for item in value)]
        elif isinstance(value, bool):
            values[field.name] = ["true" if value else "false"]
        elif isinstance(value, int | float | str):
            values[field.name] = [_number_text(value)]
    return values


@attrs.frozen
class _Shown:
    """What one answer of the page shows."""

    status: int = 200
    problems: tuple[dict[str, Any], ...] = ()
    more_problems: int = 0
    values: Mapping[str, list[str]] = attrs.Factory(dict)
    json_text: str = ""
    guidance_html: str = ""
    profile_json: str = ""
    profile_compact: str = ""
    guidance_json: str = ""
    region: str = ""
    language: str = ""


class TryPage:
    """The try-it page of one service: its knowledge base, limits, region and language, and its form.

    Args:
        knowledge_base: The knowledge base the service answers from.
        limits: The service's limits (the query's size and JSON, the problems listed).
        region: The deployment's region (the page's default).
        language: The deployment's language (the page's default).
    """

    def __init__(self, knowledge_base: KnowledgeBase, limits: Limits, region: str, language: str) -> None:
        self.kb = knowledge_base
        self.limits = limits
        self.region = region
        self.language = language
        self.items = form_fields(profile_schema())
        self.fields = _fields_of(self.items)
        self.names = frozenset(field.name for field in self.fields)
        folder = resources.files("crampkit.server").joinpath("static")
        self.template = Template(folder.joinpath("try.html").read_text("utf-8"))
        self.static = {name: folder.joinpath(name).read_bytes() for name in STATIC}
        self.version = version()

    def answer(self, query: bytes) -> tuple[int, str]:
        """The status and the HTML page for a request's query string (raw bytes, as in the ASGI scope)."""
        shown = self._shown(query)
        return shown.status, self._page(shown)

    def _shown(self, query: bytes) -> _Shown:
        if len(query) > self.limits.max_body_bytes:
            message = f"the query is longer than {self.limits.max_body_bytes:,} bytes"
            problem = Problem((), ProblemCode.TOO_LARGE, message, location="query")
            return self._problems(413, [problem], {}, "")
        try:
            pairs = urllib.parse.parse_qsl(
                query.decode("utf-8"),
                keep_blank_values=True,
                errors="strict",
                max_num_fields=self.limits.max_array_items,
            )
        except UnicodeDecodeError:
            problem = Problem((), ProblemCode.NOT_UTF8, "the query is not UTF-8", location="query")
            return self._problems(400, [problem], {}, "")
        except ValueError:
            message = f"more than {self.limits.max_array_items} parameters"
            problem = Problem((), ProblemCode.TOO_MANY, message, location="query")
            return self._problems(400, [problem], {}, "")
        values: dict[str, list[str]] = {}
        for name, value in pairs:
            values.setdefault(name, []).append(value)
        if not values:
            return _Shown(region=self.region, language=self.language)
        return self._guidance(values)

    def _settings(self, values: Mapping[str, list[str]]) -> tuple[str, str, list[Problem]]:
        """The region and language the query asks for (the deployment's when it names none), and their problems."""
        chosen = {"region": self.region, "language": self.language}
        problems = []
        for name, check in (("region", region_problem), ("language", language_problem)):
            given = values.get(name, [chosen[name]])
            found = check("try", given[0])
            if len(given) > 1:
                problems.append(Problem((name,), ProblemCode.CONFLICT, "given more than once", location=name))
            elif found is not None:
                problems.append(attrs.evolve(found, location=name))
            else:
                chosen[name] = given[0]
        return chosen["region"], chosen["language"], problems

    def _guidance(self, values: dict[str, list[str]]) -> _Shown:
        """The guidance for the query's profile, or every problem with the query."""
        problems = [
            Problem((name,), ProblemCode.UNKNOWN_FIELD, f"unknown parameter {name[:100]!r}", location=name[:100])
            for name in values
            if name not in self.names and name not in _PARAMETERS
        ]
        region, language, found = self._settings(values)
        problems += found
        form = {name: given for name, given in values.items() if name in self.names}
        given = [name for name in ("profile", "example") if name in values] + (["the form's fields"] if form else [])
        json_text = values.get("profile", [""])[-1]
        shown_values: Mapping[str, list[str]] = form
        read: list[object] = []  # the profile's data, when the query gives one that can be read
        if len(given) > 1:
            message = f"give one of profile, example or the form's fields, not {' and '.join(given)}"
            problems.append(Problem((), ProblemCode.CONFLICT, message, location="query"))
        elif given and given[0] != "the form's fields":
            read, found = self._data(values)
            problems += found
            shown_values = form_values(self.fields, read[0]) if read else {}
        else:
            data, found = read_form(self.fields, form)
            read, problems = [data], problems + found
        profile: Profile | None = None
        try:  # every problem with the profile is listed, with those of the query
            profile = structure(read[0], Profile) if read else None
        except InvalidInputError as exc:
            problems += exc.problems
        if profile is None or problems:
            return self._problems(400, problems, shown_values, json_text, region=region, language=language)
        guidance = recommend(profile, knowledge_base=self.kb, region=region, language=language)
        return _Shown(
            values=form_values(self.fields, unstructure(profile)),
            json_text=json_text or to_json(profile, indent=2),
            guidance_html=render_html(guidance, self.kb),
            profile_json=to_json(profile, indent=2),
            profile_compact=to_json(profile),
            guidance_json=to_json(guidance, indent=2),
            region=region,
            language=language,
        )

    def _data(self, values: Mapping[str, list[str]]) -> tuple[list[object], list[Problem]]:
        """The profile's data that ``profile`` or ``example`` gives (none when it cannot be read), and the problems."""
        name = "example" if "example" in values else "profile"
        if len(values[name]) > 1:
            return [], [Problem((name,), ProblemCode.CONFLICT, "given more than once", location=name)]
        if name == "example":
            if values["example"] != ["1"]:
                message = f"expected 1, got {values['example'][0][:100]!r}"
                return [], [Problem(("example",), ProblemCode.NOT_ALLOWED_VALUE, message, location="example")]
            return [unstructure(example_profile())], []
        try:
            return [parse_json(values["profile"][0].encode("utf-8"), self.limits, "the profile")], []
        except BadRequestError as exc:
            return [], [
                Problem(
                    tuple(problem["path"]),
                    ProblemCode(problem["code"]),
                    problem["message"],
                    location=problem["location"] or "profile",
                )
                for problem in exc.body["problems"]
            ]

    def _problems(
        self,
        status: int,
        problems: list[Problem],
        values: Mapping[str, list[str]],
        json_text: str,
        *,
        region: str | None = None,
        language: str | None = None,
    ) -> _Shown:
        body = bounded(InvalidInputError(problems).as_data(), self.limits.max_problems)
        return _Shown(
            status=status,
            problems=tuple(body["problems"]),
            more_problems=body.get("more_problems", 0),
            values=values,
            json_text=json_text[: self.limits.max_string_chars],
            region=region or self.region,
            language=language or self.language,
        )

    def _page(self, shown: _Shown) -> str:
        """The whole page for what is shown, in its language."""
        _ = translator(shown.language)
        show = text_for(shown.language, shown.region)
        return self.template.substitute(
            lang=html_text(shown.language.replace("_", "-")),
            title=html_text(_("Try crampkit")),
            skip=html_text(_("Skip to the profile form")),
            heading=html_text(_("Try crampkit")),
            purpose=html_text(
                _(
                    "See the guidance crampkit gives for a profile, as a person would read it. For reviewing "
                    "crampkit's content and for demonstrations on your own computer: not for patients, and not "
                    "to be put on a network."
                )
            ),
            nav_label=html_text(_("Examples")),
            example=html_text(_("Show the built-in example")),
            start_again=html_text(_("Start again with an empty form")),
            problems=self._problems_html(shown, _),
            guidance=self._guidance_html(shown, _),
            form=self._form_html(shown, _, show),
            footer=html_text(
                _("crampkit {version}, knowledge base {kb_version}. General information, not a diagnosis.").format(
                    version=self.version, kb_version=self.kb.version
                )
            ),
        )

    def _problems_html(self, shown: _Shown, _: Callable[[str], str]) -> str:
        if not shown.problems:
            return ""
        items = []
        for problem in shown.problems:
            target = self._field_for(problem["path"])
            where = html_text(problem["location"] or _("profile"))
            if target is not None:
                where = f'<a href="#{target.id}">{where}</a>'
            items.append(f"<li>{where}: {html_text(problem['message'])} <code>{html_text(problem['code'])}</code></li>")
        if shown.more_problems:
            more = _("and {count} more problems").format(count=shown.more_problems)
            items.append(f"<li>{html_text(more)}</li>")
        heading = html_text(_("The profile cannot be used: every problem is listed"))
        return (
            f'<section id="problems" class="problems" role="alert" aria-labelledby="problems-heading">'
            f'<h2 id="problems-heading">{heading}</h2><ul>{"".join(items)}</ul></section>'
        )

    def _field_for(self, path: Sequence[object]) -> Field | None:
        """The field of the form a problem's path is about, if any."""
        steps = [step for step in path if isinstance(step, str)]
        for field in self.fields:
            if tuple(steps[: len(field.path)]) == field.path:
                return field
        return None

    def _guidance_html(self, shown: _Shown, _: Callable[[str], str]) -> str:
        words = _words(_)
        if not shown.guidance_html:
            return ""
        defaults = {"region": self.region, "language": self.language}
        chosen = {"region": shown.region, "language": shown.language}
        query = {"profile": shown.profile_compact} | {
            name: value
            for name, value in chosen.items()
            if value != defaults[name]  # the deployment's are left out
        }
        link = "try?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote)
        copied = html_text(_("Copied."))
        select = html_text(_("Selected: press Ctrl+C (or Cmd+C) to copy."))
        copy = (
            f'<button type="button" class="copy" hidden data-copy="{{target}}" data-copied="{copied}" '
            f'data-select="{select}">{{label}}</button> <span class="copy-status" aria-live="polite"></span>'
        )
        blocks = "".join(
            f'<details class="json"><summary>{html_text(summary)}</summary>'
            + copy.format(target=target, label=html_text(label))
            + f'<pre id="{target}" tabindex="0">\n{html_lines(text)}</pre></details>'
            for summary, label, target, text in (
                (_("The profile as JSON"), _("Copy the profile as JSON"), "profile-json", shown.profile_json),
                (_("The guidance as JSON"), _("Copy the guidance as JSON"), "guidance-json", shown.guidance_json),
            )
        )
        return (
            f"{shown.guidance_html}"
            f'<section class="share" aria-label="{words["share"]}">'
            f'<p><a id="case-link" href="{html_text(link)}">{words["link"]}</a></p>'
            f"{blocks}</section>"
        )

    def _form_html(self, shown: _Shown, _: Callable[[str], str], show: Callable[[str], str]) -> str:
        words = _words(_)
        listed: dict[str, Field | Group] = {item.path[0]: item for item in self.items}
        layout = [(heading, [listed.pop(name) for name in names if name in listed]) for heading, names in _LAYOUT]
        if listed:
            layout.append((_MORE_FIELDS, list(listed.values())))
        sections = []
        for heading, items in layout:
            if not items:
                continue
            inner = "".join(
                self._group_html(item, shown.values, _, show)
                if isinstance(item, Group)
                else self._field_html(item, shown.values, _, show)
                for item in items
            )
            sections.append(f'<fieldset class="section"><legend>{html_text(_(heading))}</legend>{inner}</fieldset>')
        low, high = CHILDBEARING_AGES
        months = next((field for field in self.fields if field.name == "age_months"), None)
        below = "" if months is None or months.maximum is None else str(int(months.maximum + 1) // 12)
        settings = self._settings_html(shown, _)
        submit = html_text(_("Show the guidance"))
        json_form = self._json_form_html(shown, _)
        return (
            f'<section class="profile" aria-labelledby="profile-heading">'
            f'<h2 id="profile-heading">{words["profile"]}</h2>'
            f'<p class="note">{words["blank"]}</p>'
            f'<form id="profile-form" method="get" action="try" data-childbearing-from="{low}" '
            f'data-childbearing-to="{high}" data-months-below="{below}">'
            f'{settings}{"".join(sections)}<p><button type="submit">{submit}</button></p></form></section>'
            f"{json_form}"
        )

    def _settings_html(self, shown: _Shown, _: Callable[[str], str]) -> str:
        words = _words(_)
        region = "".join(
            _option(region.id, f"{region.name} ({region.id})", [shown.region]) for region in REGIONS.values()
        )
        language = "".join(_option(code, code, [shown.language]) for code in languages())
        return (
            f'<fieldset class="section settings"><legend>{words["settings"]}</legend>'
            f'<div class="field"><label for="f-region">{words["region"]}'
            f'</label><select id="f-region" name="region">{region}</select></div>'
            f'<div class="field"><label for="f-language">{words["language"]}</label>'
            f'<select id="f-language" name="language">{language}</select></div></fieldset>'
        )

    def _json_form_html(self, shown: _Shown, _: Callable[[str], str]) -> str:
        words = _words(_)
        hidden = "".join(
            f'<input type="hidden" name="{name}" value="{html_text(value)}">'
            for name, value in (("region", shown.region), ("language", shown.language))
        )
        return (
            f'<section class="profile-json" aria-labelledby="json-heading">'
            f'<h2 id="json-heading">{words["paste"]}</h2>'
            f'<form id="json-form" method="get" action="try">{hidden}'
            f'<div class="field"><label for="f-profile">{words["json"]}'
            f'</label><textarea id="f-profile" name="profile" rows="8" spellcheck="false">'
            f"\n{html_lines(shown.json_text)}</textarea></div>"
            f'<p><button type="submit">{words["show_json"]}</button></p></form></section>'
        )

    def _group_html(
        self,
        group: Group,
        values: Mapping[str, list[str]],
        _: Callable[[str], str],
        show: Callable[[str], str],
    ) -> str:
        inner = "".join(self._field_html(field, values, _, show) for field in group.fields)
        return (
            f'<fieldset class="group"><legend>{html_text(group.description)} '
            f"<code>{html_text(group.path[0])}</code></legend>{inner}</fieldset>"
        )

    def _field_html(
        self,
        field: Field,
        values: Mapping[str, list[str]],
        _: Callable[[str], str],
        show: Callable[[str], str],
    ) -> str:
        given = values.get(field.name, [])
        label, hint = (*_SENTENCE_END.split(field.description, maxsplit=1), "")[:2]
        if field.kind == "texts":
            hint = (hint + " " if hint else "") + _("One per line.")
        applies = f' data-applies="{_APPLIES[field.name]}"' if field.name in _APPLIES else ""
        key = f" <code>{html_text(field.name)}</code>"
        hint_html = f'<p class="hint" id="{field.id}-hint">{html_text(hint)}</p>' if hint else ""
        described = f' aria-describedby="{field.id}-hint"' if hint else ""
        if field.kind == "choices":
            options = "".join(
                f'<label class="choice"><input type="checkbox" name="{html_text(field.name)}" '
                f'value="{html_text(choice)}"{" checked" if choice in given else ""}> '
                f"{html_text(show(self._choice_text(field, choice)))}</label>"
                for choice in field.choices
            )
            extra = "".join(  # values the form has no box for (from a profile's JSON): shown, never dropped
                f'<label class="choice"><input type="checkbox" name="{html_text(field.name)}" '
                f'value="{html_text(value)}" checked> {html_text(value)}</label>'
                for value in dict.fromkeys(given)
                if value not in field.choices
            )
            return (
                f'<fieldset class="field choices" id="{field.id}"{applies}{described}>'
                f"<legend>{html_text(label)}{key}</legend>{hint_html}"
                f'<div class="options">{options}{extra}</div></fieldset>'
            )
        control = self._control(field, given, _, show, described)
        return (
            f'<div class="field"{applies}><label for="{field.id}">{html_text(label)}{key}</label>'
            f"{hint_html}{control}</div>"
        )

    def _control(
        self,
        field: Field,
        given: list[str],
        _: Callable[[str], str],
        show: Callable[[str], str],
        described: str,
    ) -> str:
        attributes = f'id="{field.id}" name="{html_text(field.name)}"{described}'
        value = given[0] if given else ""
        if field.kind == "texts":
            text = "\n".join(given)
            return f'<textarea {attributes} rows="3" spellcheck="false">\n{html_lines(text)}</textarea>'
        if field.kind in {"integer", "number"}:
            bounds = "".join(
                f' {name}="{_number_text(bound)}"'
                for name, bound in (("min", field.minimum), ("max", field.maximum))
                if bound is not None
            )
            step = "1" if field.kind == "integer" else "any"
            mode = "numeric" if field.kind == "integer" else "decimal"
            return (
                f'<input type="number" {attributes}{bounds} step="{step}" inputmode="{mode}" '
                f'value="{html_text(value)}">'
            )
        choices: list[tuple[str, str]] = (
            [("true", _("Yes")), ("false", _("No"))]
            if field.kind == "boolean"
            else [(choice, show(self._choice_text(field, choice))) for choice in field.choices]
        )
        if value and value not in {choice for choice, _text in choices}:
            choices.append((value, value))  # a value from a profile's JSON that is not allowed: shown as given
        options = _option("", _("Not known"), given) + "".join(_option(key, text, given) for key, text in choices)
        return f"<select {attributes}>{options}</select>"

    @staticmethod
    def _choice_text(field: Field, choice: str) -> str:
        """How the questions word a value of a field, or the value in words."""
        key = _CHOICE_KEYS.get(field.name, "\0") + choice
        return CHOICE_TEXT.get(key) or QUESTION_TEXT.get(key) or choice.replace("-", " ").capitalize()


def _words(translate: Callable[[str], str]) -> dict[str, str]:
    """:data:`_WORDS` translated and escaped."""
    return {key: html_text(translate(text)) for key, text in _WORDS.items()}


def _option(value: str, text: str, given: Sequence[str]) -> str:
    selected = " selected" if value in given or (not value and not given) else ""
    return f'<option value="{html_text(value)}"{selected}>{html_text(text)}</option>'
