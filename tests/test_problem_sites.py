"""Every place crampkit raises InvalidInputError or KnowledgeBaseError gives structured problems.

Two checks, one static and one behavioural. The first reads the source of
``src/crampkit`` with :mod:`ast`, finds every call that builds one of the two
errors, and refuses plain strings, f-strings and lists of them (which would be
problems with code ``invalid`` and no path). The second triggers every one of
those places (each named by its module and function) and checks the problem
it gives: its path into the input, and a code more specific than ``invalid``.
A new raise site fails the first test until it has a case here.
"""

import ast
import datetime as dt
import io
import sys
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import crampkit
from crampkit import (
    AnswerKind,
    BatchResult,
    Category,
    Choice,
    Contraindication,
    Cramps,
    Criteria,
    InvalidInputError,
    ProblemCode,
    Profile,
    Question,
    Stance,
    cli,
)
from crampkit._model.constraints import Range
from crampkit._tables import _envelopes, _merged
from crampkit.batch import _Lost, _Settings, write_results
from crampkit.fhir import to_profile
from crampkit.fhir.mapping import to_profile_from
from crampkit.knowledge.exclusions import ExclusionRow
from fhirkit import bundle, patient

SOURCE = Path(crampkit.__file__).parent
ERRORS = frozenset({"InvalidInputError", "KnowledgeBaseError"})
MINI = crampkit.load_knowledge_base(Path(__file__).parent / "data" / "mini.toml")
KB = crampkit.default_knowledge_base()
TODAY = dt.date(2026, 11, 25)

Data = list[dict[str, Any]]


# -- where the errors are built --------------------------------------------------------------------


class _Builds(ast.NodeVisitor):
    """Collects the calls that build one of the errors in a module, each with the function around it."""

    def __init__(self, module: str) -> None:
        self.module = module
        self.names: list[str] = []
        self.found: list[tuple[str, ast.Call]] = []

    def scoped(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.names.append(node.name)
        self.generic_visit(node)
        self.names.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = scoped  # noqa: N815 - ast's names

    def visit_Call(self, node: ast.Call) -> None:
        function = node.func
        name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", None)
        if name in ERRORS:
            self.found.append((f"{self.module}:{'.'.join(self.names)}", node))
        self.generic_visit(node)


def _constructions() -> Iterator[tuple[str, ast.Call]]:
    """Every call that builds one of the errors, with ``module:function`` of the code around it."""
    for path in sorted(SOURCE.rglob("*.py")):
        if path.name == "exceptions.py":
            continue  # where they are defined
        builds = _Builds(path.relative_to(SOURCE).with_suffix("").as_posix())
        builds.visit(ast.parse(path.read_text(encoding="utf-8")))
        yield from builds.found


def _textual(node: ast.expr) -> bool:
    """Whether an expression is text rather than a problem: a string, an f-string, or text joined or formatted."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _textual(node.left) or _textual(node.right)
    if isinstance(node, ast.Call):
        function = node.func
        return (isinstance(function, ast.Name) and function.id == "str") or (
            isinstance(function, ast.Attribute) and function.attr in {"format", "join"}
        )
    return False


def _items(node: ast.expr) -> list[ast.expr]:
    """What a collection literal or comprehension holds (the expression itself otherwise)."""
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return list(node.elts)
    if isinstance(node, ast.ListComp | ast.GeneratorExp | ast.SetComp):
        return [node.elt]
    return [node]


CONSTRUCTIONS = list(_constructions())
UNDER_MUTMUT = pytest.mark.skipif(
    "mutmut" in sys.modules, reason="mutmut rewrites the source into trampolines; the scan is of the source as written"
)
SITES = {site for site, _ in CONSTRUCTIONS}


@UNDER_MUTMUT
def test_the_source_walk_finds_the_raise_sites() -> None:
    assert len(CONSTRUCTIONS) >= 50
    assert "fhir/mapping:_read_all" in SITES
    assert "cli:_recommend" in SITES


@UNDER_MUTMUT
@pytest.mark.parametrize(("site", "call"), CONSTRUCTIONS, ids=[f"{site}:{call.lineno}" for site, call in CONSTRUCTIONS])
def test_no_error_is_built_from_plain_text(site: str, call: ast.Call) -> None:
    assert call.args, site
    assert not call.keywords, site
    (problems,) = call.args
    assert not _textual(problems), f"{site}: {ast.unparse(problems)}"
    for item in _items(problems):
        assert not _textual(item), f"{site} gives text, not a Problem: {ast.unparse(item)}"


def test_the_text_detector_catches_every_form_of_text() -> None:
    for source in ('"a: b"', 'f"a: {b}"', '"a" + b', "str(x)", '"{}".format(x)', '", ".join(x)'):
        assert _textual(ast.parse(source, mode="eval").body), source
    for source in ("Problem((), code, 'x')", "problem", "found.under('x')"):
        assert not _textual(ast.parse(source, mode="eval").body), source
    assert [ast.unparse(item) for item in _items(ast.parse("[a, b]", mode="eval").body)] == ["a", "b"]
    assert [ast.unparse(item) for item in _items(ast.parse("(p for p in x)", mode="eval").body)] == ["p"]


# -- what each raises ------------------------------------------------------------------------------


def _any(value: object) -> Any:
    return value


def _problems(action: Callable[[], object]) -> Data:
    with pytest.raises(InvalidInputError) as info:
        action()
    data: Data = info.value.as_data()["problems"]
    return data


def _cli(*argv: str, stdin: Any = None) -> Callable[[], object]:
    return lambda: cli._run(cli.parser().parse_args(argv), cli._Output(io.StringIO()), None, stdin)  # noqa: SLF001


def _server(service: str, request: object) -> Callable[[], Data]:
    def call() -> Data:
        from crampkit.server import _errors, _requests  # noqa: PLC0415 - the server extra

        with pytest.raises(_errors.BadRequestError) as info:
            _requests.check_request(service, request)
        data: Data = info.value.body["problems"]
        return data

    return call


def _try_page(query: bytes) -> Callable[[], Data]:
    """The problems the try-it page lists for ``query``."""

    def shown() -> Data:
        from crampkit.server import Limits  # noqa: PLC0415 - the server extra
        from crampkit.server._try import TryPage  # noqa: PLC0415 - same

        return list(TryPage(KB, Limits(), "uk", "en")._shown(query).problems)  # noqa: SLF001

    return shown


def _create_app(**kwargs: Any) -> object:
    from crampkit.server import create_app  # noqa: PLC0415 - the server extra

    return create_app(**kwargs)


def _run_server(host: str, port: int, **kwargs: Any) -> None:
    from crampkit.server import run  # noqa: PLC0415 - the server extra

    run(host, port, **kwargs)


def _auth(name: str, **kwargs: Any) -> Any:
    from crampkit import auth  # noqa: PLC0415 - the server extra

    return getattr(auth, name)(**kwargs)


def _to_parquet(inputs: list[Any], output: Path) -> int:
    from crampkit.dask import recommend_to_parquet  # noqa: PLC0415 - the dask extra

    return recommend_to_parquet(inputs, output)


def _holding_a_part(folder: Path) -> Path:
    """``folder``, with a part file of an earlier run in it."""
    _written(folder / "part-00000.parquet", "")
    return folder


def _written(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def _row_error() -> None:
    (result,) = crampkit.recommend_many([{"id": 1, "colour": "red", "profile": {}}])
    assert result.error is not None
    raise result.error


def _lost_error() -> None:
    """A chunk whose worker process stopped twice: each row is an error (see test_batch_faults.py)."""
    (result,) = _Lost(_Settings(None, "uk", "en"))([{"id": 1, "profile": {}}], "results")
    assert result.error is not None
    raise result.error


def _refused_row() -> None:
    """A flat row refused as it is read, before it is recommended."""
    slots: deque[tuple[object, InvalidInputError | None]] = deque()
    assert list(_envelopes([{"agee": 1}], slots)) == []  # type: ignore[arg-type]
    raise slots[0][1]  # type: ignore[misc]


def _refused_profile() -> None:
    """A flat row whose profile recommend_many refused: its problems named by column."""
    results = crampkit.recommend_many([{"id": 0, "profile": {"cramps": {"sites": ["nose"]}}}])
    (result,) = _merged(results, deque([(7, None)]), lambda result: {"result": result})  # type: ignore[arg-type]
    assert result["result"].error is not None
    raise result["result"].error


def _validator() -> object:
    @attrs.frozen
    class Thing:
        size: int = attrs.field(validator=Range(0, 9))

    return Thing(size=10)


def _unsafe_knowledge_base() -> crampkit.KnowledgeBase:
    evil = attrs.evolve(MINI.sources[0], url="javascript:alert(1)")
    return attrs.evolve(MINI, sources=(evil, *MINI.sources[1:]))


def _kb_file(tmp_path: Path, name: str, text: str) -> Callable[[], object]:
    target = tmp_path / name
    target.write_text(text, encoding="utf-8")
    return lambda: crampkit.load_knowledge_base(target)


NOT_RECOMMENDED = next(item for item in KB.interventions if item.stance is Stance.NOT_RECOMMENDED)
YES_NO = Question(id="symptom-confusion", text="Confused?", field="symptoms", answers=("yes", "no"))
AGE = Question(id="age", text="How old?", field="age", minimum=0, maximum=120)
ONE = Choice(id="a", text="A")
SOME = Question(id="q", text="Which?", field="symptoms", kind=AnswerKind.ANY_OF, choices=(ONE,))
NO_PATH = ()

# (site, what triggers it, the path of the problem, its code); a path of () is a problem with the whole input.
CASES: list[tuple[str, Callable[[Path], Callable[[], object]], tuple[str | int, ...], str]] = [
    ("_api:prologue", lambda _: lambda: crampkit.recommend(Profile(), region="mars"), ("region",), "not-allowed-value"),
    (
        "_api:prologue",
        lambda _: lambda: crampkit.next_questions(Profile(), language=_any(3)),
        ("language",),
        "not-allowed-value",
    ),
    (
        "_api:to_cds_hooks",
        lambda _: lambda: crampkit.to_cds_hooks(crampkit.recommend(Profile(), knowledge_base=MINI)),
        ("knowledge_base",),
        "conflict",
    ),
    ("_api:json_schema", lambda _: lambda: crampkit.json_schema(dict), ("cls",), "wrong-type"),
    ("_api:_guidance", lambda _: lambda: crampkit.to_text(_any({})), ("guidance",), "wrong-type"),
    ("_tables:_envelopes", lambda _: _refused_row, ("agee",), "unknown-field"),
    ("_tables:_merged", lambda _: _refused_profile, ("cramps.sites", 0), "not-allowed-value"),
    (
        "io/table:profile_from_row",
        lambda _: lambda: crampkit.profile_from_row({"cramps.sites": "nose"}),
        ("cramps.sites", 0),
        "not-allowed-value",
    ),
    ("io/table:profile_from_row", lambda _: lambda: crampkit.profile_from_row({"agee": 1}), ("agee",), "unknown-field"),
    ("io/table:profile_to_row", lambda _: lambda: crampkit.profile_to_row(_any({})), ("profile",), "wrong-type"),
    (
        "io/table:_as_text",
        lambda _: lambda: crampkit.profile_to_row(Profile(medications=frozenset({"a;b"})), text=True),
        ("medications", 0),
        "wrong-format",
    ),
    ("_model/arguments:argument", lambda _: lambda: YES_NO.answer(_any({}), "yes"), ("profile",), "wrong-type"),
    (
        "_model/arguments:names_argument",
        lambda _: lambda: crampkit.match_medications("x", KB),
        ("names",),
        "wrong-type",
    ),
    (
        "_model/arguments:names_argument",
        lambda _: lambda: crampkit.match_medications(_any([1]), KB),
        ("names", 0),
        "wrong-type",
    ),
    ("_model/checks:checked.wrap.__init__", lambda _: lambda: Profile(age=-1), ("age",), "out-of-range"),
    ("_model/constraints:Constraint.__call__", lambda _: _validator, ("size",), "out-of-range"),
    ("_model/convert:structure", lambda _: lambda: crampkit.structure({"age": "x"}, Profile), ("age",), "wrong-type"),
    (
        "batch:_check_id",
        lambda _: lambda: BatchResult(id=_any(True), guidance=crampkit.recommend(Profile())),
        ("id",),
        "wrong-type",
    ),
    ("batch:_check_outcome", lambda _: lambda: BatchResult(id="a"), ("error",), "missing"),
    ("batch:_check_outcome", lambda _: lambda: BatchResult(id="a", error=_any("bad")), ("error",), "wrong-type"),
    ("batch:_Work.one", lambda _: _row_error, ("colour",), "unknown-field"),
    ("batch:_Lost.one", lambda _: _lost_error, (), "worker-failed"),
    (
        "batch:_unreadable",
        lambda tmp: (
            lambda: write_results(
                str(tmp / "none.jsonl"), print, form="json", knowledge_base=None, jobs=1, stdin=None, progress=None
            )
        ),
        ("--jsonl",),
        "cannot-read",
    ),
    ("cli:_recommend", lambda _: _cli("recommend", "p.json", "--jsonl", "rows.jsonl"), ("PROFILE",), "conflict"),
    (
        "cli:_recommend",
        lambda _: _cli("recommend", "--jsonl", "r", "--format", "text"),
        ("--format",),
        "not-allowed-value",
    ),
    ("cli:_recommend", lambda _: _cli("recommend", "p.json", "--jobs", "2"), ("--jobs",), "conflict"),
    ("cli:_recommend", lambda _: _cli("recommend"), ("PROFILE",), "missing"),
    ("cli:_recommend", lambda _: _cli("recommend", "p.json", "--format", "csv"), ("--format",), "not-allowed-value"),
    ("cli:_recommend", lambda _: _cli("recommend", "-"), NO_PATH, "cannot-read"),  # standard input as a whole
    ("cli:_interview", lambda _: _cli("interview"), NO_PATH, "cannot-read"),
    (
        "decision/questions/_question:_check_shape",
        lambda _: lambda: Question(id="q", text="Q?", field="age", answers=("maybe",)),
        ("answers",),
        "not-allowed-value",
    ),
    (
        "decision/questions/_question:_check_shape",
        lambda _: lambda: Question(id="q", text="Q?", field="age", answers=("yes", "no"), minimum=1, maximum=2),
        ("answers",),
        "conflict",
    ),
    (
        "decision/questions/_question:_check_shape",
        lambda _: lambda: Question(id="q", text="Q?", field="x", kind=AnswerKind.ANY_OF, choices=(ONE, ONE)),
        ("choices",),
        "conflict",
    ),
    (
        "decision/questions/_question:Question.answer",
        lambda _: lambda: attrs.evolve(YES_NO, id="symptom-of-nothing").answer(Profile(), "yes"),
        ("id",),
        "not-allowed-value",
    ),
    (
        "decision/questions/_question:Question._check_value",
        lambda _: lambda: YES_NO.answer(Profile(), "maybe"),
        ("value",),
        "not-allowed-value",
    ),
    (
        "decision/questions/_question:Question._check_value",
        lambda _: lambda: attrs.evolve(SOME, id="symptoms-now").answer(Profile(), "a"),
        ("value",),
        "wrong-type",
    ),
    (
        "decision/questions/_question:Question._check_number",
        lambda _: lambda: AGE.answer(Profile(), 200),
        ("value",),
        "out-of-range",
    ),
    (
        "decision/questions/_question:Question._check_number",
        lambda _: lambda: AGE.parse("old"),
        ("value",),
        "wrong-type",
    ),
    ("decision/questions/_question:Question.parse", lambda _: lambda: SOME.parse(" , "), ("value",), "empty"),
    (
        "decision/questions/_question:_choices_of",
        lambda _: lambda: attrs.evolve(SOME, id="symptoms-now").answer(Profile(), ["a"]),
        ("choices",),
        "not-allowed-value",
    ),
    ("decision/questions/_question:Question.parse", lambda _: lambda: AGE.parse(42), ("text",), "wrong-type"),  # type: ignore[arg-type]
    (
        "fhir/mapping:_check_today",
        lambda _: lambda: to_profile(bundle(), today=_any("2026-11-25")),
        ("today",),
        "wrong-type",
    ),
    ("fhir/mapping:_check_today", lambda _: lambda: to_profile_from([], today=_any(None)), ("today",), "wrong-type"),
    ("fhir/mapping:to_profile", lambda _: lambda: to_profile(_any("text"), today=TODAY), NO_PATH, "wrong-type"),
    (
        "fhir/mapping:_read_all",
        lambda _: lambda: to_profile(bundle({"resourceType": "Patient", "gender": 3}), today=TODAY),
        ("entry", 0, "resource", "gender"),
        "wrong-type",
    ),
    (
        "fhir/mapping:_read_all",
        lambda _: lambda: to_profile(bundle(patient(birth="2027-01-01")), today=TODAY),
        ("entry", 0, "resource", "birthDate"),
        "out-of-range",
    ),
    ("io/json:load_profile", lambda _: lambda: crampkit.load_profile("{"), NO_PATH, "not-json"),  # the whole document
    ("io/json:structure", lambda _: lambda: crampkit.structure({}, dict), ("type_",), "wrong-type"),
    (
        "knowledge/items:_pattern.check",
        lambda _: lambda: attrs.evolve(KB.sources[0], doi="not a doi"),
        ("doi",),
        "wrong-format",
    ),
    ("knowledge/items:Criteria._check_groups", lambda _: lambda: Criteria(each_of=_any([[]])), ("each",), "empty"),
    (
        "knowledge/items:_check_exclusion",
        lambda _: lambda: Contraindication(when=Criteria(), reason="never"),
        ("when",),
        "empty",
    ),
    (
        "knowledge/items:_check_exclusion",
        lambda _: lambda: Contraindication(when=Criteria(none_of=_any(["pregnant"])), reason="never"),
        ("when",),
        "not-allowed-value",
    ),
    (
        "knowledge/items:PopulationRule._check_categories",
        lambda _: (
            lambda: attrs.evolve(KB.population_rules[0], excludes_categories=frozenset({Category.CLINICAL_REVIEW}))
        ),
        ("excludes_categories",),
        "not-allowed-value",
    ),
    (
        "knowledge/exclusions:ExclusionRow._check_when",
        lambda _: lambda: ExclusionRow(id="x", when=Criteria(), why="x", sources=("s",)),
        ("when",),
        "not-allowed-value",
    ),
    (
        "knowledge/items:DrugClass._check_names",
        lambda _: (
            lambda: crampkit.DrugClass(id="x", name="x", summary="x", fact=crampkit.Fact.DRUG_STATIN, sources=("s",))
        ),
        ("ingredients",),
        "empty",
    ),
    (
        "knowledge/items:Intervention._check_reason",
        lambda _: lambda: attrs.evolve(NOT_RECOMMENDED, reason=None),
        ("reason",),
        "missing",
    ),
    ("knowledge/load:_read", lambda tmp: _kb_file(tmp, "kb.toml", "version = "), NO_PATH, "not-toml"),
    ("knowledge/load:_read", lambda tmp: _kb_file(tmp, "kb.json", "[]"), NO_PATH, "wrong-type"),
    ("knowledge/load:_documents", lambda tmp: lambda: crampkit.load_knowledge_base(tmp), NO_PATH, "missing"),
    ("knowledge/load:_documents", lambda tmp: _kb_file(tmp, "kb.yaml", ""), NO_PATH, "wrong-format"),
    (
        "knowledge/load:_build",
        lambda _: lambda: crampkit.load_knowledge_base({"version": "mine", "causes": 3}),
        ("causes",),
        "wrong-type",
    ),
    (
        "knowledge/load:_build",
        lambda _: lambda: crampkit.load_knowledge_base({"extends": "default", "disable": ["no-such-item"]}),
        ("disable",),
        "unknown-reference",
    ),
    (
        "knowledge/load:_build",
        lambda _: (
            lambda: crampkit.load_knowledge_base(
                {"extends": "default", "version": "mine", "overrides": {"no-such-item": "why"}}
            )
        ),
        ("overrides", "no-such-item"),
        "unknown-reference",
    ),
    (
        "knowledge/load:_build",
        lambda _: lambda: crampkit.load_knowledge_base(crampkit.unstructure(_unsafe_knowledge_base())),
        ("sources", 0, "url"),
        "below-safety-floor",
    ),
    (
        "knowledge/load:load_knowledge_base",
        lambda _: lambda: crampkit.load_knowledge_base(_any(3)),
        ("source",),
        "wrong-type",
    ),
    (
        "knowledge/load:check_claim",
        lambda _: lambda: crampkit.recommend(Profile(), knowledge_base=attrs.evolve(KB, audit=KB.audit[1:])),
        ("version",),
        "conflict",
    ),
    (
        "knowledge/safety:check_floor",
        lambda _: lambda: crampkit.recommend(Profile(), knowledge_base=_unsafe_knowledge_base()),
        ("sources", 0, "url"),
        "below-safety-floor",
    ),
    (
        "profile:Cramps._check_reported",
        lambda _: lambda: Cramps(reported=False, per_week=2),
        ("reported",),
        "conflict",
    ),
    (
        "profile:Profile._check_weeks",
        lambda _: lambda: Profile(pregnant=False, pregnancy_weeks=3),
        ("pregnancy_weeks",),
        "conflict",
    ),
    (
        "profile:Profile._check_months",
        lambda _: lambda: Profile(age=1, age_months=3),
        ("age_months",),
        "conflict",
    ),
    (
        "profile:Profile._check_absent",
        lambda _: lambda: Profile(symptoms=_any(["headache"]), absent_symptoms=_any(["headache"])),
        ("absent_symptoms",),
        "conflict",
    ),
    (
        "server/_app:_authenticator",
        lambda _: lambda: _problems(lambda: _create_app(auth=None)),
        ("auth",),
        "wrong-type",
    ),
    (
        "server/_app:run",
        lambda _: lambda: _problems(lambda: _run_server("0.0.0.0", 8000, auth="insecure-no-auth")),  # noqa: S104
        ("--host",),
        "conflict",
    ),
    (
        "auth:PublicKey.__attrs_post_init__",
        lambda _: lambda: _auth("PublicKey", kid="k", pem="-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
        ("pem",),
        "wrong-format",
    ),
    (
        "auth:TrustedIssuer.__attrs_post_init__",
        lambda _: lambda: _auth("TrustedIssuer", issuer="https://ehr.example"),
        ("jwks_url",),
        "missing",
    ),
    (
        "auth:AuthConfig.__attrs_post_init__",
        lambda _: (
            lambda: _auth(
                "AuthConfig",
                issuers=(_auth("TrustedIssuer", issuer="i", jwks_url="https://i/jwks"),) * 2,
                audience=("https://cds.example",),
            )
        ),
        ("issuers", 1, "issuer"),
        "duplicate-id",
    ),
    (
        "cli:_serve_file",
        lambda tmp_path: _cli("serve", "--config", _written(tmp_path / "serve.toml", "[extra]\n")),
        ("extra",),
        "unknown-field",
    ),
    (
        "cli:_serve_settings",
        lambda _: _cli("serve", "--issuer", "no-equals-sign"),
        ("--issuer",),
        "wrong-format",
    ),
    (
        "cli:_service_settings",
        lambda tmp: _cli("serve", "--insecure-no-auth", "--config", _written(tmp / "s.toml", "[limits]\nmax_depth=1")),
        ("max_depth",),
        "out-of-range",
    ),
    (
        "server/_try:TryPage._problems",
        lambda _: _try_page(b"age=abc"),
        ("age",),
        "wrong-type",
    ),
    (
        "server/_errors:BadRequestError.invalid",
        lambda _: _server("crampkit-cramps", {"hook": "patient-view", "hookInstance": "x", "context": {}}),
        ("context", "userId"),
        "missing",
    ),
    (
        "dask:recommend_to_parquet",
        lambda tmp: lambda: _to_parquet([tmp / "missing.jsonl"], tmp / "out"),
        ("inputs",),
        "cannot-read",
    ),
    (
        "dask:recommend_to_parquet",
        lambda tmp: lambda: _to_parquet([_written(tmp / "rows.jsonl", "")], _holding_a_part(tmp)),
        ("output",),
        "conflict",
    ),
]


@pytest.mark.parametrize(("site", "trigger", "path", "code"), CASES, ids=[f"{c[0]}-{c[3]}" for c in CASES])
def test_each_raise_site_gives_a_located_and_specific_problem(
    site: str,
    trigger: Callable[[Path], Callable[[], object]],
    path: tuple[str | int, ...],
    code: str,
    tmp_path: Path,
) -> None:
    action = trigger(tmp_path)
    problems: Data = action() if site.startswith("server/") else _problems(action)  # type: ignore[assignment]
    assert {"path": list(path), "code": code} in [{"path": p["path"], "code": p["code"]} for p in problems], problems
    for problem in problems:
        assert problem["code"] != ProblemCode.INVALID.value, problem
        assert problem["message"]


@UNDER_MUTMUT
def test_every_raise_site_has_a_case() -> None:
    assert {case[0] for case in CASES} == SITES


# -- the same wrong argument, the same problem -----------------------------------------------------

GUIDANCE = crampkit.recommend(Profile())
FUNCTIONS: dict[str, Callable[..., object]] = {
    "recommend": lambda **kwargs: crampkit.recommend(kwargs.pop("profile", Profile()), **kwargs),
    "next_questions": lambda **kwargs: crampkit.next_questions(kwargs.pop("profile", Profile()), **kwargs),
    "derive_facts": lambda **kwargs: crampkit.derive_facts(kwargs.pop("profile", Profile()), **kwargs),
    "match_medications": lambda **kwargs: crampkit.match_medications(["x"], kwargs.pop("knowledge_base", KB)),
    "to_cds_hooks": lambda **kwargs: crampkit.to_cds_hooks(GUIDANCE, **kwargs),
    "recommend_many": lambda **kwargs: list(crampkit.recommend_many([], **kwargs)),
    "recommend_rows": lambda **kwargs: list(crampkit.recommend_rows([], **kwargs)),
    "Question.answer": lambda **kwargs: YES_NO.answer(kwargs.pop("profile", Profile()), "yes"),
}
ARGUMENTS = {
    "knowledge_base": ("a path", "wrong-type", ("recommend", "next_questions", "derive_facts", "match_medications",
                                                "to_cds_hooks", "recommend_many", "recommend_rows")),
    "region": ("mars", "not-allowed-value", ("recommend", "recommend_many", "recommend_rows")),
    "language": ("xx", "not-allowed-value", ("recommend", "next_questions", "recommend_many", "recommend_rows")),
    "profile": ({"age": 70}, "wrong-type", ("recommend", "next_questions", "derive_facts", "Question.answer")),
    "skip": ("age", "wrong-type", ("next_questions",)),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(ARGUMENTS))
def test_the_same_wrong_argument_gets_the_same_problem_from_every_public_function(name: str) -> None:
    value, code, functions = ARGUMENTS[name]
    seen = set()
    for function in functions:
        call = FUNCTIONS[function]
        (problem,) = _problems(lambda call=call: call(**{name: value}))  # type: ignore[misc]
        assert problem["location"] == f"{function}(): {name}"
        seen.add((tuple(problem["path"]), problem["code"], tuple(problem.get("allowed", ()))))
    assert len(seen) == 1, seen
    ((path, found, _),) = seen
    assert (path, found) == ((name,), code)


def test_a_bad_row_gets_the_problems_load_profile_gives() -> None:
    document = {"age": -1, "cramps": {"sites": ["nose"]}, "colour": 1}
    (result,) = crampkit.recommend_many([{"id": "r", "profile": document}])
    assert result.error is not None
    assert result.error.as_data() == _problems_data(lambda: crampkit.load_profile(document))


def test_the_cli_gives_bad_input_as_the_problems_load_profile_gives(tmp_path: Path) -> None:
    import json  # noqa: PLC0415

    document = {"age": -1, "cramps": {"sites": ["nose"]}}
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    err = io.StringIO()
    assert cli.main(["recommend", str(path), "--format", "json"], stdout=io.StringIO(), stderr=err) == 2
    assert json.loads(err.getvalue()) == _problems_data(lambda: crampkit.load_profile(document))


def _problems_data(action: Callable[[], object]) -> dict[str, Data]:
    return {"problems": _problems(action)}
