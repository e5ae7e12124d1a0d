"""Hardening at the command line: hostile input ends in exit 2 with one clear message; output errors in one line.

The subprocess tests run the real program, with real pipes, ``/dev/zero``,
``/dev/full`` and a closed standard output; the in-process tests reach
every branch of the error handling.
"""

import errno
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

import crampkit
from crampkit import cli
from crampkit._command_line import settle_stdout
from crampkit.cli import main
from strategies import hostile_text

MINI = str(Path(__file__).parent / "data" / "mini.toml")
TRACEBACK = "Traceback"


def crampkit_process(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[Any]:
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE} | kwargs
    return subprocess.run([sys.executable, "-m", "crampkit", *args], check=False, **streams)  # noqa: S603


def run(*argv: str, stdin: Any = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=stdin)
    return code, out.getvalue(), err.getvalue()


class TestIssueReproducers:
    """The third and fifth paragraphs of issue 10, each run as the real program."""

    def test_dev_zero_on_stdin_is_refused_after_a_megabyte(self) -> None:
        with open("/dev/zero", "rb") as zero:  # noqa: PTH123
            done = crampkit_process("recommend", "-", stdin=zero, timeout=60)
        assert done.returncode == 2
        assert done.stderr == b"crampkit: invalid input:\n  profile: larger than 1000000 bytes\n"

    def test_duplicate_keys(self) -> None:
        done = crampkit_process("recommend", "-", input=b'{"pregnant": true, "pregnant": false}')
        assert done.returncode == 2
        assert done.stderr.decode() == (
            "crampkit: invalid input:\n  profile: not valid JSON: the key 'pregnant' appears twice in one object\n"
        )

    def test_a_lone_surrogate_in_a_medicine_name(self) -> None:
        done = crampkit_process("recommend", "-", input=b'{"medications": ["\\ud800"]}')
        assert done.returncode == 2
        assert done.stderr.decode() == (
            "crampkit: invalid input:\n"
            "  medications[0]: is not valid text (found an unpaired surrogate, U+D800 at position 1)\n"
        )

    def test_invalid_utf8_on_stdin_and_in_a_file_get_the_same_answer(self, tmp_path: Path) -> None:
        data = b'{"medications": ["caf\xe9"]}'
        path = tmp_path / "latin1.json"
        path.write_bytes(data)
        from_stdin = crampkit_process("recommend", "-", input=data)
        from_file = crampkit_process("recommend", str(path))
        assert from_stdin.returncode == from_file.returncode == 2
        assert from_stdin.stderr == from_file.stderr
        assert from_stdin.stderr.decode() == (
            "crampkit: invalid input:\n  profile: not UTF-8 text (byte 0xE9 at position 22)\n"
        )

    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("\\u001b[31mred", "must not contain control characters (found U+001B at position 1)"),
            ("a\\rb", "must be on one line (found a line break, U+000D at position 2)"),
            ("a\\nb", "must be on one line (found a line break, U+000A at position 2)"),
            ("\\u202eevil", "must not contain text-direction controls (found U+202E at position 1)"),
            ("\\u200b", "must contain a visible character"),
        ],
    )
    def test_control_characters_in_medicine_names(self, name: str, expected: str) -> None:
        done = crampkit_process("recommend", "-", input=f'{{"medications": ["{name}"]}}'.encode())
        assert done.returncode == 2
        assert done.stderr.decode() == f"crampkit: invalid input:\n  medications[0]: {expected}\n"

    def test_a_deeply_nested_knowledge_base(self, tmp_path: Path) -> None:
        path = tmp_path / "deep.toml"
        path.write_text('version = "x"\nv = ' + "[" * 100_000 + "]" * 100_000 + "\n")
        done = crampkit_process("kb", "check", str(path))
        assert done.returncode == 2
        assert done.stderr.decode() == (
            "crampkit: invalid input:\n  deep.toml: cannot be parsed: nested more than 32 levels deep\n"
        )

    def test_a_folder_with_a_subfolder_and_a_dangling_link(self, tmp_path: Path) -> None:
        Path(tmp_path / "a.toml").write_text(Path(MINI).read_text())
        (tmp_path / "sub.toml").mkdir()
        (tmp_path / "gone.json").symlink_to(tmp_path / "nowhere.json")
        done = crampkit_process("kb", "check", str(tmp_path))
        assert done.returncode == 2
        assert done.stderr.decode() == (
            "crampkit: invalid input:\n"
            "  gone.json: cannot be read: it is a link to a file that does not exist\n"
            "  sub.toml: cannot be read: it is a folder, not a file\n"
        )

    def test_kb_list_into_a_reader_that_stops(self) -> None:
        done = subprocess.run(  # noqa: S602 - a fixed command line: the pipe is the point
            f"{sys.executable} -m crampkit kb list | head -1",
            shell=True,
            capture_output=True,
            check=False,
        )
        assert done.returncode == 0
        assert done.stdout.decode().startswith("Source ")
        assert done.stderr == b""

    @pytest.mark.parametrize("args", [("kb", "list"), ("schema", "guidance"), ("example",)])
    def test_a_closed_pipe_is_silent(self, args: tuple[str, ...]) -> None:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "crampkit", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.close()
        errors = process.stderr.read()
        process.stderr.close()
        assert (process.wait(), errors) == (0, b"")

    @pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
    def test_a_full_disk(self) -> None:
        with open("/dev/full", "wb") as full:  # noqa: PTH123
            done = crampkit_process("kb", "list", stdout=full)
        assert done.returncode == 74
        assert done.stderr == b"crampkit: cannot write output: No space left on device\n"

    def test_a_closed_stdout(self) -> None:
        done = subprocess.run(  # noqa: S602 - a fixed command line: closing the descriptor is the point
            f"{sys.executable} -m crampkit example >&-",
            shell=True,
            capture_output=True,
            check=False,
        )
        assert done.returncode == 74
        assert done.stderr == b"crampkit: cannot write output: standard output is closed\n"

    def test_unsafe_knowledge_base_and_messages_in_user_terms(self, tmp_path: Path) -> None:
        path = tmp_path / "huge.json"
        path.write_text('{"version": "x", "causes": [{"prior": ' + "9" * 5000 + "}]}")
        done = crampkit_process("kb", "check", str(path))
        assert done.returncode == 2
        message = done.stderr.decode()
        assert "prior: expected a finite number, got inf" in message
        for internal in (TRACEBACK, "RecursionError", "int_max_str_digits", "4300", "Exceeds the limit"):
            assert internal not in message


class TestInProcess:
    def test_stdin_is_read_as_bytes_when_it_has_a_buffer(self) -> None:
        code, out, _ = run("recommend", "-", "--format", "json", stdin=io.BytesIO(b'{"age": 40}'))
        assert code == 0
        assert json.loads(out)["knowledge_base_version"] == crampkit.default_knowledge_base().version
        wrapped = io.TextIOWrapper(io.BytesIO(b'{"age": "\xff"}'), encoding="latin-1")
        assert run("recommend", "-", stdin=wrapped)[2] == (
            "crampkit: invalid input:\n  profile: not UTF-8 text (byte 0xFF at position 10)\n"
        )

    def test_a_closed_stdin(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(sys, "stdin", None)
        assert run("recommend", "-") == (2, "", "crampkit: invalid input:\n  profile: standard input is closed\n")

    def test_a_stdin_that_fails(self) -> None:
        class Failing(io.RawIOBase):
            def readinto(self, _buffer: Any) -> int:
                raise OSError(errno.EIO, "Input/output error")

        assert run("recommend", "-", stdin=Failing())[2] == (
            "crampkit: invalid input:\n  profile: cannot be read: Input/output error\n"
        )

    @pytest.mark.parametrize(
        ("failure", "code", "message"),
        [
            (BrokenPipeError(errno.EPIPE, "Broken pipe"), 0, ""),
            (
                OSError(errno.ENOSPC, "No space left on device"),
                74,
                "crampkit: cannot write output: No space left on device\n",
            ),
            (
                ValueError("I/O operation on closed file."),
                74,
                "crampkit: cannot write output: standard output is closed\n",
            ),
            (
                UnicodeEncodeError("ascii", "é", 0, 1, "ordinal not in range"),
                74,
                "crampkit: cannot write output: the output's encoding cannot show some of the text\n",
            ),
        ],
    )
    def test_output_errors(self, failure: Exception, code: int, message: str) -> None:
        class Failing(io.StringIO):
            def write(self, _text: str) -> int:
                raise failure

        class FailingFlush(io.StringIO):
            def flush(self) -> None:
                raise failure

        for stream in (Failing(), FailingFlush()):
            err = io.StringIO()
            assert main(["kb", "list", "--knowledge-base", MINI], stdout=stream, stderr=err) == code
            assert err.getvalue() == message

    def test_closed_stdout_and_stderr(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(sys, "stdout", None)
        err = io.StringIO()
        assert main(["example"], stderr=err) == 74
        assert err.getvalue() == "crampkit: cannot write output: standard output is closed\n"
        monkeypatch.setattr(sys, "stderr", None)
        assert main(["example"]) == 74

        class Refusing(io.StringIO):
            def write(self, _text: str) -> int:
                raise OSError(errno.EBADF, "Bad file descriptor")

        assert main(["recommend", "-"], stdin=io.StringIO("{"), stdout=io.StringIO(), stderr=Refusing()) == 2

    def test_kb_check_warns_once_per_override(self, tmp_path: Path) -> None:
        path = tmp_path / "clinic.toml"
        path.write_text(
            'extends = "default"\nversion = "clinic-9"\ndisable = ["possible-clot", "cut-down-alcohol"]\n'
            '[overrides]\npossible-clot = "We triage clots by phone."\n'
        )
        code, out, err = run("kb", "check", str(path))
        assert code == 0
        assert out.startswith(f"{path}: valid (version clinic-9; ")
        assert err == (
            f"crampkit: warning: {path}: removed the packaged red_flags item possible-clot on purpose: "
            "We triage clots by phone.\n"
        )
        code, out, _ = run("recommend", "-", "--knowledge-base", str(path), stdin=io.StringIO("{}"))
        changes = "Knowledge base clinic-9 changes packaged items: cut-down-alcohol (interventions) removed;"
        assert f"{changes} possible-clot" in " ".join(out.split())
        code, out, _ = run("recommend", "-", "--knowledge-base", str(path), "--format", "json", stdin=io.StringIO("{}"))
        assert json.loads(out)["knowledge_base_changes"] == [
            {"id": "cut-down-alcohol", "section": "interventions", "kind": "removed"},
            {
                "id": "possible-clot",
                "section": "red_flags",
                "kind": "removed",
                "reason": "We triage clots by phone.",
            },
        ]

    def test_unknown_ids_are_shown_safely(self) -> None:
        assert run("kb", "show", "x\x1b[2J") == (
            1,
            "",
            "crampkit: no knowledge-base item has id 'x\\x1b[2J' (see 'crampkit kb list')\n",
        )

    @given(hostile_text)
    def test_any_text_as_stdin_gives_a_profile_or_one_clean_message(self, text: str) -> None:
        data = text.encode("utf-8", "surrogatepass")
        code, _, err = run("recommend", "-", stdin=io.BytesIO(data))
        assert code in {0, 2}
        assert TRACEBACK not in err
        assert all(line.isprintable() for line in err.splitlines())


class TestEntryPoint:
    def test_encoding_errors_become_escapes_and_interrupts_exit_130(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        seen: list[str] = []

        class Stream(io.StringIO):
            def reconfigure(self, *, errors: str) -> None:
                seen.append(errors)

        monkeypatch.setattr(sys, "stdout", Stream())
        monkeypatch.setattr(sys, "stderr", io.StringIO())  # no reconfigure: left alone
        monkeypatch.setattr(sys, "argv", ["crampkit", "example"])
        with pytest.raises(SystemExit) as done:
            cli.main_entry()
        assert (done.value.code, seen) == (0, ["backslashreplace"])

        def interrupted() -> int:
            raise KeyboardInterrupt

        monkeypatch.setattr(cli, "main", interrupted)
        with pytest.raises(SystemExit) as done:
            cli.main_entry()
        assert done.value.code == 130
        capsys.readouterr()

    def test_output_that_cannot_be_flushed_goes_to_the_null_device(self, monkeypatch: pytest.MonkeyPatch) -> None:
        read_end, write_end = os.pipe()

        class Full(io.StringIO):
            def flush(self) -> None:
                raise OSError(errno.ENOSPC, "No space left on device")

            def fileno(self) -> int:
                return write_end

        monkeypatch.setattr(sys, "stdout", Full())
        settle_stdout()
        os.close(write_end)  # the descriptor now points at the null device: nothing reaches the pipe
        assert os.read(read_end, 10) == b""
        os.close(read_end)

        class NoDescriptor(Full):
            def fileno(self) -> int:
                raise ValueError

        monkeypatch.setattr(sys, "stdout", NoDescriptor())
        settle_stdout()  # gives up quietly
        monkeypatch.setattr(sys, "stdout", None)
        settle_stdout()
