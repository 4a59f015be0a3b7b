"""The web front end names nothing but services and domain types.

Pages and API routes parse input, make one service call and render its typed result; the
rules and the drawing live below ``services``. Every import is checked, including the
imports inside functions that keep start-up light.
"""

from __future__ import annotations

import ast
from pathlib import Path

import bedside

WEB = Path(bedside.__file__).parent / "web"
#: What a front end may import of ours: the package's version and settings, its own
#: modules, the services and the domain's value types and errors.
ALLOWED = ("bedside.services", "bedside.domain", "bedside.web", "bedside.settings")


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """Every ``bedside`` module an AST imports, with its line (``from bedside import x``
    counts as ``bedside.x``)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "bedside":
                found += [(node.lineno, f"bedside.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return [(line, name) for line, name in found if name.split(".")[0] == "bedside"]


def allowed(module: str) -> bool:
    """True for services, domain, web, settings and the package version."""
    return module == "bedside.__version__" or any(
        module == prefix or module.startswith(prefix + ".") for prefix in ALLOWED
    )


def test_the_web_front_end_imports_only_services_and_domain() -> None:
    files = sorted(WEB.rglob("*.py"))
    assert len(files) > 30, "the web package was not found"
    wrong = [
        f"{path.relative_to(WEB.parent)}:{line} imports {module}"
        for path in files
        for line, module in imported_modules(ast.parse(path.read_text(), str(path)))
        if not allowed(module)
    ]
    assert wrong == []


def test_the_check_sees_imports_inside_functions() -> None:
    source = (
        "from bedside.services import doses\n"
        "def page():\n"
        "    from bedside.analysis.outcomes import OUTCOMES\n"
        "    import bedside.storage.models\n"
        "    from bedside import reports\n"
    )
    modules = [m for _, m in imported_modules(ast.parse(source))]
    assert [m for m in modules if not allowed(m)] == [
        "bedside.analysis.outcomes",
        "bedside.storage.models",
        "bedside.reports",
    ]
