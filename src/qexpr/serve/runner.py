"""Running the reference server on uvicorn, bound to ``127.0.0.1`` unless told otherwise.

The socket is bound before uvicorn starts, so ``port=0`` takes a free port and the line
printed at start (``qexpr serve: listening on http://HOST:PORT``) names the real one.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Mapping
from typing import TextIO

from qexpr.serve.tokens import Token

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (IPv4 or IPv6, ``port`` 0: any free one)."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    """The base URL a bound socket serves."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def run(*, database: str | None = None, tokens: Mapping[str, Token] | None = None,
        host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, secret: str | None = None,
        strict: bool = True, timing: bool = False, pool: int | None = None,
        log_level: str = "warning", out: TextIO | None = None) -> None:
    """Serve ``GET /v1/runs`` until interrupted (see :mod:`qexpr.serve.app`).

    ``database`` is a PostgreSQL DSN or a SQLite file (None: the bundled example runs in
    memory); without ``tokens`` a random token reading every organisation with every scope
    of the schema is made and printed.
    """
    import uvicorn

    from qexpr.schema.run import RUN_SCHEMA
    from qexpr.serve.app import create_app
    from qexpr.serve.database import DEFAULT_POOL, open_database
    from qexpr.serve.tokens import Tokens, demo_token

    out = out or sys.stdout
    grants = dict(tokens or {})
    made: str | None = None
    if not grants:
        every = {s for r in RUN_SCHEMA.records for s in
                 (*(f.scope for f in r.fields), *(rel.scope for rel in r.relations)) if s}
        made, grant = demo_token(every)
        grants[made] = grant
    db = open_database(database, pool or DEFAULT_POOL)
    app = create_app(db, Tokens(grants), secret=secret, strict=strict, timing=timing)
    sock = bind(host, port)
    print(f"qexpr serve: listening on {url_of(sock)}/v1/runs ({db.label}; "
          f"{len(grants)} token{'s' if len(grants) != 1 else ''})", file=out, flush=True)
    if made is not None:
        print(f"qexpr serve: token {made} (every organisation, every scope)", file=out,
              flush=True)
        # the page reads the token from the fragment, which browsers never send to a server
        print(f"qexpr serve: playground {url_of(sock)}/#token={made}", file=out, flush=True)
    config = uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="on")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
