"""The text renderer: how `kb show` (render_item) lays out the nested parts of an item, and second-line treatments."""

import crampkit
from crampkit.render.terminal import render_guidance, render_item

KB = crampkit.default_knowledge_base()


def test_contraindications_show_their_criteria_and_reason_one_field_a_line() -> None:
    lines = render_item(KB.get("massage"), KB).splitlines()
    start = lines.index("contraindications:")
    assert lines[start + 1] == "  - when: any: symptom-calf-swelling, symptom-redness-or-warmth"
    assert lines[start + 2].startswith("    reason: A swollen, red or warm calf")
    assert not any("{'" in line for line in lines)  # no Python reprs
    assert "when: none: cramps-denied" in lines
    cool_down = render_item(KB.get("cool-down"), KB).splitlines()
    assert any(line.startswith("when: all: heat-exposure; any: ") for line in cool_down)  # criteria, not a repr


def test_escalation_clauses_show_groups_and_resolve_the_region() -> None:
    text = render_item(KB.get("sign-cramp-lasts-over-10-min"), KB, region="us")
    assert "  - id: long-cramp-swollen-and-breathless\n" in text
    groups = "[symptom-calf-swelling, symptom-redness-or-warmth], [symptom-breathlessness, symptom-chest-pain]"
    assert f"    when: each: {groups}\n" in text
    assert "    advice: Call 911 now" in text
    assert "999" not in text


def test_a_second_line_treatment_says_so_in_the_text() -> None:
    profile = crampkit.load_profile({"age": 45, "cramps": {"sites": ["calf"], "timing": ["night"], "per_week": 4}})
    guidance = crampkit.recommend(profile)
    assert any(rec.second_line for rec in guidance.recommendations)
    assert "Second line: only if cramps stay troublesome" in render_guidance(guidance)


def test_the_short_form_gives_each_watch_for_line_once() -> None:
    """Two signs with the same safety-net line (a swollen and a red, warm calf) give it once (issue 20 review)."""
    import crampkit  # noqa: PLC0415
    from crampkit.render.terminal import render_short  # noqa: PLC0415

    guidance = crampkit.recommend(
        crampkit.load_profile({"age": 50, "symptoms": ["calf-swelling", "redness-or-warmth"]})
    )
    assert len({line.watch_for for line in guidance.safety_net}) < len(guidance.safety_net)
    lines = [line for line in render_short(guidance).splitlines() if line.startswith("Watch for: ")]
    assert len(lines) == len(set(lines)) == len({line.watch_for for line in guidance.safety_net})


def test_the_short_form_and_the_flat_row_name_the_knowledge_base_and_its_changes() -> None:
    """Issue 21, deliverable 6: every output says which knowledge base made it, and what a custom one changed."""
    from crampkit.render.terminal import render_short  # noqa: PLC0415

    kb = crampkit.load_knowledge_base({"extends": "default", "version": "clinic-1", "disable": ["cut-down-alcohol"]})
    guidance = crampkit.recommend(crampkit.load_profile({"age": 40}), knowledge_base=kb)
    lines = render_short(guidance).splitlines()
    assert lines[-1] == "(knowledge base clinic-1)"
    assert "cut-down-alcohol" in lines[-2]
    flat = crampkit.BatchResult(id=1, guidance=guidance).flat()
    assert flat["knowledge_base_version"] == "clinic-1"
    assert flat["knowledge_base_changes"].startswith("interventions cut-down-alcohol: ")
