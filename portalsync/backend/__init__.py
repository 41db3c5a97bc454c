"""The adapter for the memoQweb-style HTTP API (design/api.md). Nothing else talks HTTP."""
