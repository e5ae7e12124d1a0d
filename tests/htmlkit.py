"""Reading HTML in tests: the text a person sees, and the tags and attributes that hold it."""

import html.parser

INLINE = frozenset({"a", "strong", "span", "code", "label"})
"""Tags that do not break the text around them."""


class Text(html.parser.HTMLParser):
    """The text of an HTML document or fragment (entities decoded, spaces folded), with its tags and attributes."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.parts.append("" if tag in INLINE else " ")

    def handle_endtag(self, tag: str) -> None:
        self.parts.append("" if tag in INLINE else " ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        """The text, with every run of white space one space."""
        return " ".join("".join(self.parts).split())

    def having(self, name: str, value: str | None = None) -> list[dict[str, str | None]]:
        """The attributes of every tag that has attribute ``name`` (with ``value``, when given)."""
        return [found for _, found in self.tags if name in found and (value is None or found[name] == value)]
