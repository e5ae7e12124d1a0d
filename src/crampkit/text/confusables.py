"""Reading text as a person sees it: how the safety checks read names, doses and versions.

Text that looks the same must be read the same, or a knowledge base could hide a
medicine name or a dose from the safety floor behind an invisible character or a
look-alike letter. :func:`skeleton` reads text in four steps:

1. **NFKC** (Unicode compatibility normalisation), after the trade and service
   marks ``™`` and ``℠`` are read as spaces (NFKC would make them the letters
   ``TM`` and ``SM``, glued to the brand before them): fullwidth letters and digits,
   superscripts, ligatures and unit symbols become their plain forms
   (``"３００㎎"`` is ``"300mg"``, ``"³"`` is ``"3"``, ``"ﬁ"`` is ``"fi"``);
2. **format characters are removed** (Unicode category Cf: the soft hyphen
   U+00AD, the zero-width characters U+200B to U+200D and U+2060, the byte-order
   mark, text-direction controls, tags), and so is the combining grapheme
   joiner U+034F: none of them shows;
3. **every decimal digit becomes an ASCII digit** (Arabic-Indic ``"٣٠٠"`` is
   ``"300"``, and so are the digits of every other script);
4. **look-alike letters become the Latin letter they look like**
   (:data:`CONFUSABLES`: the Cyrillic and Greek letters that are drawn like a
   Latin one, such as Cyrillic ``"і"`` U+0456 for ``"i"`` and Greek ``"Ο"`` for
   ``"O"``, and a few Latin variants such as the dotless ``"ı"``).

Why a table in code: the runtime depends on attrs and cattrs only, so no
confusables library can be used; Unicode's own ``confusables.txt`` maps
thousands of characters, most of them symbols that cannot be part of a
medicine name or a unit once NFKC has run. The table holds the letters of the
two scripts most used to spoof Latin text (Cyrillic and Greek) that are drawn
like a Latin letter in common fonts, both cases; letters that only resemble one
(Cyrillic ``"п"``, ``"г"``) are left as they are. It is checked against
:mod:`unicodedata` in the tests (every key is a Cyrillic, Greek or Latin letter,
every value an ASCII letter).

Accents are kept here (``"é"`` stays ``"é"``); the medicine resolver folds them
away as well (:func:`crampkit.knowledge.medicines.medicine_words`).

.. versionadded:: 0.2
"""

import re
import unicodedata
from collections.abc import Mapping

__all__ = ["CONFUSABLES", "normal_version", "skeleton"]

_PAIRS = (
    # Cyrillic capitals
    "АA ВB ЕE ЅS ІI ЈJ КK МM НH ОO РP СC ТT УY ХX ҮY ҺH ӀI ԚQ ԜW"
    # Cyrillic small letters
    " аa еe ѕs іi јj оo рp сc уy хx һh ӏl ԁd ԛq ԝw ҽe ѵv ɡg"
    # Greek capitals
    " ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX"
    # Greek small letters
    " αa οo ρp νv ιi κk υu"
    # Latin variants
    " ıi ȷj ɩi ʟl"
)

CONFUSABLES: Mapping[str, str] = {pair[0]: pair[-1] for pair in _PAIRS.split()}
"""Letters drawn like a Latin letter, and that letter (Cyrillic, Greek, and a few Latin variants)."""

_TRANSLATION = str.maketrans(dict(CONFUSABLES))
_MARKS = str.maketrans({"\u2122": " ", "\u2120": " "})
"""The trade and service marks, which NFKC would write as the letters "TM" and "SM" (glued to a brand name)."""


def _visible(text: str) -> str:
    """``text`` without its format characters (category Cf) and the combining grapheme joiner."""
    if text.isascii():
        return text
    return "".join(char for char in text if char != "\u034f" and unicodedata.category(char) != "Cf")


def _ascii_digits(text: str) -> str:
    """``text`` with every decimal digit of any script written as an ASCII digit."""
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text)


def skeleton(text: str) -> str:
    """``text`` as the safety checks read it: NFKC, no format characters, ASCII digits, look-alikes as Latin.

    >>> skeleton("\\u0456bu\\u00adprofen \\uff13\\uff10\\uff10\\u338e")
    'ibuprofen 300mg'

    Case is kept; plain ASCII text comes back unchanged.

    .. versionadded:: 0.2
    """
    if text.isascii():
        return text
    text = _visible(unicodedata.normalize("NFKC", text.translate(_MARKS)))
    return _ascii_digits(text).translate(_TRANSLATION)


def normal_version(version: str) -> str:
    """A version as versions are compared: :func:`skeleton`, all whitespace removed, case folded.

    >>> normal_version(" 2027.01\\u200b") == normal_version("\\uff12\\uff10\\uff12\\uff17.01") == "2027.01"
    True

    .. versionadded:: 0.2
    """
    return "".join(skeleton(version).split()).casefold()
