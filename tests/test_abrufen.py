"""``abrufen`` against recorded answers of the GENESIS interface (issue 15 §4): a local HTTP server on 127.0.0.1
answers ``POST …/data/tablefile`` with a ZIP that holds the shipped flat file, exactly as the interface does."""

from __future__ import annotations

import io
import json
import shutil
import socket
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from integrationsmonitor.__main__ import main
from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.ingest.genesis_client import FetchError, token_for

SHIPPED = REPO_ROOT / "data" / "raw" / "genesis_12411-01-01-4.csv"
TOKEN = "geheimes-token-0815"


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("12411-01-01-4_de_flat.csv", SHIPPED.read_bytes())
    return buf.getvalue()


class Recorded(BaseHTTPRequestHandler):
    """Answers like the interface: ZIP for a known table, a JSON status for an unknown one."""

    requests: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        form = {k: v[0] for k, v in parse_qs(body).items()}
        Recorded.requests.append({"path": self.path, "username": self.headers.get("username"), "form": form})
        if form.get("name") == "12411-01-01-4":
            data = _zip()
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Disposition", "attachment; filename=12411-01-01-4_de_flat.zip")
        else:
            data = json.dumps({"Status": {"Code": 90, "Content": "Die angeforderte Tabelle ist nicht vorhanden.",
                                          "Type": "Information"}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    Recorded.requests = []
    yield f"http://127.0.0.1:{srv.server_address[1]}/genesisws/rest/2020/"
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def data_dir(data_template, tmp_path, monkeypatch) -> Path:
    """A private copy of the repository's data without the table (``abrufen`` brings it) and without the benchmark
    delivery that names Herne (an area only the Kreise table creates); built once per session."""
    data = tmp_path / "data"
    shutil.copytree(data_template(without=(SHIPPED.name, "vergleichszahlen_2026-12.csv"), today=None), data)
    monkeypatch.setenv("IMH_DATA_DIR", str(data))
    monkeypatch.setenv("IMH_DB", str(data / "integrationsmonitor.duckdb"))
    monkeypatch.setenv("IMH_SECRETS", str(tmp_path / "keine-secrets.toml"))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")  # the recorded server is local, never via a proxy
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    return data


def test_fetch_checks_previews_and_publishes(server, data_dir, monkeypatch, capsys):
    monkeypatch.setenv("IMH_GENESIS_HOST_REGIONALSTATISTIK", server)
    monkeypatch.setenv("IMH_GENESIS_TOKEN", TOKEN)
    assert main(["abrufen", "12411-01-01-4"]) == 0
    out = capsys.readouterr()
    assert "Prüfung bestanden" in out.out and "Amtliche Tabelle 12411-01-01-4" in out.out
    assert "Nichts veröffentlicht" in out.out
    assert TOKEN not in out.out + out.err
    assert not (data_dir / "raw" / SHIPPED.name).exists()
    [request] = Recorded.requests
    assert request["path"] == "/genesisws/rest/2020/data/tablefile" and request["username"] == TOKEN
    assert request["form"]["name"] == "12411-01-01-4" and request["form"]["format"] == "ffcsv"
    assert main(["abrufen", "12411-01-01-4", "--publish"]) == 0
    assert (data_dir / "raw" / SHIPPED.name).read_bytes() == SHIPPED.read_bytes()


def test_unknown_table_and_unreachable_interface(server, data_dir, monkeypatch, capsys):
    monkeypatch.setenv("IMH_GENESIS_TOKEN", TOKEN)
    monkeypatch.setenv("IMH_GENESIS_HOST_REGIONALSTATISTIK", server)
    doc = (data_dir / "catalog" / "genesis.yaml").read_text(encoding="utf-8")
    (data_dir / "catalog" / "genesis.yaml").write_text(doc.replace("code: 73111-01-01-4", "code: 99999-01-01-4"),
                                                       encoding="utf-8")
    assert main(["abrufen", "99999-01-01-4"]) == 1
    assert "gibt es dort nicht (Status 90" in capsys.readouterr().err
    assert main(["abrufen", "12345-00-00-0"]) == 1
    assert "nicht in data/catalog/genesis.yaml eingetragen" in capsys.readouterr().err
    with socket.socket() as s:  # a port on which nobody listens
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}/rest/"
    monkeypatch.setenv("IMH_GENESIS_HOST_REGIONALSTATISTIK", closed)
    assert main(["abrufen", "12411-01-01-4"]) == 1
    err = capsys.readouterr().err
    assert "ist nicht erreichbar" in err and "mit `update` liefern" in err and TOKEN not in err


def test_token_from_environment_or_secrets(tmp_path):
    assert token_for("regionalstatistik", {"IMH_GENESIS_TOKEN_REGIONALSTATISTIK": "a", "IMH_GENESIS_TOKEN": "b"}) == "a"
    assert token_for("zensus", {"IMH_GENESIS_TOKEN": "b"}) == "b"
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[genesis]\ntoken = "allgemein"\n[genesis.zensus]\ntoken = "zensus-token"\n', encoding="utf-8")
    env = {"IMH_SECRETS": str(secrets)}
    assert token_for("zensus", env) == "zensus-token" and token_for("regionalstatistik", env) == "allgemein"
    with pytest.raises(FetchError, match="Kein Token für die Datenbank 'genesis_online'"):
        token_for("genesis_online", {"IMH_SECRETS": str(tmp_path / "fehlt.toml")})
    secrets.write_text("[genesis\ntoken = 1", encoding="utf-8")
    with pytest.raises(FetchError, match="kein gültiges TOML"):
        token_for("zensus", env)
