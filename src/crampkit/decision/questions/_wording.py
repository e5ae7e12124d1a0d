"""The words of the questions and their choices, and the answers every question shares.

Each text is a message of the catalogue (marked with ``N_``), in English;
:func:`crampkit.next_questions` gives them translated and resolved for the region.
"""

from collections.abc import Mapping
from types import MappingProxyType

from crampkit.text.i18n import N_

YES = "yes"
"""The answer that records a symptom or a yes/no field as present."""
NO = "no"
"""The answer that records a symptom as absent, or a yes/no field as false."""
NONE = "none"
"""The word :meth:`Question.parse` takes for "none of these" in a list question.

.. versionadded:: 0.2
"""

QUESTION_TEXT: Mapping[str, str] = MappingProxyType(
    {
        # Warning signs now
        "symptoms-now": N_("Do you have any of these now?"),
        "symptom-confusion": N_(
            "Have you become confused in the last few hours or days, or has anyone said you are not making sense?"
        ),
        "symptom-seizure": N_("Have you had a {fit_seizure} in the last 24 hours?"),
        "symptom-chest-pain": N_("Do you have pain, pressure or tightness in your chest now?"),
        "symptom-chest-pain-spreading": N_("Does the pain in your chest spread to your arms, back, neck or jaw?"),
        "symptom-chest-tightness": N_("Does your chest feel tight or heavy, as if it is being squeezed?"),
        "symptom-breathlessness": N_("Are you more short of breath than usual, or finding it hard to breathe?"),
        "symptom-severe-abdominal-pain": N_("Do you have severe pain in your tummy (abdomen) now?"),
        "symptom-collapse-or-fainting": N_("Have you collapsed, fainted or blacked out in the last 24 hours?"),
        # New symptoms, and whether they came on suddenly
        "symptoms-new": N_("Have any of these started in the last few weeks?"),
        "symptom-headache": N_("Do you have a headache now?"),
        "symptom-vision-problems": N_(
            "Has your eyesight changed recently (blurred or double vision, flashing lights, a shadow), "
            "not counting long-standing problems such as needing glasses?"
        ),
        "symptom-muscle-weakness": N_(
            "Have any of your muscles become weak in the last few weeks (not just tired or sore)?"
        ),
        "symptom-numbness-or-tingling": N_(
            "Do you have numbness, tingling or pins and needles in your arms, legs, hands or feet?"
        ),
        "symptom-pain-below-ribs": N_("Do you have pain just below your ribs (in the upper tummy)?"),
        "symptom-cold-or-pale-leg": N_("Has a leg or foot turned cold, pale or blue?"),
        "symptom-vaginal-bleeding": N_(
            "Do you have any bleeding or spotting from the vagina that is not a normal period "
            "(between periods, after sex, or while pregnant)?"
        ),
        "headache-sudden": N_("Did the headache start suddenly (reaching its worst within minutes)?"),
        "sudden-onset": N_(
            "Did these new symptoms come on suddenly, within minutes or hours? "
            "(Not the cramp itself: a cramp always starts suddenly.)"
        ),
        "headache-severe": N_("Is your headache severe — the worst you have ever had?"),
        "pain-below-ribs-severe": N_("Is the pain below your ribs severe?"),
        "symptom-severe-pain": N_(
            "Is the pain of your cramps, or any other pain you have now, severe — much worse than an ordinary cramp?"
        ),
        # Cramps
        "cramps": N_("Do you get muscle cramps (a muscle suddenly tightening, painfully, on its own)?"),
        "cramp-sites": N_("Where do you get the cramps?"),
        "cramp-timing": N_("When do the cramps happen?"),
        "cramps-per-week": N_("About how many cramps do you have in a typical week?"),
        "cramp-details": N_("Do any of these apply to your cramps?"),
        "symptom-cramp-lasts-over-10-min": N_("Has any cramp lasted longer than 10 minutes?"),
        "cramps-disturb-sleep": N_("Do the cramps wake you up or spoil your sleep?"),
        "symptom-not-eased-by-self-care": N_("Do the cramps carry on despite stretching and other self-care?"),
        "symptom-new-medication": N_("Did the cramps start, or get worse, soon after you began a new medicine?"),
        # Muscles and legs
        "symptoms-muscles": N_("Do you have any of these in your muscles or legs?"),
        "symptom-calf-swelling": N_("Has one of your calves (the back of the lower leg) become swollen?"),
        "symptom-redness-or-warmth": N_("Has part of one leg become red, or warm to the touch?"),
        "symptom-pain-walking-relieved-by-rest": N_(
            "Do your legs hurt when you walk, and ease when you stop and rest?"
        ),
        "symptom-muscle-wasting": N_("Have any of your muscles become thinner or smaller over the last few months?"),
        "symptom-muscle-twitching": N_("Do you see or feel small twitches in your muscles that keep coming back?"),
        "symptom-hand-or-foot-spasm": N_(
            "Do your hands or feet go into spasm, with the fingers or toes pulled stiffly into a bent position?"
        ),
        "symptom-tingling-around-mouth": N_("Do you have tingling or numbness around your mouth or lips?"),
        "symptom-jaw-stiffness": N_("Has your jaw become stiff, or hard to open?"),
        # The rest of the body
        "symptoms-body": N_("Do any of these apply to you?"),
        "symptom-fever": N_("Do you have a high temperature (fever), or feel hot and shivery?"),
        "symptom-vomiting": N_("Have you been sick (vomited) in the last 24 hours?"),
        "symptom-diarrhoea": N_("Have you had diarrhoea in the last few days?"),
        "symptom-dizziness": N_("Do you feel dizzy or light-headed now, or when you stand up?"),
        "symptom-heavy-sweating": N_("Are you sweating heavily now, more than usual for what you are doing?"),
        "symptom-dark-urine": N_("Has your pee (urine) been dark brown, like tea or cola, in the last few days?"),
        "symptom-reduced-urine": N_("Have you passed much less pee (urine) than usual in the last day, or none?"),
        "symptom-swelling-hands-or-face": N_("Have your hands or face become swollen in the last few days?"),
        "symptom-recent-wound": N_("Have you had a cut, bite, burn or other wound in the last few weeks?"),
        "heat-exposure": N_(
            "Have you been exercising or working hard in the heat (hot weather or a hot place) "
            "today or in the last few days?"
        ),
        # About you
        "age": N_("How old are you, in years?"),
        "sex": N_("What is your sex?"),
        "pregnant": N_("Are you pregnant?"),
        "pregnancy-weeks": N_("How many weeks pregnant are you?"),
        "medications": N_("Which medicines do you take, including any you buy without a prescription?"),
        "conditions": N_("Has a doctor told you that you have any of these long-term conditions?"),
        "clot-risks": N_("Do any of these apply to you (each makes a blood clot more likely)?"),
    }
)
"""The words of every question, by question id: the one place that holds them (in English; each is
a message of the catalogue, so ``next_questions(..., language=...)`` gives them translated).

.. versionadded:: 0.2
"""

CHOICE_TEXT: Mapping[str, str] = MappingProxyType(
    {
        # symptoms-now
        "symptom-confusion": N_("Confusion: muddled, or not making sense to others (new)"),
        "symptom-seizure": N_("A {fit_seizure} in the last 24 hours"),
        "symptom-chest-pain": N_("Pain, pressure or tightness in your chest"),
        "symptom-breathlessness": N_("Shortness of breath, or finding it hard to breathe (more than usual)"),
        "symptom-severe-abdominal-pain": N_("Severe pain in your tummy (abdomen)"),
        "symptom-collapse-or-fainting": N_("Collapsing, fainting or blacking out in the last 24 hours"),
        # symptoms-new
        "symptom-headache": N_("A headache"),
        "symptom-vision-problems": N_(
            "A change in your eyesight: blurred or double vision, flashing lights or a shadow "
            "(not a long-standing problem such as needing glasses)"
        ),
        "symptom-muscle-weakness": N_("Weakness in a muscle (not just tiredness or soreness)"),
        "symptom-numbness-or-tingling": N_("Numbness, tingling or pins and needles in your arms, legs, hands or feet"),
        "symptom-cold-or-pale-leg": N_("A leg or foot that has turned cold, pale or blue"),
        "symptom-vaginal-bleeding": N_(
            "Bleeding or spotting from the vagina that is not a normal period (between periods, after sex, "
            "or while pregnant)"
        ),
        "symptom-pain-below-ribs": N_("Pain just below your ribs (in the upper tummy)"),
        # cramp-details
        "symptom-cramp-lasts-over-10-min": N_("A cramp has lasted longer than 10 minutes"),
        "disturbs-sleep": N_("They wake you up or spoil your sleep"),
        "symptom-not-eased-by-self-care": N_("They carry on despite stretching and other self-care"),
        "symptom-new-medication": N_("They started, or got worse, soon after you began a new medicine"),
        "symptom-severe-pain": N_("The pain is severe, much worse than an ordinary cramp"),
        # symptoms-muscles
        "symptom-calf-swelling": N_("One calf (the back of the lower leg) has become swollen"),
        "symptom-redness-or-warmth": N_("Part of one leg has become red, or warm to the touch"),
        "symptom-pain-walking-relieved-by-rest": N_("Your legs hurt when you walk, and ease when you rest"),
        "symptom-muscle-wasting": N_("Muscles that have become thinner or smaller over the last few months"),
        "symptom-muscle-twitching": N_("Small twitches in your muscles that keep coming back"),
        "symptom-hand-or-foot-spasm": N_("Hands or feet going into spasm, fingers or toes pulled stiffly bent"),
        "symptom-tingling-around-mouth": N_("Tingling or numbness around your mouth or lips"),
        "symptom-jaw-stiffness": N_("A stiff jaw, or one that is hard to open"),
        # symptoms-body
        "symptom-fever": N_("A high temperature (fever), or feeling hot and shivery"),
        "symptom-vomiting": N_("Being sick (vomiting) in the last 24 hours"),
        "symptom-diarrhoea": N_("Diarrhoea in the last few days"),
        "symptom-dizziness": N_("Feeling dizzy or light-headed, now or when you stand up"),
        "symptom-heavy-sweating": N_("Sweating heavily now, more than usual for what you are doing"),
        "symptom-dark-urine": N_("Dark brown pee (urine), like tea or cola, in the last few days"),
        "symptom-reduced-urine": N_("Passing much less pee (urine) than usual in the last day, or none"),
        "symptom-swelling-hands-or-face": N_("Hands or face that have become swollen in the last few days"),
        "symptom-recent-wound": N_("A cut, bite, burn or other wound in the last few weeks"),
        "heat-exposure": N_("Exercising or working hard in the heat, today or in the last few days"),
        # sex
        "sex-female": N_("Female"),
        "sex-male": N_("Male"),
        "sex-other": N_("Other"),
        # cramp-sites
        "site-calf": N_("Calf (the back of the lower leg)"),
        "site-thigh": N_("Thigh"),
        "site-foot": N_("Foot"),
        "site-toes": N_("Toes"),
        "site-hand": N_("Hand or fingers"),
        "site-arm": N_("Arm"),
        "site-abdomen": N_("Tummy (abdomen)"),
        "site-back": N_("Back"),
        "site-ribcage": N_("Chest wall or ribs"),
        "site-neck": N_("Neck"),
        # cramp-timing
        "timing-night": N_("At night, in bed"),
        "timing-rest": N_("At rest, sitting or lying down"),
        "timing-during-exercise": N_("During exercise or sport"),
        "timing-after-exercise": N_("After exercise or sport"),
        "timing-work": N_("At work, doing physical work"),
        # conditions
        "condition-peripheral-artery-disease": N_("Narrowed leg arteries (peripheral arterial disease)"),
        "condition-diabetes": N_("Diabetes"),
        "condition-neuropathy": N_("Nerve damage in the hands or feet (neuropathy)"),
        "condition-cirrhosis": N_("Scarring of the liver (cirrhosis)"),
        "condition-chronic-kidney-disease": N_("Long-term kidney disease"),
        "condition-dialysis": N_("Kidney dialysis"),
        "condition-hypothyroidism": N_("An underactive thyroid"),
        "condition-lumbar-spinal-stenosis": N_("Narrowing of the spine in the lower back (lumbar spinal stenosis)"),
        "condition-motor-neurone-disease": N_("Motor neurone disease (MND, ALS)"),
        "condition-multiple-sclerosis": N_("Multiple sclerosis (MS)"),
        "condition-parkinsons": N_("Parkinson's disease"),
        "condition-electrolyte-disorder": N_("A problem with salts in the blood, such as low potassium or sodium"),
        "condition-venous-insufficiency": N_("Varicose veins or poor circulation in the leg veins"),
        "condition-hypertension": N_("High blood pressure"),
        "condition-high-cholesterol": N_("High cholesterol"),
        "condition-heart-failure": N_("Heart failure"),
        "condition-stomach-ulcer-or-bleeding": N_("A stomach ulcer, or bleeding from the stomach or gut"),
        "condition-fluid-restriction": N_("A doctor has told you to limit how much you drink"),
        "condition-slow-heart-rate-or-heart-block": N_("A slow heartbeat or heart block (a heart rhythm problem)"),
        # clot-risks
        "clot-risk-recent-surgery-or-immobility": N_(
            "An operation, or a long time in bed or unable to move, in the last 3 months"
        ),
        "clot-risk-long-travel": N_("A journey of more than 4 hours in the last 4 weeks"),
        "clot-risk-oestrogen-pill-or-hrt": N_("Taking a contraceptive pill or HRT that contains oestrogen"),
        "clot-risk-active-cancer": N_("Cancer that is being treated, or was in the last 6 months"),
        "clot-risk-previous-clot": N_("A blood clot in a leg or lung before"),
    }
)
"""The words of every choice a list question offers, by choice key (a symptom's question id such as
``symptom-fever``, ``site-calf``, ``timing-night``, ``condition-diabetes``, ``clot-risk-long-travel``,
``sex-female``, ``heat-exposure`` or ``disturbs-sleep``): the one place that holds them, translated as
:data:`QUESTION_TEXT` is.

.. versionadded:: 0.2
"""

FALLBACK_SYMPTOM = N_("Do you have this: {symptom}?")
"""The question about a symptom that :data:`QUESTION_TEXT` does not word yet (a test makes sure none is left)."""
