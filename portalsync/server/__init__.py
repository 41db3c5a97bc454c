"""The reference memoQweb-style server (`portalsync serve`).

A sibling of the sync engine: the engine never imports this package, and this package imports
nothing of the engine, so the two only meet over HTTP, as they would against a real server.
"""
