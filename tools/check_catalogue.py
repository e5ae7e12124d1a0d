"""Check the built HTML docs (run after the Sphinx build).

- every knowledge-base id has an anchor;
- no page shows a placeholder such as ``{emergency}`` outside code (text is
  shown resolved for the default region);
- no page shows a Python type's repr (``<class 'bool'>``) where words belong.
"""

import re
import sys
from pathlib import Path

import crampkit

pages = {page: page.read_text(encoding="utf-8") for page in sorted(Path("docs/_build/html").rglob("*.html"))}
html = "".join(pages.values())
ids = [item.id for item in crampkit.default_knowledge_base().items()]
failures = []
if missing := [item_id for item_id in ids if f'id="{item_id}"' not in html]:
    failures.append(f"knowledge-base ids missing from the built docs: {', '.join(missing)}")
placeholder = re.compile("|".join(re.escape("{" + name + "}") for name in crampkit.PLACEHOLDERS))
code = re.compile(r"<(code|pre)\b.*?</\1>", re.DOTALL)  # placeholders in code are shown on purpose
for page, text in pages.items():
    if placeholder.search(code.sub("", text)):
        failures.append(f"{page}: a raw placeholder outside code")
    if "&lt;class" in text:
        failures.append(f"{page}: a Python type's repr")
if failures:
    sys.exit("\n".join(failures))
print(f"all {len(ids)} knowledge-base ids are in the built docs; no raw placeholder or type repr on {len(pages)} pages")
