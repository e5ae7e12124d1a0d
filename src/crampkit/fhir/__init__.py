"""From HL7 FHIR R4 resources to a :class:`~crampkit.Profile` (needs the optional ``fhir`` extra).

:func:`to_profile` reads a Bundle (or a list of resources) and returns a
:class:`FhirProfile`: the profile, and every part that was not used
(:class:`Unmapped`), each with its reason. See :mod:`crampkit.fhir.mapping`
for what is read, and :func:`code_table` for the codes crampkit knows.

Without the extra (``pip install '.[fhir]'`` in a checkout of crampkit), the names import, but
:func:`to_profile` raises :class:`ImportError` naming the extra to install.

.. versionadded:: 0.2
"""

from crampkit.fhir.codes import CodeTable, code_table
from crampkit.fhir.mapping import MAX_RESOURCES, FhirProfile, Unmapped, preload, to_profile

__all__ = ["MAX_RESOURCES", "CodeTable", "FhirProfile", "Unmapped", "code_table", "preload", "to_profile"]
