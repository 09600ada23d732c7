"""Data update workflow: stage → validation report → preview → publish → version kept → restore."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from integrationsmonitor.__main__ import main
from integrationsmonitor.build import update
from integrationsmonitor.config import REPO_ROOT

TODAY = dt.date(2026, 11, 25)
SOURCE = "Statistikstelle Hagen"
NEW_ROW = f"einbuergerungen;05914000;31.12.2025;_T;412;;;{SOURCE};;nein\n"
HEADER = "indikator;gebiet;stichtag;staatsangehoerigkeit;wert;zaehler;nenner;quelle;hinweis;beispieldaten\n"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def template(data_template) -> Path:
    """The repository's data, built once per session."""
    return data_template(today=TODAY)



def test_bad_upload_gives_report_and_leaves_database_alone(settings):
    before = sha(settings.db_path)
    bad = HEADER + "einbuergerungen;05914000;31.12.2025;_T;4.12;;;S;;nein\n"
    staged = update.stage([("lieferung.csv", bad.encode())], settings)
    problems = update.validate(staged, today=TODAY)
    rows = update.report_rows(problems)
    assert rows and rows[0]["Datei"] == "raw/lieferung.csv" and rows[0]["Zeile"] == 2 and rows[0]["Spalte"] == "wert"
    assert "Dezimalpunkt" in rows[0]["Problem"] and rows[0]["Erwartet"]
    with pytest.raises(ValueError):
        update.publish(staged, settings)
    update.discard(staged)
    assert sha(settings.db_path) == before
    assert not (settings.data_dir / "raw" / "lieferung.csv").exists()


def test_content_sniffing_and_size_limit():
    assert update.sniff(b"a;b\n1;2\n") == "csv"
    assert update.sniff(b"%PDF-1.7 ...") is None
    assert update.sniff(b"PK\x03\x04not a zip") is None
    assert update.sniff(b"\x7fELF\x02\x01") is None
    name, problems = update.check_upload("../../etc/passwd", b"a;b\n1;2\n")
    assert name == "passwd.csv" and not problems  # suffix from the content, path parts dropped
    _, problems = update.check_upload("tabelle.xlsx", b"a;b\n1;2\n")
    assert "Inhalt ist CSV-Text" in problems[0].message
    _, problems = update.check_upload("gross.csv", b"x" * (update.MAX_UPLOAD_BYTES + 1))
    assert "MB" in problems[0].message


def test_preview_publish_and_restore(settings):
    old_sha = sha(settings.db_path)
    raw = settings.data_dir / "raw" / "beispiel_indikatoren.csv"
    lines = raw.read_text(encoding="utf-8").splitlines(keepends=True)
    first = lines[1].split(";")
    changed_value = str(int(first[4]) + 5)
    lines[1] = ";".join([*first[:4], changed_value, *first[5:]])
    staged = update.stage([("beispiel_indikatoren.csv", "".join(lines).encode()),
                           ("nachlieferung.csv", (HEADER + NEW_ROW).encode())], settings)
    assert update.validate(staged, today=TODAY) == []
    changes = update.diff(settings.db_path, staged.db_path)
    new_keys = {key for kind, key, _ in changes.new}
    assert ("einbuergerungen", "05914000", "2025-12-31", "_T", SOURCE) in new_keys
    changed = {key: (old, new) for kind, key, old, new in changes.changed}
    key = (first[0], first[1], dt.datetime.strptime(first[2], "%d.%m.%Y").date().isoformat(), first[3], first[7])
    assert changed[key] == (float(first[4]), float(changed_value))
    assert not changes.removed
    kept = update.publish(staged, settings)
    assert kept is not None and sha(kept.db_path) == old_sha and kept.manifest["sha256"] == old_sha
    assert (settings.data_dir / "raw" / "nachlieferung.csv").exists()
    assert sha(settings.db_path) != old_sha
    assert [v.name for v in update.list_versions(settings)] == [kept.name]
    update.restore(kept.name, settings)
    assert sha(settings.db_path) == old_sha  # byte-identical
    assert not (settings.data_dir / "raw" / "nachlieferung.csv").exists()
    assert (settings.data_dir / "raw" / "beispiel_indikatoren.csv").read_bytes() == raw.read_bytes()
    assert len(update.list_versions(settings)) == 2  # the state before the restore is kept too


def test_cli_update_versions_restore(settings, tmp_path, capsys):
    old_sha = sha(settings.db_path)
    delivery = tmp_path / "nachlieferung.csv"
    delivery.write_text(HEADER + NEW_ROW, encoding="utf-8")
    assert main(["update", str(delivery)]) == 0
    out = capsys.readouterr().out
    assert "1 neu" in out and "Nichts veröffentlicht" in out
    assert sha(settings.db_path) == old_sha
    assert main(["update", str(delivery), "--publish"]) == 0
    assert "Veröffentlicht" in capsys.readouterr().out
    assert main(["versions"]) == 0
    name = capsys.readouterr().out.split()[0]
    assert main(["restore", name]) == 0
    assert sha(settings.db_path) == old_sha
    assert main(["restore", "gibt-es-nicht"]) == 1
    bad = tmp_path / "bild.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    assert main(["update", str(bad)]) == 1
    assert "weder CSV-Text noch eine Excel-Datei" in capsys.readouterr().err


# ----------------------------------------------------------------------------- login and page
def test_auth_modes_and_password_check():
    from integrationsmonitor.serving import auth

    full = {"client_id": "x", "client_secret": "y", "cookie_secret": "z", "redirect_uri": "https://m/oauth2callback",
            "server_metadata_url": "https://idp/.well-known/openid-configuration"}
    assert auth.auth_mode({"auth": full}, {}) == auth.OIDC
    assert auth.auth_mode({"auth": {"client_id": "x"}}, {"IMH_ADMIN_PASSWORD": "x"}) == auth.BROKEN  # fail closed
    assert auth.auth_mode({}, {"IMH_ADMIN_PASSWORD": "x"}) == auth.LOCAL
    assert auth.auth_mode(None, {}) == auth.NONE
    assert auth.password_ok("geheim", {"IMH_ADMIN_PASSWORD": "geheim"})
    assert not auth.password_ok("geheim ", {"IMH_ADMIN_PASSWORD": "geheim"})
    assert not auth.password_ok("", {})
    assert auth.email_allowed("A@hagen.de", {"IMH_ADMIN_EMAILS": "a@hagen.de"})
    assert not auth.email_allowed("b@hagen.de", {"IMH_ADMIN_EMAILS": "a@hagen.de"})


def test_page_refuses_without_configuration_and_logs_in_locally(settings, monkeypatch):
    from streamlit.testing.v1 import AppTest

    page = str(REPO_ROOT / "pages" / "datenpflege.py")
    monkeypatch.delenv("IMH_ADMIN_PASSWORD", raising=False)
    at = AppTest.from_file(page, default_timeout=60).run()
    assert not at.exception and "nicht freigeschaltet" in at.error[0].value
    assert not at.get("file_uploader")
    monkeypatch.setenv("IMH_ADMIN_PASSWORD", "geheim")
    at = AppTest.from_file(page, default_timeout=60).run()
    at.text_input[0].input("falsch")
    at.button[0].click().run()
    assert "Passwort ist falsch" in at.error[0].value
    at.text_input[0].input("geheim")
    at.button[0].click().run()
    assert not at.exception
    assert any("Angemeldet" in c.value for c in at.caption)
    # a kept version can be restored from the page with one click
    old_sha = sha(settings.db_path)
    delivery = HEADER + NEW_ROW
    staged = update.stage([("nachlieferung.csv", delivery.encode())], settings)
    assert update.validate(staged, today=TODAY) == []
    update.publish(staged, settings)
    at.run()
    restore_buttons = [b for b in at.button if b.label == "Wiederherstellen"]
    assert len(restore_buttons) == 1
    restore_buttons[0].click().run()
    assert not at.exception
    assert sha(settings.db_path) == old_sha


def test_page_with_identity_provider_asks_for_login(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("IMH_ADMIN_PASSWORD", "geheim")  # [auth] in the secrets takes precedence
    at = AppTest.from_file(str(REPO_ROOT / "pages" / "datenpflege.py"), default_timeout=60)
    at.secrets["auth"] = {"client_id": "x", "client_secret": "y", "cookie_secret": "z",
                          "redirect_uri": "http://localhost:8501/oauth2callback",
                          "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Anmelden"] and not at.text_input
    assert "nur für die Statistikstelle" in at.info[0].value
