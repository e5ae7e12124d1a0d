"""Check the built HTML docs (run after the Sphinx build, by ``nox -s docs``).

- every knowledge-base id has an anchor;
- no page shows a placeholder such as ``{emergency}`` outside code (text is
  shown resolved for the default region), and the pages generated from the
  knowledge base show none even in code, except where the catalogue's note
  names one to explain them;
- no page shows a Python type's repr (``<class 'bool'>``) where words belong;
- no line of an example a reader types (``>>>``, ``...`` and ``$`` lines in
  code blocks) is longer than :data:`WIDTH`, so that examples fit a desktop
  page without wrapping (output may be longer: it wraps);
- no reader page names an issue of the project's own tracker, which readers
  cannot look up (the pages for people working on crampkit may).
"""

import html
import re
import sys
from pathlib import Path

import crampkit

WIDTH = 88
"""Characters an example line may have: the command line's own width (its help and text output)."""

FROM_THE_KNOWLEDGE_BASE = {"knowledge-base.html"}
"""Pages generated from the knowledge base, where even code shows text as the default region reads it."""

FOR_CONTRIBUTORS = {"architecture.html", "changelog.html", "performance.html", "testing.html"}
"""Pages for people working on crampkit, which may cite the project's issues."""

pages = {page: page.read_text(encoding="utf-8") for page in sorted(Path("docs/_build/html").rglob("*.html"))}
html_text = "".join(pages.values())
ids = [item.id for item in crampkit.default_knowledge_base().items()]
failures = []
if missing := [item_id for item_id in ids if f'id="{item_id}"' not in html_text]:
    failures.append(f"knowledge-base ids missing from the built docs: {', '.join(missing)}")
placeholder = re.compile("|".join(re.escape("{" + name + "}") for name in crampkit.PLACEHOLDERS))
code = re.compile(r"<(code|pre)\b.*?</\1>", re.DOTALL)  # placeholders in code are shown on purpose
pre = re.compile(r"<pre\b[^>]*>(.*?)</pre>", re.DOTALL)
tag = re.compile(r"<[^>]+>")
typed = re.compile(r"(>>> |\.\.\. |\$ )")
issue = re.compile(r"(?<![0-9] )\b[Ii]ssues? \d+\b")  # not "volume 6 issue 1" of a journal
for page, text in pages.items():
    if placeholder.search(code.sub("", text)):
        failures.append(f"{page}: a raw placeholder outside code")
    if page.name in FROM_THE_KNOWLEDGE_BASE and len(placeholder.findall(text)) > 1:
        failures.append(f"{page}: a raw placeholder in text from the knowledge base (only the note may name one)")
    if "&lt;class" in text or "<class '" in text:
        failures.append(f"{page}: a Python type's repr")
    failures += [
        f"{page}: an example line over {WIDTH} characters: {line[:60]}..."
        for block in pre.findall(text)
        for line in html.unescape(tag.sub("", block)).splitlines()
        if typed.match(line) and len(line) > WIDTH
    ]
    if page.name not in FOR_CONTRIBUTORS and (found := issue.search(tag.sub("", text))):
        failures.append(f"{page}: names the project's {found[0]}")
if failures:
    sys.exit("\n".join(failures))
print(
    f"all {len(ids)} knowledge-base ids are in the built docs; no raw placeholder, type repr, example line over "
    f"{WIDTH} characters or issue number where readers look, on {len(pages)} pages"
)
