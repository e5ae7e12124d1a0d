"""From a profile to guidance: facts, the compiled plan, the engine and the questions to ask.

Nothing here loads a knowledge base: the public entry points in
:mod:`crampkit._api` check their arguments, resolve the knowledge base and
check its safety floor, then call in here.
"""
