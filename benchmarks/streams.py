"""The three streams of profiles the benchmarks time (docs/performance.md, "How to measure").

* **clinic** (realistic, varied): :func:`clinic_profile`, drawn (seeded) as
  a clinic's profiles would be: mostly older adults with calf cramps at
  night, a few common medicines (some of them names crampkit does not
  know), the odd condition or warning sign, fields often left out. About
  4 % of the sets of facts come again, as on the realistic stream of
  issue 22 (3.7 %).
* **repeated**: the first 50 clinic profiles, over and over.
* **uniform**: :func:`uniform_profile`, every field drawn uniformly over its
  vocabulary (seeded): each optional value present or absent with equal
  chances and then any allowed value alike; each list of 0 to 3 members
  (the count uniform), each member equally likely; medicines from every
  name the packaged knowledge base knows, and one name in ten unknown.
  Sets of facts almost never repeat, and warning signs are common.

Each stream is a list of JSON-ready documents, made the same on every run.
"""

import random
from typing import Any

import crampkit

_MEDICINES = {
    "atorvastatin 20 mg": 10, "simvastatin 40 mg": 6, "amlodipine 5 mg": 8, "bendroflumethiazide 2.5 mg": 5,
    "furosemide 40 mg": 4, "omeprazole 20 mg": 9, "lansoprazole": 4, "metformin 500 mg": 8, "levothyroxine": 6,
    "ramipril 5 mg": 7, "lisinopril": 3, "salbutamol inhaler": 5, "aspirin 75 mg": 6, "paracetamol": 6,
    "sertraline": 4, "warfarin": 2, "apixaban": 3, "bisoprolol 2.5 mg": 5, "gabapentin": 3, "co-codamol": 3,
    "ibuprofen": 4, "naproxen": 2, "prednisolone": 2, "Lipitor": 2, "Ventolin": 2, "quinine sulfate": 1,
    "spironolactone": 2, "donepezil": 1, "Microgynon": 2, "indapamide": 2, "hydrochlorothiazide": 2,
    "salmeterol/fluticasone": 2, "nifedipine": 1, "raloxifene": 1, "estradiol": 1, "esomeprazole": 2,
    "rosuvastatin": 3, "tamsulosin": 2, "vitamin D": 3, "folic acid": 2,
}  # fmt: skip
_CONDITIONS = {
    "hypertension": 0.2, "diabetes": 0.08, "high-cholesterol": 0.08, "hypothyroidism": 0.05,
    "chronic-kidney-disease": 0.05, "peripheral-artery-disease": 0.03, "neuropathy": 0.04,
    "venous-insufficiency": 0.04, "heart-failure": 0.03, "cirrhosis": 0.01, "dialysis": 0.005,
    "lumbar-spinal-stenosis": 0.02, "parkinsons": 0.01, "multiple-sclerosis": 0.005, "motor-neurone-disease": 0.002,
    "electrolyte-disorder": 0.01, "stomach-ulcer-or-bleeding": 0.01, "fluid-restriction": 0.005,
}  # fmt: skip
_SITES = {
    "calf": 0.85, "foot": 0.2, "thigh": 0.1, "toes": 0.06, "hand": 0.04, "arm": 0.01, "abdomen": 0.01, "back": 0.01,
    "ribcage": 0.005, "neck": 0.01,
}  # fmt: skip
_TIMING = {"night": 0.7, "rest": 0.12, "during-exercise": 0.06, "after-exercise": 0.06, "work": 0.02}
_SYMPTOMS = {
    "numbness-or-tingling": 8, "muscle-weakness": 4, "muscle-twitching": 3, "calf-swelling": 3,
    "pain-walking-relieved-by-rest": 3, "cramp-lasts-over-10-min": 3, "new-medication": 3, "dizziness": 2,
    "heavy-sweating": 2, "diarrhoea": 2, "vomiting": 1, "headache": 2, "redness-or-warmth": 1, "dark-urine": 1,
    "severe-pain": 1, "muscle-wasting": 1, "swelling-hands-or-face": 1, "hand-or-foot-spasm": 1, "fever": 1,
    "breathlessness": 1, "tingling-around-mouth": 0.5, "not-eased-by-self-care": 1, "reduced-urine": 0.5,
    "confusion": 0.3, "chest-pain": 0.3,
}  # fmt: skip


def _some(rng: random.Random, chances: dict[str, float]) -> list[str]:
    return [name for name, chance in chances.items() if rng.random() < chance]


def _person(rng: random.Random) -> dict[str, Any]:
    data: dict[str, Any] = {}
    ages = rng.choices([(18, 39), (40, 59), (60, 79), (80, 95), None], [20, 30, 35, 10, 5])[0]
    if ages:
        data["age"] = rng.randint(*ages)
    sex = rng.choices(["female", "male", None], [55, 43, 2])[0]
    if sex:
        data["sex"] = sex
    if sex == "female" and 18 <= data.get("age", 0) <= 45 and rng.random() < 0.08:
        data["pregnant"] = True
        if rng.random() < 0.5:
            data["pregnancy_weeks"] = rng.randint(8, 40)
    if rng.random() < 0.35:
        data["bmi"] = round(min(50, max(16, rng.gauss(27, 5))), 1)
    activity = rng.choices(["sedentary", "light", "moderate", "vigorous", None], [15, 15, 10, 5, 55])[0]
    if activity:
        data["activity"] = activity
    if rng.random() < 0.1:
        data["heat_exposure"] = True
    if rng.random() < 0.03:
        data["clot_risks"] = [rng.choice(["recent-surgery-or-immobility", "long-travel", "active-cancer"])]
    if rng.random() < 0.05:
        data["sudden_onset"] = True
    return data


def _medicines(rng: random.Random) -> dict[str, Any]:
    count = rng.choices(range(7), [40, 22, 15, 10, 7, 4, 2])[0]
    if not count:
        return {}
    medicines = set(rng.choices(list(_MEDICINES), list(_MEDICINES.values()), k=count))
    if rng.random() < 0.03:
        medicines.add(f"trial drug {rng.randint(1, 10**6)}")
    return {"medications": sorted(medicines)}


def _cramps(rng: random.Random) -> dict[str, Any]:
    cramps: dict[str, Any] = {}
    if sites := _some(rng, _SITES):
        cramps["sites"] = sites
    if timing := _some(rng, _TIMING):
        cramps["timing"] = timing
    if rng.random() < 0.6:
        cramps["per_week"] = min(21, int(rng.expovariate(1 / 3)))
    if rng.random() < 0.3:
        cramps["minutes"] = rng.choice([1, 1, 2, 2, 3, 5, 5, 10, 15])
    if rng.random() < 0.4:
        cramps["disturbs_sleep"] = rng.random() < 0.6
    return {"cramps": cramps} if cramps else {}


def _habits(rng: random.Random) -> dict[str, Any]:
    habits: dict[str, Any] = {}
    if rng.random() < 0.3:
        habits["alcohol_units_per_week"] = min(60, int(rng.expovariate(1 / 8)))
    if rng.random() < 0.2:
        habits["caffeine_drinks_per_day"] = rng.randint(0, 8)
    if rng.random() < 0.4:
        habits["smoker"] = rng.random() < 0.15
    return {"habits": habits} if habits else {}


def clinic_profile(rng: random.Random) -> dict[str, Any]:
    """One profile as a clinic would send it (see the module docstring)."""
    data = {**_person(rng), **_medicines(rng)}
    if conditions := _some(rng, _CONDITIONS):
        data["conditions"] = conditions
    data |= _cramps(rng)
    if rng.random() < 0.15:
        data["symptoms"] = sorted(set(rng.choices(list(_SYMPTOMS), list(_SYMPTOMS.values()), k=rng.randint(1, 3))))
    return data | _habits(rng)


def uniform_profile(rng: random.Random) -> dict[str, Any]:
    """One profile drawn uniformly over the vocabularies (see the module docstring)."""

    def maybe(values: list[Any]) -> Any:
        return rng.choice(values) if rng.random() < 0.5 else None

    def some(values: list[str]) -> list[str]:
        return rng.sample(values, rng.randint(0, 3))

    data: dict[str, Any] = {
        "age": maybe(list(range(121))),
        "sex": maybe([sex.value for sex in crampkit.Sex]),
        "bmi": maybe([round(12 + n / 2, 1) for n in range(77)]),
        "activity": maybe([activity.value for activity in crampkit.Activity]),
        "heat_exposure": maybe([True, False]),
        "sudden_onset": maybe([True, False]),
        "medications": [
            rng.choice(_NAMES) if rng.random() < 0.9 else f"unknown {rng.randint(1, 10**6)}"
            for _ in range(rng.randint(0, 3))
        ],
        "conditions": some([condition.value for condition in crampkit.Condition]),
        "symptoms": some([symptom.value for symptom in crampkit.Symptom]),
        "clot_risks": some([risk.value for risk in crampkit.ClotRisk]),
        "cramps": {
            "sites": some([site.value for site in crampkit.Site]),
            "timing": some([timing.value for timing in crampkit.Timing]),
            "per_week": maybe(list(range(22))),
            "minutes": maybe(list(range(31))),
            "disturbs_sleep": maybe([True, False]),
        },
        "habits": {
            "alcohol_units_per_week": maybe(list(range(61))),
            "caffeine_drinks_per_day": maybe(list(range(11))),
            "smoker": maybe([True, False]),
        },
    }
    if data["sex"] == "female" and (pregnant := maybe([True, False])) is not None:
        data["pregnant"] = pregnant
        if pregnant and (weeks := maybe(list(range(1, 43)))) is not None:
            data["pregnancy_weeks"] = weeks
    return _present(data)


def _present(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without the values left out (``None``, empty lists and objects)."""
    kept = {}
    for key, given in data.items():
        value = _present(given) if isinstance(given, dict) else given
        if value is not None and value not in ([], {}):
            kept[key] = value
    return kept


def _names() -> list[str]:
    knowledge_base = crampkit.default_knowledge_base()
    names = {name for medicine in (*knowledge_base.ingredients, *knowledge_base.products) for name in medicine.names}
    return sorted(names)


_NAMES = _names()


def stream(name: str, rows: int) -> list[dict[str, Any]]:
    """``rows`` profiles of the stream ``name`` (``clinic``, ``repeated`` or ``uniform``), the same on every run."""
    if name == "clinic":
        return [clinic_profile(random.Random(f"clinic-{n}")) for n in range(rows)]  # noqa: S311 - test data
    if name == "repeated":
        first = stream("clinic", min(rows, 50))
        return [first[n % len(first)] for n in range(rows)]
    if name == "uniform":
        return [uniform_profile(random.Random(f"uniform-{n}")) for n in range(rows)]  # noqa: S311 - test data
    raise ValueError(name)


STREAM_NAMES = ("repeated", "clinic", "uniform")
