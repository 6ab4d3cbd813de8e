"""What the accessibility and layout audit checks on a page, in the browser.

axe-core comes from npm (node_modules, installed by `make setup`) and is evaluated through the
DevTools protocol, as Playwright's `evaluate` does: the page's Content Security Policy stays on.
"""

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTH = 1280

LAYOUT = (Path(__file__).with_name("layout.js")).read_text(encoding="utf-8")


def audit(page) -> list[str]:
    """Return what is wrong on the page now open: axe-core's violations, then layout problems."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ["violations"]});
          return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — `
            + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "));
        }"""
    )
    return violations + page.evaluate(LAYOUT)
