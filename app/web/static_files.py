"""Fingerprinted static files: `/static/css/app.css?v=<hash of its contents>`, cached a year.

Templates write every /static URL with `static_url("css/app.css")` (app/web/templating.py). The
hashes are read once, from the files' contents, the first time they are needed; a file changed
afterwards gets a new hash at the next start. An answer whose `v` is the file's current hash
may be kept a year and never revalidated (`immutable`): a new version has a new URL. Any other
request for a static file (no `v`, an old one, a font that a stylesheet names with a relative
`url(...)`) gets a short cache and revalidates with its ETag.

The query form, not a hash in the path, keeps relative `url(...)` in stylesheets working:
`/static/vendor/noto-sans/index.css?v=…` names `./files/x.woff2`, which the browser resolves to
`/static/vendor/noto-sans/files/x.woff2`.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
FINGERPRINT_LENGTH = 12  # hex digits of the SHA-256: 48 bits, plenty for one app's files
CACHE_FOREVER = "public, max-age=31536000, immutable"
CACHE_SHORT = "public, max-age=3600, must-revalidate"  # no or an old fingerprint: an hour


def fingerprints(directory: Path = STATIC_DIR) -> dict[str, str]:
    """Every file under `directory` by its path relative to it ('css/app.css') → hash."""
    return dict(_fingerprints(directory.resolve()))


@cache
def _fingerprints(directory: Path) -> tuple[tuple[str, str], ...]:
    found = []
    for file in sorted(directory.rglob("*")):
        if file.is_file():
            digest = hashlib.sha256(file.read_bytes()).hexdigest()[:FINGERPRINT_LENGTH]
            found.append((file.relative_to(directory).as_posix(), digest))
    return tuple(found)


@cache
def _fingerprint_of(path: str) -> str | None:
    known = fingerprints().get(path)
    if known is not None:
        return known
    # a file added after the hashes were read (a developer's new script): hashed once, now
    file = (STATIC_DIR / path).resolve()
    if file.is_relative_to(STATIC_DIR.resolve()) and file.is_file():
        return hashlib.sha256(file.read_bytes()).hexdigest()[:FINGERPRINT_LENGTH]
    return None


def static_url(path: str) -> str:
    """'/static/css/app.css?v=3f2a…' for 'css/app.css'. A file that isn't there is a mistake in
    a template: it fails here, at render time, instead of a 404 in the browser."""
    path = path.lstrip("/")
    fingerprint = _fingerprint_of(path)
    if fingerprint is None:
        raise LookupError(f"no static file {path!r} in {STATIC_DIR}")
    return f"/static/{path}?v={fingerprint}"


class FingerprintedStaticFiles(StaticFiles):
    """StaticFiles that caches an answer a year when its `v` is the file's current hash."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v", [])
            current = _fingerprint_of(Path(path).as_posix())
            fresh = current is not None and asked == [current]
            response.headers["Cache-Control"] = CACHE_FOREVER if fresh else CACHE_SHORT
        return response
