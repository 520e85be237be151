"""assert_accessible(page, name): axe-core's WCAG 2.1 A/AA rules on the page as it is now.

axe-core comes from npm (package.json devDependencies, pinned). It is evaluated into the page
through the DevTools protocol (page.evaluate), which the page's Content-Security-Policy does
not govern: a <script> tag with its text (page.add_script_tag) would be blocked as inline
script, and bypass_csp would switch off the very policy the tests check. Each call also saves
a full-page screenshot to test-artifacts/screenshots/<name>.png.
"""

from __future__ import annotations

import re
import weakref
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
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


def assert_accessible(page: Any, name: str) -> None:
    """Fail with every WCAG 2.1 A/AA violation axe finds; keep a screenshot either way."""
    page.wait_for_load_state("load")
    shot = screenshot(page, name)
    violations = accessibility_violations(page)
    _checked.setdefault(page, set()).add(page_path(page.url))
    assert not violations, (
        f"{name} ({page.url}) has {len(violations)} accessibility problem(s), "
        f"screenshot {shot.relative_to(REPO)}:\n{describe(violations)}"
    )
