"""create_app(): the application with its routers, error handlers and static files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from sqlalchemy import Engine
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware

from app import errors, logging_setup
from app.api import escalations as api_escalations
from app.api import evaluations as api_evaluations
from app.api import events as api_events
from app.api import imports as api_imports
from app.api import indicators as api_indicators
from app.api import mail_settings as api_mail_settings
from app.api import mentions as api_mentions
from app.api import org as api_org
from app.api import planning as api_planning
from app.api import reports as api_reports
from app.api import rhythm as api_rhythm
from app.api import work as api_work
from app.config import Settings, get_settings
from app.db import create_db_engine, is_sqlite
from app.mail_schedule import send_mail_while_running
from app.notify import listen_while_running
from app.web import across as web_across
from app.web import ambitions as web_ambitions
from app.web import ambitions_live as web_ambitions_live
from app.web import auth as web_auth
from app.web import errors as web_errors
from app.web import evaluations as web_evaluations
from app.web import feeds as web_feeds
from app.web import head_view as web_head_view
from app.web import mail_settings as web_mail_settings
from app.web import pages as web_pages
from app.web import people as web_people
from app.web import personal as web_personal
from app.web import profile as web_profile
from app.web import pwa as web_pwa
from app.web import sso as web_sso
from app.web import two_factor as web_two_factor
from app.web.admin import meetings as web_admin_meetings
from app.web.admin import organisation as web_admin_organisation
from app.web.admin import people as web_admin
from app.web.admin import sprints as web_admin_sprints
from app.web.admin import teams as web_admin_teams
from app.web.boards import cards as web_board_cards
from app.web.boards import close as web_board_close
from app.web.boards import detail as web_board_detail
from app.web.boards import escalations as web_escalations
from app.web.boards import imports as web_board_imports
from app.web.boards import live as web_live
from app.web.boards import page as web_boards
from app.web.boards import standup as web_standup
from app.web.head import HeadAsGet
from app.web.i18n import pick_locale, translations
from app.web.proxies import TrustedProxies
from app.web.security import SecurityHeaders
from app.web.static_files import FingerprintedStaticFiles
from app.web.templating import render_static_page
from app.write_queue import WriteQueue

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
DOCS_DIR = Path(__file__).resolve().parent.parent / "templates" / "docs"
NOT_COMPRESSED = (
    *DEFAULT_EXCLUDED_CONTENT_TYPES,
    "text/event-stream",  # in Starlette's list too; never buffered, whatever its version
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

API_DESCRIPTION = """Het digitale verbeterbord: teams, teams van teams, acties en ambities.

Every operation needs `Authorization: Bearer <token>` (make one with `verbeterbord token
create`). Lists answer `{"items": [...], "total": n}` and page with `limit` and `offset`.
Refusals answer `{"detail": "..."}`, invalid input (422) one message per field:
`{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}`. Messages are Dutch, English with
`Accept-Language: en`."""
API_TAGS = [
    {"name": "me", "description": "Who is asking."},
    {"name": "locations", "description": "Municipalities and offices."},
    {"name": "users", "description": "Staff members."},
    {"name": "teams", "description": "Teams, teams of teams and their members."},
    {"name": "boards", "description": "A team's board for a sprint."},
    {"name": "actions", "description": "Two-week actions, their history."},
    {"name": "comments", "description": "Comments on actions."},
    {"name": "escalations", "description": "Blockers sent up to the team of teams."},
    {"name": "ambitions", "description": "Long-term ambitions, goals and progress."},
    {"name": "indicators", "description": "Indicators of an ambition and their measurements."},
    {"name": "meetings", "description": "College and council meetings per municipality."},
    {"name": "sprints", "description": "The organisation-wide two-week periods."},
    {"name": "organisation", "description": "Settings the whole organisation shares: its rhythm."},
    {"name": "evaluations", "description": "A team's evaluation of a sprint."},
    {"name": "standups", "description": "Records of a team of teams' stand-ups."},
    {"name": "reports", "description": "Ambition and sprint reports as PDF, XLSX and CSV."},
    {"name": "imports", "description": "Actions from a spreadsheet (CSV or XLSX)."},
    {"name": "events", "description": "Committed changes as server-sent events."},
]


def docs_page(name: str) -> Callable[[], HTMLResponse]:
    """/docs (Swagger UI) and /redoc (Redoc): static pages whose scripts and styles come from
    static/vendor (npm swagger-ui-dist, redoc) and static/js, under the app's CSP (for /redoc
    with the hashes of Redoc's two <style> texts, app/web/security.py)."""
    html = render_static_page(f"docs/{name}")  # for its fingerprinted static URLs

    def page() -> HTMLResponse:
        return HTMLResponse(html)

    return page


def operation_id(route: APIRoute) -> str:
    """`list_teams`, `update_action`: the route function's name, for generated clients."""
    return route.name


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Verbeterbord",
        version="0.1.0",
        description=API_DESCRIPTION,
        contact={"name": "Verbeterbord"},
        license_info={"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        servers=[{"url": "/", "description": "Deze server"}],
        openapi_tags=API_TAGS,
        docs_url=None,  # our own pages below: no CDN, no inline script
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine or create_db_engine(settings)
    listen_while_running(app)  # PostgreSQL: live events from every process (app.notify)
    send_mail_while_running(app)  # every minute while SMTP is set (app.mail_schedule)

    api = APIRouter(prefix="/api/v1", generate_unique_id_function=operation_id)
    for module in (
        api_org,
        api_mail_settings,
        api_work,
        api_escalations,
        api_planning,
        api_rhythm,
        api_indicators,
        api_evaluations,
        api_reports,
        api_imports,
        api_events,
        api_mentions,
    ):
        api.include_router(module.router)
    app.include_router(api)
    for web in (
        web_auth,
        web_sso,
        web_two_factor,
        web_pages,
        web_pwa,  # /sw.js
        web_feeds,  # before web_personal: /mijn-acties/agenda
        web_personal,
        web_across,
        web_boards,
        web_board_cards,
        web_board_detail,
        web_board_imports,
        web_board_close,
        web_escalations,
        web_live,
        web_standup,
        web_evaluations,
        web_ambitions,
        web_ambitions_live,
        web_head_view,
        web_admin,
        web_admin_teams,
        web_admin_sprints,
        web_admin_organisation,
        web_admin_meetings,
        web_profile,
        web_mail_settings,
        web_people,
    ):
        app.include_router(web.router, include_in_schema=False)
    app.mount("/static", FingerprintedStaticFiles(directory=STATIC_DIR), name="static")
    app.add_api_route("/docs", docs_page("swagger.html"), include_in_schema=False)
    app.add_api_route("/redoc", docs_page("redoc.html"), include_in_schema=False)

    def api_language(request: Request, message: str) -> str:
        """The API speaks Dutch, or English when Accept-Language asks for it."""
        locale = pick_locale(
            user_locale=None,
            accept_language=request.headers.get("accept-language"),
            default=settings.locale,
        )
        return translations(locale).gettext(message)

    app.state.api_language = api_language  # for messages inside an answer (an import's rows)
    errors.install(app, page_error=web_errors.html_error, translate=api_language)
    web_errors.install(app)
    web_two_factor.install(app)  # an admin without a second factor goes to set one up
    # gzip when the browser accepts it; Starlette leaves text/event-stream (the live streams)
    # and fonts alone, and we add the downloads that are compressed already (PDF, XLSX). Inside
    # HeadAsGet, so a HEAD answer names the same encoding and length as its GET.
    app.add_middleware(
        GZipMiddleware, minimum_size=1024, compresslevel=6, exclude_content_types=NOT_COMPRESSED
    )
    app.add_middleware(HeadAsGet)  # only the routes (and gzip) see HEAD as GET
    if is_sqlite(str(app.state.engine.url)):
        app.add_middleware(WriteQueue, busy_timeout=settings.sqlite_busy_timeout_ms / 1000)
    app.add_middleware(SecurityHeaders)
    # refused writes go to the security log; outermost, the client address a trusted proxy gave
    app.add_middleware(logging_setup.RefusedWrites)
    app.add_middleware(TrustedProxies, trusted=settings.trusted_proxies)
    logging_setup.configure()
    return app
