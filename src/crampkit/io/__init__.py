"""Documents in and out: the one reader (size, encoding, depth), JSON loading and writing, and JSON Schemas.

Internal: the public functions (:func:`crampkit.load_profile`,
:func:`crampkit.to_json`, ...) are exported from :mod:`crampkit`.
"""
