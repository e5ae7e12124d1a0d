"""Words that are safe, translated and regional: escaping for each medium, the message catalogue, and regions.

Internal: the public names (:data:`crampkit.REGIONS` and its friends) are
exported from :mod:`crampkit`.
"""
