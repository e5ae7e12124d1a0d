"""The checked-attrs machinery: value constraints, the type-driven checker, argument checks and the cattrs converter.

Internal: nothing here is public API. Each constraint is defined once and
used for objects built in Python, for JSON loading and for JSON Schema.
"""
