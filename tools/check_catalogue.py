"""Check that every knowledge-base id has an anchor in the built HTML docs (run after the Sphinx build)."""

import sys
from pathlib import Path

import crampkit

html = "".join(page.read_text(encoding="utf-8") for page in Path("docs/_build/html").rglob("*.html"))
ids = [item.id for item in crampkit.default_knowledge_base().items()]
missing = [item_id for item_id in ids if f'id="{item_id}"' not in html]
if missing:
    sys.exit(f"knowledge-base ids missing from the built docs: {', '.join(missing)}")
print(f"all {len(ids)} knowledge-base ids are in the built docs")
