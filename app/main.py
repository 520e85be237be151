"""create_app(): the application with its routers, error handlers and static files."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine

from app.api import errors as api_errors
from app.api import events as api_events
from app.api import org as api_org
from app.api import planning as api_planning
from app.api import work as api_work
from app.config import Settings, get_settings
from app.db import create_db_engine


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Verbeterbord",
        version="0.1.0",
        description="Het digitale verbeterbord: teams, teams van teams, acties en ambities.",
    )
    app.state.settings = settings
    app.state.engine = engine or create_db_engine(settings)

    api = APIRouter(prefix="/api/v1")
    for module in (api_org, api_work, api_planning, api_events):
        api.include_router(module.router)
    app.include_router(api)
    api_errors.install(app)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> str:
        return (
            '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
            "<title>Verbeterbord</title></head><body><main><h1>Verbeterbord</h1>"
            '<p>De borden komen hier. Tot die tijd: de <a href="/docs">API-documentatie</a>.</p>'
            "</main></body></html>"
        )

    return app
