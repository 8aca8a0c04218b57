"""Where the database and the user's settings live by default.

`--db` beats ANNOTATOR_DB beats the per-user data directory from platformdirs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP = "annotator"


def default_db_path() -> Path:
    env = os.environ.get("ANNOTATOR_DB")
    if env:
        return Path(env).expanduser()
    return Path(user_data_dir(APP, appauthor=False)) / "annotator.db"


def resolve_db(db: str | os.PathLike | None) -> Path:
    return Path(db).expanduser() if db else default_db_path()


def config_path() -> Path:
    env = os.environ.get("ANNOTATOR_CONFIG")
    if env:
        return Path(env).expanduser()
    return Path(user_config_dir(APP, appauthor=False)) / "config.json"


def load_config() -> dict:
    try:
        with open(config_path(), encoding="utf-8") as f:
            data = json.load(f)
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def save_config(data: dict) -> None:
    p = config_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
    os.replace(tmp, p)


def configured_reviewer(explicit: str | None = None) -> str | None:
    """--reviewer, else ANNOTATOR_REVIEWER, else the name the window asked for."""
    if explicit and explicit.strip():
        return explicit.strip()
    env = os.environ.get("ANNOTATOR_REVIEWER", "").strip()
    if env:
        return env
    name = str(load_config().get("reviewer", "")).strip()
    return name or None
