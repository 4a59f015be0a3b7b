"""``bedside serve``: the web app and JSON API on this computer only."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from bedside.cli.context import application, settings_of
from bedside.cli.output import fail, user_errors
from bedside.settings import DEFAULT_HOST, DEFAULT_PORT, Settings

LOOPBACK_NAMES = frozenset({"localhost"})


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""
    app.command("serve")(serve)


def is_loopback(host: str) -> bool:
    """True for addresses only this computer can reach (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _preflight(ctx: typer.Context, settings: Settings) -> None:
    """Open the database and the web secret once before serving, so a damaged, newer or
    read-only database, or an unsafe secret, stops ``serve`` with one line, not a traceback."""
    from bedside.services.web_secret import load_secret

    with application(ctx):
        pass
    with user_errors():
        load_secret(settings.data_dir)


def _check_port(host: str, port: int) -> None:
    """Refuse a port another program listens on, on one line (uvicorn would log and exit)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            fail(
                f"--port: cannot listen on {host}:{port} ({exc.strerror or exc}); is Bedside "
                "already running? Stop it, or choose another port with --port",
                code=1,
            )


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (loopback only for now).")
    ] = DEFAULT_HOST,
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)] = (
        DEFAULT_PORT
    ),
) -> None:
    """Start the web app and JSON API (http://127.0.0.1:8765 by default)."""
    if not is_loopback(host):
        fail(
            f"--host: refusing to listen on {host}: Bedside has no accounts yet, so anyone who "
            "could reach that address could read and change your health data. Use 127.0.0.1 "
            "(the default) and open the app on this computer."
        )
    host = host.strip().strip("[]")  # "[::1]" as written in a URL is the address ::1
    import dataclasses

    import uvicorn

    from bedside.web.app import create_app, prepare

    settings = dataclasses.replace(settings_of(ctx), host=host, port=port)
    _preflight(ctx, settings)
    with user_errors():
        prepare(settings)
    _check_port(host, port)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"Bedside is running at http://{shown}:{port}  (press Ctrl+C to stop)")
    typer.echo(f"Data: {settings.display_url}")
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        access_log=False,
        log_level="warning",
        server_header=False,
        proxy_headers=False,
    )
