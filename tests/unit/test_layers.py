"""The arrows between Bedside's layers point inward, and this test keeps them that way.

Every module under ``src/bedside`` is parsed with :mod:`ast` and each of its imports is
checked, including imports inside functions, under ``TYPE_CHECKING`` and modules named to
``importlib.import_module``:

* the front ends (``web``, ``cli``) import only ``services`` and ``domain`` (besides their own
  package, ``bedside.settings`` and the version), so each request is one service call;
* ``domain`` imports nothing of ours but ``domain``;
* the pure cores (``domain``, ``analysis``, ``safety``, ``sleep``, ``knowledge``) import none
  of ``storage``, ``services``, ``web`` or ``cli``.

The README's "Architecture" section describes the layers.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "bedside"

FRONT_ENDS = frozenset({"web", "cli"})
#: What a front end may import besides its own package.
FRONT_END_ALLOWED = frozenset({"services", "domain", "settings", "__version__"})
PURE_CORES = frozenset({"domain", "analysis", "safety", "sleep", "knowledge"})
#: What no pure core may import.
OUTER_LAYERS = frozenset({"storage", "services", "web", "cli"})

#: The one allowed arrow between front ends: ``bedside serve`` is the composition root that
#: starts the web front end, so ``cli/serve.py`` may import ``bedside.web``.
COMPOSITION_ROOT = frozenset({("bedside.cli.serve", "web")})


def module_name(path: Path) -> str:
    """``bedside.web.pages.log`` for ``src/bedside/web/pages/log.py``."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool = False) -> Iterator[str]:
    """Every ``bedside`` module that ``source`` (the text of ``module``) imports, anywhere.

    ``from bedside import x`` counts as ``bedside.x``; relative imports are resolved.
    """
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            if base == "bedside" or not node.module:
                yield from (f"{base}.{alias.name}" for alias in node.names)
            else:
                yield base
        elif isinstance(node, ast.Call) and _is_import_module(node.func) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield first.value


def _is_import_module(func: ast.expr) -> bool:
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name == "import_module"


def breaks_layers(module: str, imported: str) -> bool:
    """True when ``module`` importing ``imported`` breaks a layering rule."""
    if not imported.startswith("bedside.") or not module.startswith("bedside."):
        return False
    source_layer, target_layer = module.split(".")[1], imported.split(".")[1]
    if source_layer == target_layer:
        return False
    if source_layer in FRONT_ENDS:
        return (
            target_layer not in FRONT_END_ALLOWED and (module, target_layer) not in COMPOSITION_ROOT
        )
    if source_layer == "domain":
        return True
    return source_layer in PURE_CORES and target_layer in OUTER_LAYERS


def all_violations() -> set[tuple[str, str]]:
    """Every (importing module, imported module) pair in ``src/bedside`` that breaks a rule."""
    found: set[tuple[str, str]] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        source = path.read_text(encoding="utf-8")
        for imported in imported_modules(source, module, path.name == "__init__.py"):
            if breaks_layers(module, imported):
                found.add((module, imported))
    return found


def test_no_new_arrow_points_outward() -> None:
    new = sorted(all_violations())
    assert not new, "imports that break the layers (see README, Architecture):\n" + "\n".join(
        f"  {module} imports {imported}" for module, imported in new
    )


@pytest.mark.parametrize(
    ("module", "source", "imported"),
    [
        ("bedside.cli.doses", "def f():\n    from bedside.storage.models import Dose\n", None),
        ("bedside.cli.doses", "from bedside import analysis\n", None),
        (
            "bedside.cli.doses",
            "import typing\nif typing.TYPE_CHECKING:\n    import bedside.safety.profile\n",
            None,
        ),
        (
            "bedside.cli.doses",
            "import importlib\nimportlib.import_module('bedside.safety')\n",
            None,
        ),
        ("bedside.web.pages.log", "from ...storage import models\n", "bedside.storage"),
        ("bedside.analysis.summary", "def f():\n    import bedside.services.doses\n", None),
        ("bedside.domain.dosing", "from bedside.safety import findings\n", None),
        ("bedside.sleep.nights", "from bedside.storage.wearables import Night\n", None),
        ("bedside.cli.db", "from bedside.web.app import create_app\n", None),
    ],
)
def test_the_walker_finds_hidden_imports(module: str, source: str, imported: str | None) -> None:
    """Imports inside functions, under TYPE_CHECKING, relative or by name are all seen."""
    found = list(imported_modules(source, module))
    assert any(breaks_layers(module, name) for name in found), found
    if imported is not None:
        assert imported in found


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("bedside.cli.doses", "from bedside.services.doses import list_doses\n"),
        ("bedside.cli.doses", "from bedside.domain.dosing import DoseUnit\n"),
        ("bedside.cli.main", "from bedside import __version__\n"),
        ("bedside.cli.serve", "def f():\n    from bedside.web.app import create_app\n"),
        ("bedside.web.pages.log", "from ..forms import parse\n"),
        ("bedside.services.doses", "from bedside.storage.models import Dose\n"),
        ("bedside.analysis.summary", "from bedside.domain.sleep import Diary\n"),
    ],
)
def test_allowed_arrows_pass(module: str, source: str) -> None:
    found = list(imported_modules(source, module))
    assert found
    assert not [name for name in found if breaks_layers(module, name)]
