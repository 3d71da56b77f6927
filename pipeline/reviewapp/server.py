"""Serving the review application on 127.0.0.1 only, in this process (werkzeug's threaded server)."""

from __future__ import annotations

import secrets

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

HOST = "127.0.0.1"


def new_token() -> str:
    """A one-time random token for the page's address (unguessable; never stored)."""
    return secrets.token_urlsafe(32)


class _QuietHandler(WSGIRequestHandler):
    """Requests are not logged: the start page's address carries the token (errors still are)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Nothing: see the class."""


def bind(app: Flask, port: int = 0) -> BaseWSGIServer:
    """A threaded server for ``app`` bound to 127.0.0.1 (port 0: a free port the system picks), not started."""
    return make_server(HOST, port, app, threaded=True, request_handler=_QuietHandler)


def address(server: BaseWSGIServer, token: str) -> str:
    """The address that opens the page: the start page with the token."""
    return f"http://{HOST}:{server.server_port}/?token={token}"
