"""Writes belong to the internal area (issue 13 §4): editions are frozen, named and deleted only after login in
the Datenpflege; failed logins are throttled server-wide (per account and client address, with backoff) so a
reload does not reset them; a malformed secrets.toml fails closed instead of falling back to the password."""

from __future__ import annotations

from pathlib import Path

import pytest

from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.exports import editions
from integrationsmonitor.serving import auth

PAGES = REPO_ROOT / "pages"


@pytest.fixture
def installation(built_db: Path, tmp_path: Path, monkeypatch) -> Path:
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    monkeypatch.setenv("IMH_DATA_DIR", str(data))
    monkeypatch.setenv("IMH_DB", str(built_db))
    monkeypatch.setenv("IMH_EDITIONS_DIR", str(tmp_path / "editions"))
    monkeypatch.setenv("IMH_ADMIN_PASSWORD", "geheim")
    monkeypatch.setattr(auth, "streamlit_secrets_files", lambda: [], raising=False)  # no secrets file of the developer's machine
    return data


def _app(page: str):
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(PAGES / page), default_timeout=90)


# ----------------------------------------------------------------------------- editions only after login
def test_public_page_offers_no_way_to_freeze_name_or_delete_editions(installation):
    at = _app("sitzungspaket.py").run()
    assert not at.exception
    assert not [t for t in at.text_input if t.key == "ausgabe_name"]
    assert not [d for d in at.date_input if d.key == "ausgabe_stand"]
    assert not [b for b in at.button if b.label in ("Ausgabe einfrieren", "Löschen")]
    assert any("nur die Statistikstelle" in m.value for m in at.markdown)


def test_datenpflege_freezes_and_deletes_editions_only_after_login(installation):
    at = _app("datenpflege.py").run()
    assert not at.exception and not [t for t in at.text_input if t.key == "ausgabe_name"]  # before login: no form
    at.session_state[auth.SESSION_KEY] = True
    at.run()
    at.text_input(key="ausgabe_name").input("Integrationsrat 12.03.2027")
    next(b for b in at.button if b.label == "Ausgabe einfrieren").click().run()
    assert not at.exception
    assert any("eingefroren" in s.value for s in at.success)
    assert [e["slug"] for e in editions.list_editions()] == ["integrationsrat-12-03-2027"]
    next(b for b in at.button if b.key == "ausgabe_loeschen_integrationsrat-12-03-2027").click().run()
    assert not at.exception
    assert editions.list_editions() == []


# ----------------------------------------------------------------------------- throttling across sessions
class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_throttle_backs_off_per_account_and_address_and_survives_a_new_instance(tmp_path):
    clock = Clock()
    path = tmp_path / "versuche.json"
    throttle = auth.LoginThrottle(path, clock)
    a, b = auth.throttle_keys("statistikstelle", "10.0.0.1"), auth.throttle_keys("statistikstelle", "10.0.0.2")
    for _ in range(4):
        throttle.failed(a)
    assert throttle.wait_seconds(a) == 0  # four failures are free
    throttle.failed(a)
    assert throttle.wait_seconds(a) == 30
    assert throttle.wait_seconds(b) == 30  # another address, same account
    assert throttle.wait_seconds(["adresse:10.0.0.2"]) == 0
    clock.now += 20
    assert auth.LoginThrottle(path, clock).wait_seconds(a) == 10  # a new process / a reload sees the same count
    clock.now += 11
    assert throttle.wait_seconds(a) == 0
    throttle.failed(a)
    assert throttle.wait_seconds(a) == 60  # doubled
    for _ in range(10):
        throttle.failed(a)
    assert throttle.wait_seconds(a) == 900  # capped at 15 minutes
    throttle.succeeded(a)
    assert throttle.wait_seconds(a) == 0


def test_reload_does_not_reset_the_login_limit(installation):
    at = _app("datenpflege.py").run()
    for _ in range(auth.MAX_ATTEMPTS):
        at.text_input[0].input("falsch")
        next(b for b in at.button if b.label == "Anmelden").click().run()
        assert not at.exception
    at.run()
    assert "Zu viele Fehlversuche" in at.error[0].value and not at.text_input
    reloaded = _app("datenpflege.py").run()  # a new session: same server-side count
    assert not reloaded.exception
    assert "Zu viele Fehlversuche" in reloaded.error[0].value and "30 Sekunden" in reloaded.error[0].value
    assert not reloaded.text_input


# ----------------------------------------------------------------------------- malformed secrets fail closed
BROKEN_TOML = '[auth]\nredirect_uri = "https://monitor.hagen.de/oauth2callback\ncookie_secret = "x"\n'


def test_malformed_secrets_file_is_reported_and_never_falls_back_to_the_password(tmp_path):
    bad = tmp_path / "secrets.toml"
    bad.write_text(BROKEN_TOML, encoding="utf-8")
    assert "keine gültige TOML-Datei" in auth.secrets_problem([bad])
    assert auth.auth_mode({}, {"IMH_ADMIN_PASSWORD": "geheim"}, secrets_files=[bad]) == auth.BROKEN
    incomplete = tmp_path / "unvollstaendig.toml"
    incomplete.write_text('[auth]\nredirect_uri = "https://m/oauth2callback"\ncookie_secret = "x"\n'
                          'client_id = "hagen"\n', encoding="utf-8")
    assert auth.secrets_problem([incomplete]).endswith("im Abschnitt [auth] fehlt client_secret, server_metadata_url.")
    providers = tmp_path / "anbieter.toml"
    providers.write_text('[auth]\nredirect_uri = "https://m/cb"\ncookie_secret = "x"\n[auth.stadt]\nclient_id = "a"\n'
                         'client_secret = "b"\nserver_metadata_url = "https://idp/.well-known/openid-configuration"\n',
                         encoding="utf-8")
    assert auth.secrets_problem([providers]) is None
    assert auth.secrets_problem([tmp_path / "gibt-es-nicht.toml"]) is None


def test_page_with_malformed_secrets_refuses_login_with_a_message_for_the_operator(installation, tmp_path,
                                                                                   monkeypatch, caplog):
    bad = tmp_path / "secrets.toml"
    bad.write_text(BROKEN_TOML, encoding="utf-8")
    monkeypatch.setattr(auth, "streamlit_secrets_files", lambda: [bad], raising=False)
    at = _app("datenpflege.py").run()
    assert not at.exception
    assert "Konfiguration fehlerhaft" in at.error[0].value and "auch nicht mit dem lokalen Passwort" in at.error[0].value
    assert str(bad) in at.error[0].value
    assert not at.text_input and not at.get("file_uploader")
    assert any("Anmeldung gesperrt" in r.getMessage() for r in caplog.records)
