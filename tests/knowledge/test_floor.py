"""Hardening at the knowledge-base boundary: the safety floor, extension with a floor, hostile files.

Every reproducer of issue 10 about knowledge bases is here, with the exact
message it now gives.
"""

import copy
import io
import json
import os
import tomllib
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given

import crampkit
from crampkit import (
    ChangeKind,
    KnowledgeBaseChange,
    KnowledgeBaseError,
    ProblemCode,
    load_knowledge_base,
    recommend,
)
from crampkit.io import reading as _reading
from crampkit.knowledge import load as _kb
from crampkit.knowledge import safety as _safety
from crampkit.knowledge.items import Criteria
from strategies import hostile_text

KB = crampkit.default_knowledge_base()
MINI = Path(__file__).parents[1] / "data" / "mini.toml"
OVERRIDE = "to do this on purpose, give the reason under [overrides]"


def mini() -> dict[str, Any]:
    return tomllib.loads(MINI.read_text())


def problems_of(source: object) -> tuple[str, ...]:
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(source)
    return tuple(str(problem) for problem in info.value.problems)


def packaged(item_id: str, **changes: object) -> dict[str, Any]:
    data: dict[str, Any] = crampkit.unstructure(KB.get(item_id))
    return data | changes


def extension(**sections: object) -> dict[str, Any]:
    return {"extends": "default", "version": "clinic-1", **sections}


class TestIssueReproducers:
    """The second paragraph of issue 10: a custom knowledge base could silently remove safety."""

    def test_disabling_the_clot_flags_under_the_packaged_version(self) -> None:
        found = problems_of(
            {
                "extends": "default",
                "version": KB.version,
                "disable": ["possible-clot", "clot-to-lung-swelling", "clot-to-lung-redness"],
            }
        )
        assert found == (
            (
                "red_flags (clot-to-lung-swelling): removes a packaged red flag. To do this on purpose, "
                'give the reason under [overrides] (clot-to-lung-swelling = "...")'
            ),
            (
                "red_flags (clot-to-lung-redness): removes a packaged red flag. To do this on purpose, give the reason "
                'under [overrides] (clot-to-lung-redness = "...")'
            ),
            (
                "red_flags (possible-clot): removes a packaged red flag. To do this on purpose, give the reason under "
                '[overrides] (possible-clot = "...")'
            ),
            (
                f"version: '{KB.version}' is the packaged knowledge base's version, and this one differs from it; "
                "give it its own version"
            ),
        )

    def test_the_swollen_calf_stays_an_emergency(self) -> None:
        profile = crampkit.load_profile({"symptoms": ["calf-swelling", "breathlessness"]})
        assert recommend(profile).triage is crampkit.Urgency.EMERGENCY
        with pytest.raises(KnowledgeBaseError):
            load_knowledge_base(extension(disable=["possible-clot", "clot-to-lung-swelling", "clot-to-lung-redness"]))

    def test_replacing_an_intervention_whole_keeps_its_contraindications(self) -> None:
        problems = problems_of(extension(interventions=[packaged("massage", contraindications=[])]))
        found = next(problem for problem in problems if problem.startswith("interventions (massage): drops"))
        assert found.startswith(
            "interventions (massage): drops one of its packaged contraindications ('A swollen, red or warm calf"
        )
        assert found.endswith('To do this on purpose, give the reason under [overrides] (massage = "...")')
        # and the floor itself: no rubbing with a possible clot or muscle breakdown (the exclusion table)
        assert any("(exclusion table, row no-stretch-or-rub-with-a-possible-clot)" in problem for problem in problems)

    def test_a_red_flag_replaced_at_self_care(self) -> None:
        assert problems_of(
            extension(
                red_flags=[packaged("possible-clot", urgency="self-care", short=None, advice="Rest.", escalations=[])]
            )
        ) == (
            (
                "red_flags (possible-clot): replaces a packaged red flag; lowers its urgency from urgent to self-care. "
                'To do this on purpose, give the reason under [overrides] (possible-clot = "...")'
            ),
            "red_flags (possible-clot): urgency: a red flag must be at least routine, got self-care",
        )

    def test_an_intervention_with_a_dose(self) -> None:
        quinine = packaged(
            "quinine-routine",
            id="quinine-nightly",
            stance="recommended",
            reason=None,
            instructions=["Take 300 mg quinine every night, including in pregnancy."],
        )
        assert problems_of(extension(interventions=[quinine])) == (
            "interventions (quinine-nightly): instructions[0]: gives a dose ('300 mg'); crampkit never gives doses",
        )

    def test_kb_check_no_longer_calls_it_valid(self, tmp_path: Path) -> None:
        from crampkit.cli import main  # noqa: PLC0415

        path = tmp_path / "unsafe.json"
        path.write_text(json.dumps({"extends": "default", "version": "2026.11", "disable": ["possible-clot"]}))
        errors = io.StringIO()
        assert main(["kb", "check", str(path)], stderr=errors) == 2
        assert "removes a packaged red flag" in errors.getvalue()


class TestTheFloor:
    def test_the_packaged_knowledge_base_meets_it(self) -> None:
        assert _safety.floor_problems(KB) == ()
        assert all(source.url.startswith("https://") for source in KB.sources)

    @pytest.mark.parametrize(
        "text",
        [
            "Take 300 mg at night.",
            "2.5mg",
            "500 micrograms",
            "10 ml of syrup",
            "1000 IU of vitamin D",
            "1000 units of vitamin D",
            "2 tablets a day",
            "one tablet",
            "3 times daily",
            "twice a day",
            "4x daily",
            "1 g of magnesium",
        ],
    )
    def test_doses_are_found(self, text: str) -> None:
        assert _safety.DOSE.search(text), text

    @pytest.mark.parametrize(
        "text",
        [
            "more than 14 units a week",
            "14 units of alcohol",
            "beta-2 agonists",
            "within 30 minutes",
            "999 in the UK",
            "after 20 weeks",
            "BMI 30 or more",
            "about 10 minutes",
            "Age 50 to 59",
        ],
    )
    def test_what_is_not_a_dose(self, text: str) -> None:
        assert not _safety.DOSE.search(text), text

    def test_each_rule_on_a_small_knowledge_base(self) -> None:
        data = mini()
        data["sources"][0]["url"] = "javascript:alert(1)"
        data["red_flags"][1]["advice"] = "Rest and see how it goes."
        data["red_flags"][2]["urgency"] = "self-care"
        data["causes"][0]["summary"] = "Take two tablets a day."
        assert problems_of(data) == (
            "causes (idiopathic-cramps): summary: gives a dose ('two tablets'); crampkit never gives doses",
            "red_flags (frequent): urgency: a red flag must be at least routine, got self-care",
            (
                "red_flags (breathless-clot): advice: an emergency red flag must say to call emergency services "
                "(name them, 999, 112, 911 or 000, or use {emergency}); not in region uk, us, eu, au"
            ),
            "sources (src-a): url: must be an https:// link, got 'javascript:alert(1)'",
        )

    def test_ids_must_match_as_a_whole(self) -> None:
        data = mini()
        data["causes"][2]["id"] = "exertion\n"
        found = problems_of(data)
        assert found[0] == (
            "causes[2] ('exertion\\n'): id: must be a kebab-case id "
            "(lower-case letters and digits, joined by hyphens), got 'exertion\\n'"
        )
        look_alike = copy.copy(KB.causes[0])  # a copy is not built through __init__, so not checked
        object.__setattr__(look_alike, "id", "look-alike\n")
        unchecked = attrs.evolve(KB, causes=(look_alike,))
        (problem,) = _safety.ids_are_kebab_case(unchecked)
        assert (problem.path, problem.code) == (("causes", 0, "id"), ProblemCode.BELOW_SAFETY_FLOOR)
        assert str(problem) == (
            "causes (look-alike\n): id: must be a kebab-case id "
            "(lower-case letters and digits, joined by hyphens), got 'look-alike\\n'"
        )

    def test_rules_can_be_added(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def no_magnesium(knowledge_base: crampkit.KnowledgeBase) -> list[str]:
            return [f"{i.id}: magnesium" for i in knowledge_base.interventions if "magnesium" in i.id]

        monkeypatch.setattr(_safety, "RULES", [*_safety.RULES, no_magnesium])
        _kb.default_knowledge_base.cache_clear()
        try:
            with pytest.raises(KnowledgeBaseError, match="magnesium-older-adults: magnesium"):
                crampkit.default_knowledge_base()
        finally:
            _kb.default_knowledge_base.cache_clear()


class TestExtensionWithAFloor:
    def test_an_override_is_recorded_and_reaches_the_guidance(self) -> None:
        clinic = load_knowledge_base(
            extension(
                disable=["possible-clot", "cut-down-alcohol"],
                overrides={"possible-clot": "Our clinic triages clots by phone."},
            )
        )
        assert clinic.changes == (  # in the packaged order: interventions come before red flags
            KnowledgeBaseChange(id="cut-down-alcohol", section="interventions", kind=ChangeKind.REMOVED),
            KnowledgeBaseChange(
                id="possible-clot",
                section="red_flags",
                kind=ChangeKind.REMOVED,
                reason="Our clinic triages clots by phone.",
            ),
        )
        guidance = recommend(crampkit.Profile(), knowledge_base=clinic)
        assert guidance.knowledge_base_version == "clinic-1"
        assert set(guidance.knowledge_base_changes) == set(clinic.changes)
        assert crampkit.structure(json.loads(crampkit.to_json(guidance)), crampkit.Guidance) == guidance

    @pytest.mark.parametrize(
        ("item", "expected"),
        [
            (
                packaged("possible-clot", when={"all": ["symptom-calf-swelling", "symptom-redness-or-warmth"]}),
                "replaces a packaged red flag; no longer fires for every profile it fired for",
            ),
            (packaged("possible-clot", advice="Call us.", escalations=[]), "replaces a packaged red flag"),
            (packaged("quinine-routine", when={"all": ["age-60-plus"]}), "no longer warns every profile it warned"),
            (packaged("quinine-routine", stance="optional"), "makes a not-recommended intervention optional"),
            (
                # not statins: the statin warnings name statins, and only the medicines of their own criteria
                packaged("beta-blockers", ingredients=["salbutamol"], fact="drug-saba"),
                "drops packaged ingredients; changes its fact from drug-beta-blocker to drug-saba",
            ),
        ],
    )
    def test_replacements_that_need_a_reason(self, item: dict[str, Any], expected: str) -> None:
        section = "red_flags" if "urgency" in item else "drug_classes" if "fact" in item else "interventions"
        (found,) = problems_of(extension(**{section: [item]}))
        assert found.startswith(f"{section} ({item['id']}): {expected}. ")
        load_knowledge_base(extension(**{section: [item]}, overrides={item["id"]: "Reviewed by our pharmacist."}))

    @pytest.mark.parametrize(
        ("item_id", "expected"),
        [
            ("quinine-routine", "removes a packaged warning (a not-recommended intervention)"),
            ("massage", "removes a packaged intervention with contraindications"),
            ("statins", "removes a packaged drug class (its medicines would no longer be recognised)"),
        ],
    )
    def test_removals_that_need_a_reason(self, item_id: str, expected: str) -> None:
        with pytest.raises(KnowledgeBaseError) as raised:
            load_knowledge_base(extension(disable=[item_id]))
        (problem,) = raised.value.problems
        assert str(problem).startswith(f"{problem.location}: {expected}. To do this on purpose")
        assert (problem.path, problem.code) == (("overrides", item_id), "needs-override")

    def test_changes_that_keep_the_safety_need_no_reason(self) -> None:
        massage = packaged("massage", name="Gentle massage")
        massage["contraindications"] = [*massage["contraindications"], {"when": {"any": ["pregnant"]}, "reason": "x"}]
        flag = packaged("possible-clot")
        clinic = load_knowledge_base(
            extension(
                interventions=[massage, packaged("quinine-routine", when={})],
                causes=[packaged("idiopathic", name="Unexplained")],
                drug_classes=[packaged("statins", brand_names=[*KB.get("statins").brand_names, "newstatin"])],
                red_flags=[
                    flag | {"urgency": "emergency", "advice": "Call 999.", "short": "Call 999.", "escalations": []}
                ],
                overrides={"possible-clot": "Our service treats any swollen calf as an emergency."},
            )
        )
        assert {(c.id, c.kind, c.reason is None) for c in clinic.changes} == {
            ("idiopathic", ChangeKind.REPLACED, True),
            ("statins", ChangeKind.REPLACED, True),
            ("massage", ChangeKind.REPLACED, True),
            ("quinine-routine", ChangeKind.REPLACED, True),
            ("possible-clot", ChangeKind.REPLACED, False),
        }

    def test_overrides_must_match_a_change(self) -> None:
        assert problems_of(extension(overrides={"possible-clot": "just in case", "no-such-id": "x"})) == (
            "overrides: 'possible-clot': no packaged item of that id is removed or replaced here",
            "overrides: 'no-such-id': no packaged item of that id is removed or replaced here",
        )

    @pytest.mark.parametrize(
        ("document", "expected"),
        [
            (  # a knowledge base of its own may have overrides too (for packaged ids it changes)
                {"version": "x", "overrides": {"a": "b"}},
                "overrides: 'a': no packaged item of that id is removed or replaced here",
            ),
            (
                extension(overrides=["possible-clot"]),
                "overrides: expected a table of ids, each with the reason for its change",
            ),
            (extension(overrides={"possible-clot": " "}), "overrides: 'possible-clot': the reason must not be empty"),
            (
                {"extends": "default", "disable": ["possible-clot"], "overrides": {"possible-clot": "phone triage"}},
                "version: missing; a knowledge base with overrides must give its own version",
            ),
            (
                {"extends": "default", "version": f"{KB.version}+custom"},
                (
                    f"version: '{KB.version}+custom' is the packaged version with a local suffix, which is reserved "
                    f"('{KB.version}+custom' names an extension that gives no version); choose another"
                ),
            ),
            ({"version": "x\x1b[2J"}, "version: must not contain control characters (found U+001B at position 2)"),
        ],
    )
    def test_meta_problems(self, document: dict[str, Any], expected: str) -> None:
        assert expected in problems_of(document)

    def test_odd_keys_in_a_mapping(self) -> None:
        assert problems_of({"version": "x", 1: [], "\x1b": []}) == (
            (
                "unknown section '\\x1b' (known: disable, extends, overrides, version, sources, causes, risk_factors, "
                "drug_classes, interventions, red_flags, signs, population_rules, audit, ingredients, products)"
            ),
            (
                "unknown section 1 (known: disable, extends, overrides, version, sources, causes, risk_factors, "
                "drug_classes, interventions, red_flags, signs, population_rules, audit, ingredients, products)"
            ),
        )

    def test_the_same_override_twice_in_a_folder(self, tmp_path: Path) -> None:
        item = "cut-down-alcohol"
        (tmp_path / "a.toml").write_text(f'extends = "default"\nversion = "c"\n[overrides]\n{item} = "no ice"\n')
        (tmp_path / "b.toml").write_text(f'disable = ["{item}"]\n[overrides]\n{item} = "again"\n')
        assert problems_of(tmp_path) == ("b.toml: overrides: 'cut-down-alcohol': given twice",)

    def test_versions(self) -> None:
        assert load_knowledge_base({"extends": "default"}).version == f"{KB.version}+custom"
        copy = load_knowledge_base(crampkit.unstructure(KB))
        assert copy == KB  # an unchanged copy may keep the packaged version
        assert load_knowledge_base(MINI).version == "test-1"

    def test_criteria_cover(self) -> None:
        def c(**fields: list[str]) -> Criteria:
            return Criteria(**{f"{key}_of": value for key, value in fields.items()})

        cover = _safety.criteria_cover
        assert cover(c(any=["pregnant", "obesity"]), c(any=["pregnant"]))
        assert cover(c(all=["pregnant"]), c(any=["pregnant"]))
        assert cover(c(any=["pregnant", "smoker"]), c(all=["pregnant", "obesity"]))
        assert cover(c(), c(all=["pregnant"]))
        assert not cover(c(all=["pregnant"]), c(any=["pregnant", "obesity"]))
        assert not cover(c(none=["smoker"]), c(all=["pregnant"]))
        assert not cover(c(any=["smoker"]), c(all=["pregnant"]))
        assert not cover(c(any=["smoker"]), c())


class TestSignsAndPopulationRulesAreProtected:
    """Signs and population rules carry safety too: an extension changes them only with a reason."""

    def test_removing_a_sign_needs_a_reason_and_leaves_its_symptom_without_one(self) -> None:
        found = problems_of(extension(disable=["sign-seizure"]))
        assert found[0].startswith("signs (sign-seizure): removes a packaged sign.")
        assert any("missing: seizure" in problem for problem in found[1:])

    def test_lowering_a_sign_needs_a_reason(self) -> None:
        (found,) = problems_of(
            extension(signs=[packaged("sign-seizure", urgency="routine", advice="See a GP.", short=None)])
        )
        assert found == (
            "signs (sign-seizure): replaces a packaged sign; lowers its urgency from emergency to routine. "
            'To do this on purpose, give the reason under [overrides] (sign-seizure = "...")'
        )
        allowed = load_knowledge_base(
            extension(
                signs=[packaged("sign-seizure", advice="Call 999, or your epilepsy team's number.")],
                overrides={"sign-seizure": "Our service adds the epilepsy team's number."},
            )
        )
        assert [(change.id, change.kind.value) for change in allowed.changes] == [("sign-seizure", "replaced")]

    def test_removing_a_sign_needs_a_reason(self) -> None:
        removed = problems_of(extension(disable=["sign-seizure"]))
        assert removed[0].startswith("signs (sign-seizure): removes a packaged sign.")

    def test_removing_or_replacing_a_population_rule_needs_a_reason(self) -> None:
        removed = problems_of(extension(disable=["nsaid-harm"]))
        assert removed[0].startswith("population_rules (nsaid-harm): removes a packaged population rule.")
        # and the floor still refuses ibuprofen for the groups the rule protected, reason or not
        assert any(problem.startswith("ibuprofen-after: must be left out when") for problem in removed[1:])
        (replaced,) = problems_of(extension(population_rules=[packaged("nsaid-harm", reason="Ask first.")]))
        assert replaced.startswith("population_rules (nsaid-harm): replaces a packaged population rule.")


class TestHostileFiles:
    def test_deeply_nested_json_and_toml(self, tmp_path: Path) -> None:
        deep_json = tmp_path / "deep.json"
        deep_json.write_text('{"version": "x", "causes": ' + "[" * 100_000 + "]" * 100_000 + "}")
        assert problems_of(deep_json) == (
            "deep.json: cannot be parsed: not valid JSON: nested more than 32 levels deep",
        )
        deep_toml = tmp_path / "deep.toml"
        deep_toml.write_text('version = "x"\nvalue = ' + "[" * 5000 + "]" * 5000 + "\n")
        assert problems_of(deep_toml) == ("deep.toml: cannot be parsed: nested more than 32 levels deep",)
        less_deep = tmp_path / "less.toml"
        less_deep.write_text('version = "x"\nvalue = ' + "[" * 40 + "]" * 40 + "\n")
        assert problems_of(less_deep) == ("less.toml: nested more than 32 levels deep",)
        nested: dict[str, Any] = {}
        for _ in range(40):
            nested = {"a": nested}
        assert problems_of({"version": "x", "x": nested}) == ("nested more than 32 levels deep",)

    def test_numbers_too_long_and_repeated_keys(self, tmp_path: Path) -> None:
        long_int = tmp_path / "long.toml"
        long_int.write_text('version = "x"\nn = ' + "9" * 5000 + "\n")
        assert problems_of(long_int) == ("long.toml: cannot be parsed: a whole number has too many digits",)
        twice = tmp_path / "twice.json"
        twice.write_text('{"version": "a", "version": "b"}')
        assert problems_of(twice) == (
            "twice.json: cannot be parsed: not valid JSON: the key 'version' appears twice in one object",
        )
        not_utf8 = tmp_path / "latin1.toml"
        not_utf8.write_bytes('version = "café"'.encode("latin-1"))
        assert problems_of(not_utf8) == ("latin1.toml: cannot be parsed: not UTF-8 text (byte 0xE9 at position 15)",)
        with_bom = tmp_path / "bom.toml"
        with_bom.write_bytes(b"\xef\xbb\xbf" + MINI.read_bytes())
        assert load_knowledge_base(with_bom).version == "test-1"

    def test_a_folder_reports_every_file_it_cannot_read(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        (tmp_path / "a.toml").write_text(MINI.read_text())
        (tmp_path / "sub.toml").mkdir()
        (tmp_path / "dangling.toml").symlink_to(tmp_path / "nowhere.toml")
        os.mkfifo(tmp_path / "pipe.json")
        (tmp_path / "locked.toml").write_text("")
        (tmp_path / "broken.json").write_text("{")
        real_open = open

        def refuse_locked(path: str, *args: Any, **kwargs: Any) -> Any:
            if str(path).endswith("locked.toml"):
                raise PermissionError(13, "Permission denied")
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(_reading, "open", refuse_locked, raising=False)
        assert problems_of(tmp_path) == (
            (
                "broken.json: cannot be parsed: not valid JSON: Expecting property name enclosed in double quotes: "
                "line 1 column 2 (char 1)"
            ),
            "dangling.toml: cannot be read: it is a link to a file that does not exist",
            "locked.toml: cannot be read: Permission denied",
            "pipe.json: cannot be read: it is not a regular file",
            "sub.toml: cannot be read: it is a folder, not a file",
        )

    def test_unreadable_folders_and_odd_paths(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        def refuse(_path: str) -> list[str]:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(os, "listdir", refuse)
        assert problems_of(tmp_path) == (f"{tmp_path.name}: cannot be read: Permission denied",)
        monkeypatch.undo()
        assert problems_of("kb\x00.toml") == ("'kb\\x00.toml': cannot be read: the path contains a null character",)
        assert problems_of(tmp_path / "file.toml" / "below.toml") == ("below.toml: cannot be read: no such file",)
        (tmp_path / "file.toml").write_text("")
        assert problems_of(tmp_path / "file.toml" / "below.toml") == ("below.toml: cannot be read: Not a directory",)
        assert problems_of(3) == (
            "load_knowledge_base(): source: expected a path (a str or os.PathLike) or a mapping, got an int",
        )
        assert problems_of(b"kb.toml") == (
            "load_knowledge_base(): source: expected a path (a str or os.PathLike) or a mapping, got a bytes",
        )

        class BytesPath:
            def __fspath__(self) -> bytes:
                return b"kb.toml"

        assert problems_of(BytesPath()) == ("load_knowledge_base(): source: expected a path as text, got bytes",)
        weird = tmp_path / "odd\x1b[31m.toml"
        weird.write_text("version = ")
        (problem,) = problems_of(weird)
        assert problem.startswith("'odd\\x1b[31m.toml': cannot be parsed: ")

    @given(hostile_text)
    def test_hostile_text_in_any_field_is_a_problem_or_safe(self, text: str) -> None:
        data = mini()
        data["red_flags"][0]["advice"] = text
        data["causes"][0]["id"] = text
        try:
            knowledge_base = load_knowledge_base(data)
        except KnowledgeBaseError as error:
            assert all(str(problem).isprintable() for problem in error.problems)
        else:
            assert knowledge_base.red_flags[0].advice == text


# -- every floor problem points at the field in the knowledge base's JSON (found by mutation testing) ------------

_MINI_KB = crampkit.load_knowledge_base(MINI)
_SEIZURE = next(index for index, sign in enumerate(_MINI_KB.signs) if sign.id == "sign-of-seizure")


def _with(section: str, index: int, **changes: object) -> crampkit.KnowledgeBase:
    items = list(getattr(_MINI_KB, section))
    items[index] = attrs.evolve(items[index], **changes)
    return attrs.evolve(_MINI_KB, **{section: tuple(items)})


@pytest.mark.parametrize(
    ("unsafe", "path", "line"),
    [
        (
            lambda: _with("red_flags", 0, urgency=crampkit.Urgency.SELF_CARE),
            ("red_flags", 0, "urgency"),
            "red_flags (clot): urgency: a red flag must be at least routine, got self-care",
        ),
        (
            lambda: attrs.evolve(_MINI_KB, signs=(*_MINI_KB.signs, attrs.evolve(_MINI_KB.signs[0], id="sign-again"))),
            ("signs", len(_MINI_KB.signs), "symptom"),
            "sign-again: symptom 'calf-swelling' already has the sign 'sign-of-calf-swelling'",
        ),
        (
            lambda: attrs.evolve(_MINI_KB, signs=_MINI_KB.signs[1:]),
            ("signs",),
            "signs: every symptom needs a sign with its standalone urgency; missing: calf-swelling",
        ),
        (
            lambda: _with("interventions", 0, summary="Ask about bendroflumethiazide and furosemide."),
            ("interventions", 0, "medicines"),
            "stretch: medicines: its text names drug-loop-diuretic, drug-thiazide-diuretic; list them in medicines",
        ),
        (
            lambda: attrs.evolve(_MINI_KB, population_rules=()),
            ("interventions", 7, "contraindications"),
            (
                "drug-x: must be left out when pregnant (pregnant) holds (exclusion table, row "
                "pregnancy-no-cramp-medicines): add a contraindication or a population rule"
            ),
        ),
        (
            lambda: _with("signs", _SEIZURE, advice="Rest.", short="Rest."),
            ("signs", _SEIZURE, "short"),
            "signs (sign-of-seizure): short: an emergency sign must say to call emergency services",
        ),
        (
            lambda: _with("red_flags", 1, advice="Rest.", short=None),
            ("red_flags", 1, "advice"),
            "red_flags (breathless-clot): advice: an emergency red flag must say to call emergency services",
        ),
        (
            lambda: _with("red_flags", 0, advice="Call {nowhere} and {elsewhere}."),
            ("red_flags", 0, "advice"),
            "red_flags (clot): advice: unknown placeholder {elsewhere}, {nowhere} (known: {emergency}, ",
        ),
    ],
)
def test_each_floor_problem_points_at_its_field(unsafe: Any, path: tuple[str | int, ...], line: str) -> None:
    knowledge_base = unsafe()
    problems = crampkit.floor_problems(knowledge_base)
    found = [problem for problem in problems if problem.path == path]
    assert found, [problem.path for problem in problems]
    assert any(str(problem).startswith(line) for problem in found), [str(problem) for problem in found]
    document = crampkit.unstructure(knowledge_base)
    for problem in problems:  # every path walks into the knowledge base's JSON (a last, empty field is left out)
        value: Any = document
        for step in problem.path[:-1]:
            value = value[step]
        assert isinstance(value, dict) or problem.path[-1] in range(len(value))
        assert problem.code == "below-safety-floor"


# -- a medication review gives no medicine ---------------------------------------------------------


def _review_and_pill(data: dict[str, Any]) -> None:
    quinine = {
        "id": "quinine-class",
        "name": "Quinine",
        "summary": "Quinine tablets.",
        "fact": "drug-quinine",
        "generic_names": ["quinine sulfate"],
        "sources": ["src-a"],
    }
    review = {
        "id": "review-quinine",
        "name": "Have your quinine reviewed",
        "summary": "Ask whether you still need quinine.",
        "phase": "prevent",
        "category": "medication-review",
        "instructions": ["Ask your prescriber whether you still need quinine."],
        "when": {"all": ["drug-quinine"]},
        "certainty": "low",
        "stance": "recommended",
        "medicines": ["drug-quinine"],
        "sources": ["src-a"],
    }
    data["drug_classes"].append(quinine)
    data["interventions"].append(review)


def test_a_review_of_a_medicine_is_kept_for_the_people_the_medicine_is_excluded_for() -> None:
    # Pregnant and taking quinine: the rule that keeps quinine from a pregnant person must not take away the
    # advice to have it reviewed (bumps: tell the doctor about quinine taken in pregnancy).
    data = mini()
    _review_and_pill(data)
    kb = load_knowledge_base(data)  # the floor does not ask to exclude a review for pregnancy
    review = kb.get("review-quinine")
    assert isinstance(review, crampkit.Intervention)
    assert review.medicines == {crampkit.Fact.DRUG_QUININE}
    assert review.medicines_given == frozenset()
    pregnant = recommend(
        crampkit.load_profile({"pregnant": True, "medications": ["quinine sulfate"]}), knowledge_base=kb
    )
    assert "review-quinine" in [rec.id for rec in pregnant.recommendations]
    assert "review-quinine" not in [item.id for item in pregnant.contraindicated]


def test_the_same_medicine_given_rather_than_reviewed_is_still_held_to_the_floor() -> None:
    data = mini()
    _review_and_pill(data)
    given_item = data["interventions"][-1]
    given_item["category"] = "supplement"  # now the item gives quinine
    given_item["id"] = "take-quinine"
    kb = load_knowledge_base(data)
    pregnant = recommend(
        crampkit.load_profile({"pregnant": True, "medications": ["quinine sulfate"]}), knowledge_base=kb
    )
    assert ("take-quinine", "Not in pregnancy.") in [(item.id, item.reason) for item in pregnant.contraindicated]
    data["population_rules"] = [rule for rule in data["population_rules"] if rule["id"] != "pregnancy"]
    with pytest.raises(KnowledgeBaseError, match=r"take-quinine: must be left out when pregnant \(pregnant\) holds"):
        load_knowledge_base(data)
    reviewed = mini()
    _review_and_pill(reviewed)
    reviewed["population_rules"] = [rule for rule in reviewed["population_rules"] if rule["id"] != "pregnancy"]
    with pytest.raises(KnowledgeBaseError) as caught:  # other items of the test knowledge base need the rule
        load_knowledge_base(reviewed)
    assert not any("review-quinine" in str(problem) for problem in caught.value.problems)
