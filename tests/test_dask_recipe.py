"""crampkit.dask and the Dask recipe of docs/batch.md (docs/examples/dask_parquet.py)."""

import importlib.util
import io
import json
from pathlib import Path
from types import ModuleType

import pytest

import crampkit
from crampkit import ProblemCode

pytest.importorskip("dask.distributed", reason="needs the dask extra")
pq = pytest.importorskip("pyarrow.parquet", reason="needs the dask extra")

import dask  # noqa: E402 - after the check that the extra is installed

from crampkit.dask import SCHEMA, recommend_to_parquet, write_part  # noqa: E402

RECIPE = Path(__file__).parents[1] / "docs" / "examples" / "dask_parquet.py"


def recipe() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dask_parquet", RECIPE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows_file(path: Path, first: int, count: int) -> list[str]:
    """``count`` lines, every 13th not JSON and every 7th an invalid profile."""
    lines = []
    for n in range(first, first + count):
        if n % 13 == 0:
            lines.append("not json")
        else:
            profile = {"age": 200} if n % 7 == 0 else {"age": 20 + n % 70, "symptoms": ["calf-swelling"] * (n % 2)}
            lines.append(json.dumps({"id": f"p{n}", "profile": profile}))
    path.write_text("\n".join(lines) + "\n")
    return lines


def expected_rows(lines: list[str]) -> list[dict[str, str]]:
    """What every Parquet row holds for ``lines``: the flat columns, and the guidance as compact JSON."""
    return [
        result.flat() | {"guidance": "" if result.guidance is None else crampkit.to_json(result.guidance)}
        for result in crampkit.recommend_many(lines)
    ]


def test_the_recipe_writes_every_row_in_order_on_a_local_cluster(tmp_path: Path) -> None:
    lines = []
    inputs = []
    for number in range(3):
        inputs.append(tmp_path / f"rows-{number}.jsonl")
        lines += rows_file(inputs[-1], number * 500, 500)
    output = tmp_path / "out"

    assert recipe().main([str(output), *map(str, inputs)]) == 0

    table = pq.read_table(output)
    assert table.column_names == [*crampkit.FLAT_COLUMNS, "guidance"]
    assert table.num_rows == len(lines) == 1500
    assert table.to_pylist() == expected_rows(lines)
    assert sum(1 for row in table.column("error").to_pylist() if row) == sum(
        1 for n in range(1500) if n % 13 == 0 or n % 7 == 0
    )


def test_blocks_and_row_groups_keep_every_row_in_order(tmp_path: Path) -> None:
    """Small blocks give many part files, small groups many row groups: the rows are the same, in order."""
    lines = rows_file(tmp_path / "rows.jsonl", 0, 300)
    (tmp_path / "no-line-break.jsonl").write_text('{"id": "last", "profile": {}}')
    inputs: list[str | Path] = [tmp_path / "rows.jsonl", str(tmp_path / "no-line-break.jsonl")]
    with dask.config.set(scheduler="synchronous"):  # in this process, so that coverage sees the tasks
        rows = recommend_to_parquet(inputs, tmp_path / "out", blocksize="4KiB", group_rows=16, region="us")
    parts = sorted((tmp_path / "out").iterdir())
    assert rows == 301
    assert len(parts) > 2
    assert max(pq.ParquetFile(part).metadata.num_row_groups for part in parts) > 1
    table = pq.read_table(tmp_path / "out")
    assert table.column("id").to_pylist() == ["" if line == "not json" else f"p{n}" for n, line in enumerate(lines)] + [
        "last"
    ]
    us = list(crampkit.recommend_many([*lines, '{"id": "last", "profile": {}}'], region="us"))
    assert table.column("guidance").to_pylist() == [
        "" if result.guidance is None else crampkit.to_json(result.guidance) for result in us
    ]


def test_the_blocks_run_on_worker_processes_too(tmp_path: Path) -> None:
    lines = rows_file(tmp_path / "rows.jsonl", 0, 200)
    with dask.config.set(scheduler="processes", num_workers=2):
        rows = recommend_to_parquet([str(tmp_path / "rows.jsonl")], str(tmp_path / "out"), blocksize=4096)
    assert rows == 200
    assert pq.read_table(tmp_path / "out").to_pylist() == expected_rows(lines)


def test_write_part_writes_one_file_a_row_group_at_a_time(tmp_path: Path) -> None:
    lines = rows_file(tmp_path / "rows.jsonl", 0, 40)
    assert write_part(iter(lines), tmp_path / "part.parquet", group_rows=16) == 40
    into = io.BytesIO()
    assert write_part([line.encode() for line in lines], into) == 40
    for written in (tmp_path / "part.parquet", io.BytesIO(into.getvalue())):
        assert pq.read_table(written).to_pylist() == expected_rows(lines)
    assert pq.ParquetFile(tmp_path / "part.parquet").metadata.num_row_groups == 3
    assert pq.read_table(io.BytesIO(into.getvalue())).schema == SCHEMA


def test_every_argument_problem_is_listed_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(crampkit.InvalidInputError) as raised:
        recommend_to_parquet("rows.jsonl", 7, blocksize="eight", group_rows=0, region="mars")  # type: ignore[arg-type]
    assert [(problem.location, problem.code) for problem in raised.value.problems] == [
        ("recommend_to_parquet(): inputs", ProblemCode.WRONG_TYPE),
        ("recommend_to_parquet(): output", ProblemCode.WRONG_TYPE),
        ("recommend_to_parquet(): blocksize", ProblemCode.NOT_ALLOWED_VALUE),
        ("recommend_to_parquet(): group_rows", ProblemCode.OUT_OF_RANGE),
        ("recommend_to_parquet(): region", ProblemCode.NOT_ALLOWED_VALUE),
    ]
    with pytest.raises(crampkit.InvalidInputError) as raised:
        recommend_to_parquet([], tmp_path, blocksize="0B", group_rows=True)
    assert [(problem.path, problem.code) for problem in raised.value.problems] == [
        (("inputs",), ProblemCode.EMPTY),
        (("blocksize",), ProblemCode.OUT_OF_RANGE),
        (("group_rows",), ProblemCode.WRONG_TYPE),
    ]
    message = "recommend_to_parquet(): blocksize: expected a whole number of at least 1, got '0B'"
    assert str(raised.value.problems[1]) == message
    with pytest.raises(crampkit.InvalidInputError) as raised:
        recommend_to_parquet([tmp_path, b"rows.jsonl"], tmp_path, blocksize=1.5)  # type: ignore[list-item, arg-type]
    assert [(problem.path, problem.code) for problem in raised.value.problems] == [
        (("inputs", 1), ProblemCode.WRONG_TYPE),
        (("blocksize",), ProblemCode.WRONG_TYPE),
    ]
    with pytest.raises(crampkit.InvalidInputError) as raised:
        write_part([], 3, group_rows=-1)  # type: ignore[arg-type]
    assert [str(problem) for problem in raised.value.problems] == [
        "write_part(): file: expected a path, a URL or a binary file, got an int",
        "write_part(): group_rows: expected a whole number of at least 1, got -1",
    ]


def test_a_missing_input_or_an_output_with_parts_is_refused(tmp_path: Path) -> None:
    with pytest.raises(crampkit.InvalidInputError) as raised:
        recommend_to_parquet([tmp_path / "missing.jsonl"], tmp_path / "out")
    assert raised.value.problems[0].code == ProblemCode.CANNOT_READ
    assert str(tmp_path / "missing.jsonl") in str(raised.value)
    rows_file(tmp_path / "rows.jsonl", 0, 3)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "part-00000.parquet").write_bytes(b"")
    with pytest.raises(crampkit.InvalidInputError, match="already holds part files") as raised:
        recommend_to_parquet([tmp_path / "rows.jsonl"], tmp_path / "out")
    assert raised.value.problems[0].code == ProblemCode.CONFLICT
