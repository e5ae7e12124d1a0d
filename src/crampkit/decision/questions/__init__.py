"""Which questions to ask next, in the order that matters, leaving no answer that could change the guidance unasked.

:func:`next_questions` looks at what a profile already says and returns the
questions whose answers could still change the guidance. It works out
relevance from the knowledge base itself (red flags, signs, interventions,
causes and what leaves them out), so it needs no hand-written list of what
matters and follows any knowledge base. What it holds by hand is how the
questions are put: their words (:data:`QUESTION_TEXT`, :data:`CHOICE_TEXT`),
which symptoms are asked together in one list, and which question follows
which.

**What is relevant.** Relevance is worked out for each single piece of news
an answer can bring (a symptom, a yes, an age, a site, a condition, a
medicine's drug class...). One is relevant when:

* **triage**: some answer, alone or together with answers still open,
  would raise ``triage``. Heat exposure raises nothing alone, but with a
  fever it points to heatstroke, so it is asked while the fever is open;
* **advice**: some answer, alone, changes which advice or cause applies or
  is left out (an intervention's criteria, a contraindication, a population
  rule, a red flag or sign that excludes it, or a cause's ``when``);
* **lowering**: an answer could take away a fact that a red flag or sign
  that fired rests on (the weeks of pregnancy, unknown weeks counting as 20
  or more).

A question is asked when one of its pieces is relevant.

**How it is asked.** Symptoms are asked in lists ("Do you have any of these
now?"): what is not chosen is recorded in
:attr:`~crampkit.Profile.absent_symptoms`. Where the cramps are and when,
conditions, clot risks and medicines are lists too; an answer of "none" is
recorded in :attr:`~crampkit.Profile.asked`. A symptom is asked on its own
when it is the only one of its list left, or when it follows up an answer.

**In what order.**

1. *Follow-ups* first, right after the answer that opens them: a question
   that only makes sense after a "yes" (where the cramps are, after "I get
   cramps"; the weeks, after "pregnant"; whether the chest pain spreads;
   whether the headache came on suddenly and is the worst ever), and each
   symptom that, with a symptom, heat or pregnancy just reported, could
   complete a red flag above the triage so far (a wound, then a stiff jaw).
   The more urgent that red flag, the sooner.
2. Then the questions that could raise triage, the most urgent possibility
   first (warning signs that alone mean an emergency come first of all).
3. Then those that could only change the advice.

Ties keep a fixed order: warning signs now, new symptoms, cramps (whether,
where, when, how often, what they are like), the rest of the body, muscles
and legs, age, sex, pregnancy, medicines, conditions, clot risks.

Pregnancy is asked only once sex is known to be female or other, and only
from age 10 to 55 (or when the age is not known). Whether the symptoms came
on suddenly is asked about symptoms reported, once the first two lists are
answered, so that one answer covers the symptoms where suddenness matters
most. A "no" to a symptom, or a
symptom not chosen from a list, adds no fact: the guidance is the same as if
it had not been asked. A "no" to "no chest pain" also answers whether the
chest pain spreads, and "no cramps" whatever the cramps are like. The one
"no" that changes the guidance is "no cramps" (``cramps.reported = false``,
the fact ``cramps-denied``): no cause of cramps is assumed then, and no
advice for during a cramp is given.

Nothing is asked once triage is ``emergency`` (the triggers are the red flags
and signs at their urgency, so the highest one that matches is the triage
:func:`crampkit.recommend` gives), and the questions to ``skip`` are left
out. :meth:`Question.parse` reads a typed answer leniently, with the same
check as :meth:`Question.answer`.

.. versionadded:: 0.2
"""

from crampkit.decision.questions._asking import questions_for, skip_problem
from crampkit.decision.questions._atoms import CHILDBEARING_AGES
from crampkit.decision.questions._question import CRAMP_SYMPTOMS, AnswerKind, Choice, Question
from crampkit.decision.questions._wording import CHOICE_TEXT, NO, NONE, QUESTION_TEXT, YES

__all__ = [
    "CHILDBEARING_AGES",
    "CHOICE_TEXT",
    "CRAMP_SYMPTOMS",
    "NO",
    "NONE",
    "QUESTION_TEXT",
    "YES",
    "AnswerKind",
    "Choice",
    "Question",
    "questions_for",
    "skip_problem",
]
