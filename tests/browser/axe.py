"""assert_accessible(page, name): axe-core's WCAG 2.1 A/AA rules and the Nu HTML Checker on the
page as it is now.

axe-core comes from npm (package.json devDependencies, pinned). It is evaluated into the page
through the DevTools protocol (page.evaluate), which the page's Content-Security-Policy does
not govern: a <script> tag with its text (page.add_script_tag) would be blocked as inline
script, and bypass_csp would switch off the very policy the tests check. Each call also saves
a full-page screenshot to test-artifacts/screenshots/<name>.png.

The Nu HTML Checker (npm vnu-jar, run with Java) validates the page's serialized DOM
(page.content(), what the user sees after htmx and our scripts ran); any error fails, warnings
do not. It runs as a local HTTP service (NuChecker), started by the first check of a session and
stopped at its end (conftest.pytest_sessionfinish).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
import weakref
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from tests.support.server import free_port

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
VNU_START_SECONDS = 60
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN_AXE = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map((node) => ({
      target: node.target.join(' '),
      summary: node.failureSummary,
      html: node.html.slice(0, 200),
    })),
  }));
}
"""


# The paths each page was checked at, so the tests can tell whether every page they loaded
# was checked (conftest.Browsing). A page is its path: ?team=2 shows the same template.
_checked: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def page_path(url: str) -> str:
    return urlsplit(url).path


def checked_paths(page: Any) -> set[str]:
    return _checked.get(page, set())


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def inject_axe(page: Any) -> None:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    # caret="initial": hiding the caret leaves style="" on inputs, which htmx then copies
    # when it swaps them (a CSP style-src-attr violation the test itself would cause).
    page.screenshot(path=str(path), full_page=True, caret="initial")
    return path


def accessibility_violations(page: Any) -> list[dict[str, Any]]:
    inject_axe(page)
    return list(page.evaluate(RUN_AXE, WCAG_TAGS))


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}: {node['html']}")
            if node["summary"]:
                lines.extend(f"      {line}" for line in node["summary"].splitlines())
    return "\n".join(lines)


class NuChecker:
    """The Nu HTML Checker as a local HTTP service: `java -cp vnu.jar nu.validator.servlet.Main
    <port>` on 127.0.0.1, started by the first check and stopped by stop()."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.log: Any = None
        self.url = ""

    @staticmethod
    def java() -> str | None:
        return shutil.which("java")

    def start(self) -> str:
        if self.process is not None and self.process.poll() is None:
            return self.url
        self.stop()
        java = self.java()
        assert java is not None, "java is missing: install Debian's default-jre-headless"
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [
                java,
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU),
                "nu.validator.servlet.Main",
                str(port),
            ],
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + VNU_START_SECONDS
        while True:
            if self.process.poll() is not None:
                log = self.log_tail()
                self.stop()
                raise AssertionError(f"the Nu HTML Checker did not start:\n{log}")
            try:
                httpx.get(self.url, timeout=2.0)
                return self.url
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    log = self.log_tail()
                    self.stop()
                    raise AssertionError(
                        f"the Nu HTML Checker did not answer in {VNU_START_SECONDS}s:\n{log}"
                    ) from None
                time.sleep(0.2)

    def log_tail(self) -> str:
        if self.log is None:
            return ""
        self.log.seek(0)
        return str(self.log.read()[-4000:].decode("utf-8", "replace"))

    def messages(self, html: str) -> list[dict[str, Any]]:
        """Every message the checker has about this document (errors, warnings, info)."""
        answer = httpx.post(
            f"{self.start()}/?out=json",
            content=html.encode("utf-8"),
            headers={"Content-Type": "text/html; charset=utf-8"},
            timeout=60.0,
        )
        answer.raise_for_status()
        return list(answer.json()["messages"])

    def errors(self, html: str) -> list[dict[str, Any]]:
        """The errors (warnings are info with subType warning, and allowed); a document the
        checker could not check at all (non-document-error) counts as an error too."""
        return [m for m in self.messages(html) if m.get("type") in ("error", "non-document-error")]

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
            self.process = None
        if self.log is not None:
            self.log.close()
            self.log = None


NU_CHECKER = NuChecker()


def html_errors(page: Any) -> list[dict[str, Any]]:
    return NU_CHECKER.errors(page.content())


def describe_html_errors(errors: list[dict[str, Any]]) -> str:
    lines = []
    for error in errors:
        where = f"line {error.get('lastLine', '?')}"
        lines.append(f"- {where}: {error.get('message', '')}")
        extract = error.get("extract")
        if extract:
            lines.append(f"    {' '.join(extract.split())[:200]}")
    return "\n".join(lines)


def assert_accessible(page: Any, name: str) -> None:
    """Fail with every WCAG 2.1 A/AA violation axe finds and every error of the Nu HTML
    Checker; keep a screenshot either way."""
    page.wait_for_load_state("load")
    shot = screenshot(page, name)
    violations = accessibility_violations(page)
    errors = html_errors(page)
    _checked.setdefault(page, set()).add(page_path(page.url))
    problems = []
    if violations:
        problems.append(f"{len(violations)} accessibility problem(s):\n{describe(violations)}")
    if errors:
        problems.append(
            f"{len(errors)} HTML error(s) (Nu HTML Checker):\n{describe_html_errors(errors)}"
        )
    assert not problems, (
        f"{name} ({page.url}), screenshot {shot.relative_to(REPO)}, has " + "\n".join(problems)
    )
