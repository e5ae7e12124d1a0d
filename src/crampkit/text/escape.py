r"""Escaping text for where it is shown: one line of plain text, Markdown with HTML, and links.

Text from a profile or a knowledge base is data, never markup or terminal
control. Every output medium runs it through one of these functions:

* :func:`plain`: one line for a terminal or a plain-text field (CDS Hooks
  ``summary``): control characters, line breaks, bidirectional controls and
  lone surrogates are shown as visible ``\uXXXX``-style escapes (so
  nothing can move the cursor, colour the terminal, reorder the text or
  fail to encode), and nothing else changes;
* :func:`markdown`: :func:`plain`, then every Markdown metacharacter
  backslash-escaped and ``<``, ``>`` and ``&`` written as HTML entities (CDS
  Hooks ``detail`` is GitHub-flavoured Markdown, often rendered as HTML);
* :func:`https_link`: a URL only when it is a plain ``https://`` link, so a
  ``javascript:`` or ``data:`` URL never becomes a link.
"""

import re

__all__ = ["https_link", "markdown", "plain"]

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_INLINE = re.compile(r"([\\`*_\[\]|~])")
_BLOCK_START = re.compile(r"^(?:([#+=-])|(\d+)([.)]))")
_HTTPS = re.compile(r"https://[A-Za-z0-9.-]+(?::\d+)?(?:[/?#][^\s<>\"'`\\^{}|\x00-\x1f\x7f-\x9f]*)?")


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"  # noqa: PLR2004 - one byte


def plain(text: str) -> str:
    r"""``text`` on one line, with every character that could act on a terminal shown as an escape.

    >>> print(plain("ibuprofen\x1b[31m\r\nred"))
    ibuprofen\x1b[31m\x0d\x0ared
    """
    return _UNSAFE.sub(_escape_char, text)


def markdown(text: str) -> str:
    r"""``text`` as literal Markdown that renders as itself, in Markdown and in HTML.

    Inline markup (emphasis, code, links, images, tables, strikethrough) is
    escaped wherever it is; block markup (headings, lists, rules, quotes,
    code blocks) where it can start a block, at the start of the text, whose
    leading and trailing spaces are dropped. A bare URL stays text.

    >>> print(markdown("<img src=x onerror=alert(1)> *hi* [a](b)"))
    &lt;img src=x onerror=alert(1)&gt; \*hi\* \[a\](b)
    >>> print(markdown("# 1. not a heading"))
    \# 1. not a heading
    """
    escaped = _INLINE.sub(r"\\\1", plain(text).strip())  # leading spaces could start a code block
    escaped = escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BLOCK_START.sub(_escape_block_start, escaped)


def _escape_block_start(match: re.Match[str]) -> str:
    marker, number, delimiter = match.groups()
    return f"\\{marker}" if marker else f"{number}\\{delimiter}"


def https_link(url: str) -> str | None:
    """``url`` if it is a plain ``https://`` link with a host name, else ``None``.

    >>> https_link("https://www.nhs.uk/conditions/leg-cramps/")
    'https://www.nhs.uk/conditions/leg-cramps/'
    >>> https_link("javascript:alert(1)") is None
    True
    """
    return url if _HTTPS.fullmatch(url) else None
