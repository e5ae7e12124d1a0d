"""Guidance for many profiles at once: :func:`recommend_many` and the rows of ``crampkit recommend --jsonl``.

A row is a JSON Lines envelope, ``{"id": ..., "profile": {...}}``: the id
lives beside the profile, because the profile's own schema is strict and has
no place for one. Each row gives exactly one :class:`BatchResult`, in input
order; a bad row gives a result with an error and never stops the run.

Rows are handled in chunks. With ``jobs=1``, or an input too short for
worker processes to pay, the chunks are worked through in this process;
otherwise a pool of worker processes takes them, at most a few chunks per
worker in flight at once, so memory stays bounded however long the input
is. Each line is parsed once, by the same strict reader as
:func:`~crampkit.load_profile` (UTF-8 only, no repeated key, bounded
nesting), and the profile it holds is then checked as a mapping, not parsed
again.

Faults: each worker process has its own pipe (see :class:`_Pool`), so a
worker that dies, even in the middle of sending its output, is found by the
end of that pipe and costs only the chunk it held: it is replaced and the
chunk runs again; a chunk lost twice gives ``worker-failed`` rows. A chunk
that cannot be sent to a worker is worked through here instead. The
output of ``--jsonl`` is one :data:`Line` per row, so that the command line
can stop between two rows (see ``crampkit.cli``).
"""

import contextlib
import io
import os
import re
import stat
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from itertools import chain, islice
from typing import Any, BinaryIO, Literal, NamedTuple, TextIO, TypeVar

import attrs

from crampkit._api import prologue, recommend
from crampkit._model.arguments import python_kind
from crampkit.exceptions import InvalidInputError, Problem, ProblemCode, closest, did_you_mean, show
from crampkit.guidance import Guidance
from crampkit.io.json import MAX_PROFILE_BYTES, load_profile, to_json, unstructure
from crampkit.io.reading import ReadError, decode, parse_json, shown_name
from crampkit.io.table import SEPARATOR
from crampkit.knowledge.items import KnowledgeBase
from crampkit.text.escape import plain
from crampkit.text.i18n import DEFAULT_LANGUAGE
from crampkit.text.regions import DEFAULT_REGION

__all__ = ["FLAT_COLUMNS", "MAX_ROW_BYTES", "BatchResult", "RowId", "recommend_many", "row_schema"]

T = TypeVar("T")

RowId = str | int | None
"""The id of a row: the string or whole number it gave, ``None`` when it gave none that could be read."""

MAX_ROW_BYTES = MAX_PROFILE_BYTES
"""Longest row (one line of JSON Lines, its line break included) accepted: bytes, or characters for a ``str``."""

FLAT_COLUMNS = (
    "id",
    "triage",
    "top_recommendation_id",
    "top_recommendation_name",
    "red_flags",
    "top_recommendations",
    "unrecognized_medications",
    "knowledge_base_version",
    "knowledge_base_changes",
    "error",
)
"""The columns of :meth:`BatchResult.row` and :meth:`BatchResult.flat` (and of ``--format csv``), in order.

.. versionchanged:: 0.2
   ``knowledge_base_version`` and ``knowledge_base_changes``; ``top_recommendation_id`` and
   ``top_recommendation_name``.
"""

CHUNK_ROWS = 256
"""Rows handled together: one task for a worker process (the output is written a row at a time)."""

_POOL_MIN_CHUNKS = 4
"""Chunks an input must have more than for worker processes to pay: 4, so more than 1,024 rows.

Worker processes cost their start and every row a trip through a pipe each
way: on two free cores, 512 rows took 0.98 times as long with two processes
as with one, 1,024 rows 0.90 times, 2,048 rows 0.82 times; with one core
busy, 1,024 rows took 1.19 times as long (see docs/performance.md, "Batch").
The first chunks are read ahead to know.
"""

_IN_FLIGHT_PER_JOB = 4
_ROW_KEYS = frozenset({"id", "profile"})
_SEPARATORS = (",", ":")
_SEPARATOR_ESCAPED = "\\x3b"  # a ";" inside a value of a list in a cell of text
_SURROGATE = re.compile("[\ud800-\udfff]")
_Form = Literal["results", "json", "csv"]
Line = tuple[RowId, str]
"""A row's output in ``--jsonl``: its id, and its line of JSON Lines or its CSV record (line break included)."""


def _error_line(row_id: RowId, exc: InvalidInputError) -> dict[str, object]:
    return {"id": row_id, "error": exc.as_data()}


def _problems(error: InvalidInputError | None) -> tuple[Problem, ...] | None:
    """What results compare on for their errors: the problems (exceptions compare by identity)."""
    return None if error is None else error.problems


def _check_id(instance: object, attribute: "attrs.Attribute[RowId]", value: object) -> None:
    del instance, attribute
    if value is not None and (type(value) is bool or not isinstance(value, str | int)):
        message = f"expected a string, a whole number or None, got {show(value)}"
        raise InvalidInputError([Problem(("id",), ProblemCode.WRONG_TYPE, message)])


def _check_outcome(
    instance: "BatchResult", attribute: "attrs.Attribute[InvalidInputError | None]", value: object
) -> None:
    del attribute
    if value is not None and not isinstance(value, InvalidInputError):
        message = f"expected an InvalidInputError or None, got {show(value)}"
        raise InvalidInputError([Problem(("error",), ProblemCode.WRONG_TYPE, message)])
    if (instance.guidance is None) == (value is None):
        code = ProblemCode.MISSING if value is None else ProblemCode.CONFLICT
        message = "exactly one of them must be given"
        raise InvalidInputError([Problem(("error",), code, message, location="guidance, error")])


@attrs.frozen(kw_only=True)
class BatchResult:
    """The outcome for one row of :func:`recommend_many`: its id and either guidance or an error.

    Attributes:
        id: The row's id as it gave it; ``None`` when the row gave no id that
            could be read (a line that is not JSON, for example).
        guidance: The guidance for the row's profile; ``None`` when the row is bad.
        error: Why the row is bad, every problem listed; ``None`` when it is good.
            Results with errors compare equal when the problems are equal.

    .. versionadded:: 0.2
    """

    id: RowId = attrs.field(validator=_check_id)
    guidance: Guidance | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Guidance))
    )
    error: InvalidInputError | None = attrs.field(default=None, validator=_check_outcome, eq=_problems)

    def to_data(self) -> dict[str, object]:
        """The row's output line as JSON data: ``{"id": ..., "guidance": {...}}`` or ``{"id": ..., "error": {...}}``.

        The error is ``{"problems": [{"message": "..."}, ...]}``, one item per problem.
        """
        if self.error is not None:
            return _error_line(self.id, self.error)
        return {"id": self.id, "guidance": unstructure(self.guidance)}

    def row(self) -> dict[str, object]:
        """The row as flat columns, named by :data:`~crampkit.FLAT_COLUMNS`, with lists as lists: for pandas.

        ``pandas.DataFrame(result.row() for result in results)`` is a table
        with a row per result. ``id`` is the id as given; ``triage`` the
        urgency; ``top_recommendation_id`` and ``top_recommendation_name``
        the id and name of the recommendation ranked first (``None`` when
        there is none); ``red_flags`` the ids of the red flags and signs that
        matched, most urgent first; ``top_recommendations`` the ids of the
        first three recommendations, best first;
        ``unrecognized_medications`` the medicine names that could not be
        checked; ``knowledge_base_version`` the version of the knowledge
        base that made the guidance, and ``knowledge_base_changes`` the
        packaged items it removed or replaced (``section id: kind``);
        ``error`` ``None``. A bad row has its problems in ``error``, as the
        lines :class:`~crampkit.Problem` shows (``"age: must be between 0 and
        120, got 200"``), and ``None`` in every other column but ``id``. The
        text is as the guidance holds it, not escaped (:meth:`flat` escapes it).

        .. versionadded:: 0.2
        """
        guidance = self.guidance
        if guidance is None:
            problems = () if self.error is None else self.error.problems
            return dict.fromkeys(FLAT_COLUMNS) | {"id": self.id, "error": list(map(str, problems))}
        top = guidance.recommendations[0] if guidance.recommendations else None
        return {
            "id": self.id,
            "triage": guidance.triage.value,
            "top_recommendation_id": None if top is None else top.id,
            "top_recommendation_name": None if top is None else top.name,
            "red_flags": [flag.id for flag in guidance.red_flags],
            "top_recommendations": [item.id for item in guidance.recommendations[:3]],
            "unrecognized_medications": list(guidance.unrecognized_medications),
            "knowledge_base_version": guidance.knowledge_base_version,
            "knowledge_base_changes": [
                f"{change.section} {change.id}: {change.kind.value}" for change in guidance.knowledge_base_changes
            ],
            "error": None,
        }

    def flat(self) -> dict[str, str]:
        r"""The row as text, in the columns of :meth:`row`: for CSV files and spreadsheets.

        Each column holds what :meth:`row` gives as text: empty for
        ``None``, and the values of a list with ``;`` between them
        (``possible-clot;sign-calf-swelling``), so that a cell is always one
        line.

        Every value is escaped as the terminal output escapes text
        (``crampkit.text.escape.plain``): a control character (a NUL, a line
        break, an escape...), a lone surrogate or another invisible character
        in an id becomes a visible escape (``\x00``, ``\ud800``), so a value
        never holds a line break or a character that cannot be written as
        UTF-8. In a list, a ``;`` inside a value is written ``\x3b``, so a ``;``
        in a cell always separates two values.

        .. versionchanged:: 0.2
           Values are escaped as the terminal output escapes text (an
           id held a NUL or a lone surrogate as it was given). The values of
           a list are separated by ``;`` (they were on lines of their own);
           the columns ``top_recommendation_id`` and ``top_recommendation_name``.
        """
        return {column: _text(value) for column, value in self.row().items()}


def _text(value: object) -> str:
    """A value of :meth:`BatchResult.row` as :meth:`BatchResult.flat` writes it."""
    if value is None:
        return ""
    if isinstance(value, list):
        return SEPARATOR.join(plain(item).replace(SEPARATOR, _SEPARATOR_ESCAPED) for item in value)
    return plain(str(value))


def recommend_many(
    rows: Iterable[Mapping[str, Any] | str | bytes],
    *,
    knowledge_base: KnowledgeBase | None = None,
    jobs: int = 1,
    region: str = DEFAULT_REGION,
    language: str = DEFAULT_LANGUAGE,
) -> Iterator[BatchResult]:
    """Guidance for many rows, one :class:`BatchResult` per row, in input order, lazily.

    Args:
        rows: Rows, each ``{"id": ..., "profile": {...}}``: a mapping (parsed
            JSON) or the JSON text of one (a line of a JSON Lines file, as
            ``str`` or UTF-8 ``bytes``; a line break at its end is ignored).
            ``id`` is a string or a whole number; ``profile`` is what
            :func:`~crampkit.load_profile` accepts as a mapping. It is read
            as it is needed, so it may be endless.
        knowledge_base: Use this knowledge base instead of the packaged one
            (it is copied once into each worker process).
        region: As for :func:`~crampkit.recommend`: whose services the text names.
        language: As for :func:`~crampkit.recommend`: the language of the text.
        jobs: How many processes do the work. With more than 1, a pool of
            worker processes is started (with ``multiprocessing``'s
            default start method: a script that starts one needs the usual
            ``if __name__ == "__main__":`` guard) and stopped when the
            iterator is used up or closed (when it is closed early, or an
            exception such as :exc:`KeyboardInterrupt` stops it, busy
            workers are stopped at once). At most as many processes as there are
            CPUs this process may use are started, and never more than
            there are chunks of 256 rows, however many are
            asked for. An input of 1,024 rows (4 chunks) or fewer is
            worked through in this process, where it is done as soon or
            sooner: the first chunks are read ahead to know.

            A worker process that stops unexpectedly (killed, out of
            memory) takes nothing with it: it is replaced, and the chunk
            of 256 rows it held runs again in another, so
            the results are the same. A chunk whose second worker stops
            too gives a result for each of its rows with a
            ``worker-failed`` problem, and the run goes on. A row that
            cannot be sent to a worker process (one that cannot be
            pickled) is worked through in this process instead, so every
            row gives the same result at any ``jobs``.

            .. versionchanged:: 0.2
               Capped at the number of CPUs the process may use and at the
               number of chunks; a worker process that stops is replaced;
               no worker processes for an input of 1,024 rows or fewer.

    Returns:
        An iterator of results, exactly one per row, in the order of the rows.
        A bad row (not JSON, no ``id`` or ``profile``, a field that is not
        allowed, an invalid profile) gives a result whose ``error`` lists every
        problem, and the run goes on. Problems with the row itself start with
        ``row``; problems inside the profile are those
        :func:`~crampkit.load_profile` reports for it.

    Raises:
        InvalidInputError: ``knowledge_base``, ``jobs``, ``region`` or ``language`` is not valid (at
            once, before any row is read).

    >>> results = recommend_many([
    ...     {"id": "a", "profile": {"age": 70, "cramps": {"timing": ["night"]}}},
    ...     '{"id": 2, "profile": {"age": -1}}',
    ... ])
    >>> for result in results:
    ...     print(result.id, result.guidance.triage if result.guidance else result.error)
    a self-care
    2 age: must be between 0 and 120, got -1

    .. versionadded:: 0.2
    """
    prologue(
        "recommend_many",
        *batch_problems("recommend_many", rows, jobs),
        knowledge_base=knowledge_base,
        region=region,
        language=language,
    )
    settings = _Settings(knowledge_base, region, language)
    return _ordered(_chunks(rows), "results", settings, _worker_count(jobs), least=_POOL_MIN_CHUNKS)


def batch_problems(function: str, rows: object, jobs: object) -> tuple[Problem | None, Problem | None]:
    """The problems of the ``rows`` and ``jobs`` arguments of ``function`` (``None`` for each that has none)."""
    jobs_problem = None
    if type(jobs) is not int or jobs < 1:
        message = f"expected a whole number of at least 1, got {show(jobs)}"
        whole = type(jobs) is int
        code = ProblemCode.OUT_OF_RANGE if whole else ProblemCode.WRONG_TYPE
        location = f"{function}(): jobs"
        jobs_problem = Problem(("jobs",), code, message, location=location, minimum=1 if whole else None)
    rows_problem = None
    if isinstance(rows, str | bytes | bytearray | Mapping) or not isinstance(rows, Iterable):
        message = f"expected an iterable of rows (a list of them, a file...), got {python_kind(rows)}"
        rows_problem = Problem(("rows",), ProblemCode.WRONG_TYPE, message, location=f"{function}(): rows")
    return rows_problem, jobs_problem


def _worker_count(jobs: int) -> int:
    """How many worker processes ``jobs`` gives at most: ``jobs``, but never more than the CPUs this process may use.

    More processes than CPUs only cost memory (each holds the knowledge base), so the count is capped.
    """
    affinity = getattr(os, "sched_getaffinity", None)  # the CPUs this process may use (Linux); else all of them
    cpus = len(affinity(0)) if affinity is not None else os.cpu_count()
    return max(1, min(jobs, cpus or 1))


def row_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of one row of ``crampkit recommend --jsonl``: an id and a profile.

    The profile's schema (:func:`~crampkit.profile_schema`) is nested whole,
    under its own ``$id``.

    .. versionadded:: 0.2
    """
    from crampkit._api import profile_schema  # noqa: PLC0415 - only needed here

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:crampkit:row",
        "title": "crampkit JSON Lines row",
        "description": "One line of input to `crampkit recommend --jsonl`: an id chosen by the caller, and a profile.",
        "type": "object",
        "properties": {
            "id": {
                "description": "The caller's id for the row, given back with its result.",
                "type": ["string", "integer"],
                "examples": ["patient-0001", 17],
            },
            "profile": profile_schema(),
        },
        "required": ["id", "profile"],
        "additionalProperties": False,
    }


class _Settings(NamedTuple):
    """What every row is recommended with."""

    knowledge_base: KnowledgeBase | None
    region: str
    language: str


def _chunks(rows: Iterable[T]) -> Iterator[list[T]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK_ROWS)):
        yield chunk


def _ordered(  # noqa: PLR0917 - the run's settings, passed along from two entry points
    chunks: Iterator[list[Any]],
    form: _Form,
    settings: "_Settings",
    jobs: int,
    notice: Callable[[str], object] | None = None,
    least: int = 0,
) -> Generator[Any, None, None]:
    """Each chunk's output (see :class:`_Work`), in order, with at most ``jobs`` processes.

    Never more worker processes than chunks, and none unless there are more than ``least`` chunks (the
    first are read ahead to know): a shorter input is worked through in this process. ``notice`` is told
    when a worker process stopped unexpectedly and was replaced.
    """
    first = list(islice(chunks, max(jobs, least + 1) if jobs > 1 else 1))
    workers = min(jobs, len(first)) if len(first) > least else 1
    chunks = chain(first, chunks)
    if workers <= 1:
        work = _Work(settings)
        for chunk in chunks:
            yield from work(chunk, form)
        return
    pool = _Pool(workers, settings, notice)
    try:
        given = taken = 0
        for chunk in chunks:
            pool.put(given, chunk, form)
            given += 1
            if given - taken >= workers * _IN_FLIGHT_PER_JOB:
                yield from pool.take(taken)
                taken += 1
        while taken < given:
            yield from pool.take(taken)
            taken += 1
    finally:
        pool.stop()


_Job = tuple[int, list[Any], _Form, int]
"""A chunk for a worker: its number in the input, its rows, the output asked for, how often it was lost."""


class _Worker:
    """A worker process, the pipe to it (its own: if it dies, nothing else is lost), and the job it holds."""

    def __init__(self, process: Any, connection: Any) -> None:  # noqa: ANN401 - multiprocessing's own types
        self.process = process
        self.connection = connection
        self.job: _Job | None = None


class _Pool:
    """Worker processes, each with its own pipe, that outlive the loss of one.

    Not :class:`concurrent.futures.ProcessPoolExecutor`: its workers share one pipe for their results, so a
    worker killed while it sends one leaves the pool waiting for the rest of it, for ever. Here a worker that
    dies is found by the end of its own pipe: it is replaced, and the chunk it held is run again by another;
    a chunk that is lost twice gives ``worker-failed`` rows. A chunk that cannot be pickled, or whose worker
    raised, is worked through in this process, so that it gives what it gives with ``jobs=1``.
    """

    def __init__(self, workers: int, settings: "_Settings", notice: Callable[[str], object] | None) -> None:
        import multiprocessing  # noqa: PLC0415 - imported when first needed, for import time

        self.context = multiprocessing.get_context()
        self.settings = settings
        self.notice = notice
        self.workers: list[_Worker] = []
        self.waiting: deque[_Job] = deque()
        self.done: dict[int, list[Any]] = {}
        self.here: _Work | None = None
        """Works through, in this process, a chunk a worker could not (made when first needed)."""
        for _ in range(workers):
            self._start()

    def _start(self) -> None:
        mine, theirs = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(theirs, self.settings), daemon=True)
        process.start()
        theirs.close()  # so that the pipe ends when the worker does
        self.workers.append(_Worker(process, mine))

    def put(self, ticket: int, chunk: list[Any], form: _Form) -> None:
        """Give chunk number ``ticket`` to a worker, when one is free."""
        self.waiting.append((ticket, chunk, form, 0))
        self._dispatch()

    def take(self, ticket: int) -> list[Any]:
        """The output of chunk number ``ticket``, once it is done."""
        while ticket not in self.done:
            self._collect()
            self._dispatch()
        return self.done.pop(ticket)

    def _dispatch(self) -> None:
        from multiprocessing.reduction import ForkingPickler  # noqa: PLC0415 - loaded with the pool

        for worker in list(self.workers):
            if worker.job is not None or not self.waiting:
                continue
            job = self.waiting.popleft()
            ticket, chunk, form, _ = job
            try:
                data = ForkingPickler.dumps((chunk, form))
            except Exception:  # noqa: BLE001 - a row that cannot be pickled, whatever pickle raises for it
                self.done[ticket] = self._here(chunk, form)
                continue
            try:
                worker.connection.send_bytes(data)
            except OSError:  # it died while idle: the chunk never reached it
                self.waiting.appendleft(job)
                self._lost(worker)
                continue
            worker.job = job
        if self.waiting and any(worker.job is None for worker in self.workers):
            self._dispatch()  # a worker that died was replaced, or a chunk was worked through here

    def _collect(self) -> None:
        """Wait until a worker replies or dies; keep what it did."""
        from multiprocessing.connection import wait  # noqa: PLC0415 - loaded with the pool

        by_connection = {worker.connection: worker for worker in self.workers}
        for connection in wait(list(by_connection)):
            worker = by_connection[connection]
            try:
                reply: list[Any] | None = worker.connection.recv()
            except (EOFError, OSError):
                self._lost(worker)
                continue
            ticket, chunk, form, _ = worker.job  # type: ignore[misc]  # a worker replies only to a job
            worker.job = None
            self.done[ticket] = reply if reply is not None else self._here(chunk, form)

    def _lost(self, worker: _Worker) -> None:
        """``worker`` died: replace it, and run its chunk again, or give its rows ``worker-failed`` errors."""
        worker.process.kill()
        worker.process.join()
        worker.connection.close()
        self.workers.remove(worker)
        self._start()
        if self.notice is not None:
            self.notice("a worker process stopped unexpectedly and was replaced")
        if worker.job is not None:
            ticket, chunk, form, lost = worker.job
            if lost:
                self.done[ticket] = _Lost(self.settings)(chunk, form)
            else:
                self.waiting.appendleft((ticket, chunk, form, lost + 1))

    def _here(self, chunk: list[Any], form: _Form) -> list[Any]:
        if self.here is None:
            self.here = _Work(self.settings)
        return self.here(chunk, form)

    def stop(self) -> None:
        """Stop the worker processes: an idle one when it reads that it is done, a busy one at once."""
        for worker in self.workers:
            if worker.job is None:
                with contextlib.suppress(OSError):
                    worker.connection.send(None)
            else:
                worker.process.kill()
        for worker in self.workers:
            worker.process.join()
            worker.connection.close()
        self.workers = []


class _Work:
    """Turns a chunk of rows into its output with one knowledge base: results, or one :data:`Line` per row."""

    def __init__(self, settings: "_Settings") -> None:
        self.settings = settings
        self.forms: Mapping[_Form, Callable[[list[Any]], list[Any]]] = {
            "results": self.results,
            "json": self.json_lines,
            "csv": self.csv_rows,
        }

    def __call__(self, chunk: list[Any], form: _Form) -> list[Any]:
        return self.forms[form](chunk)

    def results(self, chunk: list[Any]) -> list[BatchResult]:
        return [
            BatchResult(id=row_id, guidance=guidance, error=error) for row_id, guidance, error in map(self.one, chunk)
        ]

    def json_lines(self, chunk: list[Any]) -> list[Line]:
        import json  # noqa: PLC0415 - imported when first needed, for import time

        lines: list[Line] = []
        for row_id, guidance, error in map(self.one, chunk):
            if error is not None or guidance is None:
                line = json.dumps(_error_line(row_id, error), ensure_ascii=False, separators=_SEPARATORS)  # type: ignore[arg-type]
                lines.append((row_id, _escape_surrogates(line) + "\n"))
                continue
            shown_id = json.dumps(row_id, ensure_ascii=False)
            if isinstance(row_id, str):
                shown_id = _escape_surrogates(shown_id)
            # to_json writes guidance from the kept JSON of its shared parts (crampkit.io._fragments)
            lines.append((row_id, f'{{"id":{shown_id},"guidance":{to_json(guidance)}}}\n'))
        return lines

    def csv_rows(self, chunk: list[Any]) -> list[Line]:
        import csv  # noqa: PLC0415 - imported when first needed, for import time

        text = io.StringIO()
        writer = csv.DictWriter(text, FLAT_COLUMNS)
        records: list[Line] = []
        for result in self.results(chunk):
            writer.writerow(result.flat())
            records.append((result.id, text.getvalue()))
            text.seek(0)
            text.truncate()
        return records

    def one(self, row: Mapping[str, Any] | str | bytes) -> tuple[RowId, Guidance | None, InvalidInputError | None]:
        row_id, profile, problems = _envelope(row)
        if problems:
            return row_id, None, InvalidInputError(problems)
        try:
            knowledge_base, region, language = self.settings
            guidance = recommend(load_profile(profile), knowledge_base=knowledge_base, region=region, language=language)
        except InvalidInputError as exc:
            return row_id, None, exc
        return row_id, guidance, None


class _Lost(_Work):
    """The output of a chunk that stopped its worker process twice: an error for each row, with its id."""

    def one(self, row: Mapping[str, Any] | str | bytes) -> tuple[RowId, Guidance | None, InvalidInputError | None]:
        row_id = _envelope(row)[0]
        message = "not checked: the worker process handling it stopped unexpectedly, twice"
        return row_id, None, InvalidInputError([_row_problem((), ProblemCode.WORKER_FAILED, message, shown=False)])


def _escape_surrogates(text: str) -> str:
    r"""JSON text with each lone surrogate written as its JSON escape (``\ud800``), so the line is always UTF-8."""
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _row_problem(
    path: tuple[str, ...], code: ProblemCode, message: str, *, shown: bool = True, suggestion: str | None = None
) -> Problem:
    """A problem with the row itself (not its profile): shown as ``row.<key>``, or ``row`` (``shown=False``)."""
    return Problem(path, code, message, location=".".join(("row", *path)) if shown else "row", suggestion=suggestion)


def _unknown_row_key(key: object) -> Problem:
    """The problem of a key of a row that is neither ``id`` nor ``profile``, with the one it most likely misspells."""
    suggestion = closest(key, sorted(_ROW_KEYS))
    message = did_you_mean(f"unknown field {show(key)}", suggestion, "(allowed: id, profile)")
    path = (key if isinstance(key, str) else show(key),)
    return _row_problem(path, ProblemCode.UNKNOWN_FIELD, message, shown=False, suggestion=suggestion)


def _envelope(row: object) -> tuple[RowId, Any, list[Problem]]:
    """The id and the profile data of a row, and the problems with the row (the profile's too, if there are any)."""
    data: object = row
    if isinstance(row, str | bytes):
        if len(row) > MAX_ROW_BYTES:
            return None, None, [_row_problem((), ProblemCode.TOO_LARGE, f"longer than {MAX_ROW_BYTES} bytes")]
        try:
            data = parse_json(decode(row) if isinstance(row, bytes) else row)
        except ReadError as exc:
            return None, None, [_row_problem((), exc.code, str(exc))]
    if not isinstance(data, Mapping):
        message = f'expected an object with "id" and "profile", got {show(data)}'
        return None, None, [_row_problem((), ProblemCode.WRONG_TYPE, message)]
    problems = [_unknown_row_key(key) for key in data if key not in _ROW_KEYS]
    row_id = data.get("id")
    if "id" not in data:
        problems.append(_row_problem(("id",), ProblemCode.MISSING, '"id" is missing', shown=False))
    elif type(row_id) is bool or not isinstance(row_id, str | int):
        problems.append(
            _row_problem(("id",), ProblemCode.WRONG_TYPE, f"expected a string or a whole number, got {show(row_id)}")
        )
        row_id = None
    profile = data.get("profile")
    if "profile" not in data:
        problems.append(_row_problem(("profile",), ProblemCode.MISSING, '"profile" is missing', shown=False))
    elif isinstance(profile, str | bytes | os.PathLike):  # load_profile would read these as JSON text or a file
        kind = "a string" if isinstance(profile, str) else python_kind(profile)
        problems.append(Problem((), ProblemCode.WRONG_TYPE, f"expected an object, got {kind}", location="profile"))
    elif problems:
        try:
            load_profile(profile)  # type: ignore[arg-type]  # any JSON value: it says what is wrong
        except InvalidInputError as exc:
            problems.extend(exc.problems)
    return row_id, profile, problems


def _serve(connection: Any, settings: "_Settings") -> None:  # noqa: ANN401  # pragma: no cover - in a worker process, where coverage does not measure
    """A worker process: work through each chunk that comes, send back its output (``None`` if it raised)."""
    _detach()
    work = _Work(settings)
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            output = work(*job)
        except Exception:  # noqa: BLE001 - the main process works the chunk through again, and shows what it raises
            output = None
        try:
            connection.send(output)
        except (OSError, ValueError):
            return


def _detach() -> None:  # pragma: no cover - runs only in a worker process, where coverage does not measure
    """Make a new worker process leave signals and standard output to the process that started it.

    SIGINT (Ctrl-C reaches every process of the terminal's group) is ignored: the parent stops the workers.
    SIGTERM stops the worker, whatever handler the parent had when it forked. Standard output goes to the
    null device, so that a reader of the parent's output sees its end when the parent ends, even if a
    worker were left behind.
    """
    import signal  # noqa: PLC0415 - only in a worker

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)


@attrs.define
class Written:
    """How far ``crampkit recommend --jsonl`` has written: the number of rows, and the id of the last one."""

    rows: int = 0
    last_id: RowId = None


def write_results(
    source: str,
    write: Callable[[str], object],
    *,
    form: Literal["json", "csv"],
    knowledge_base: KnowledgeBase | None,
    jobs: int,
    region: str = DEFAULT_REGION,
    language: str = DEFAULT_LANGUAGE,
    stdin: TextIO | BinaryIO | None,
    progress: TextIO | None,
    written: Written | None = None,
    after_row: Callable[[], object] | None = None,
    notice: Callable[[str], object] | None = None,
) -> None:
    """``crampkit recommend --jsonl``: read rows from ``source`` (a path, or ``-`` for ``stdin``), write the results.

    One call of ``write`` per row (its whole line, or its whole CSV record), after one for the CSV header,
    so that output stopped between two calls ends on a whole line. ``written``, when given, counts the
    rows written and keeps the last one's id, as each call returns; then ``after_row`` is called (it may
    raise to stop the run). ``progress``, when given (a terminal),
    shows how far the run is; ``notice`` is told when a worker process stopped unexpectedly. The worker
    processes are stopped before this returns or raises.

    Raises:
        InvalidInputError: ``source`` cannot be opened or read (standard input
            that is closed, a file that is missing).
    """
    name = "standard input" if source == "-" else shown_name(source)
    if source != "-":
        try:
            stream: Any = open(source, "rb")  # noqa: SIM115, PTH123 - closed below; pathlib costs import time
        except OSError as exc:
            raise _unreadable(name, f"cannot be read: {exc.strerror or exc}") from None
        except ValueError:
            raise _unreadable(name, "cannot be read: the path contains a null character") from None
    elif stdin is None:
        raise _unreadable(None, "standard input is closed")
    else:
        stream = getattr(stdin, "buffer", stdin)
    tally = written if written is not None else Written()
    try:
        reader = _Reader(stream, name)
        meter = _Meter(progress, _size(stream))
        if form == "csv":
            import csv  # noqa: PLC0415 - imported when first needed, for import time

            header = io.StringIO()
            csv.writer(header).writerow(FLAT_COLUMNS)
            write(header.getvalue())
        settings = _Settings(knowledge_base, region, language)
        lines = _ordered(_chunks(reader), form, settings, _worker_count(jobs), notice, _POOL_MIN_CHUNKS)
        with contextlib.closing(lines):
            for row_id, text in lines:
                write(text)
                tally.rows += 1
                tally.last_id = row_id
                if after_row is not None:
                    after_row()
                meter.show(reader)
        meter.show(reader, final=True)
    finally:
        if source != "-":
            stream.close()


def _unreadable(name: str | None, message: str) -> InvalidInputError:
    """The error for rows that cannot be read: a problem with ``--jsonl`` (``name`` names the file, if any)."""
    location = "--jsonl" if name is None else f"--jsonl: {name}"
    return InvalidInputError([Problem(("--jsonl",), ProblemCode.CANNOT_READ, message, location=location)])


def _size(stream: Any) -> int | None:  # noqa: ANN401 - any readable stream
    """The size of a regular file behind ``stream``, or ``None``."""
    try:
        status = os.fstat(stream.fileno())
    except (AttributeError, OSError, ValueError):  # io.StringIO has no file descriptor
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) and status.st_size else None


class _Reader:
    """The lines of a stream, each at most :data:`MAX_ROW_BYTES` + 1 long (a longer line is cut there, and refused)."""

    def __init__(self, stream: Any, name: str) -> None:  # noqa: ANN401 - a binary or text stream
        self.stream = stream
        self.name = name
        self.rows = 0
        self.size = 0

    def __iter__(self) -> Iterator[str | bytes]:
        while line := self._readline():
            self.rows += 1
            self.size += len(line)
            yield line
            if len(line) > MAX_ROW_BYTES:  # too long: skip the rest of it
                while line and line[-1:] not in {"\n", b"\n"}:
                    line = self._readline()

    def _readline(self) -> str | bytes:
        try:
            return self.stream.readline(MAX_ROW_BYTES + 1)  # type: ignore[no-any-return]
        except OSError as exc:
            raise _unreadable(self.name, f"cannot be read: {exc.strerror or exc}") from None


class _Meter:
    """A one-line progress display on a terminal: rows read, how fast, and how much of the file."""

    def __init__(self, stream: TextIO | None, size: int | None) -> None:
        import time  # noqa: PLC0415 - imported when first needed, for import time

        self.clock = time.monotonic
        self.stream = stream
        self.size = size
        self.start = self.last = self.clock()

    def show(self, reader: _Reader, *, final: bool = False) -> None:
        if self.stream is None:
            return
        now = self.clock()
        if not final and now - self.last < _METER_SECONDS:
            return
        self.last = now
        rate = reader.rows / max(now - self.start, 1e-9)
        share = f", {min(reader.size / self.size, 1):.0%}" if self.size else ""
        line = f"\rcrampkit: {reader.rows:,} rows, {rate:,.0f} rows/s{share}" + ("\n" if final else "")
        try:
            self.stream.write(line)
            self.stream.flush()
        except (OSError, ValueError):
            self.stream = None


_METER_SECONDS = 0.2
