"""Issue 14's batch must-show: ``crampkit recommend --jsonl rows.jsonl --jobs 1`` on 20,000 rows, some bad.

Run from the repository with the project's environment first on PATH:
``python tools/batch_must_show.py [ROWS] [JOBS]``. It writes the rows to a
temporary file (every 97th profile invalid, every 499th line not JSON), runs
the real command, and checks and prints: the number of output lines, that
the ids come back in order, one error line per bad row, and rows per second.
"""

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(rows: int = 20_000, jobs: int = 1) -> int:
    """Make the rows, run the command, print the figures; 0 when every check holds."""
    bad = set()
    lines = []
    for n in range(rows):
        if n % 499 == 0:
            lines.append("{this is not JSON")
            bad.add(n)
        elif n % 97 == 0:
            lines.append(json.dumps({"id": f"row-{n}", "profile": {"age": 150, "cramps": {"sites": ["nose"]}}}))
            bad.add(n)
        else:
            profile = {"age": 20 + n % 75, "medications": ["bendroflumethiazide"] if n % 4 == 0 else []}
            profile["cramps"] = {"sites": ["calf"], "timing": ["night"]}
            lines.append(json.dumps({"id": f"row-{n}", "profile": profile}))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rows.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        command = [sys.executable, "-m", "crampkit", "recommend", "--jsonl", str(path), "--jobs", str(jobs)]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - our own command
        seconds = time.perf_counter() - start
    output = [json.loads(line) for line in done.stdout.splitlines()]
    ids = [item["id"] for item in output]
    wanted_ids = [None if n % 499 == 0 else f"row-{n}" for n in range(rows)]
    errors = [n for n, item in enumerate(output) if "error" in item]
    checks = {
        "exit code 0": done.returncode == 0,
        f"{rows:,} output lines": len(output) == rows,
        "ids in input order": ids == wanted_ids,
        f"one error line per bad row ({len(bad)} bad rows)": errors == sorted(bad),
        "every other line has guidance": all("guidance" in item for n, item in enumerate(output) if n not in bad),
    }
    print(f"$ crampkit recommend --jsonl rows.jsonl --jobs {jobs}")
    for name, held in checks.items():
        print(f"  {'ok  ' if held else 'FAIL'} {name}")
    print(f"  {rows:,} rows in {seconds:.2f} s (process start-up included): {rows / seconds:,.0f} rows/s")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main(*(int(argument) for argument in sys.argv[1:])))
