"""One source for each setting: every IMH_* variable is read in config.py only and documented in README."""

from __future__ import annotations

import re
from pathlib import Path

from integrationsmonitor.config import REPO_ROOT, VARIABLES, Settings

NAME = re.compile(r"\bIMH_[A-Z0-9_]+\b")


def _sources() -> list[Path]:
    return [*(REPO_ROOT / "integrationsmonitor").rglob("*.py"), *(REPO_ROOT / "pages").glob("*.py"),
            REPO_ROOT / "app.py"]


def test_variables_are_read_only_in_config() -> None:
    read = re.compile(r"(environ|getenv)[^\n]*IMH_")
    elsewhere = [str(p.relative_to(REPO_ROOT)) for p in _sources()
                 if p.name != "config.py" and read.search(p.read_text(encoding="utf-8"))]
    assert elsewhere == []
    config = (REPO_ROOT / "integrationsmonitor" / "config.py").read_text(encoding="utf-8")
    assert set(NAME.findall(config)) == set(VARIABLES)


def test_every_variable_is_in_the_readme_table() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `(IMH_[A-Z0-9_]+)` \|", readme, flags=re.M))
    assert rows == set(VARIABLES)


def test_settings_from_a_mapping() -> None:
    s = Settings.from_env({"IMH_DATA_DIR": "/srv/imh", "IMH_BASIS_URL": "https://monitor.hagen.de/",
                           "IMH_ADMIN_EMAILS": "A@hagen.de, b@hagen.de", "IMH_BACKEND": " Parquet "})
    assert s.db_path == Path("/srv/imh/integrationsmonitor.duckdb")
    assert s.editions_dir == Path("/srv/imh/editions")
    assert s.base_url == "https://monitor.hagen.de"
    assert s.admin_emails == {"a@hagen.de", "b@hagen.de"} and s.backend == "parquet"
    assert "geheim" not in repr(Settings.from_env({"IMH_ADMIN_PASSWORD": "geheim"}))
