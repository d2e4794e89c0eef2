"""Fixtures for the resources tests: the shipped catalog, a writable copy of the data, and a
fixed clock in Las Vegas time so open/closed answers do not depend on when the tests run."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from resources.catalog import DEFAULT_DATA_DIR, load_catalog
from resources.models import Catalog

PACIFIC = ZoneInfo("America/Los_Angeles")
DATA_FILES = ("hotlines.yml", "places.yml", "regions.yml", "gazetteer.yml", "service_tags.yml")
# Tuesday 2026-11-24, 11:00 in Las Vegas: both Las Vegas drop-ins and Eddy House are open.
TUESDAY_11AM = datetime(2026, 11, 24, 11, 0, tzinfo=PACIFIC)
# Saturday 2026-11-28, 21:00 in Las Vegas: every drop-in is closed.
SATURDAY_9PM = datetime(2026, 11, 28, 21, 0, tzinfo=PACIFIC)
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the shipped data files that a test may break."""
    target = tmp_path / "data"
    target.mkdir()
    for name in DATA_FILES:
        shutil.copy(DEFAULT_DATA_DIR / name, target / name)
    return target


Editor = Callable[[str, Callable[[Any], None]], None]


@pytest.fixture
def edit(data_copy: Path) -> Editor:
    """edit("places.yml", change) loads the copy, lets change() mutate it, and writes it back."""

    def _edit(name: str, change: Callable[[Any], None]) -> None:
        path = data_copy / name
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(doc)
        path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")

    return _edit


def entry(doc: Any, key: str, entry_id: str) -> Any:
    """The mapping with this id in doc[key] (e.g. doc["places"], "eddy_house")."""
    for item in doc[key]:
        if item.get("id") == entry_id:
            return item  # the same object, so edits stick
    raise KeyError(entry_id)
