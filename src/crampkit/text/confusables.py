"""Reading text as a person sees it: how the safety checks read names, doses and versions.

Text that looks the same must be read the same, or a knowledge base could hide a
medicine name or a dose from the safety floor behind an invisible character or a
look-alike letter. :func:`skeleton` reads text in four steps:

1. **NFKC** (Unicode compatibility normalisation), after the trade and service
   marks ``™`` and ``℠`` are read as spaces (NFKC would make them the letters
   ``TM`` and ``SM``, glued to the brand before them): fullwidth letters and digits,
   superscripts, ligatures and unit symbols become their plain forms
   (fullwidth ``300`` followed by the sign U+338E is ``"300mg"``, a superscript
   three is ``"3"``, the ligature U+FB01 is ``"fi"``);
2. **format characters are removed** (Unicode category Cf: the soft hyphen
   U+00AD, the zero-width characters U+200B to U+200D and U+2060, the byte-order
   mark, text-direction controls, tags), and so is the combining grapheme
   joiner U+034F: none of them shows;
3. **every decimal digit becomes an ASCII digit** (Arabic-Indic ``"٣٠٠"`` is
   ``"300"``, and so are the digits of every other script);
4. **look-alike letters become the Latin letter they look like**
   (:data:`CONFUSABLES`: the Cyrillic and Greek letters that are drawn like a
   Latin one, such as the Cyrillic i U+0456 for ``"i"`` and the Greek capital
   omicron U+039F for ``"O"``, and a few Latin variants such as the dotless i U+0131).

Why a table in code: the runtime depends on attrs and cattrs only, so no
confusables library can be used; Unicode's own ``confusables.txt`` maps
thousands of characters, most of them symbols that cannot be part of a
medicine name or a unit once NFKC has run. The table holds the letters of the
two scripts most used to spoof Latin text (Cyrillic and Greek) that are drawn
like a Latin letter in common fonts, both cases; letters that only resemble one
(Cyrillic pe U+043F, ghe U+0433) are left as they are. It is checked against
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

CONFUSABLES: Mapping[str, str] = {
    "\u0410": "A",  # CYRILLIC CAPITAL LETTER A
    "\u0412": "B",  # CYRILLIC CAPITAL LETTER VE
    "\u0415": "E",  # CYRILLIC CAPITAL LETTER IE
    "\u0405": "S",  # CYRILLIC CAPITAL LETTER DZE
    "\u0406": "I",  # CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I
    "\u0408": "J",  # CYRILLIC CAPITAL LETTER JE
    "\u041a": "K",  # CYRILLIC CAPITAL LETTER KA
    "\u041c": "M",  # CYRILLIC CAPITAL LETTER EM
    "\u041d": "H",  # CYRILLIC CAPITAL LETTER EN
    "\u041e": "O",  # CYRILLIC CAPITAL LETTER O
    "\u0420": "P",  # CYRILLIC CAPITAL LETTER ER
    "\u0421": "C",  # CYRILLIC CAPITAL LETTER ES
    "\u0422": "T",  # CYRILLIC CAPITAL LETTER TE
    "\u0423": "Y",  # CYRILLIC CAPITAL LETTER U
    "\u0425": "X",  # CYRILLIC CAPITAL LETTER HA
    "\u04ae": "Y",  # CYRILLIC CAPITAL LETTER STRAIGHT U
    "\u04ba": "H",  # CYRILLIC CAPITAL LETTER SHHA
    "\u04c0": "I",  # CYRILLIC LETTER PALOCHKA
    "\u051a": "Q",  # CYRILLIC CAPITAL LETTER QA
    "\u051c": "W",  # CYRILLIC CAPITAL LETTER WE
    "\u0430": "a",  # CYRILLIC SMALL LETTER A
    "\u0435": "e",  # CYRILLIC SMALL LETTER IE
    "\u0455": "s",  # CYRILLIC SMALL LETTER DZE
    "\u0456": "i",  # CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I
    "\u0458": "j",  # CYRILLIC SMALL LETTER JE
    "\u043e": "o",  # CYRILLIC SMALL LETTER O
    "\u0440": "p",  # CYRILLIC SMALL LETTER ER
    "\u0441": "c",  # CYRILLIC SMALL LETTER ES
    "\u0443": "y",  # CYRILLIC SMALL LETTER U
    "\u0445": "x",  # CYRILLIC SMALL LETTER HA
    "\u04bb": "h",  # CYRILLIC SMALL LETTER SHHA
    "\u04cf": "l",  # CYRILLIC SMALL LETTER PALOCHKA
    "\u0501": "d",  # CYRILLIC SMALL LETTER KOMI DE
    "\u051b": "q",  # CYRILLIC SMALL LETTER QA
    "\u051d": "w",  # CYRILLIC SMALL LETTER WE
    "\u04bd": "e",  # CYRILLIC SMALL LETTER ABKHASIAN CHE
    "\u0475": "v",  # CYRILLIC SMALL LETTER IZHITSA
    "\u0261": "g",  # LATIN SMALL LETTER SCRIPT G
    "\u0391": "A",  # GREEK CAPITAL LETTER ALPHA
    "\u0392": "B",  # GREEK CAPITAL LETTER BETA
    "\u0395": "E",  # GREEK CAPITAL LETTER EPSILON
    "\u0396": "Z",  # GREEK CAPITAL LETTER ZETA
    "\u0397": "H",  # GREEK CAPITAL LETTER ETA
    "\u0399": "I",  # GREEK CAPITAL LETTER IOTA
    "\u039a": "K",  # GREEK CAPITAL LETTER KAPPA
    "\u039c": "M",  # GREEK CAPITAL LETTER MU
    "\u039d": "N",  # GREEK CAPITAL LETTER NU
    "\u039f": "O",  # GREEK CAPITAL LETTER OMICRON
    "\u03a1": "P",  # GREEK CAPITAL LETTER RHO
    "\u03a4": "T",  # GREEK CAPITAL LETTER TAU
    "\u03a5": "Y",  # GREEK CAPITAL LETTER UPSILON
    "\u03a7": "X",  # GREEK CAPITAL LETTER CHI
    "\u03b1": "a",  # GREEK SMALL LETTER ALPHA
    "\u03bf": "o",  # GREEK SMALL LETTER OMICRON
    "\u03c1": "p",  # GREEK SMALL LETTER RHO
    "\u03bd": "v",  # GREEK SMALL LETTER NU
    "\u03b9": "i",  # GREEK SMALL LETTER IOTA
    "\u03ba": "k",  # GREEK SMALL LETTER KAPPA
    "\u03c5": "u",  # GREEK SMALL LETTER UPSILON
    "\u0131": "i",  # LATIN SMALL LETTER DOTLESS I
    "\u0237": "j",  # LATIN SMALL LETTER DOTLESS J
    "\u0269": "i",  # LATIN SMALL LETTER IOTA
    "\u029f": "l",  # LATIN LETTER SMALL CAPITAL L
    # Latin small capitals and a hooked f (found by a blind attack: ibupʀofen, ibuproƒen)
    "\u0192": "f",  # LATIN SMALL LETTER F WITH HOOK
    "\u0280": "r",  # LATIN LETTER SMALL CAPITAL R
    "\u0274": "n",  # LATIN LETTER SMALL CAPITAL N
    "\u026a": "i",  # LATIN LETTER SMALL CAPITAL I
    "\u1d00": "a",  # LATIN LETTER SMALL CAPITAL A
    "\u1d07": "e",  # LATIN LETTER SMALL CAPITAL E
    "\u0299": "b",  # LATIN LETTER SMALL CAPITAL B
    "\u1d04": "c",  # LATIN LETTER SMALL CAPITAL C
    "\u1d05": "d",  # LATIN LETTER SMALL CAPITAL D
    "\u0262": "g",  # LATIN LETTER SMALL CAPITAL G
    "\u029c": "h",  # LATIN LETTER SMALL CAPITAL H
    "\u1d0a": "j",  # LATIN LETTER SMALL CAPITAL J
    "\u1d0b": "k",  # LATIN LETTER SMALL CAPITAL K
    "\u1d0d": "m",  # LATIN LETTER SMALL CAPITAL M
    "\u1d0f": "o",  # LATIN LETTER SMALL CAPITAL O
    "\u1d18": "p",  # LATIN LETTER SMALL CAPITAL P
    "\u1d1b": "t",  # LATIN LETTER SMALL CAPITAL T
    "\u1d1c": "u",  # LATIN LETTER SMALL CAPITAL U
    "\u1d20": "v",  # LATIN LETTER SMALL CAPITAL V
    "\u1d21": "w",  # LATIN LETTER SMALL CAPITAL W
    "\u028f": "y",  # LATIN LETTER SMALL CAPITAL Y
    "\u1d22": "z",  # LATIN LETTER SMALL CAPITAL Z
    "\ua730": "f",  # LATIN LETTER SMALL CAPITAL F
}
"""Letters drawn like a Latin letter, and that letter (Cyrillic, Greek, and a few Latin variants)."""

_TRANSLATION = str.maketrans(dict(CONFUSABLES))
_MARKS = str.maketrans({"\u2122": " ", "\u2120": " "})
"""The trade and service marks, which NFKC would write as the letters "TM" and "SM" (glued to a brand name)."""


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _plain(match: re.Match[str]) -> str:
    """A non-ASCII character as the checks read it: gone when it is a format character, a digit as ASCII."""
    char = match.group()
    if char == "\u034f" or unicodedata.category(char) == "Cf":
        return ""
    return str(unicodedata.decimal(char)) if char.isdecimal() else char


def _visible_digits(text: str) -> str:
    """``text`` without format characters (category Cf) and the combining grapheme joiner, digits as ASCII.

    Only the non-ASCII characters are looked at, so long text with a few of them is quick.
    """
    return _NON_ASCII.sub(_plain, text)


def skeleton(text: str) -> str:
    r"""``text`` as the safety checks read it: NFKC, no format characters, ASCII digits, look-alikes as Latin.

    >>> skeleton("\u0456bu\u00adprofen \uff13\uff10\uff10\u338e")
    'ibuprofen 300mg'

    Case is kept; plain ASCII text comes back unchanged.

    .. versionadded:: 0.2
    """
    if text.isascii():
        return text
    return _visible_digits(unicodedata.normalize("NFKC", text.translate(_MARKS))).translate(_TRANSLATION)


def normal_version(version: str) -> str:
    r"""A version as versions are compared: :func:`skeleton`, all whitespace removed, case folded.

    >>> normal_version(" 2027.01\u200b") == normal_version("\uff12\uff10\uff12\uff17.01") == "2027.01"
    True

    .. versionadded:: 0.2
    """
    return "".join(skeleton(version).split()).casefold()
