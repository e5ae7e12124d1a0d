"""Record every output crampkit gives for a fixed corpus of profiles, and compare two recordings.

Made to prove that a restructuring changes no behaviour: record with the old
code, record with the new, compare. Only public, layout-independent entry
points are used: ``crampkit.cli.main`` (the ``crampkit recommend`` command, run
in-process) and the names exported by ``crampkit`` itself.

Usage (run with the Python of the environment whose crampkit is to be recorded)::

    python tools/compare_outputs.py record OUT.jsonl.gz [--seed N] [--generated N] [--profiles-from OLD.jsonl.gz]
                                                       [--worked-examples PATH] [--progress]
    python tools/compare_outputs.py compare OLD.jsonl.gz NEW.jsonl.gz [--ignore-json-keys k1,k2]

``compare`` prints how many outputs were compared and how many differ, in
all and per medium, and a unified diff of the first few differences; it
exits 1 when any output differs, is missing from either recording, or the
two corpora differ. ``--ignore-json-keys`` drops top-level keys from the
Guidance JSON (``cli-json`` and ``api-json`` on success) of both sides
before comparing; those outputs are then compared re-serialised compactly,
every other output as recorded, character for character.

The corpus is every profile of ``tests/data/worked_examples.toml`` followed by
``--generated`` profiles drawn with ``random.Random(seed)`` from crampkit's
public vocabularies and the packaged drug classes (about 5% invalid on
purpose, so error output is recorded too). ``--profiles-from`` reuses the
corpus of an earlier recording instead, byte for byte.

For each profile and each region of ``crampkit.REGIONS`` six outputs
("media") are recorded:

* ``cli-json``, ``cli-text``, ``cli-short``, ``cli-cds-hooks``:
  ``crampkit recommend PROFILE --format F --region R``, with its exit code,
  standard output and standard error;
* ``api-json``: ``crampkit.to_json(crampkit.recommend(profile, region=R))``;
* ``api-cds-hooks``: ``crampkit.to_cds_hooks(guidance)`` as compact JSON.

For the API media the exit code is 0 on success and 1 when an exception was
raised; the exception (class, message and, for ``InvalidInputError``, its
``as_data()``) is recorded as standard error.

The recording is gzip-compressed JSON Lines: a header, one ``profile``
record per profile (its exact JSON text), then one ``output`` record per
(profile index, region, medium). The gzip header carries no time stamp, so
two recordings of the same outputs are byte-identical files.

CDS Hooks card uuids need no normalising: they are UUID 5 of the knowledge
base version and item ids (see ``crampkit.cds_hooks``), so the same guidance
always gives the same uuids. A second recording compared with the first
shows that nothing else varies between runs either (hash seeds included).
"""

import argparse
import contextlib
import difflib
import gzip
import io
import itertools
import json
import platform
import random
import sys
import tempfile
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import crampkit
from crampkit import cli

FORMAT_VERSION = 1
DEFAULT_SEED = 20_240_611
DEFAULT_GENERATED = 1_600
INVALID_SHARE = 0.05
"""Share of generated profiles spoilt on purpose (some more are invalid through their medicine names)."""
WORKED_EXAMPLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "worked_examples.toml"
CLI_FORMATS = ("json", "text", "short", "cds-hooks")
MEDIA = (*(f"cli-{name}" for name in CLI_FORMATS), "api-json", "api-cds-hooks")
JSON_GUIDANCE_MEDIA = frozenset({"cli-json", "api-json"})
"""Media whose standard output, on success, is one Guidance JSON object (where ``--ignore-json-keys`` applies)."""
SHOWN_DIFFERENCES = 5
DIFF_LINES = 30
PROFILE_SHOWN = 300
EXIT_API_ERROR = 1
PROGRESS_EVERY = 200

Record = dict[str, object]
Key = tuple[int, str, str]

# Medicine names that crampkit does not know, some with markup or unusual but allowed characters.
UNKNOWN_MEDICINES = (
    "paracetamol",
    "vitamin d",
    "Made-up Tablets 20mg",
    "ibuprofène",
    "アスピリン",
    "Zoë's pills & co",
    "💊 daily",
    "C99ZZ99",
    "<b>x</b>",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "**bold** _under_ `tick`",
    "# heading | table |",
    "a\\b*c_d",
    "\u200fright-to-left mark",  # an invisible bidi mark, allowed next to visible text
    "\u061carabic letter mark",
    "caf\u0065\u0301 combining",
)
# Names with characters every string must not have: each makes its profile invalid.
FORBIDDEN_MEDICINES = (
    "\u202eenilorab",  # right-to-left override
    "\u2066isolate\u2069",  # bidi isolates
    "bell\u0007",
    "tab\tname",
    "line\u2028separator",
)


def _values(vocabulary: type) -> list[str]:
    """The JSON values of a vocabulary, sorted (so the corpus does not depend on declaration order)."""
    return sorted(member.value for member in vocabulary)  # type: ignore[attr-defined]


class Vocabularies:
    """Everything a generated profile chooses from, read from crampkit's public names."""

    def __init__(self) -> None:
        """Read the vocabularies, the packaged medicines' names and the drug classes' names and ATC codes."""
        self.sites = _values(crampkit.Site)
        self.timing = _values(crampkit.Timing)
        self.conditions = _values(crampkit.Condition)
        self.symptoms = _values(crampkit.Symptom)
        self.activities = _values(crampkit.Activity)
        self.sexes = _values(crampkit.Sex)
        self.clot_risks = _values(crampkit.ClotRisk)
        knowledge_base = crampkit.default_knowledge_base()
        classes = knowledge_base.drug_classes
        self.generic_names = sorted(
            {*(name for ingredient in knowledge_base.ingredients for name in ingredient.names)}
            | {name for drug in classes for name in drug.generic_names}
        )
        self.brand_names = sorted(
            {*(name for product in knowledge_base.products for name in product.names)}
            | {name for drug in classes for name in drug.brand_names}
        )
        self.atc_codes = sorted({code for drug in classes for code in drug.atc_codes})


class Generator:
    """Draws profiles (as JSON-compatible dicts or raw JSON text) from a seeded random generator."""

    def __init__(self, seed: int, vocabularies: Vocabularies) -> None:
        """Start drawing from ``random.Random(seed)``."""
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
        self.vocab = vocabularies

    def maybe(self, chance: float) -> bool:
        """True with probability ``chance``."""
        return self.rng.random() < chance

    def subset(self, values: Sequence[str], most: int) -> list[str]:
        """Between 1 and ``most`` distinct values, in drawn order."""
        return self.rng.sample(values, self.rng.randint(1, min(most, len(values))))

    def number(self, low: float, high: float, edges: Sequence[float]) -> float:
        """A whole number, a number with one decimal, or one of ``edges``."""
        roll = self.rng.random()
        if roll < 0.25:  # noqa: PLR2004
            return self.rng.choice(edges)
        if roll < 0.6:  # noqa: PLR2004
            return self.rng.randint(int(low), int(high))
        return round(self.rng.uniform(low, high), 1)

    def medicine(self) -> str:
        """One medicine name: known (generic, brand or ATC code, in varied case), unknown, or forbidden."""
        roll = self.rng.random()
        if roll < 0.35:  # noqa: PLR2004
            name = self.rng.choice(self.vocab.generic_names)
        elif roll < 0.55:  # noqa: PLR2004
            name = self.rng.choice(self.vocab.brand_names)
        elif roll < 0.75:  # noqa: PLR2004
            code = self.rng.choice(self.vocab.atc_codes)
            name = code + self.rng.choice(("", "", "01", "A05"))  # a prefix itself, or a code under it
        elif roll < 0.99:  # noqa: PLR2004
            return self.rng.choice(UNKNOWN_MEDICINES)
        else:
            return self.rng.choice(FORBIDDEN_MEDICINES)
        style = self.rng.random()
        if style < 0.2:  # noqa: PLR2004
            name = name.upper()
        elif style < 0.4:  # noqa: PLR2004
            name = name.title()
        elif style < 0.5:  # noqa: PLR2004
            name = f"{name} {self.rng.choice(('20mg', '2.5 mg', 'tablets', '(generic)'))}"
        return name

    def cramps(self) -> dict[str, object]:
        """The ``cramps`` object: empty, ``reported`` alone, or details."""
        roll = self.rng.random()
        if roll < 0.05:  # noqa: PLR2004
            return {}
        if roll < 0.1:  # noqa: PLR2004
            return {"reported": self.rng.choice((True, False, None))}
        cramps: dict[str, object] = {}
        if self.maybe(0.8):
            cramps["sites"] = self.subset(self.vocab.sites, 4)
        if self.maybe(0.7):
            cramps["timing"] = self.subset(self.vocab.timing, 3)
        if self.maybe(0.5):
            cramps["per_week"] = self.number(0, 100, (0, 1, 3, 7, 14, 100))
        if self.maybe(0.4):
            cramps["minutes"] = self.number(0, 1440, (0, 1, 10, 11, 60, 1440))
        if self.maybe(0.4):
            cramps["disturbs_sleep"] = self.rng.choice((True, False, None))
        if self.maybe(0.2):
            cramps["reported"] = self.rng.choice((True, None))
        return cramps

    def habits(self) -> dict[str, object]:
        """The ``habits`` object."""
        habits: dict[str, object] = {}
        if self.maybe(0.7):
            habits["alcohol_units_per_week"] = self.number(0, 500, (0, 14, 15, 35, 500))
        if self.maybe(0.7):
            habits["caffeine_drinks_per_day"] = self.number(0, 100, (0, 3, 4, 6, 100))
        if self.maybe(0.7):
            habits["smoker"] = self.rng.choice((True, False, None))
        return habits

    def profile(self) -> dict[str, object]:
        """A profile that is valid unless a forbidden medicine name was drawn."""
        rng = self.rng
        profile: dict[str, object] = {}
        if self.maybe(0.85):
            profile["age"] = (
                rng.choice((0, 4, 5, 17, 18, 49, 50, 59, 60, 120)) if self.maybe(0.2) else rng.randint(0, 120)
            )
        if self.maybe(0.7):
            profile["sex"] = rng.choice(self.vocab.sexes)
        # Pregnancy fields: for females (or sex unknown) of child-bearing age; rarely anyone, to see what happens.
        sex, age = profile.get("sex"), profile.get("age")
        could_be_pregnant = sex in {"female", None} and (age is None or 12 <= age <= 55)  # type: ignore[operator]  # noqa: PLR2004
        if (could_be_pregnant and self.maybe(0.35)) or self.maybe(0.01):
            pregnant = rng.choice((True, True, False, None))
            if pregnant is not None or self.maybe(0.5):
                profile["pregnant"] = pregnant
            if pregnant is not False and self.maybe(0.6):
                profile["pregnancy_weeks"] = rng.choice((0, 19, 20, 45)) if self.maybe(0.3) else rng.randint(0, 45)
        if self.maybe(0.4):
            profile["bmi"] = self.number(10, 80, (10, 18.5, 29.9, 30, 80))
        if self.maybe(0.5):
            profile["activity"] = rng.choice(self.vocab.activities)
        if self.maybe(0.35):
            profile["heat_exposure"] = rng.choice((True, False, None))
        if self.maybe(0.45):
            profile["medications"] = [self.medicine() for _ in range(rng.randint(0, 5))]
        if self.maybe(0.4):
            profile["conditions"] = self.subset(self.vocab.conditions, 3)
        if self.maybe(0.8):
            profile["cramps"] = self.cramps()
        symptoms: list[str] = []
        if self.maybe(0.55):
            symptoms = self.subset(self.vocab.symptoms, 4)
            profile["symptoms"] = symptoms
        if self.maybe(0.35):
            profile["habits"] = self.habits()
        if self.maybe(0.25):
            profile["clot_risks"] = self.subset(self.vocab.clot_risks, 2)
        if self.maybe(0.3):
            profile["sudden_onset"] = rng.choice((True, False, None))
        if self.maybe(0.3):
            others = [symptom for symptom in self.vocab.symptoms if symptom not in symptoms]
            profile["absent_symptoms"] = self.subset(others, 6)
        if self.maybe(0.05):  # explicit nulls, which mean "not known" as much as a missing key does
            for field in ("age", "sex", "bmi", "activity", "heat_exposure", "sudden_onset"):
                if field not in profile and self.maybe(0.5):
                    profile[field] = None
        items = list(profile.items())
        if self.maybe(0.2):  # the order of keys must not matter
            rng.shuffle(items)
        return dict(items)

    def spoil(self, profile: dict[str, object]) -> tuple[str, str]:
        """Make ``profile`` invalid in one of many ways; return the JSON text and what was done."""
        rng = self.rng
        kind = rng.choice(
            (
                "age-out-of-range",
                "age-wrong-type",
                "bmi-out-of-range",
                "unknown-value",
                "unknown-field",
                "weeks-but-not-pregnant",
                "weeks-out-of-range",
                "present-and-absent",
                "reported-false-with-details",
                "forbidden-medicine",
                "empty-medicine",
                "long-medicine",
                "too-many-medicines",
                "cramps-out-of-range",
                "habits-out-of-range",
                "wrong-type",
                "raw-text",
            )
        )
        spoilt = dict(profile)
        cramps = dict(spoilt.get("cramps") or {})  # type: ignore[call-overload]
        medicines = list(spoilt.get("medications") or [])  # type: ignore[call-overload]
        if kind == "age-out-of-range":
            spoilt["age"] = rng.choice((121, -1, 1000))
        elif kind == "age-wrong-type":
            spoilt["age"] = rng.choice((30.5, "40", True, [40]))
        elif kind == "bmi-out-of-range":
            spoilt["bmi"] = rng.choice((9.9, 80.5, 0))
        elif kind == "unknown-value":
            field, value = rng.choice(
                (
                    ("sex", "f"),
                    ("activity", "extreme"),
                    ("conditions", ["gout"]),
                    ("clot_risks", ["flying"]),
                    ("symptoms", ["itching"]),
                    ("absent_symptoms", ["Headache"]),
                )
            )
            spoilt[field] = value
            if rng.random() < 0.5:  # noqa: PLR2004
                cramps["sites"] = [*self.subset(self.vocab.sites, 2), "nose"]
                spoilt["cramps"] = cramps
        elif kind == "unknown-field":
            spoilt[rng.choice(("weight_kg", "Age", "symptom", "notes"))] = 70
        elif kind == "weeks-but-not-pregnant":
            spoilt["pregnant"] = False
            spoilt["pregnancy_weeks"] = rng.randint(0, 45)
        elif kind == "weeks-out-of-range":
            spoilt["pregnancy_weeks"] = rng.choice((46, -1, 20.5))
        elif kind == "present-and-absent":
            both = rng.choice(self.vocab.symptoms)
            spoilt["symptoms"] = sorted({*spoilt.get("symptoms", []), both})  # type: ignore[misc]
            spoilt["absent_symptoms"] = [both]
        elif kind == "reported-false-with-details":
            spoilt["cramps"] = {"reported": False, "sites": self.subset(self.vocab.sites, 2)}
        elif kind == "forbidden-medicine":
            spoilt["medications"] = [*medicines, rng.choice(FORBIDDEN_MEDICINES)]
        elif kind == "empty-medicine":
            spoilt["medications"] = [*medicines, rng.choice(("", " ", "\u200b", "\u00a0\u00a0"))]
        elif kind == "long-medicine":
            spoilt["medications"] = [*medicines, "x" * 201]
        elif kind == "too-many-medicines":
            spoilt["medications"] = [f"medicine {number}" for number in range(101)]
        elif kind == "cramps-out-of-range":
            cramps[rng.choice(("per_week", "minutes"))] = rng.choice((-1, 1441, 1e9))
            spoilt["cramps"] = cramps
        elif kind == "habits-out-of-range":
            spoilt["habits"] = rng.choice(
                ({"alcohol_units_per_week": 501}, {"caffeine_drinks_per_day": 101}, {"smoker": "yes"})
            )
        elif kind == "wrong-type":
            wrong: tuple[tuple[str, object], ...] = (
                ("symptoms", "headache"),
                ("medications", "aspirin"),
                ("cramps", []),
                ("habits", 3),
                ("pregnant", "yes"),
                ("medications", [1, 2]),
            )
            name, bad = rng.choice(wrong)
            spoilt[name] = bad
        else:
            return self.raw_text(), kind
        return json.dumps(spoilt, ensure_ascii=False), kind

    def raw_text(self) -> str:
        """A document that is no profile at all: not JSON, a repeated key, a lone surrogate, too deep..."""
        return self.rng.choice(
            (
                '{"age": 40,',
                '{"age": 40, "age": 41}',
                '{"medications": ["\\ud800"]}',
                "[]",
                "null",
                "",
                '{"bmi": NaN}',
                '{"cramps": {"per_week": Infinity}}',
                '{"medications": ["nul\\u0000"]}',
                '{"a":' * 40 + "1" + "}" * 40,
                '\ufeff{"age": 40}',
            )
        )


def worked_example_profiles(path: Path) -> list[tuple[str, str]]:
    """Each worked example's profile as JSON text, with its origin."""
    with path.open("rb") as file:
        cases = tomllib.load(file)["case"]
    return [(f"worked: {case['name']}", json.dumps(case["profile"], ensure_ascii=False)) for case in cases]


def generated_profiles(seed: int, count: int) -> list[tuple[str, str]]:
    """``count`` profiles drawn with ``random.Random(seed)``, as JSON text with their origin."""
    generator = Generator(seed, Vocabularies())
    profiles = []
    for _ in range(count):
        profile = generator.profile()
        if generator.maybe(INVALID_SHARE):
            text, kind = generator.spoil(profile)
            profiles.append((f"generated, spoilt: {kind}", text))
        else:
            profiles.append(("generated", json.dumps(profile, ensure_ascii=False)))
    return profiles


def _enum_values(schema: dict[str, object]) -> list[str]:
    """The allowed strings of a property (``enum`` of the property, of an ``anyOf`` branch or of the items)."""
    values: list[str] = []
    for part in (schema, schema.get("items"), *schema.get("anyOf", ())):  # type: ignore[misc]
        if isinstance(part, dict):
            values += part.get("enum", ())
    return values


def _schema_fields(schema: dict[str, object], root: dict[str, object], prefix: str) -> Iterator[tuple[str, str | None]]:
    """Every property path of a JSON Schema with ``None``, and with each allowed string; follows ``$ref``."""
    reference = schema.get("$ref")
    if isinstance(reference, str):
        schema = root["$defs"][reference.rsplit("/", 1)[-1]]  # type: ignore[index]
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return
    for name, sub in properties.items():
        path = f"{prefix}{name}"
        yield path, None
        for value in _enum_values(sub):
            yield path, value
        yield from _schema_fields(sub, root, f"{path}.")


def _used_fields(data: object, prefix: str = "") -> Iterator[tuple[str, str | None]]:
    """Every key path with a value other than null in JSON data with ``None``, and with each string it holds."""
    if not isinstance(data, dict):
        return
    for name, value in data.items():
        if value is None:
            continue
        path = f"{prefix}{name}"
        yield path, None
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                yield path, item
        yield from _used_fields(value, f"{path}.")


def check_coverage(profiles: list[tuple[str, str]]) -> None:
    """Stop unless the valid profiles use every field of ``crampkit.profile_schema()`` and every allowed value."""
    schema = crampkit.profile_schema()
    wanted = set(_schema_fields(schema, schema, ""))
    used: set[tuple[str, str | None]] = set()
    for _origin, text in profiles:
        try:
            crampkit.load_profile(text)
        except crampkit.InvalidInputError:
            continue
        used.update(_used_fields(json.loads(text)))
    missing = sorted(f"{path}={value}" if value else path for path, value in wanted - used)
    if missing:
        sys.exit(f"compare_outputs: no valid profile of the corpus uses: {', '.join(missing)}")


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """Run ``crampkit.cli.main(argv)`` in-process; return the exit code, standard output and standard error.

    Standard output and error are swapped for UTF-8 text streams over
    ``BytesIO``, so what is written as text and what is written to their
    ``.buffer`` are both caught, in order.
    """
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", newline="\n", write_through=True)
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", newline="\n", write_through=True)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # argparse, for one
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except Exception as exc:  # noqa: BLE001 - a crash is an output to record, not a reason to stop
            err.write(f"[exception] {type(exc).__name__}: {exc}\n")
            code = -1
        out.flush()
        err.flush()
    return code, out_bytes.getvalue().decode("utf-8"), err_bytes.getvalue().decode("utf-8")


def _error_text(exc: Exception) -> str:
    """What an exception from the Python API says: its class, message and, for bad input, its data."""
    text = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, crampkit.InvalidInputError):
        text += "\n" + json.dumps(exc.as_data(), ensure_ascii=False)
    return text


def run_api(call: Callable[[], str]) -> tuple[int, str, str]:
    """Run ``call``; return 0 and its text, or 1 and the exception it raised, as standard error."""
    try:
        return 0, call(), ""
    except Exception as exc:  # noqa: BLE001 - a crash is an output to record, not a reason to stop
        return EXIT_API_ERROR, "", _error_text(exc)


def _api_outputs(profile: "crampkit.Profile | Exception", region: str) -> Iterator[tuple[str, tuple[int, str, str]]]:
    """The Python API's outputs for one profile (or the error loading it gave) in one region."""
    if isinstance(profile, Exception):
        error = _error_text(profile)
    else:
        try:
            guidance = crampkit.recommend(profile, region=region)
        except Exception as exc:  # noqa: BLE001 - a crash is an output to record, not a reason to stop
            error = _error_text(exc)
        else:
            yield "api-json", run_api(lambda: crampkit.to_json(guidance))
            cards = lambda: json.dumps(crampkit.to_cds_hooks(guidance), ensure_ascii=False, separators=(",", ":"))  # noqa: E731
            yield "api-cds-hooks", run_api(cards)
            return
    yield "api-json", (EXIT_API_ERROR, "", error)
    yield "api-cds-hooks", (EXIT_API_ERROR, "", error)


def outputs_of(index: int, text: str, path: Path) -> Iterator[Record]:
    """Every output for one profile (JSON text), in every region and medium; ``path`` is where to write it."""
    path.write_text(text, encoding="utf-8")
    profile: crampkit.Profile | Exception
    try:
        profile = crampkit.load_profile(text)
    except Exception as exc:  # noqa: BLE001 - recorded for every API medium
        profile = exc
    for region in crampkit.REGIONS:
        for form in CLI_FORMATS:
            result = run_cli(["recommend", path.name, "--format", form, "--region", region])
            yield _output(index, region, f"cli-{form}", result)
        for medium, result in _api_outputs(profile, region):
            yield _output(index, region, medium, result)


def _output(index: int, region: str, medium: str, result: tuple[int, str, str]) -> Record:
    """An ``output`` record: ``result`` is the exit code, standard output and standard error."""
    code, stdout, stderr = result
    return {
        "kind": "output",
        "index": index,
        "region": region,
        "medium": medium,
        "exit": code,
        "stdout": stdout,
        "stderr": stderr,
    }


@contextlib.contextmanager
def _open_for_writing(path: Path) -> Iterator[io.TextIOWrapper]:
    """A gzip text stream with no time stamp or file name in its header (so equal content, equal bytes)."""
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as compressed,
        io.TextIOWrapper(compressed, encoding="utf-8", newline="\n") as text,
    ):
        yield text


def read_records(path: Path) -> Iterator[Record]:
    """Every record of a recording, in order."""
    with gzip.open(path, "rt", encoding="utf-8", newline="\n") as file:
        for line in file:
            yield json.loads(line)


def record(args: argparse.Namespace) -> int:
    """The ``record`` command: write every output for the corpus to ``args.out``."""
    start = time.perf_counter()
    if args.profiles_from is not None:
        profiles = [
            (str(item["origin"]), str(item["text"]))
            for item in read_records(args.profiles_from)
            if item["kind"] == "profile"
        ]
        seed, generated = None, None
    else:
        profiles = worked_example_profiles(args.worked_examples) + generated_profiles(args.seed, args.generated)
        seed, generated = args.seed, args.generated
        check_coverage(profiles)
    header: Record = {
        "kind": "header",
        "format": FORMAT_VERSION,
        "crampkit": crampkit.__version__,
        "crampkit_file": crampkit.__file__,
        "python": platform.python_version(),
        "seed": seed,
        "generated": generated,
        "profiles": len(profiles),
        "regions": list(crampkit.REGIONS),
        "media": list(MEDIA),
    }
    media: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    invalid = 0
    with _open_for_writing(args.out) as file, tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        # The profile file is always ./profile.json, so no temporary path can show up in a message.
        path = Path(folder) / "profile.json"
        file.write(json.dumps(header, ensure_ascii=False) + "\n")
        for index, (origin, text) in enumerate(profiles):
            file.write(json.dumps({"kind": "profile", "index": index, "origin": origin, "text": text}) + "\n")
        for index, (_origin, text) in enumerate(profiles):
            failed_regions: set[object] = set()
            for output in outputs_of(index, text, path):
                file.write(json.dumps(output, ensure_ascii=False) + "\n")
                media[str(output["medium"])] += 1
                if output["exit"] != 0:
                    failures[str(output["medium"])] += 1
                    if output["medium"] == "api-json":
                        failed_regions.add(output["region"])
            invalid += crampkit.DEFAULT_REGION in failed_regions
            if args.progress and (index + 1) % PROGRESS_EVERY == 0:
                print(f"  {index + 1}/{len(profiles)} profiles", file=sys.stderr)
    seconds = time.perf_counter() - start
    print(f"crampkit {header['crampkit']} from {header['crampkit_file']}")
    print(f"profiles: {len(profiles)} (invalid: {invalid}); regions: {', '.join(crampkit.REGIONS)}")
    print(f"outputs recorded: {sum(media.values())} in {seconds:.1f} s")
    for medium in MEDIA:
        print(f"  {medium:<14} {media[medium]:>7}  (exit code not 0: {failures[medium]})")
    return 0


def _without_keys(stdout: str, keys: frozenset[str]) -> str:
    """A JSON object's text with the top-level ``keys`` dropped, re-serialised compactly (as is if not an object)."""
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError:
        return stdout
    if not isinstance(data, dict):
        return stdout
    kept = {name: value for name, value in data.items() if name not in keys}
    return json.dumps(kept, ensure_ascii=False, separators=(",", ":")) + ("\n" if stdout.endswith("\n") else "")


def _normalised(output: Record, ignored: frozenset[str]) -> tuple[object, str, str]:
    """The parts of an output that are compared."""
    stdout = str(output["stdout"])
    if ignored and output["medium"] in JSON_GUIDANCE_MEDIA and output["exit"] == 0:
        stdout = _without_keys(stdout, ignored)
    return output["exit"], stdout, str(output["stderr"])


def _readable(text: str) -> str:
    """JSON text indented, one value a line, so that a diff points at what changed; other text as it is."""
    try:
        return json.dumps(json.loads(text), indent=1, ensure_ascii=False)
    except json.JSONDecodeError:
        return text


def _diff(old: tuple[object, str, str], new: tuple[object, str, str]) -> list[str]:
    """A unified diff of two outputs: exit code, standard output and standard error, each labelled."""
    lines: list[str] = []
    if old[0] != new[0]:
        lines.append(f"exit code: {old[0]} -> {new[0]}")
    for label, before, after in (("stdout", old[1], new[1]), ("stderr", old[2], new[2])):
        if before == after:
            continue
        diff = list(
            difflib.unified_diff(
                _readable(before).splitlines(),
                _readable(after).splitlines(),
                f"old {label}",
                f"new {label}",
                n=2,
                lineterm="",
            )
        )
        if not diff:  # only spacing or line ends differ: show the text as it is, with its escapes
            before_lines = [repr(line) for line in before.splitlines(keepends=True)]
            after_lines = [repr(line) for line in after.splitlines(keepends=True)]
            diff = list(difflib.unified_diff(before_lines, after_lines, f"old {label}", f"new {label}", lineterm=""))
        lines.extend(diff)
    if len(lines) > DIFF_LINES:
        lines = [*lines[:DIFF_LINES], f"... ({len(lines) - DIFF_LINES} more diff lines)"]
    return lines


def _key(output: Record) -> Key:
    return int(output["index"]), str(output["region"]), str(output["medium"])  # type: ignore[call-overload]


def compare(args: argparse.Namespace) -> int:  # noqa: PLR0915 - one pass, counted as it goes
    """The ``compare`` command: compare two recordings output by output; 1 when any differ."""
    ignored = frozenset(key.strip() for key in (args.ignore_json_keys or "").split(",") if key.strip())
    old_profiles: dict[int, tuple[str, str]] = {}
    new_profiles: dict[int, tuple[str, str]] = {}
    headers: list[Record] = []
    compared: Counter[str] = Counter()
    differing: Counter[str] = Counter()
    shown: list[str] = []
    pending_old: dict[Key, Record] = {}
    pending_new: dict[Key, Record] = {}

    def check(old: Record, new: Record) -> None:
        medium = str(old["medium"])
        compared[medium] += 1
        before, after = _normalised(old, ignored), _normalised(new, ignored)
        if before != after:
            differing[medium] += 1
            if len(shown) < SHOWN_DIFFERENCES:
                index, region, _ = _key(old)
                origin, text = old_profiles.get(index, ("?", "?"))
                if len(text) > PROFILE_SHOWN:
                    text = text[:PROFILE_SHOWN] + "..."
                shown.append(f"=== profile {index}, region {region}, {medium} ({origin}): {text}")
                shown.extend(_diff(before, after))

    def take(
        item: Record | None, profiles: dict[int, tuple[str, str]], mine: dict[Key, Record], theirs: dict[Key, Record]
    ) -> None:
        if item is None:
            return
        if item["kind"] == "header":
            headers.append(item)
        elif item["kind"] == "profile":
            profiles[int(item["index"])] = str(item["origin"]), str(item["text"])  # type: ignore[call-overload]
        else:
            key = _key(item)
            other = theirs.pop(key, None)
            if other is None:
                mine[key] = item
            elif mine is pending_old:
                check(item, other)
            else:
                check(other, item)

    for old, new in itertools.zip_longest(read_records(args.old), read_records(args.new)):
        # Both recordings are normally in the same order, so the pending maps stay (almost) empty.
        take(old, old_profiles, pending_old, pending_new)
        take(new, new_profiles, pending_new, pending_old)

    for label, header in zip(("old", "new"), headers, strict=False):
        print(f"{label}: crampkit {header['crampkit']} from {header['crampkit_file']} (Python {header['python']})")
    changed_inputs = sorted(
        index
        for index in old_profiles.keys() | new_profiles.keys()
        if old_profiles.get(index, ("", ""))[1] != new_profiles.get(index, ("", ""))[1]
    )
    if changed_inputs:
        print(f"THE CORPORA DIFFER at {len(changed_inputs)} profiles (first: {changed_inputs[:10]});")
        print("record the new one with --profiles-from OLD to reuse the old corpus.")
    total, different = sum(compared.values()), sum(differing.values())
    print(f"profiles: {len(old_profiles)} old, {len(new_profiles)} new")
    if ignored:
        print(f"ignoring top-level JSON keys of Guidance outputs: {', '.join(sorted(ignored))}")
    print(f"outputs compared: {total}; differences: {different}")
    print(f"only in old: {len(pending_old)}; only in new: {len(pending_new)}")
    seen = compared.keys() | differing.keys()
    for medium in [name for name in MEDIA if name in seen] + sorted(seen - set(MEDIA)):
        print(f"  {medium:<14} compared {compared[medium]:>7}  different {differing[medium]:>7}")
    for label, pending in (("only in old", pending_old), ("only in new", pending_new)):
        for key in sorted(pending)[:SHOWN_DIFFERENCES]:
            print(f"{label}: profile {key[0]}, region {key[1]}, {key[2]}")
    if shown:
        print(f"first {min(different, SHOWN_DIFFERENCES)} differences:")
        print("\n".join(shown))
    return 1 if different or pending_old or pending_new or changed_inputs else 0


def parser() -> argparse.ArgumentParser:
    """The command-line parser."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    rec = commands.add_parser("record", help="record every output for the corpus")
    rec.add_argument("out", type=Path, metavar="OUT.jsonl.gz")
    rec.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"(default: {DEFAULT_SEED})")
    rec.add_argument(
        "--generated", type=int, default=DEFAULT_GENERATED, help=f"profiles to generate (default: {DEFAULT_GENERATED})"
    )
    rec.add_argument("--worked-examples", type=Path, default=WORKED_EXAMPLES, help=f"(default: {WORKED_EXAMPLES})")
    rec.add_argument("--profiles-from", type=Path, help="reuse the corpus of this recording instead of building one")
    rec.add_argument("--progress", action="store_true", help="report progress on standard error")
    cmp = commands.add_parser("compare", help="compare two recordings; exit 1 if any output differs")
    cmp.add_argument("old", type=Path, metavar="OLD.jsonl.gz")
    cmp.add_argument("new", type=Path, metavar="NEW.jsonl.gz")
    cmp.add_argument(
        "--ignore-json-keys",
        metavar="K1,K2",
        help="drop these top-level keys from JSON Guidance outputs (cli-json, api-json) before comparing",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit code."""
    args = parser().parse_args(argv)
    return record(args) if args.command == "record" else compare(args)


if __name__ == "__main__":
    sys.exit(main())
