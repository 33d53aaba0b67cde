"""Configuration from the environment and the embedded defaults."""

from __future__ import annotations

import os
import stat

from webapp.config import SECRET_FILE, from_environment, local_secret_key


def test_the_embedded_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = local_secret_key()
    assert len(first) >= 32 and local_secret_key() == first
    assert stat.S_IMODE(os.stat(tmp_path / SECRET_FILE).st_mode) == 0o600


def test_environment_variables_win_and_postgres_urls_use_psycopg3():
    config = from_environment({"DATABASE_URL": "postgresql://u@db/x", "SECRET_KEY": "k", "REDIS_URL": "redis://r"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/x"
    assert (config["SECRET_KEY"], config["REDIS_URL"], config["MAIL_URL"]) == ("k", "redis://r", "console://")


def test_defaults_are_sqlite_in_process_console(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = from_environment({})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'snapdesk.db'}"
    assert config["REDIS_URL"] is None and config["MAIL_URL"] == "console://"
