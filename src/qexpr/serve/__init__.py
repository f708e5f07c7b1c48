"""``qexpr serve``: the reference server of the seed's ``GET /v1/runs`` (``qexpr[serve]``).

:func:`create_app` builds the Starlette app over a :class:`~qexpr.serve.database.Database`
(:func:`open_database`: the bundled example runs in memory, a SQLite file or PostgreSQL) and
:class:`Tokens`; :func:`run` serves it on uvicorn. ``import qexpr`` never imports this package.
"""

from qexpr.serve.app import RunsServer, bearer, create_app
from qexpr.serve.database import Database, TimedConnection, embedded, open_database
from qexpr.serve.runner import run
from qexpr.serve.tokens import Token, Tokens, load_tokens, parse_token

__all__ = [
    "Database",
    "RunsServer",
    "TimedConnection",
    "Token",
    "Tokens",
    "bearer",
    "create_app",
    "embedded",
    "load_tokens",
    "open_database",
    "parse_token",
    "run",
]
