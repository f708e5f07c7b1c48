"""Backends that turn a validated :class:`~qexpr.Filter` into something that runs it."""
