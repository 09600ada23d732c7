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
from collections.abc import Mapping

from integrationsmonitor.config import Settings

OIDC, LOCAL, NONE = "oidc", "local", "none"
MAX_ATTEMPTS = 5
SESSION_KEY = "imh_datenpflege_angemeldet"
REFUSAL = (
    "Die Datenpflege ist nicht freigeschaltet: Es ist weder eine Anmeldung über den Identitätsanbieter der Stadt "
    "(Abschnitt `[auth]` in `.streamlit/secrets.toml`) noch ein lokales Passwort (Umgebungsvariable "
    "`IMH_ADMIN_PASSWORD`) eingerichtet. Bitte wenden Sie sich an die IT bzw. die Statistikstelle; die Einrichtung "
    "ist im README beschrieben."
)


def auth_mode(secrets: Mapping | None, env: Mapping[str, str] | None = None) -> str:
    """Which login applies: 'oidc' if secrets have [auth], else 'local' if a password is set, else 'none'."""
    try:
        if secrets is not None and "auth" in secrets:
            return OIDC
    except Exception:  # noqa: BLE001 - st.secrets raises when no secrets file exists at all
        pass
    return LOCAL if Settings.from_env(env).admin_password else NONE


def password_ok(given: str, env: Mapping[str, str] | None = None) -> bool:
    """Constant-time comparison with IMH_ADMIN_PASSWORD; False when no password is configured."""
    expected = Settings.from_env(env).admin_password
    if not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def email_allowed(email: str | None, env: Mapping[str, str] | None = None) -> bool:
    allowed = Settings.from_env(env).admin_emails
    return not allowed or (email or "").casefold() in allowed


def require_login() -> str:
    """Streamlit gate: returns the signed-in user's name or stops the page with a German explanation."""
    import streamlit as st

    mode = auth_mode(st.secrets)
    if mode == OIDC:
        if not st.user.get("is_logged_in"):
            st.info("Die Datenpflege ist nur für die Statistikstelle. Bitte melden Sie sich an.")
            st.button("Anmelden", on_click=st.login, type="primary")
            st.stop()
        if not email_allowed(st.user.get("email")):
            st.error("Ihr Konto ist für die Datenpflege nicht freigeschaltet.")
            st.button("Abmelden", on_click=st.logout)
            st.stop()
        return str(st.user.get("name") or st.user.get("email") or "angemeldet")
    if mode == NONE:
        st.error(REFUSAL, icon="🔒")
        st.stop()
    if st.session_state.get(SESSION_KEY):
        return "Statistikstelle (lokal)"
    attempts = st.session_state.get("imh_login_versuche", 0)
    if attempts >= MAX_ATTEMPTS:
        st.error("Zu viele Fehlversuche. Bitte laden Sie die Seite später neu.")
        st.stop()
    with st.form("anmeldung"):
        password = st.text_input("Passwort der Statistikstelle", type="password")
        sent = st.form_submit_button("Anmelden", type="primary")
    if sent:
        if password_ok(password):
            st.session_state[SESSION_KEY] = True
            st.rerun()
        st.session_state["imh_login_versuche"] = attempts + 1
        st.error("Das Passwort ist falsch.")
    st.stop()
    return ""  # not reached
