"""Database choice, guided init, version, and the quick-start import budget."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from bedside.cli.main import app


def run_bedside(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bedside", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_environment_url_and_default_data_dir(tmp_path: Path) -> None:
    env = {**os.environ, "BEDSIDE_DATA_DIR": str(tmp_path / "data")}
    env.pop("BEDSIDE_DATABASE_URL", None)
    done = run_bedside(["init", "--yes", "--timezone", "Europe/London"], env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "bedside.db").exists()
    other = tmp_path / "other.db"
    env["BEDSIDE_DATABASE_URL"] = f"sqlite:///{other}"
    assert run_bedside(["init", "--yes", "--timezone", "Asia/Tokyo"], env).returncode == 0
    shown = run_bedside(["profile", "show", "--json"], env)
    assert json.loads(shown.stdout)["timezone"] == "Asia/Tokyo"
    assert other.exists()


def test_guided_init_asks_for_what_is_missing(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    result = CliRunner().invoke(
        app, ["--db", str(db), "init"], input="Europe/Berlin\nDE\n22:45\n75\n\n\n"
    )
    assert result.exit_code == 0, result.output
    assert "Regular medications" in result.output and "Health conditions" in result.output
    shown = CliRunner().invoke(app, ["--db", str(db), "profile", "show", "--json"])
    profile = json.loads(shown.stdout)
    assert (profile["timezone"], profile["region"], profile["bedtime"], profile["lead_min"]) == (
        "Europe/Berlin",
        "DE",
        "22:45",
        75,
    )


def test_init_asks_for_medications_and_conditions_and_shows_findings(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    answers = "Europe/Berlin\nDE\n22:45\n60\nXanax, sertraline\nCOPD\n"
    result = CliRunner().invoke(app, ["--db", str(db), "init"], input=answers)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "AVOID  Kratom with benzodiazepines" in out
    assert "AVOID  Kratom with COPD (emphysema or chronic bronchitis)" in out
    assert "Why, what to do and sources: bedside check --details." in out
    advice = (
        "Bedside is not medical advice. Talk to your clinician or pharmacist about kratom, "
        "especially with the medicines you named: Xanax, sertraline."
    )
    assert out.count("not medical advice") == 1 and advice in out
    shown = CliRunner().invoke(app, ["--db", str(db), "profile", "show", "--json"])
    profile = json.loads(shown.stdout)
    assert profile["medications"] == ["Xanax", "sertraline"]
    assert profile["conditions"] == ["COPD"]


def test_init_options_skip_the_health_questions(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    args = ["--db", str(db), "init", "--yes", "--timezone", "UTC", "--med", "gabapentin"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Regular medications" not in result.stdout
    assert "especially with the medicines you named: gabapentin." in result.stdout
    assert "AVOID" in result.stdout


def test_version_is_printed() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.stdout.startswith("bedside ")


PROBE = """
import sys
# Command modules no logging command needs: each command builds only its own group.
OTHER_COMMANDS = (
    "bedside.cli.accounts", "bedside.cli.analysis", "bedside.cli.exports",
    "bedside.cli.report", "bedside.cli.serve", "bedside.cli.sharing", "bedside.cli.studies",
    "bedside.cli.wearables",
)
HEAVY = (
    "pandas", "numpy", "scipy", "statsmodels", "matplotlib", "lxml", "weasyprint",
    "alembic", "argon2", "jinja2", "fastapi", "rich",
)
from bedside.cli.main import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    heavy = sorted(m for m in HEAVY if m in sys.modules)
    heavy += sorted(m for m in OTHER_COMMANDS if m in sys.modules)
    print("HEAVY=" + ",".join(heavy), file=sys.stderr)
"""


def test_logging_commands_do_not_import_heavy_libraries(tmp_path: Path) -> None:
    db = str(tmp_path / "quick.db")
    env = {**os.environ}
    commands = [
        ["init", "--yes", "--timezone", "UTC"],
        ["dose", "add", "--amount", "2"],
        [
            "diary",
            "add",
            "--night",
            "2025-01-01",
            "--bedtime",
            "23:00",
            "--tried",
            "23:00",
            "--sol",
            "5",
            "--awakenings",
            "0",
            "--waso",
            "0",
            "--final-wake",
            "07:00",
            "--out-of-bed",
            "07:00",
            "--quality",
            "3",
        ],
        ["pain", "add", "--score", "3"],
        ["soreness", "add", "quads=3"],
        ["workout", "add", "--type", "run", "--duration", "30"],
        ["intake", "add", "--kind", "caffeine", "--amount", "95"],
        ["product", "add", "--name", "Red", "--lot", "R1"],
        ["plan", "tonight", "--json"],
        ["dose", "list", "--json"],
    ]
    for args in commands:
        done = subprocess.run(
            [sys.executable, "-c", PROBE, "--db", db, *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        heavy = set(done.stderr.split("HEAVY=")[1].splitlines()[0].split(",")) - {""}
        # Only the first run creates the schema (Alembic); later ones read its version.
        # Rich loads only where a table is drawn: the diary's metrics after `diary add`.
        allowed = {"init": {"alembic"}, "diary": {"rich"}}.get(args[0], set())
        assert heavy <= allowed, (args, done.stderr)


def test_lazy_command_table_lists_what_each_module_registers() -> None:
    from bedside.cli.lazy_commands import COMMAND_MODULES, module_commands

    for module in set(COMMAND_MODULES.values()):
        listed = {name for name, owner in COMMAND_MODULES.items() if owner == module}
        assert set(module_commands(module)) == listed, module


def test_help_lists_every_command_and_a_typo_is_still_matched() -> None:
    from bedside.cli.lazy_commands import COMMAND_MODULES

    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")]
    assert [name for name in listed if name in COMMAND_MODULES] == list(COMMAND_MODULES)
    typo = run_bedside(["doze"], {**os.environ})
    assert typo.returncode == 2
    assert "Did you mean 'dose'?" in typo.stderr


def test_the_command_line_skips_the_collection_at_exit(tmp_path: Path) -> None:
    probe = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
        "from bedside.cli.main import run\n"
        "sys.argv = ['bedside', '--db', sys.argv[1], 'init', '--yes', '--timezone', 'UTC']\n"
        "run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "x.db")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "frozen True"


DOSE_PROBE = """
import gc, sys
from bedside.cli.main import app, tune_process
tune_process()  # as run() does
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    import pydantic.plugin._loader as plugins
    # Screens other than the pre-dose check: the profile check, the legal lookup and the
    # other safety results, the dose form's product choices, the acknowledgement row (no
    # 'avoid' finding is acknowledged), the safety commands.
    others = ("bedside.safety.legal", "bedside.safety.profile", "bedside.knowledge.regions",
              "bedside.services.safety_schemas", "bedside.services.products",
              "bedside.services.dose_offers", "bedside.storage.safety_records",
              "bedside.cli.safety")
    print("LOADED=" + ",".join(m for m in others if m in sys.modules), file=sys.stderr)
    print("PLUGINS_SCANNED=" + str(plugins._plugins is not None), file=sys.stderr)
    print("GEN0=" + str(gc.get_threshold()[0]), file=sys.stderr)
"""


def test_dose_add_loads_only_the_pre_dose_check(tmp_path: Path) -> None:
    db = str(tmp_path / "dose.db")
    env = {**os.environ}
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    assert run_bedside(["--db", db, "init", "--yes", "--timezone", "UTC"], env).returncode == 0
    for _ in range(2):  # the second dose brings a finding to print
        done = subprocess.run(
            [sys.executable, "-c", DOSE_PROBE, "--db", db, "dose", "add", "--amount", "2"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "LOADED=\n" in done.stderr, done.stderr
        # Pydantic's search of every installed package for plugins is skipped.
        assert "PLUGINS_SCANNED=False" in done.stderr, done.stderr
        # Start-up's long-lived objects are not re-walked by a collection every 700.
        assert int(done.stderr.split("GEN0=")[1].split()[0]) >= 10_000
    assert "second dose" in done.stdout


def test_pydantic_plugins_stay_on_when_the_person_asks() -> None:
    probe = (
        "import os; from bedside.cli.main import tune_process; tune_process(); "
        "print(repr(os.environ['PYDANTIC_DISABLE_PLUGINS']))"
    )
    env = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": ""}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "''"
