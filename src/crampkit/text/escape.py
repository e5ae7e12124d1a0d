r"""Escaping text for where it is shown: one line of plain text, Markdown with HTML, and links.

Text from a profile or a knowledge base is data, never markup or terminal
control. Every output medium (the terminal text, CDS Hooks cards from
:func:`crampkit.to_cds_hooks` and from the service) runs it through one of
these functions, and no other code escapes text:

* :func:`plain`: one line for a terminal or a plain-text field (CDS Hooks
  ``summary``, source and link labels), shortened to a limit when one is
  given;
* :func:`markdown`: :func:`plain`, then every Markdown metacharacter
  backslash-escaped and ``<``, ``>`` and ``&`` written as HTML entities (CDS
  Hooks ``detail`` is GitHub-flavoured Markdown, often rendered as HTML);
* :func:`html_text`: :func:`plain`, then ``&``, ``<``, ``>``, ``"`` and ``'``
  written as HTML entities, for the text and the quoted attribute values of
  an HTML page (the try-it page of :mod:`crampkit.server`);
  :func:`html_lines` keeps line breaks, for a ``<pre>`` or a ``<textarea>``;
* :func:`https_link`: a URL only when it is a plain ``https://`` link, so a
  ``javascript:`` or ``data:`` URL never becomes a link.

**Invisible characters are shown, never obeyed or dropped.** Control
characters (C0, DEL and C1), line and paragraph separators, lone surrogates
and every *format control* (Unicode category Cf: the bidirectional
embeddings, overrides, isolates and marks U+202A to U+202E, U+2066 to U+2069,
U+200E, U+200F and U+061C, the zero-width characters U+200B to U+200D and
U+2060, the byte-order mark U+FEFF, the soft hyphen U+00AD, tags and the
rest) are written as visible ``\xXX`` or ``\uXXXX`` escapes. So nothing in
the data can move the cursor, colour the terminal, end a line, reorder the
text around it or hide a character from the reader, and the output always
encodes as UTF-8. Everything else, letters and emoji of any script
included, is left as it is.

.. versionchanged:: 0.2
   Every format control (Unicode category Cf) is shown as an escape, not
   only the bidirectional embeddings, overrides and isolates.
"""

import re

from crampkit._caches import recent

__all__ = ["ELLIPSIS", "SHOWN_AS_ESCAPES", "html_lines", "html_text", "https_link", "markdown", "plain"]

SHOWN_AS_ESCAPES = (
    (0x00, 0x1F),  # C0 controls, including tab, line feed and carriage return
    (0x7F, 0x9F),  # DEL and the C1 controls
    (0xAD, 0xAD),  # soft hyphen
    (0x600, 0x605),  # Arabic number signs
    (0x61C, 0x61C),  # Arabic letter mark
    (0x6DD, 0x6DD),
    (0x70F, 0x70F),
    (0x890, 0x891),
    (0x8E2, 0x8E2),
    (0x180E, 0x180E),  # Mongolian vowel separator
    (0x200B, 0x200F),  # zero-width space, non-joiner and joiner; left-to-right and right-to-left marks
    (0x2028, 0x2029),  # line and paragraph separators
    (0x202A, 0x202E),  # bidirectional embeddings and overrides
    (0x2060, 0x2064),  # word joiner and invisible operators
    (0x2066, 0x206F),  # bidirectional isolates, deprecated format characters
    (0xD800, 0xDFFF),  # surrogates: never valid alone in text
    (0xFEFF, 0xFEFF),  # zero-width no-break space (byte-order mark)
    (0xFFF9, 0xFFFB),  # interlinear annotation
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),  # Egyptian hieroglyph format controls
    (0x1BCA0, 0x1BCA3),  # shorthand format controls
    (0x1D173, 0x1D17A),  # musical symbol format controls
    (0xE0001, 0xE0001),  # language tag
    (0xE0020, 0xE007F),  # tags
)
"""The code points :func:`plain` shows as escapes, as ranges: controls, separators, surrogates and format controls.

Every character of Unicode category Cc, Cf, Cs, Zl or Zp (as of Unicode 15.1).

.. versionadded:: 0.2
"""

ELLIPSIS = "…"
"""What ends text that :func:`plain` shortened.

.. versionadded:: 0.2
"""

_UNSAFE = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in SHOWN_AS_ESCAPES) + "]")
_INLINE = re.compile(r"([\\`*_\[\]|~])")
_BLOCK_START = re.compile(r"^(?:([#+=-])|(\d+)([.)]))")
_HTTPS = re.compile(r"https://[A-Za-z0-9.-]+(?::\d+)?(?:[/?#][^\s<>\"'`\\^{}|\x00-\x1f\x7f-\x9f]*)?")


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFF:  # noqa: PLR2004 - one byte
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"  # noqa: PLR2004 - the BMP


def plain(text: str, *, limit: int | None = None) -> str:
    r"""``text`` on one line, with every character that could act on the reader's screen shown as an escape.

    See the module documentation for which characters. With ``limit``, text
    longer than ``limit`` characters (after escaping) is cut and ends in
    :data:`ELLIPSIS`, ``limit`` characters in all at most.

    >>> print(plain("ibuprofen\x1b[31m\r\nred"))
    ibuprofen\x1b[31m\x0d\x0ared
    >>> print(plain("\u202eevil\u200b"))
    \u202eevil\u200b
    >>> print(plain("Atorvastatin 20 mg tablets", limit=14))
    Atorvastatin…

    .. versionchanged:: 0.2
       Every format control is escaped; ``limit``.
    """
    shown = _UNSAFE.sub(_escape_char, text)
    if limit is None or len(shown) <= limit:
        return shown
    return shown[: limit - len(ELLIPSIS)].rstrip() + ELLIPSIS


@recent(16_384)
def markdown(text: str) -> str:
    r"""``text`` as literal Markdown that renders as itself, in Markdown and in HTML.

    Inline markup (emphasis, code, links, images, tables, strikethrough) is
    escaped wherever it is; block markup (headings, lists, rules, quotes,
    code blocks) where it can start a block, at the start of the text, whose
    leading and trailing spaces are dropped. A bare URL stays text.
    Invisible characters are escaped first, as by :func:`plain`.

    >>> print(markdown("<img src=x onerror=alert(1)> *hi* [a](b)"))
    &lt;img src=x onerror=alert(1)&gt; \*hi\* \[a\](b)
    >>> print(markdown("# 1. not a heading"))
    \# 1. not a heading

    Results are cached: the knowledge base's text is escaped once per process.
    """
    escaped = _INLINE.sub(r"\\\1", plain(text).strip())  # leading spaces could start a code block
    escaped = escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BLOCK_START.sub(_escape_block_start, escaped)


def _escape_block_start(match: re.Match[str]) -> str:
    marker, number, delimiter = match.groups()
    return f"\\{marker}" if marker else f"{number}\\{delimiter}"


def html_text(text: str) -> str:
    r"""``text`` as HTML that shows as itself, in an element or a quoted attribute value.

    Invisible characters are escaped first, as by :func:`plain`; then the
    standard library's :func:`html.escape` writes ``&``, ``<``, ``>``, ``"``
    and ``'`` as entities.

    >>> print(html_text('<img src=x onerror="alert(1)"> & \u202e'))
    &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; \u202e

    .. versionadded:: 0.2
    """
    import html  # noqa: PLC0415 - only the try-it page writes HTML, so other commands do not import it

    return html.escape(plain(text), quote=True)


_LINE_BREAK = re.compile(r"\r\n?|\n")


def html_lines(text: str) -> str:
    r"""Text of several lines for a ``<pre>`` or a ``<textarea>``: each line as :func:`html_text` writes it.

    Line breaks (``\n``, ``\r\n`` or ``\r``) stay line breaks (``\n``); every other
    invisible character is escaped.

    >>> print(html_lines("a <b>\r\nc\x0b"))
    a &lt;b&gt;
    c\x0b

    .. versionadded:: 0.2
    """
    return "\n".join(html_text(line) for line in _LINE_BREAK.split(text))


def https_link(url: str) -> str | None:
    """``url`` if it is a plain ``https://`` link with a host name, else ``None``.

    >>> https_link("https://www.nhs.uk/conditions/leg-cramps/")
    'https://www.nhs.uk/conditions/leg-cramps/'
    >>> https_link("javascript:alert(1)") is None
    True
    """
    return url if _HTTPS.fullmatch(url) else None
