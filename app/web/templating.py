"""One Jinja environment for every page: autoescape everywhere, gettext, Dutch dates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from jinja2 import Environment, FileSystemLoader
from jinja2_fragments.fastapi import Jinja2Blocks
from starlette.responses import Response

from app.web import i18n
from app.web.static_files import static_url

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"


def build_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        # on for every template, whatever its file extension
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        short_date=i18n.short_date,
        long_date=i18n.long_date,
        date_time=i18n.date_time,
        iso_datetime=i18n.iso_datetime,
    )
    # every /static URL in a template: fingerprinted, cached a year (app/web/static_files.py)
    env.globals.update(week_label=i18n.week_label, static_url=static_url)
    return env


templates = Jinja2Blocks(env=build_environment())


def render_static_page(template: str) -> str:
    """A page without request or viewer (the API docs): rendered once, for its static URLs."""
    return templates.env.get_template(template).render()


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _context(request: Request, context: dict[str, Any]) -> dict[str, Any]:
    # Templates render in the route's own thread, so the language is set here, right before.
    locale = getattr(request.state, "locale", "nl")
    i18n.current_locale.set(locale)
    base = {"viewer": None, "csrf_token": "", "locale": locale, "path": request.url.path}
    return {**base, **getattr(request.state, "page_context", {}), **context}


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    block: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """The whole page, or for an HTMX request only the named block of that same page."""
    context = _context(request, context)
    if block is not None and is_htmx(request):
        response = templates.TemplateResponse(
            request, template, context, block_name=block, status_code=status_code
        )
    else:
        response = templates.TemplateResponse(request, template, context, status_code=status_code)
    response.headers["Vary"] = "HX-Request"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def render_block(
    request: Request, template: str, block: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    """Only one block, whatever asked (for partials that never stand alone)."""
    context = _context(request, context)
    response = templates.TemplateResponse(
        request, template, context, block_name=block, status_code=status_code
    )
    response.headers["Vary"] = "HX-Request"
    return response
