"""ASVS V7 / issue 4 item 5: audit events cannot be changed or deleted through the app.

Three proofs: no route other than GET (or HEAD) concerns the history; the API's history
endpoint answers 405 to every other method; and no code in app/ updates or deletes an
AuditEvent, except the AVG erasure's pseudonymisation (app.services.privacy.
pseudonymise_history), which rewrites a person's name and e-mail address and nothing else.

Not covered here: a database user with write rights can still change the table directly. On
PostgreSQL a trigger (or a role without UPDATE/DELETE on audit_event) would close that; it is
out of scope, as the app's own database user must be able to run the erasure.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from app import deps
from app.config import Settings
from app.db import write_session
from app.main import create_app
from app.models import ActionCreate, AuditEvent
from app.services import actions
from app.services.access import access_for
from tests.conftest import TODAY
from tests.support.builders import World

APP = Path(__file__).resolve().parents[2] / "app"
HISTORY_WORDS = re.compile(r"histor|audit|geschiedenis", re.IGNORECASE)
READ_METHODS = {"GET", "HEAD"}
# the one function allowed to rewrite stored history: (module path, function name)
ALLOWED = {("services/privacy.py", "pseudonymise_history")}
RAW_SQL = re.compile(r"\b(update\s+\"?audit_event|delete\s+from\s+\"?audit_event)", re.I)
# calls that change or remove rows (SQLAlchemy's update()/delete(), Session.delete, ...)
MUTATING_CALLS = {"update", "delete", "flag_modified", "setattr", "merge", "delattr"}


@pytest.fixture
def app(sqlite_engine: Engine, settings: Settings, world: World):
    app = create_app(settings, engine=sqlite_engine)
    app.dependency_overrides[deps.get_today] = lambda: TODAY
    return app


def _routes(app: FastAPI) -> list[tuple[str, set[str]]]:
    """(path, methods) of every route, through FastAPI's included routers."""
    found = []
    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if contexts is not None:  # FastAPI >= 0.160 keeps an included router as one route
            found += [(c.path, set(c.original_route.methods or ())) for c in contexts()]
        elif isinstance(route, APIRoute):
            found.append((route.path, set(route.methods)))
    return found


def test_no_route_but_a_read_concerns_the_history(app):
    routes = [(path, methods) for path, methods in _routes(app) if HISTORY_WORDS.search(path)]
    assert ("/api/v1/actions/{action_id}/history", {"GET"}) in routes
    assert [
        (path, methods - READ_METHODS) for path, methods in routes if methods - READ_METHODS
    ] == []
    # the scan sees the whole app, pages and API alike
    assert len(_routes(app)) > 50


def test_the_api_history_answers_405_to_every_write_and_changes_nothing(app, world: World):
    with write_session(world.engine) as session:
        action = actions.create_action(
            session=session,
            actor=access_for(session, world.users["member"]),
            data=ActionCreate(title="Geschiedenis", team_id=world.team.id or 0),
            today=TODAY,
        )
        events = session.exec(select(func.count()).select_from(AuditEvent)).one()
    url = f"/api/v1/actions/{action.id}/history"
    admin = world.headers("admin")
    with TestClient(app) as client:
        before = client.get(url, headers=admin).json()
        answers = {
            method: client.request(method, url, headers=admin, json={}).status_code
            for method in ("POST", "PUT", "PATCH", "DELETE")
        }
        after = client.get(url, headers=admin).json()
    assert answers == {"POST": 405, "PUT": 405, "PATCH": 405, "DELETE": 405}
    assert before == after and len(before) == 1
    with Session(world.engine) as session:
        assert session.exec(select(func.count()).select_from(AuditEvent)).one() == events


def _functions(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def _call_name(call: ast.Call) -> str:
    func_ = call.func
    if isinstance(func_, ast.Attribute):
        return func_.attr
    if isinstance(func_, ast.Name):
        return func_.id
    return ""


def _mentions_audit_event(node: ast.AST) -> bool:
    return any(
        (isinstance(n, ast.Name) and n.id == "AuditEvent")
        or (isinstance(n, ast.Constant) and n.value == "audit_event")
        for n in ast.walk(node)
    )


COPIES = {"dict", "list", "copy", "deepcopy", "sorted", "tuple", "set", "len", "str"}
IN_PLACE = {"update", "pop", "popitem", "clear", "setdefault", "append", "extend", "remove"}


def _is_constructor(value: ast.AST) -> bool:
    # AuditEvent(...) makes a new event: filling it in before it is stored is writing history
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id in ({"AuditEvent"} | COPIES)
    )


def _root(node: ast.AST) -> str:
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return _root(node.func.value)
    return node.id if isinstance(node, ast.Name) else ""


def _bound_names(target: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def _stored_events(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Names that hold events read back from the database (or data inside them)."""
    names = {
        arg.arg
        for arg in [*function.args.args, *function.args.kwonlyargs]
        if arg.annotation is not None and _mentions_audit_event(arg.annotation)
    }

    def mentions(node: ast.AST) -> bool:
        return _mentions_audit_event(node) or bool(_bound_names(node) & names)

    changed = True
    while changed:
        before = len(names)
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Assign | ast.AnnAssign)
                and node.value is not None
                and not _is_constructor(node.value)
                and mentions(node.value)
            ):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name | ast.Tuple):
                        names |= _bound_names(target)
            if isinstance(node, ast.For | ast.comprehension) and mentions(node.iter):
                names |= _bound_names(node.target)
        changed = len(names) != before
    return names


def _mutations(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """Changes to stored events: assigning into them, changing their data in place, deleting
    them, or telling SQLAlchemy they changed."""
    events = _stored_events(function)
    found = []
    for node in ast.walk(function):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute | ast.Subscript) and _root(target) in events:
                    found.append(f"assignment into a stored event on line {node.lineno}")
        if isinstance(node, ast.Call):
            name = _call_name(node)
            args = [_root(arg) for arg in node.args]
            if name in MUTATING_CALLS and any(arg in events for arg in args):
                found.append(f"{name}() of a stored event on line {node.lineno}")
            if (
                name in IN_PLACE
                and isinstance(node.func, ast.Attribute)
                and _root(node.func.value) in events
            ):
                found.append(f"{name}() inside a stored event on line {node.lineno}")
    return found


def test_no_code_in_the_app_changes_or_deletes_an_audit_event_except_the_erasure():
    problems = []
    for path in sorted(APP.rglob("*.py")):
        name = path.relative_to(APP).as_posix()
        source = path.read_text(encoding="utf-8")
        if RAW_SQL.search(source):
            problems.append(f"{name}: raw SQL that updates or deletes audit_event")
        tree = ast.parse(source)
        # update(AuditEvent) / delete(AuditEvent) anywhere
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and _call_name(node) in {"update", "delete"}
                and any(_mentions_audit_event(arg) for arg in node.args)
            ):
                problems.append(f"{name}:{node.lineno}: {_call_name(node)}(AuditEvent)")
        # a function that handles AuditEvents may create and read them, not change them
        for function in _functions(tree):
            if (name, function.name) in ALLOWED or not _mentions_audit_event(function):
                continue
            problems += [f"{name}:{function.name}: {m}" for m in _mutations(function)]
    assert problems == []


def test_the_scan_finds_a_change_to_a_stored_event():
    """The detector is not blind: it sees the erasure's own rewrite and typical changes."""
    privacy = ast.parse((APP / "services/privacy.py").read_text(encoding="utf-8"))
    [allowed] = [f for f in _functions(privacy) if f.name == "pseudonymise_history"]
    assert _mutations(allowed)
    samples = [
        "def f(session):\n    for e in session.exec(select(AuditEvent)):\n        e.verb = 'x'",
        "def f(session):\n    e = session.get(AuditEvent, 1)\n    session.delete(e)",
        "def f(event: AuditEvent):\n    event.changes['name'] = 'x'",
        "def f(session):\n    rows = session.exec(select(AuditEvent)).all()\n"
        "    for row in rows:\n        row.changes.update({})",
    ]
    for sample in samples:
        [function] = _functions(ast.parse(sample))
        assert _mutations(function), sample


def test_the_allowance_is_still_needed_and_narrow():
    """The allowed function exists, and the erasure is the only caller of it."""
    callers = []
    for path in sorted(APP.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in _functions(tree):
            if function.name == "pseudonymise_history":
                continue
            calls = [
                n
                for n in ast.walk(function)
                if isinstance(n, ast.Call) and _call_name(n) == "pseudonymise_history"
            ]
            if calls:
                callers.append((path.relative_to(APP).as_posix(), function.name))
    assert callers == [("services/privacy.py", "erase_user")]
