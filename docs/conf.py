"""Sphinx configuration for the crampkit documentation.

Build (offline, warnings are errors)::

    python -m sphinx -W -n --keep-going -b html docs docs/_build/html
"""

import sys
from importlib.metadata import version as _version
from pathlib import Path

# The local extension that generates the knowledge-base catalogue.
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "crampkit"
author = "crampkit developers"
copyright = "crampkit developers"  # noqa: A001 - the name Sphinx reads
release = _version("crampkit")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "crampkit_docs",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
# _generated/ holds Markdown that crampkit_docs writes at build time; the
# pages that show it pull it in with {include}, so it is not a document itself.
exclude_patterns = ["_build", "_generated", "Thumbs.db", ".DS_Store"]

# MyST
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence", "deflist"]

# autodoc and napoleon
autodoc_typehints = "description"
# crampkit.dask needs the dask extra; its page is built without it (`pip install '.[docs]'`)
autodoc_mock_imports = ["dask", "fsspec", "pyarrow"]
autodoc_member_order = "bysource"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = False

# Every reference must resolve. There is no intersphinx (the build is
# offline), so references to types outside crampkit cannot resolve; they are
# listed here, each with the reason it appears.
nitpicky = True
nitpick_ignore = [
    # Standard-library types in crampkit's type hints and docstrings.
    ("py:class", "collections.abc.Callable"),
    ("py:class", "collections.abc.Collection"),
    ("py:class", "collections.abc.Iterable"),
    ("py:class", "collections.abc.Iterator"),
    ("py:class", "collections.abc.Mapping"),
    ("py:class", "collections.abc.Sequence"),
    ("py:class", "os.PathLike"),
    ("py:class", "pathlib.Path"),
    ("py:class", "datetime.date"),
    ("py:class", "typing.BinaryIO"),
    # The ASGI application crampkit.server.create_app returns (the server extra).
    ("py:class", "starlette.applications.Starlette"),
    # Type variables of generic functions (structure(data, type_: type[T]) -> T);
    # a TypeVar has no page of its own.
    ("py:class", "crampkit.io.json.T"),
]

# HTML
html_theme = "furo"
html_title = f"crampkit {release}"
html_static_path = ["_static"]
html_css_files = ["crampkit.css"]
html_show_sourcelink = False
python_use_unqualified_type_names = True
