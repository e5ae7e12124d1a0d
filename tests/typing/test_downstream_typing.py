"""Uses crampkit as a downstream program would; ``mypy --strict`` checks it (py.typed works).

It also runs as a test, so the calls are real.
"""

import crampkit


def summarise(profile_json: str) -> list[str]:
    """Turn a profile into the lines an app might show."""
    try:
        profile: crampkit.Profile = crampkit.load_profile(profile_json)
    except crampkit.InvalidInputError as error:
        return [f"Please check: {problem}" for problem in error.problems]
    guidance: crampkit.Guidance = crampkit.recommend(profile)
    lines = [f"Triage: {guidance.triage.value}"]
    lines += [f"{flag.name}: {flag.advice}" for flag in guidance.red_flags]
    top: tuple[crampkit.Recommendation, ...] = guidance.recommendations[:3]
    lines += [f"{rec.rank}. {rec.name} ({rec.certainty.value})" for rec in top]
    level: int = guidance.triage.level
    assert level >= 0
    return lines


def test_downstream_use() -> None:
    assert summarise("{}")[0] == "Triage: self-care"
    assert summarise('{"age": "old"}') == ["Please check: age: expected an integer, got a string"]
    version: str = crampkit.__version__
    assert version


def test_downstream_fhir_use() -> None:
    import datetime as dt  # noqa: PLC0415

    result: crampkit.FhirProfile = crampkit.to_profile(
        [{"resourceType": "Patient", "id": "p", "gender": "male"}], today=dt.date(2026, 11, 25)
    )
    sex: crampkit.Sex | None = result.profile.sex
    unmapped: tuple[crampkit.Unmapped, ...] = result.unmapped
    assert (sex, unmapped) == (crampkit.Sex.MALE, ())
