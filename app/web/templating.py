"""One Jinja environment for every page: autoescape everywhere, gettext, Dutch dates."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from fastapi import Request
from jinja2 import Environment, FileSystemLoader, pass_context
from jinja2.runtime import Context
from jinja2_fragments.fastapi import Jinja2Blocks
from markupsafe import Markup, escape
from starlette.responses import Response

from app.domain.mentions import might_mention, normal
from app.web import i18n
from app.web.static_files import static_url

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"


# the page's LazyDirectory (app/queries/mentions.py), set by _context right before rendering:
# a macro imported without context (knelpunten/_parts.html) still finds it
_mention_people: ContextVar[Callable[[], Any] | None] = ContextVar("mention_people", default=None)


@pass_context
def mentions(context: Context, text: str | None) -> Markup:
    """A comment's or knelpunt's text, escaped, with each `@Naam` of an active colleague a link
    to their page (the rules: app/domain/mentions.py). Escaping comes first: every piece of the
    text, the mention included, goes through escape(); only the <a> around it is ours. A name
    two colleagues share stays text. The colleagues are read once per page, and only when a
    text holds an @ (`mention_people`, set with the viewer in app/web/deps.py)."""
    text = text or ""
    people = context.get("mention_people") or _mention_people.get()
    if people is None or not might_mention(text):
        return escape(text)
    directory = people()
    text = normal(text)
    html, at = [], 0
    for found in directory.names.find(text):
        ids = directory.by_key.get(found.key, [])
        if len(ids) != 1:
            continue
        html.append(escape(text[at : found.start]))
        written = escape(text[found.start : found.end])
        html.append(Markup('<a class="mention" href="/mensen/%d">%s</a>') % (ids[0], written))
        at = found.end
    html.append(escape(text[at:]))
    return Markup("").join(html)


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
        mentions=mentions,
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
    merged = {**base, **getattr(request.state, "page_context", {}), **context}
    _mention_people.set(merged.get("mention_people"))
    return merged


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
