"""Login for the internal page (Datenpflege).

Three cases, decided at every run:

1. **Identity provider of the city (OIDC)** — if ``.streamlit/secrets.toml`` has an ``[auth]`` section,
   Streamlit's built-in authentication is used: ``st.login()`` sends the user to the provider, ``st.user``
   carries the claims afterwards. Optionally ``IMH_ADMIN_EMAILS`` (comma-separated) restricts access to
   named accounts. Example ``.streamlit/secrets.toml`` (never commit it)::

       [auth]
       redirect_uri = "https://monitor.hagen.de/oauth2callback"
       cookie_secret = "<long random string>"
       client_id = "<client id from the city's identity provider>"
       client_secret = "<client secret>"
       server_metadata_url = "https://login.hagen.de/realms/stadt/.well-known/openid-configuration"

   (Keycloak, Microsoft Entra ID, ADFS and other OpenID-Connect providers publish such a metadata URL;
   several providers can be configured as ``[auth.<name>]`` and chosen with ``st.login("<name>")``.)
2. **Local password** (development, tests, a single-machine installation) — environment variable
   ``IMH_ADMIN_PASSWORD``; the entered password is compared with ``hmac.compare_digest``.
3. **Neither** — the page refuses access and says in German how to configure one of the two.
"""

from __future__ import annotations

import hmac
import json
import logging
import math
import os
import time
import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import filelock

from integrationsmonitor import config
from integrationsmonitor.config import Settings

LOG = logging.getLogger(__name__)
OIDC, LOCAL, NONE, BROKEN = "oidc", "local", "none", "broken"
MAX_ATTEMPTS = 5  # free failed attempts per account and per client address; then waiting times double
FIRST_WAIT_S, MAX_WAIT_S, FORGET_AFTER_S = 30.0, 900.0, 86400.0
LOCAL_ACCOUNT = "statistikstelle"
SESSION_KEY = "imh_datenpflege_angemeldet"
OIDC_KEYS = ("client_id", "client_secret", "server_metadata_url")
MISCONFIGURED = (
    "Die Anmeldung zur Datenpflege ist gesperrt, weil die Konfiguration fehlerhaft ist: {detail} "
    "Bis das behoben ist, ist keine Anmeldung möglich – auch nicht mit dem lokalen Passwort. "
    "Hinweis für den Betrieb: Datei korrigieren (Aufbau siehe README, Abschnitt Anmeldung) und den Server neu starten."
)
REFUSAL = (
    "Die Datenpflege ist nicht freigeschaltet: Es ist weder eine Anmeldung über den Identitätsanbieter der Stadt "
    "(Abschnitt `[auth]` in `.streamlit/secrets.toml`) noch ein lokales Passwort (Umgebungsvariable "
    "`IMH_ADMIN_PASSWORD`) eingerichtet. Bitte wenden Sie sich an die IT bzw. die Statistikstelle; die Einrichtung "
    "ist im README beschrieben."
)


def auth_mode(secrets: Mapping | None, env: Mapping[str, str] | None = None,
              secrets_files: Iterable[Path] = ()) -> str:
    """Which login applies: 'broken' if a secrets file cannot be read or its [auth] is incomplete (fail closed:
    never fall back to the password), 'oidc' if secrets have [auth], else 'local' if a password is set, else 'none'."""
    if secrets_problem(secrets_files):
        return BROKEN
    try:
        if secrets is not None and "auth" in secrets:
            return OIDC if not auth_section_problem(secrets["auth"]) else BROKEN
    except FileNotFoundError:
        pass
    except Exception as exc:  # noqa: BLE001 - st.secrets raises one error class for "no file" and "unreadable"
        if "No secrets found" not in str(exc):
            return BROKEN
    return LOCAL if Settings.from_env(env).admin_password else NONE


def streamlit_secrets_files() -> list[Path]:
    """The secrets files Streamlit reads (option ``secrets.files``: ~/.streamlit and ./.streamlit)."""
    from streamlit import config as st_config

    return [Path(p) for p in st_config.get_option("secrets.files")]


def secrets_problem(paths: Iterable[Path]) -> str | None:
    """German description of the first secrets file that exists but is not valid TOML or has a broken [auth]."""
    for path in paths:
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            return f"`{path}` ist keine gültige TOML-Datei ({exc})."
        if "auth" in data:
            problem = auth_section_problem(data["auth"])
            if problem:
                return f"`{path}`: {problem}"
    return None


def auth_section_problem(section: object) -> str | None:
    """An [auth] section needs redirect_uri and cookie_secret, and client_id, client_secret and
    server_metadata_url either directly or in every provider section [auth.<name>]."""
    if not isinstance(section, Mapping):
        return "[auth] ist kein Abschnitt."
    missing = [k for k in ("redirect_uri", "cookie_secret") if not str(section.get(k, "")).strip()]
    providers = {k: v for k, v in section.items() if isinstance(v, Mapping)}
    blocks = providers.values() if providers and not any(k in section for k in OIDC_KEYS) else [section]
    for block in blocks:
        missing += [k for k in OIDC_KEYS if not str(block.get(k, "")).strip() and k not in missing]
    if missing:
        return f"im Abschnitt [auth] fehlt {', '.join(missing)}."
    return None


def password_ok(given: str, env: Mapping[str, str] | None = None) -> bool:
    """Constant-time comparison with IMH_ADMIN_PASSWORD; False when no password is configured."""
    expected = Settings.from_env(env).admin_password
    if not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def email_allowed(email: str | None, env: Mapping[str, str] | None = None) -> bool:
    allowed = Settings.from_env(env).admin_emails
    return not allowed or (email or "").casefold() in allowed


class LoginThrottle:
    """Failed logins per key (account, client address), shared by all sessions and processes through a small JSON
    file under a file lock: a reload, a new session or a restart does not reset it. After MAX_ATTEMPTS failures a
    key waits FIRST_WAIT_S, doubling with each further failure up to MAX_WAIT_S; a success clears the keys."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time):
        self.path, self.clock = Path(path), clock
        self._lock = filelock.FileLock(str(self.path) + ".lock")

    def _read(self) -> dict[str, list[float]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            LOG.error("Datei der Anmeldeversuche %s ist unlesbar und wird neu angelegt", self.path)
            return {}
        now = self.clock()
        return {k: v for k, v in data.items() if isinstance(v, list) and len(v) == 2 and now - v[1] < FORGET_AFTER_S}

    def _write(self, data: dict[str, list[float]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, self.path)

    @staticmethod
    def _wait(failures: float) -> float:
        if failures < MAX_ATTEMPTS:
            return 0.0
        return min(MAX_WAIT_S, FIRST_WAIT_S * 2 ** (failures - MAX_ATTEMPTS))

    def wait_seconds(self, keys: Iterable[str]) -> float:
        """Seconds until the next attempt is allowed (0 = now)."""
        with self._lock:
            data = self._read()
        now = self.clock()
        return max([0.0] + [self._wait(data[k][0]) - (now - data[k][1]) for k in keys if k in data])

    def failed(self, keys: Iterable[str]) -> None:
        with self._lock:
            data = self._read()
            for key in keys:
                count = data.get(key, [0, 0])[0]
                data[key] = [count + 1, self.clock()]
            self._write(data)

    def succeeded(self, keys: Iterable[str]) -> None:
        with self._lock:
            data = self._read()
            for key in keys:
                data.pop(key, None)
            self._write(data)


def throttle_keys(account: str, address: str | None) -> list[str]:
    return [f"konto:{account.casefold()}", f"adresse:{address or 'unbekannt'}"]


def _client_address() -> str | None:
    import streamlit as st

    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no request context (tests, bare mode)
        return None
    return address if isinstance(address, str) and address else None


def require_login() -> str:
    """Streamlit gate: returns the signed-in user's name or stops the page with a German explanation."""
    import streamlit as st

    from integrationsmonitor.serving.ui import stop_page

    files = streamlit_secrets_files()
    mode = auth_mode(st.secrets, secrets_files=files)
    if mode == BROKEN:
        detail = secrets_problem(files) or _secrets_error(st.secrets)
        LOG.error("Anmeldung gesperrt, Konfiguration fehlerhaft: %s", detail)
        st.error(MISCONFIGURED.format(detail=detail), icon="🔒")
        stop_page()
    if mode == OIDC:
        if not st.user.get("is_logged_in"):
            st.info("Die Datenpflege ist nur für die Statistikstelle. Bitte melden Sie sich an.")
            st.button("Anmelden", on_click=st.login, type="primary")
            stop_page()
        if not email_allowed(st.user.get("email")):
            st.error("Ihr Konto ist für die Datenpflege nicht freigeschaltet.")
            st.button("Abmelden", on_click=st.logout)
            stop_page()
        return str(st.user.get("name") or st.user.get("email") or "angemeldet")
    if mode == NONE:
        st.error(REFUSAL, icon="🔒")
        stop_page()
    if st.session_state.get(SESSION_KEY):
        return "Statistikstelle (lokal)"
    throttle = LoginThrottle(config.login_attempts_file())
    keys = throttle_keys(LOCAL_ACCOUNT, _client_address())
    wait = throttle.wait_seconds(keys)
    if wait > 0:
        st.error(_too_many(wait))
        stop_page()
    with st.form("anmeldung"):
        password = st.text_input("Passwort der Statistikstelle", type="password")
        sent = st.form_submit_button("Anmelden", type="primary")
    if sent:
        if password_ok(password):
            throttle.succeeded(keys)
            st.session_state[SESSION_KEY] = True
            st.rerun()
        throttle.failed(keys)
        LOG.warning("Fehlgeschlagene Anmeldung zur Datenpflege (Adresse %s)", keys[1].split(":", 1)[1])
        wait = throttle.wait_seconds(keys)
        st.error(_too_many(wait, "Das Passwort ist falsch. ") if wait > 0 else "Das Passwort ist falsch.")
    stop_page()
    return ""  # not reached


def _too_many(wait: float, prefix: str = "") -> str:
    return (f"{prefix}Zu viele Fehlversuche. Die nächste Anmeldung ist in {math.ceil(wait)} Sekunden möglich "
            "(die Wartezeit verdoppelt sich mit jedem weiteren Fehlversuch).")


def _secrets_error(secrets: Mapping) -> str:
    try:
        "auth" in secrets  # noqa: B015 - only to provoke the parse error
    except Exception as exc:  # noqa: BLE001
        return f"`secrets.toml` ist nicht lesbar ({exc})."
    return "der Abschnitt [auth] in `secrets.toml` ist unvollständig."
