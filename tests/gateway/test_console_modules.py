"""The console script is ES modules served as they are (no build step): each module does one
job, they form a tree (no import cycle, every import resolves, every module is reached from
main.js), none writes HTML from strings, and the gateway serves them with the page's headers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sms_gateway.routes.advocate import CONSOLE_MODULES

IMPORT = re.compile(r'^import\s+(?:[^"\']*?\sfrom\s+)?["\'](\./[a-z_]+\.js)["\'];', re.M)
MODULES = sorted(CONSOLE_MODULES.glob("*.js"))
MAX_LINES = 250  # one job a module: the whole console was one 1,116-line function before


def imports_of(path: Path) -> list[str]:
    return [name[2:] for name in IMPORT.findall(path.read_text(encoding="utf-8"))]


def test_every_import_resolves_and_nothing_else_is_imported() -> None:
    names = {p.name for p in MODULES}
    assert "main.js" in names and len(names) >= 10
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        every = re.findall(r"^import\b.*$", text, re.M)
        assert len(every) == len(imports_of(path)), f"{path.name}: an import that is not ./x.js"
        assert set(imports_of(path)) <= names, path.name
        assert "import(" not in text, f"{path.name}: no dynamic imports"


def test_the_modules_form_a_tree_reached_from_main() -> None:
    graph = {p.name: imports_of(p) for p in MODULES}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, f"import cycle: {' -> '.join((*path, name))}"
        if name in done:
            return
        for child in graph[name]:
            visit(child, (*path, name))
        done.add(name)

    visit("main.js", ())
    assert done == set(graph), f"not reached from main.js: {sorted(set(graph) - done)}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_each_module_is_small_and_never_writes_html(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_LINES
    assert text.startswith("// "), "each module says what its one job is"
    for banned in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "localStorage",
        "sessionStorage",
        "indexedDB",
    ):
        assert banned not in text, f"{path.name} uses {banned}"


def test_the_modules_are_served_with_the_page_headers(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("http://127.0.0.1:9")
    page = client.get("/advocate")
    assert '<script type="module" src="/advocate/static/js/main.js"></script>' in page.text
    for path in MODULES:
        response = client.get(f"/advocate/static/js/{path.name}")
        assert response.status_code == 200
        assert "javascript" in response.headers["content-type"]
        assert response.headers["cache-control"] == "no-store"
        assert "script-src 'self'" in response.headers["content-security-policy"]
    assert client.get("/advocate/static/js/nothing.js").status_code == 404
    assert client.get("/advocate/static/js/../advocate.html").status_code == 404
    assert client.get("/advocate/static/advocate.js").status_code == 404
