"""Guidance for each medium: terminal text and short forms, and HL7 CDS Hooks cards (one card builder).

Internal: :func:`crampkit.to_cds_hooks` is the public way in.
"""
