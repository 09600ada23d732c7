"""Naive data access: pandas reads every raw file on every rerun (no database, no cache)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from integrationsmonitor.config import REPO_ROOT


def data_dir() -> Path:
    return Path(os.environ.get("IMH_DATA_DIR", REPO_ROOT / "data"))


def population() -> pd.DataFrame:
    frames = [pd.read_csv(p, sep=";", dtype=str) for p in sorted((data_dir() / "raw").glob("*bevoelkerung.csv"))]
    df = pd.concat(frames, ignore_index=True)
    df["personen"] = df["personen"].str.replace(".", "", regex=False).astype(int)
    df["jahr"] = df["stichtag"].str[-4:].astype(int)
    return df


def areas() -> pd.DataFrame:
    return pd.read_csv(data_dir() / "catalog" / "gebiete.csv", sep=";", dtype=str)


def districts_of_hagen() -> dict[str, str]:
    a = areas()
    rows = a[(a["ebene"] == "stadtbezirk") & (a["uebergeordnet"] == "05914000")]
    return dict(zip(rows["id"], rows["name"], strict=True))
