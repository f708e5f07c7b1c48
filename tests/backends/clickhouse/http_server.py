"""A ClickHouse HTTP interface for tests: ``clickhouse-connect`` talks real HTTP to it, and it hands
every statement to the real engine (the test process's chdb ``Session``).

It implements the part of ClickHouse's documented HTTP interface that clickhouse-connect 1.12 uses
(``clickhouse_connect/driver/_backend/httpcommon.py`` and ``http_sync.py``):

- ``GET /ping`` answers ``Ok.``;
- the statement is the ``query`` URL parameter, the request body, or both (URL part first, then a
  newline and the body, as the server concatenates them), or the ``query`` field of a
  ``multipart/form-data`` body (what the client sends when the bound parameters exceed 4 KiB);
- ``param_<name>`` URL parameters or form fields are passed to chdb as ``params=`` (the engine's own
  server-side binding of ``{name:Type}`` placeholders, values parsed as escaped text by the engine);
- ``database`` is made current with ``USE`` for the one statement (the session's own current
  database is restored after it, so the chdb route of the same test is not moved);
  ``default_format`` is the engine's default output format (ClickHouse's HTTP default
  ``TabSeparated``); a ``FORMAT`` clause in the statement wins, as on a server;
- responses carry ``X-ClickHouse-Summary`` (rows and bytes read/written, elapsed, from the engine's
  result), ``X-ClickHouse-Query-Id``, ``X-ClickHouse-Timezone`` (the engine's ``timezone()``) and
  ``X-ClickHouse-Server-Display-Name``; an engine error is HTTP 500 with
  ``X-ClickHouse-Exception-Code`` and the engine's ``Code: N. DB::Exception: ...`` text as the body.

Limits (it is a test shim, not a server): no authentication (credentials are ignored), no sessions
(every request runs on the one shared chdb session; ``session_id`` is accepted and ignored), no
response compression (``Accept-Encoding`` and ``enable_http_compression`` are ignored: bodies are
sent as they are, which the client accepts), no compressed request bodies (``Content-Encoding`` is
refused), no progress headers, no streaming (the engine's whole result is one response), no external
data tables, no ``X-ClickHouse-Format`` header (the format is named in the statement's ``FORMAT``
clause, which the shim does not parse), and per-request settings (URL parameters other than the
transport ones in :data:`TRANSPORT`, e.g. the ``date_time_input_format`` the client sends) are
applied to the shared session with ``SET`` for the one request and restored after it (a setting name
must be a plain identifier). It never looks inside the SQL and never formats a query value: the
statement text and the parameter texts reach the engine exactly as received, and every request is
kept in :attr:`ClickHouseHTTP.requests` for tests to inspect.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
import threading
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

#: URL parameters about the transport, accepted and ignored (the shim has one session, no
#: compression and no progress headers).
TRANSPORT = frozenset({
    "session_id", "session_timeout", "session_check", "query_id", "quota_key", "compress",
    "decompress", "enable_http_compression", "send_progress_in_http_headers",
    "http_headers_progress_interval_ms", "wait_end_of_query", "client_protocol_version",
    "cancel_http_readonly_queries_on_client_close", "buffer_size", "role", "user", "password",
})
_CODE = re.compile(r"Code: (\d+)\.")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class Request:
    """A statement as the shim received it: its text and its ``param_`` values by name."""

    query: str
    params: dict[str, str]
    database: str | None
    settings: dict[str, str]


class EngineError(Exception):
    """An error response: ClickHouse's exception code and text."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(text)
        self.code, self.text = code, text


class ClickHouseHTTP:
    """The shim on ``127.0.0.1:<free port>`` in a daemon thread, forwarding to ``session``
    (use as a context manager; :attr:`port` once started)."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self.port = int(self._server.server_address[1])
        self.timezone = session.query("SELECT timezone()", "TabSeparated").bytes().decode().strip()

    def __enter__(self) -> ClickHouseHTTP:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def run(self, request: Request, default_format: str) -> tuple[bytes, dict[str, str]]:
        """The engine's output for ``request`` and its summary (raises :class:`EngineError`)."""
        with self._lock:
            self.requests.append(request)
            try:
                current = self.session.query("SELECT currentDatabase()",
                                             "TabSeparated").bytes().decode().strip()
                restore = [f"USE {current}"]
                try:
                    if request.database is not None:
                        if not _IDENT.match(request.database):
                            raise EngineError(81, f"Code: 81. DB::Exception: Database "
                                                  f"{request.database!r} is not a plain name.")
                        self.session.query(f"USE {request.database}")
                    restore += self._apply(request.settings)
                    result = self.session.query(request.query, default_format,
                                                params=request.params or None)
                finally:
                    for statement in reversed(restore):
                        self.session.query(statement)
            except EngineError:
                raise
            except Exception as error:  # chdb.ChdbError: the engine's exception text
                text = str(error)
                found = _CODE.search(text)
                raise EngineError(int(found.group(1)) if found else 1000, text) from None
        summary = {"read_rows": str(result.rows_read()), "read_bytes": str(result.bytes_read()),
                   "written_rows": str(result.rows_written()),
                   "written_bytes": str(result.bytes_written()),
                   "total_rows_to_read": str(result.rows_read()), "result_rows": "0",
                   "result_bytes": "0", "elapsed_ns": str(int(result.elapsed() * 1e9))}
        return bytes(result.bytes()), summary


    def _apply(self, settings: dict[str, str]) -> list[str]:
        """SET each setting on the session; the statements that restore the old values."""
        restore: list[str] = []
        for name, value in settings.items():
            if not _IDENT.match(name):
                raise EngineError(115, f"Code: 115. DB::Exception: Unknown setting {name!r}. "
                                       "(UNKNOWN_SETTING)")
            old = self.session.query(
                "SELECT value, changed FROM system.settings WHERE name = {n:String}",
                "JSONCompactEachRow", params={"n": name}).bytes()
            if not old:
                raise EngineError(115, f"Code: 115. DB::Exception: Unknown setting {name}. "
                                       "(UNKNOWN_SETTING)")
            old_value, changed = json.loads(old)
            restore.append(f"SET {name} = {_literal(old_value)}" if int(changed)
                           else f"SET {name} = DEFAULT")
            self.session.query(f"SET {name} = {_literal(value)}")
        return restore


def _literal(value: str) -> str:
    """A setting's value as a ClickHouse string literal (settings only, never query values)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _form_fields(content_type: str, body: bytes) -> dict[str, str]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    fields: dict[str, str] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if part.get_filename() is not None:
            raise EngineError(48, "Code: 48. DB::Exception: the test shim has no external data.")
        payload = part.get_payload(decode=True)
        fields[str(name)] = payload.decode() if isinstance(payload, bytes) else ""
    return fields


def _handler(shim: ClickHouseHTTP) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._serve(b"")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self._serve(self.rfile.read(length))

        def _serve(self, body: bytes) -> None:
            url = urlsplit(self.path)
            if url.path == "/ping":
                self._reply(200, b"Ok.\n", {})
                return
            query_id = str(uuid.uuid4())
            try:
                if self.headers.get("Content-Encoding", "identity") != "identity":
                    raise EngineError(1000, "Code: 1000. DB::Exception: the test shim reads "
                                            "no compressed request bodies.")
                fields = dict(parse_qsl(url.query, keep_blank_values=True))
                content_type = self.headers.get("Content-Type", "")
                text = fields.pop("query", "")
                if content_type.startswith("multipart/form-data"):
                    form = _form_fields(content_type, body)
                    text = form.pop("query", text)
                    fields.update(form)
                elif body:
                    text = f"{text}\n{body.decode()}" if text else body.decode()
                query_id = fields.pop("query_id", query_id)
                params = {k[len("param_"):]: v for k, v in fields.items()
                          if k.startswith("param_")}
                database = fields.pop("database", None)
                default_format = fields.pop("default_format", "TabSeparated")
                settings = {k: v for k, v in fields.items()
                            if not k.startswith("param_") and k not in TRANSPORT}
                out, summary = shim.run(Request(text, params, database, settings),
                                        default_format)
            except EngineError as error:
                self._reply(500, (error.text + "\n").encode(),
                            {"X-ClickHouse-Exception-Code": str(error.code),
                             "X-ClickHouse-Query-Id": query_id})
                return
            self._reply(200, out, {"X-ClickHouse-Summary": json.dumps(summary),
                                   "X-ClickHouse-Query-Id": query_id})

        def _reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-ClickHouse-Timezone", shim.timezone)
            self.send_header("X-ClickHouse-Server-Display-Name", "qexpr-test-shim")
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler
