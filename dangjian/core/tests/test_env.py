"""Typed settings helpers: good values parse, bad values fail loudly, the secret key is made once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from dangjian.core.env import env_bool, env_int, env_list, env_str, secret_key

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("Yes", True),
        (" on ", True),
        ("0", False),
        ("false", False),
        ("off", False),
        ("", False),
    ],
)
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("DANGJIAN_TEST_FLAG", raw)
    assert env_bool("DANGJIAN_TEST_FLAG", not expected) is expected


def test_env_helpers_fall_back_to_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("DANGJIAN_TEST_X", raising=False)
    assert env_bool("DANGJIAN_TEST_X", True) is True
    assert env_int("DANGJIAN_TEST_X", 7) == 7
    assert env_list("DANGJIAN_TEST_X", ["a"]) == ["a"]
    assert env_str("DANGJIAN_TEST_X", "d") == "d"


def test_env_bool_refuses_a_value_that_is_not_a_boolean(monkeypatch):
    monkeypatch.setenv("DANGJIAN_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DANGJIAN_TEST_FLAG"):
        env_bool("DANGJIAN_TEST_FLAG", False)


def test_env_int_parses_and_refuses_garbage(monkeypatch):
    monkeypatch.setenv("DANGJIAN_TEST_N", "42")
    assert env_int("DANGJIAN_TEST_N", 0) == 42
    monkeypatch.setenv("DANGJIAN_TEST_N", "4x2")
    with pytest.raises(ImproperlyConfigured, match="integer"):
        env_int("DANGJIAN_TEST_N", 0)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("DANGJIAN_TEST_L", " a.example, ,b.example,")
    assert env_list("DANGJIAN_TEST_L", []) == ["a.example", "b.example"]


def test_secret_key_is_generated_once_into_the_var_dir_and_reused(monkeypatch, tmp_path):
    monkeypatch.delenv("DANGJIAN_SECRET_KEY", raising=False)
    var = tmp_path / "var"
    first = secret_key(var)
    assert (var / "secret_key").read_text().strip() == first
    assert len(first) >= 50
    assert oct((var / "secret_key").stat().st_mode & 0o777) == oct(0o600)
    assert secret_key(var) == first


def test_secret_key_from_the_environment_wins_and_must_be_long(monkeypatch, tmp_path):
    monkeypatch.setenv("DANGJIAN_SECRET_KEY", "k" * 40)
    assert secret_key(tmp_path) == "k" * 40
    assert not (tmp_path / "secret_key").exists()
    monkeypatch.setenv("DANGJIAN_SECRET_KEY", "short")
    with pytest.raises(ImproperlyConfigured, match="32"):
        secret_key(tmp_path)


def _load_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DANGJIAN_")}
    clean.update({"DANGJIAN_VAR_DIR": str(tmp_path), **env})
    # Importing the module is what evaluates every DANGJIAN_* variable.
    code = "import dangjian.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])"
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, env=clean, capture_output=True, text=True)


def test_settings_start_with_defaults_on_a_sqlite_file_under_var(tmp_path):
    result = _load_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.sqlite3"]
    assert (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DANGJIAN_DEBUG", "perhaps"),
        ("DANGJIAN_SESSION_SECONDS", "eight hours"),
        ("DANGJIAN_LOGIN_MAX_FAILURES", "five"),
        ("DANGJIAN_DATABASE_URL", "nosuchdb://x"),
        ("DANGJIAN_SECRET_KEY", "too-short"),
    ],
)
def test_settings_fail_loudly_on_a_bad_value(tmp_path, name, value):
    result = _load_settings(tmp_path, **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
