"""Server mode is chosen by ``BEDSIDE_MODE`` or by ``settings.toml`` in the data directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from bedside.settings import SettingsError, load_settings


def test_the_settings_file_turns_server_mode_on_and_the_environment_wins(tmp_path: Path) -> None:
    env = {"BEDSIDE_DATA_DIR": str(tmp_path)}
    assert load_settings(environ=env).server_mode is False
    (tmp_path / "settings.toml").write_text(
        'mode = "server"\nserver_names = ["Bedside.Example.org"]\n'
    )
    settings = load_settings(environ=env)
    assert settings.server_mode is True
    assert settings.server_names == ("bedside.example.org",)
    assert load_settings(environ={**env, "BEDSIDE_MODE": "local"}).server_mode is False
    named = load_settings(environ={**env, "BEDSIDE_SERVER_NAMES": "a.example, b.example"})
    assert named.server_names == ("a.example", "b.example")


def test_a_broken_settings_file_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text("mode = server\n")
    with pytest.raises(SettingsError) as error:
        load_settings(environ={"BEDSIDE_DATA_DIR": str(tmp_path)})
    assert "settings.toml could not be read" in error.value.message
    assert "\n" not in error.value.message
