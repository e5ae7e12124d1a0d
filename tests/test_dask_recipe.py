"""The Dask recipe of docs/batch.md (docs/examples/dask_parquet.py), run on a local cluster of processes."""

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

import crampkit

pytest.importorskip("dask.distributed", reason="needs the dask extra")
pq = pytest.importorskip("pyarrow.parquet", reason="needs the dask extra")

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


def test_the_recipe_writes_every_row_in_order_on_a_local_cluster(tmp_path: Path) -> None:
    lines = []
    inputs = []
    for number in range(3):
        inputs.append(tmp_path / f"rows-{number}.jsonl")
        lines += rows_file(inputs[-1], number * 500, 500)
    output = tmp_path / "out"
    main = recipe().main

    assert main([str(output), *map(str, inputs)]) == 0

    table = pq.read_table(output)
    results = list(crampkit.recommend_many(lines))
    assert table.column_names == [*crampkit.FLAT_COLUMNS, "guidance"]
    assert table.num_rows == len(lines) == 1500
    assert table.select(list(crampkit.FLAT_COLUMNS)).to_pylist() == [result.flat() for result in results]
    assert table.column("guidance").to_pylist() == [
        "" if result.guidance is None else crampkit.to_json(result.guidance, indent=None) for result in results
    ]
    assert sum(1 for result in results if result.error is not None) == sum(
        1 for n in range(1500) if n % 13 == 0 or n % 7 == 0
    )


def test_the_recipe_splits_big_files_into_blocks_and_keeps_the_order(tmp_path: Path) -> None:
    import dask  # noqa: PLC0415

    lines = rows_file(tmp_path / "rows.jsonl", 0, 400)
    with dask.config.set(scheduler="processes", num_workers=2):
        rows = recipe().recommend_to_parquet([tmp_path / "rows.jsonl"], tmp_path / "out", blocksize="4KiB")
    parts = sorted((tmp_path / "out").iterdir())
    assert rows == 400
    assert len(parts) > 1
    assert pq.read_table(tmp_path / "out").column("id").to_pylist() == [
        "" if line == "not json" else f"p{n}" for n, line in enumerate(lines)
    ]
