"""``bedside serve``: the web app and JSON API.

On this computer only by default (127.0.0.1). Another address (the phone on the home
network) needs server mode, where people sign in, and TLS: the person's own certificate
(``--tls-cert/--tls-key``) or a generated self-signed one whose fingerprint and a QR code of
the address are printed. Plain HTTP off loopback only behind a reverse proxy
(``--behind-proxy``), whose ``X-Forwarded-*`` headers are trusted from its address alone.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from bedside.cli.context import application, settings_of
from bedside.cli.output import fail, user_errors
from bedside.settings import DEFAULT_HOST, DEFAULT_PORT, Settings

LOOPBACK_NAMES = frozenset({"localhost"})
WILDCARDS = frozenset({"0.0.0.0", "::"})  # noqa: S104 - names compared, not bound


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
    from bedside.services.runtime import machine_faults
    from bedside.services.web_secret import load_secret

    with application(ctx):
        pass
    with user_errors(), machine_faults():
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


@dataclasses.dataclass(frozen=True)
class Plan:
    """How to serve: TLS files (if any), trusted proxy, names for the Host check, the URL."""

    cert: Path | None
    key: Path | None
    fingerprint: str | None
    proxy: str | None
    names: tuple[str, ...]
    url: str


def serve(
    ctx: typer.Context,
    host: Annotated[
        str,
        typer.Option(
            "--host", help="Address to listen on; another than 127.0.0.1 needs server mode."
        ),
    ] = DEFAULT_HOST,
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)] = (
        DEFAULT_PORT
    ),
    tls: Annotated[
        bool, typer.Option("--tls", help="Serve HTTPS (a generated certificate unless given).")
    ] = False,
    tls_cert: Annotated[
        Path | None, typer.Option("--tls-cert", help="Your certificate (PEM), with --tls-key.")
    ] = None,
    tls_key: Annotated[
        Path | None, typer.Option("--tls-key", help="Its private key (PEM).")
    ] = None,
    behind_proxy: Annotated[
        bool,
        typer.Option("--behind-proxy", help="Plain HTTP for a reverse proxy that does TLS."),
    ] = False,
    proxy_address: Annotated[
        str, typer.Option("--proxy-address", help="The proxy's address (X-Forwarded-* trusted).")
    ] = "127.0.0.1",
    name: Annotated[
        list[str] | None,
        typer.Option("--name", help="A name this server is reached by (repeatable)."),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", help="Worker processes (server mode).", min=1, max=64)
    ] = 1,
) -> None:
    """Start the web app and JSON API (http://127.0.0.1:8765 by default)."""
    host = host.strip().strip("[]")  # "[::1]" as written in a URL is the address ::1
    settings = settings_of(ctx)
    plan = _plan(
        settings,
        host,
        port,
        tls or tls_cert is not None,
        tls_cert,
        tls_key,
        behind_proxy,
        proxy_address,
        name or [],
    )
    if workers > 1 and not settings.server_mode:
        fail("--workers: several workers are for server mode (BEDSIDE_MODE=server)")
    settings = dataclasses.replace(
        settings,
        host=host,
        port=port,
        server_names=tuple(dict.fromkeys([*settings.server_names, *plan.names])),
        tls=plan.cert is not None or behind_proxy,
    )
    _preflight(ctx, settings)
    from bedside.web.app import prepare

    with user_errors():
        prepare(settings)
    _check_port(host, port)
    _announce(settings, plan)
    _run(settings, plan, workers)


def _plan(
    settings: Settings,
    host: str,
    port: int,
    tls: bool,
    cert: Path | None,
    key: Path | None,
    behind_proxy: bool,
    proxy_address: str,
    names: list[str],
) -> Plan:
    loopback = is_loopback(host)
    if not loopback and not settings.server_mode:
        fail(
            f"--host: refusing to listen on {host}: without accounts anyone who could reach "
            "that address could read and change your health data. Set BEDSIDE_MODE=server, "
            "add accounts with `bedside user add`, then serve over TLS; or use 127.0.0.1."
        )
    if (cert is None) != (key is None):
        fail("--tls-cert and --tls-key go together: give both, or neither for a generated one")
    if behind_proxy and tls:
        fail("--behind-proxy: the proxy does TLS, so leave out --tls/--tls-cert")
    machine = _machine(host) if not loopback else []
    shown = _shown_host(host, machine)
    wanted = [n.strip().lower() for n in names if n.strip()]
    if behind_proxy:
        url = f"http://{shown}:{port}"
        return Plan(None, None, None, proxy_address, tuple(wanted + machine), url)
    if not tls and loopback:
        return Plan(None, None, None, None, tuple(wanted), f"http://{shown}:{port}")
    fingerprint = None
    if cert is None or key is None:
        from bedside.web.app import secret_dir
        from bedside.web.tls import ensure_certificate

        made = ensure_certificate(secret_dir(settings) / "tls", [*machine, *wanted, host])
        cert, key, fingerprint = made.cert, made.key, made.fingerprint
    return Plan(cert, key, fingerprint, None, tuple(wanted + machine), f"https://{shown}:{port}")


def _machine(host: str) -> list[str]:
    from bedside.web.tls import machine_names

    return machine_names() if host in WILDCARDS else [host]


def _shown_host(host: str, machine: list[str]) -> str:
    from bedside.web.tls import lan_address

    if host in WILDCARDS:
        host = lan_address(machine) or "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def _announce(settings: Settings, plan: Plan) -> None:
    typer.echo(f"Bedside is running at {plan.url}  (press Ctrl+C to stop)")
    typer.echo(f"Data: {settings.display_url}")
    if settings.server_mode:
        typer.echo("Server mode: people sign in (accounts: `bedside user list`).")
    if plan.fingerprint:
        typer.echo("Self-signed certificate. Before trusting it on your phone, check that its")
        typer.echo(f"SHA-256 fingerprint is {plan.fingerprint}")
    if plan.proxy:
        typer.echo(f"Behind a reverse proxy at {plan.proxy}: it must do TLS.")
    if not is_loopback(settings.host):
        import segno

        typer.echo("Open it on your phone (same network) by scanning:")
        segno.make(plan.url, error="m").terminal(compact=True)


def _run(settings: Settings, plan: Plan, workers: int) -> None:
    import uvicorn

    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "access_log": False,
        "log_level": "warning",
        "server_header": False,
        "proxy_headers": plan.proxy is not None,
        "forwarded_allow_ips": plan.proxy or "",
        "ssl_certfile": str(plan.cert) if plan.cert else None,
        "ssl_keyfile": str(plan.key) if plan.key else None,
    }
    if workers == 1:
        from bedside.web.app import create_app

        uvicorn.run(create_app(settings), **options)
        return
    os.environ.update(
        BEDSIDE_DATABASE_URL=settings.database_url,
        BEDSIDE_MODE=settings.mode,
        BEDSIDE_SERVER_NAMES=",".join(settings.server_names),
        BEDSIDE_HOST=settings.host,
        BEDSIDE_PORT=str(settings.port),
        BEDSIDE_TLS="1" if settings.tls else "0",
    )
    from bedside.services.runtime import Bedside

    Bedside(settings).start().close()  # migrate once, before the workers start
    uvicorn.run("bedside.web.asgi:app_from_environment", factory=True, workers=workers, **options)
