"""The ``scoring`` command: serve, demo, import, export, results, sheets, tickets, db upgrade.

Why ``results`` needs no server or database: the portable document alone must reproduce the
standings, for archives, audits and appeals.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from scoring.errors import InvalidInput
from scoring.i18n import N_, normalise_locale, translate

LANG = click.option(
    "--lang", default=lambda: os.environ.get("SCORING_LANG", "zh_Hans_CN"), help="zh_Hans_CN (default) or en"
)


def _fail(exc: InvalidInput, lang: str) -> None:
    click.echo(translate(N_("The input was rejected; nothing was changed."), lang), err=True)
    for line in exc.messages(lang):
        click.echo(f"  - {line}", err=True)
    sys.exit(2)


def _competition_id(engine, slug: str, lang: str) -> int:  # noqa: ANN001
    from sqlmodel import select

    from scoring import models as m
    from scoring.db import reading

    with reading(engine) as s:
        cid = s.exec(select(m.Competition.id).where(m.Competition.slug == slug)).first()
    if cid is None:
        click.echo(translate(N_("No competition with the code %(slug)s."), lang, slug=slug), err=True)
        sys.exit(2)
    return cid


def _config():
    from scoring.config import Config

    return Config()


def _engine_and_upgrade():
    from scoring.db import make_engine
    from scoring.migrate import upgrade

    cfg = _config()
    Path(cfg.INSTANCE_PATH).mkdir(parents=True, exist_ok=True)
    upgrade(cfg.DATABASE_URL)
    return cfg, make_engine(cfg.DATABASE_URL)


def _read_raw(file: str):
    """The document's JSON, refused when the file is absurdly large, not UTF-8 or nested too deep."""
    from scoring.document import parse_json
    from scoring.document.bounds import document_file, document_text

    return parse_json(document_text(document_file(file), file), source=file)


@click.group()
def main() -> None:
    """Skills-competition scoring (技能竞赛评分)."""


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply migrations (safe on a running competition's database)."""
    _engine_and_upgrade()
    click.echo("ok")


@main.group()
def user() -> None:
    """Accounts (organizers, chief judges, viewers, clerks)."""


@user.command("create")
@click.argument("username")
@click.option("--role", default="organizer", type=click.Choice(["organizer", "chief", "judge", "viewer", "clerk"]))
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", "display_name", default="")
@click.option("--competition", "slug", default="", help="Limit the account to this competition (default: every one).")
@LANG
def user_create(username: str, role: str, password: str, display_name: str, slug: str, lang: str) -> None:
    """Create an account (the first organizer, for instance)."""
    from scoring.services.accounts import create_user

    _, engine = _engine_and_upgrade()
    cid = _competition_id(engine, slug, lang) if slug else None
    try:
        create_user(engine, username, password, role=role, display_name=display_name, competition_id=cid)
    except InvalidInput as exc:
        _fail(exc, lang)
    click.echo(translate(N_("Account %(name)s created."), lang, name=username))


@main.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--replace", is_flag=True, help="Replace a competition with the same code.")
@click.option(
    "--confirm-keep-history",
    "keep_history",
    is_flag=True,
    help="Confirm replacing a competition with published results or issued certificates (they are kept).",
)
@LANG
def import_cmd(file: str, replace: bool, keep_history: bool, lang: str) -> None:
    """Import a competition document (all or nothing)."""
    from scoring.services.transfer import import_document

    try:
        raw = _read_raw(file)
        _, engine = _engine_and_upgrade()
        cid = import_document(engine, raw, actor="cli", replace=replace, keep_history=keep_history)
    except InvalidInput as exc:
        _fail(exc, lang)
    click.echo(
        translate(N_("Imported competition %(slug)s (id %(id)s)."), lang, slug=raw["competition"]["slug"], id=cid)
    )


@main.command("export")
@click.argument("slug")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: standard output).")
@click.option("--public", "public", is_flag=True, help="Leave out personal data (ID numbers, phones).")
@LANG
def export_cmd(slug: str, output: str | None, public: bool, lang: str) -> None:
    """Export a competition as a portable document."""
    from scoring.services.transfer import export_document

    _, engine = _engine_and_upgrade()
    text = json.dumps(
        export_document(engine, _competition_id(engine, slug, lang), include_private=not public),
        ensure_ascii=False,
        indent=2,
    )
    if output:
        Path(output).write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)


@main.command("tickets")
@click.argument("slug")
@click.option("--group", default=None, help="Only this group (its code).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="PDF file to write.")
@LANG
def tickets_cmd(slug: str, group: str | None, output: str, lang: str) -> None:
    """Admission tickets (准考证), four per A4 page, with each contestant's lookup code."""
    from scoring.certificates.papers import tickets_pdf
    from scoring.errors import NotFound
    from scoring.services.tickets import tickets

    lang = normalise_locale(lang)
    cfg, engine = _engine_and_upgrade()
    base = getattr(cfg, "PUBLIC_BASE_URL", None) or "http://127.0.0.1:5000"
    try:
        items = tickets(engine, _competition_id(engine, slug, lang), group, base, "cli", lang)
    except NotFound:
        click.echo(translate(N_("Unknown group."), lang), err=True)
        sys.exit(2)
    Path(output).write_bytes(tickets_pdf(items, lang))
    click.echo(translate(N_("%(count)s admission tickets written to %(file)s."), lang, count=len(items), file=output))


@main.command("results")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json")
@LANG
def results_cmd(file: str, fmt: str, lang: str) -> None:
    """Standings, awards and flags from a document alone (no server, no database)."""
    from scoring.document import read_document, recompute, results_report, results_table

    lang = normalise_locale(lang)
    try:
        doc = read_document(file)
    except InvalidInput as exc:
        _fail(exc, lang)
    report = results_report(doc, recompute(doc), locale=lang)
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(results_table(report, lang))


@main.command("sheets")
@click.argument("slug")
@click.option("--judge", default="", help="Only this judge's sheets (a judge code, e.g. J02).")
@click.option("--session", default="", help="Only the contestants of this session (场次 code).")
@click.option("--panel", default="", help="Only this panel (its number or name).")
@click.option(
    "--layout",
    type=click.Choice(["sheet", "grid"]),
    default="sheet",
    help="grid: one page per session for panels of at most 6 aspects.",
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The PDF file to write.")
@click.option(
    "--base-url", default="", help="Address in the QR codes (default: SCORING_PUBLIC_URL, else http://127.0.0.1:5000)."
)
@LANG
def sheets_cmd(
    slug: str, judge: str, session: str, panel: str, layout: str, output: str, base_url: str, lang: str
) -> None:
    """Print the paper score sheets (评分表) of a competition as one PDF."""
    from scoring.certificates.score_sheets import score_sheets_pdf
    from scoring.services.paper_sheets import paper_sheets

    lang = normalise_locale(lang)
    cfg, engine = _engine_and_upgrade()
    cid = _competition_id(engine, slug, lang)
    base = base_url or cfg.PUBLIC_BASE_URL or "http://127.0.0.1:5000/"
    try:
        data = paper_sheets(
            engine, cid, base, judge=judge or None, session=session or None, panel=panel or None, locale=lang
        )
    except InvalidInput as exc:
        _fail(exc, lang)
    Path(output).write_bytes(score_sheets_pdf(data, layout, lang))
    click.echo(translate(N_("Wrote %(count)s score sheets to %(file)s."), lang, count=len(data.sheets), file=output))


def _serve(host: str, port: int, urls: list[tuple[str, str]] | None = None, on_start=None) -> None:  # noqa: ANN001
    """Serve (development server). ``on_start(app, base_url)`` runs on a thread of its own first."""
    import threading

    from scoring import create_app
    from scoring.extensions import socketio

    app = create_app()
    base = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}"
    click.echo("")
    for label, path in urls or [("Home", "/")]:
        click.echo(f"  {label}: {base + path if path.startswith('/') else path}")
    click.echo("")
    if on_start is not None:
        threading.Thread(target=on_start, args=(app, base), daemon=True, name="on-start").start()
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False, log_output=False)


def _serve_gevent(host: str, port: int) -> None:
    """Production mode (README "Production setup"): gunicorn, one gevent worker per process.

    Chosen from bench/fanout.py: gevent meets the fan-out target where threading is ~5x slower
    and eventlet stops at 1,024 connections; gunicorn sets TCP_NODELAY, gevent's own server not.
    """
    production_server(host, port).run()


def production_server(host: str, port: int):
    """The gunicorn application of ``scoring serve``: the settings and start-up hooks of
    ``scoring.gunicorn_conf`` (the same module a by-hand ``gunicorn -c`` loads), bound to host:port."""
    from gunicorn.app.base import BaseApplication

    from scoring import gunicorn_conf

    class _App(BaseApplication):
        def load_config(self):
            for key, value in vars(gunicorn_conf).items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)
            self.cfg.set("bind", f"{host}:{port}")

        def load(self):
            from scoring import create_app
            from scoring.config import Config

            cfg = Config()
            cfg.SOCKETIO_ASYNC_MODE = "gevent"
            return create_app(cfg)

    return _App()


@main.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option(
    "--mode",
    type=click.Choice(["gevent", "threading"]),
    default=lambda: os.environ.get("SCORING_SERVE_MODE", "gevent"),
    help="gevent (production, under gunicorn) or threading (development)",
)
@click.option(
    "--workers",
    default=lambda: int(os.environ.get("SCORING_WORKERS") or 1),
    type=click.IntRange(1, 64),
    help="server processes on ports PORT .. PORT+N-1 (more than 1: PostgreSQL and Redis; README)",
)
@click.option("--no-migrate", is_flag=True, hidden=True, help="(the processes of --workers: migrated once before)")
@LANG
def serve_cmd(host: str, port: int, mode: str, workers: int, no_migrate: bool, lang: str) -> None:
    """Serve the app (migrates the database first)."""
    from scoring import processes

    cfg = _config()
    why = processes.refusal(workers, cfg.DATABASE_URL, cfg.MESSAGE_QUEUE_URL, mode)
    if why:
        click.echo(translate(why, normalise_locale(lang), n=workers), err=True)
        sys.exit(2)
    if not no_migrate:
        _engine_and_upgrade()
    if workers > 1:
        processes.supervise(host, port, workers, click.echo)
        return
    if mode == "gevent":
        click.echo(f"  Home: http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}/")
        _serve_gevent(host, port)
        return
    _serve(host, port)


@main.command("demo")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option("--no-serve", is_flag=True, help="Only build the demo competition.")
@click.option("--simulate", is_flag=True, help="Once serving, the demo's judges mark every contestant still missing.")
@click.option(
    "--simulate-seconds", default=90, type=click.IntRange(0, 3600), help="How long the simulated marking takes."
)
def demo_cmd(host: str, port: int, no_serve: bool, simulate: bool, simulate_seconds: int) -> None:
    """Build the origin story's competition (78 childcare contestants + hairdressing) and serve it."""
    from scoring.demo import build_demo

    if simulate and no_serve:
        raise click.UsageError("--simulate needs the server: leave out --no-serve")
    _, engine = _engine_and_upgrade()
    urls = build_demo(engine)
    if no_serve:
        for label, path in urls:
            click.echo(f"{label}: {path}")
        return
    _serve(host, port, urls, on_start=_simulation(simulate_seconds) if simulate else None)


def _simulation(seconds: int):
    """What ``scoring demo --simulate`` runs once the server answers: the judge simulator, with
    its progress printed (scoring.demo_simulation)."""

    def start(app, base: str) -> None:  # noqa: ANN001
        import logging
        import time
        import urllib.request

        from scoring import demo_simulation as sim

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # thousands of request lines would bury the progress

        for _attempt in range(300):  # the server is ready when /healthz answers
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.1)
        click.echo(f"  模拟评委开始打分 Simulated judges start marking ({seconds} s)")

        def report(run: sim.Simulation) -> None:
            if run.state == "failed":
                click.echo(f"  模拟中止 Simulation stopped: {run.error}", err=True)
            elif run.state == "done":
                click.echo(
                    f"  模拟完成 Simulation done: {run.sent} marks sent; lock, review and publish in the console"
                )
            else:
                click.echo(f"  已发送 sent {run.sent} / {run.total} · 剩余 remaining {run.remaining}")

        engine, secret = app.extensions["scoring.engine"], app.config["SECRET_KEY"]
        run = sim.claim(engine, sim.DEMO_SLUG, seconds)  # the console's button sees this run and waits for it
        sim.run(engine, sim.DEMO_SLUG, base, secret, seconds, sim=run, report=report)

    return start


if __name__ == "__main__":
    main()
