"""A snapshot of the packaged knowledge base, made when the wheel is built, so a process need not rebuild it (internal).

Building the packaged knowledge base from its TOML files takes most of a
fresh process's first call: parsing, checking every item, and the safety
floor. A wheel therefore carries the knowledge base that the loader built
and checked while the wheel was built, pickled (``hatch_build.py`` calls
:func:`write`), with the fingerprint of what built it: every ``.py`` and
``.toml`` file of the package, as it was then. :func:`read` gives it back
only when the installed files still have that fingerprint, so it is always
what the loader would build from them now, floor checks included; otherwise
(an editable install, a changed file, a damaged or missing snapshot) the
loader builds the knowledge base from its files as before.

The file is part of the installed package and trusted as its code is;
nothing outside the package is ever unpickled.
"""

import hashlib
import os
import pickle

from crampkit.knowledge.items import KnowledgeBase, derived
from crampkit.knowledge.medicines import MATCHER, MedicineMatcher, matcher

__all__ = ["FILE", "fingerprint", "read", "write"]

PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
"""The folder of the ``crampkit`` package whose files the fingerprint covers."""

FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_packaged.pickle")
"""Where the installed package keeps the snapshot (only wheels have one)."""

_MAGIC = b"crampkit-kb-snapshot-2\n"
_FINGERPRINTED = (".py", ".toml")


def fingerprint(package: str = PACKAGE) -> bytes:
    """The SHA-256 of every ``.py`` and ``.toml`` file under ``package``, with its path in it, in a fixed order."""
    digest = hashlib.sha256()
    for folder, folders, files in os.walk(package):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        for name in sorted(files):
            if name.endswith(_FINGERPRINTED):
                path = os.path.join(folder, name)
                with open(path, "rb") as file:
                    content = file.read()
                relative = os.path.relpath(path, package).replace(os.sep, "/")
                digest.update(f"{relative}\0{len(content)}\0".encode())
                digest.update(content)
    return digest.digest()


def write(knowledge_base: KnowledgeBase, path: str, package: str = PACKAGE) -> None:
    """Write the snapshot of ``knowledge_base`` (built by the loader from ``package``'s files) to ``path``.

    It holds the knowledge base and its medicine matcher, whose indexes take
    a fresh process as long to build as the rest of the first call.
    """
    with open(path, "wb") as file:
        file.write(_MAGIC + fingerprint(package))
        pickle.dump((knowledge_base, matcher(knowledge_base)), file, protocol=pickle.HIGHEST_PROTOCOL)


def read(path: str | None = None, package: str = PACKAGE) -> KnowledgeBase | None:
    """The knowledge base in the snapshot at ``path`` (:data:`FILE`), or ``None``: none, or not for these files.

    Its medicine matcher comes with it, kept where :func:`~crampkit.knowledge.medicines.matcher` finds it.
    """
    try:
        with open(FILE if path is None else path, "rb") as file:
            header = file.read(len(_MAGIC) + hashlib.sha256().digest_size)
            if header != _MAGIC + fingerprint(package):
                return None
            found = pickle.load(file)  # noqa: S301 - the package's own file, made from the files fingerprinted above
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None
    if not (isinstance(found, tuple) and len(found) == 2):  # noqa: PLR2004 - the knowledge base and its matcher
        return None
    knowledge_base, kept = found
    if type(knowledge_base) is not KnowledgeBase or type(kept) is not MedicineMatcher:
        return None
    derived(knowledge_base).get(MATCHER, lambda: kept)
    return knowledge_base
