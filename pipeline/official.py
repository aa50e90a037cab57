"""Official vaccination figures (covid19india.org's CoWIN data): file formats, loaders, series queries.

Four covid19india CSV formats are recognised by their header (see ../shared/official/README.md):

| format           | file                                              | table                      |
|------------------|---------------------------------------------------|----------------------------|
| `v4_district`    | v4 district daily: cumulative + daily doses       | `official_district_daily`  |
| `v4_state`       | v4 state daily (TT = India)                       | `official_state_daily`     |
| `cowin_district` | CoWIN districtwise: sessions, sites (to 26 Apr 21)| `official_district_sites`  |
| `statewise`      | CoWIN statewise: cumulative, state age groups     | `official_state_cowin`     |

Every district and state name is mapped through the gazetteer (`pipeline.places`) when it is loaded, and
every query resolves its name through the gazetteer again, so "जबलपुर", "Jabalpur" and the sites file's
"New Delhi" (-> Delhi) all meet the same rows; a raw string is never compared with a raw string.
Each loaded file is recorded in `official_sources` with its format, source, licence, rows and date range.

The bundled slice (`fixtures/official`, described by its `manifest.toml`) is what tests, `make run` and
`vaxnews check` use when no database with official figures is given.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import sqlite3
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from pipeline.config import FIXTURES
from pipeline.places import Gazetteer

BUNDLED_DIR = FIXTURES / "official"
MANIFEST = "manifest.toml"
COUNTRY = "India"
COUNTRY_CODE = "TT"
OFFICIAL_SOURCE = "covid19india.org (CoWIN public dashboard data), via github.com/incovid19/data-staging"
OFFICIAL_LICENCE = (
    "CC BY (possibly BY-SA) with attribution to covid19india.org; "
    "underlying figures: Government of India (CoWIN / MoHFW)"
)

_V4_COUNTS = ("total_vaccinated1", "total_vaccinated2", "delta_vaccinated1", "delta_vaccinated2")
_COWIN_COUNTS = (
    "total_individuals_registered",
    "total_individuals_vaccinated",
    "sessions",
    "sites",
    "first_dose_administered",
    "second_dose_administered",
    "male_individuals_vaccinated",
    "female_individuals_vaccinated",
    "transgender_individuals_vaccinated",
    "covaxin_doses_administered",
    "covishield_doses_administered",
)
# statewise file: original column -> our column (all cumulative, blank = unknown, kept as NULL).
_STATEWISE_COLUMNS = {
    "Total Doses Administered": "total_doses",
    "Sessions": "sessions",
    "Sites": "sites",
    "First Dose Administered": "first_doses",
    "Second Dose Administered": "second_doses",
    "Male (Doses Administered)": "male_doses",
    "Female (Doses Administered)": "female_doses",
    "Transgender (Doses Administered)": "transgender_doses",
    "Covaxin (Doses Administered)": "covaxin_doses",
    "CoviShield (Doses Administered)": "covishield_doses",
    "Sputnik V (Doses Administered)": "sputnik_doses",
    "AEFI": "aefi",
    "18-44 Years (Doses Administered)": "doses_18_44",
    "45-60 Years (Doses Administered)": "doses_45_60",
    "60+ Years (Doses Administered)": "doses_60_plus",
    "18-44 Years (Individuals Vaccinated)": "individuals_18_44",
    "45-60 Years (Individuals Vaccinated)": "individuals_45_60",
    "60+ Years (Individuals Vaccinated)": "individuals_60_plus",
    "Male (Individuals Vaccinated)": "male_individuals",
    "Female (Individuals Vaccinated)": "female_individuals",
    "Transgender (Individuals Vaccinated)": "transgender_individuals",
}


@dataclass(frozen=True)
class Format:
    name: str
    table: str
    required: frozenset[str]
    description: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "v4_district",
            "official_district_daily",
            frozenset({"date", "state_code", "state", "district", *_V4_COUNTS}),
            "covid19india v4 district daily (cumulative and daily first/second doses)",
        ),
        Format(
            "v4_state",
            "official_state_daily",
            frozenset({"date", "state_code", "state", *_V4_COUNTS}),
            "covid19india v4 state daily (cumulative and daily first/second doses; TT = India)",
        ),
        Format(
            "cowin_district",
            "official_district_sites",
            frozenset(
                {"date", "state_code", "state", "district", "sessions", "sites", "first_dose_administered"}
            ),
            "covid19india CoWIN districtwise (sessions, sites, doses by sex and brand; to 2021-04-26)",
        ),
        Format(
            "statewise",
            "official_state_cowin",
            frozenset({"Updated On", "State", "Total Doses Administered", "Sites"}),
            "covid19india CoWIN statewise (cumulative; sessions, sites, state-level age groups)",
        ),
    )
}
# Most specific first: a v4 district header also satisfies the v4 state requirements.
_DETECT_ORDER = ("v4_district", "cowin_district", "v4_state", "statewise")


class FormatError(ValueError):
    """A file that is none of the covid19india formats."""


def detect_format(header: Iterable[str]) -> Format:
    """The format of a CSV from its header row."""
    cols = {h.strip() for h in header}
    for name in _DETECT_ORDER:
        fmt = FORMATS[name]
        if fmt.required <= cols:
            if name == "v4_state" and "district" in cols:
                continue
            return fmt
    known = "; ".join(f"{f.name}: {f.description}" for f in FORMATS.values())
    raise FormatError(
        f"not a covid19india vaccination file (columns {sorted(cols)[:8]}…); known formats: {known}"
    )


# ---------------------------------------------------------------------------- schema
def ensure_tables(db: sqlite_utils.Database) -> None:
    """Create the official tables (idempotent); an older `official_district_daily` gains new columns."""
    ints = dict.fromkeys(_V4_COUNTS, int)
    db.table("official_district_daily").create(
        {"district": str, "state": str, "state_code": str, "date": str, **ints, "source_file": str},
        pk=("district", "state", "date"),
        if_not_exists=True,
    )
    existing = {c.name for c in db.table("official_district_daily").columns}
    if "state_code" not in existing:
        db.table("official_district_daily").add_column("state_code", str)
    db.table("official_state_daily").create(
        {
            "state": str,
            "state_code": str,
            "date": str,
            **ints,
            "meta_vaccinated_date": str,
            "source_file": str,
        },
        pk=("state", "date"),
        if_not_exists=True,
    )
    db.table("official_district_sites").create(
        {
            "district": str,
            "state": str,
            "state_code": str,
            "date": str,
            "district_raw": str,
            "cowin_key": str,
            **dict.fromkeys(_COWIN_COUNTS, int),
            "source_file": str,
        },
        pk=("district", "state", "date", "district_raw"),
        if_not_exists=True,
    )
    db.table("official_state_cowin").create(
        {
            "state": str,
            "state_code": str,
            "date": str,
            **dict.fromkeys(_STATEWISE_COLUMNS.values(), int),
            "source_file": str,
        },
        pk=("state", "date"),
        if_not_exists=True,
    )
    db.table("official_sources").create(
        {
            "file": str,
            "format": str,
            "table_name": str,
            "source": str,
            "licence": str,
            "upstream": str,
            "rows": int,
            "date_from": str,
            "date_to": str,
            "sha256": str,
        },
        pk="file",
        if_not_exists=True,
    )
    existing = {c.name for c in db.table("official_sources").columns}
    for col in ("format", "table_name", "licence", "upstream", "date_from", "date_to", "sha256"):
        if col not in existing:  # a database written by the first loader (file, source, rows)
            db.table("official_sources").add_column(col, str)
    for table, cols in (
        ("official_district_daily", ["state", "district", "date"]),
        ("official_district_sites", ["state", "district", "date"]),
    ):
        db.table(table).create_index(cols, if_not_exists=True)


# ---------------------------------------------------------------------------- names
@dataclass
class _Names:
    """Gazetteer resolution of the names a file uses, cached per file, with what did not resolve."""

    gz: Gazetteer = field(default_factory=Gazetteer.load)
    unmatched: set[str] = field(default_factory=set)
    _districts: dict[tuple[str, str], tuple[str, str, str] | None] = field(default_factory=dict)
    _states: dict[str, tuple[str, str] | None] = field(default_factory=dict)

    def district(self, name: str, state: str) -> tuple[str, str, str] | None:
        """(district, state, state_code) as the gazetteer spells them."""
        key = (name, state)
        if key not in self._districts:
            found = self.gz.lookup(name, state) if name.strip() else None
            self._districts[key] = (found.name, found.state, found.state_code) if found else None
            if found is None:
                self.unmatched.add(f"{name} ({state})")
        return self._districts[key]

    def state(self, name: str) -> tuple[str, str] | None:
        """(state, state_code); the country is ("India", "TT")."""
        if name not in self._states:
            self._states[name] = resolve_state(name, self.gz)
            if self._states[name] is None:
                self.unmatched.add(name)
        return self._states[name]


def resolve_state(name: str, gz: Gazetteer | None = None) -> tuple[str, str] | None:
    """(state, state_code) for any spelling of a state, or the country; None when unknown."""
    gz = gz or Gazetteer.load()
    if name.strip().lower() in {"india", "भारत", "देश", "tt"}:
        return COUNTRY, COUNTRY_CODE
    state = gz.lookup_state(name)
    if state is None:
        return None
    districts = gz.districts_of(state)
    return (state, districts[0].state_code) if districts else None


def resolve_district(name: str, state: str | None = None) -> tuple[str, str] | None:
    """(district, state) for any spelling the gazetteer knows (Hindi, English, alias, town)."""
    found = Gazetteer.load().lookup(name, state) if name else None
    return (found.name, found.state) if found else None


# ---------------------------------------------------------------------------- loading
@dataclass
class LoadResult:
    file: str
    format: str
    table: str
    rows: int
    date_from: str | None
    date_to: str | None
    unmatched: list[str]


def _int(value: str | None) -> int | None:
    """covid19india writes integers, sometimes as "123.0"; blank is None (the caller decides its meaning)."""
    if value is None or not value.strip():
        return None
    return int(float(value))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _rows_v4_district(reader: Iterator[dict[str, str]], names: _Names, file: str) -> Iterator[dict[str, Any]]:
    for r in reader:
        hit = names.district(r["district"], r["state"])
        if hit is None:
            continue
        # A blank delta means the key was absent in the source, which is 0; so is a blank total.
        counts = {c: _int(r[c]) or 0 for c in _V4_COUNTS}
        yield {
            "district": hit[0],
            "state": hit[1],
            "state_code": hit[2],
            "date": r["date"],
            **counts,
            "source_file": file,
        }


def _rows_v4_state(reader: Iterator[dict[str, str]], names: _Names, file: str) -> Iterator[dict[str, Any]]:
    for r in reader:
        hit = names.state(r["state"]) if r["state_code"] != COUNTRY_CODE else (COUNTRY, COUNTRY_CODE)
        if hit is None:
            continue
        counts = {c: _int(r[c]) or 0 for c in _V4_COUNTS}
        yield {
            "state": hit[0],
            "state_code": hit[1],
            "date": r["date"],
            **counts,
            "meta_vaccinated_date": r.get("meta_vaccinated_date") or None,
            "source_file": file,
        }


def _rows_cowin_district(
    reader: Iterator[dict[str, str]], names: _Names, file: str
) -> Iterator[dict[str, Any]]:
    for r in reader:
        hit = names.district(r["district"], r["state"])
        if hit is None:
            continue
        yield {
            "district": hit[0],
            "state": hit[1],
            "state_code": hit[2],
            "date": r["date"],
            "district_raw": r["district"],
            "cowin_key": r.get("cowin_key") or None,
            **{c: _int(r.get(c)) for c in _COWIN_COUNTS},
            "source_file": file,
        }


def _rows_statewise(reader: Iterator[dict[str, str]], names: _Names, file: str) -> Iterator[dict[str, Any]]:
    for r in reader:
        hit = names.state(r["State"])
        if hit is None:
            continue
        day = datetime.strptime(r["Updated On"].strip(), "%d/%m/%Y").date().isoformat()
        values = {ours: _int(r.get(theirs)) for theirs, ours in _STATEWISE_COLUMNS.items()}
        yield {"state": hit[0], "state_code": hit[1], "date": day, **values, "source_file": file}


_ROW_READERS = {
    "v4_district": _rows_v4_district,
    "v4_state": _rows_v4_state,
    "cowin_district": _rows_cowin_district,
    "statewise": _rows_statewise,
}
_PKS: dict[str, tuple[str, ...]] = {
    "official_district_daily": ("district", "state", "date"),
    "official_state_daily": ("state", "date"),
    "official_district_sites": ("district", "state", "date", "district_raw"),
    "official_state_cowin": ("state", "date"),
}


def _replace_rows(db: sqlite_utils.Database, table: str, rows: list[dict[str, Any]]) -> None:
    """INSERT OR REPLACE by primary key; plain executemany, as sqlite-utils' per-row work triples the time."""
    if not rows:
        return
    cols = list(rows[0])
    sql = f"INSERT OR REPLACE INTO [{table}] ({', '.join(f'[{c}]' for c in cols)}) VALUES ({', '.join('?' * len(cols))})"
    db.conn.executemany(sql, ([r[c] for c in cols] for r in rows))


def load_file(
    db: sqlite_utils.Database,
    path: Path,
    *,
    source: str | None = None,
    licence: str | None = None,
    upstream: str | None = None,
) -> LoadResult:
    """Load one covid19india CSV (format detected from its header) into its table; idempotent upsert."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"official data file not found: {path}")
    ensure_tables(db)
    names = _Names()
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fmt = detect_format(reader.fieldnames or [])
        rows = list(_ROW_READERS[fmt.name](reader, names, path.name))
    with db.conn:
        _replace_rows(db, fmt.table, rows)
        dates = [r["date"] for r in rows]
        result = LoadResult(
            file=path.name,
            format=fmt.name,
            table=fmt.table,
            rows=len(rows),
            date_from=min(dates) if dates else None,
            date_to=max(dates) if dates else None,
            unmatched=sorted(names.unmatched),
        )
        db.table("official_sources").upsert(
            {
                "file": path.name,
                "format": fmt.name,
                "table_name": fmt.table,
                "source": source or OFFICIAL_SOURCE,
                "licence": licence or OFFICIAL_LICENCE,
                "upstream": upstream,
                "rows": len(rows),
                "date_from": result.date_from,
                "date_to": result.date_to,
                "sha256": _sha256(path),
            },
            pk="file",
        )
    return result


def read_manifest(directory: Path) -> dict[str, Any] | None:
    """The `manifest.toml` of a slice directory, or None."""
    path = Path(directory) / MANIFEST
    if not path.is_file():
        return None
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def load_path(
    db: sqlite_utils.Database, path: Path, *, source: str | None = None, licence: str | None = None
) -> list[LoadResult]:
    """A file, or every file of a directory (its manifest's files, else every recognised *.csv)."""
    path = Path(path)
    if path.is_dir():
        manifest = read_manifest(path)
        if manifest is not None:
            return [
                load_file(
                    db,
                    path / entry["name"],
                    source=source or manifest.get("source"),
                    licence=licence or manifest.get("licence"),
                    upstream=entry.get("upstream"),
                )
                for entry in manifest.get("file", [])
            ]
        results = []
        for csv_path in sorted(path.glob("*.csv")):
            try:
                results.append(load_file(db, csv_path, source=source, licence=licence))
            except FormatError:
                continue  # e.g. the LGD district list beside the covid19india files
        if not results:
            raise FormatError(f"{path}: no covid19india vaccination file in this directory")
        return results
    manifest = read_manifest(path.parent)
    entry = next((e for e in (manifest or {}).get("file", []) if e.get("name") == path.name), None)
    return [
        load_file(
            db,
            path,
            source=source or (manifest or {}).get("source"),
            licence=licence or (manifest or {}).get("licence"),
            upstream=entry.get("upstream") if entry else None,
        )
    ]


def load_official(db: sqlite_utils.Database, path: Path, *, source: str | None = None) -> int:
    """The main job's loader: a file or a directory; returns the number of rows loaded.

    A file that belongs to a slice described by a `manifest.toml` (the bundled `fixtures/official`, whose
    district file is the default `Settings.official_csv`) brings the whole slice with it: the sites,
    state and statewise files are what the centre and state-level checks need.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"official data file not found: {path}")
    manifest = read_manifest(path.parent) if path.is_file() else None
    if manifest is not None and any(e.get("name") == path.name for e in manifest.get("file", [])):
        path = path.parent
    return sum(r.rows for r in load_path(db, path, source=source))


@functools.cache
def bundled_database() -> sqlite3.Connection:
    """An in-memory database holding the bundled slice (for `vaxnews check` without `--db`).

    Cached per process; treat it as read-only.
    """
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    load_path(sqlite_utils.Database(conn), BUNDLED_DIR)
    return conn


# ---------------------------------------------------------------------------- the slice
def _state_code_of(row: dict[str, str], fmt: str, gz: Gazetteer) -> str | None:
    if fmt == "statewise":
        hit = resolve_state(row["State"], gz)
        return hit[1] if hit else None
    return row["state_code"]


def _date_of(row: dict[str, str], fmt: str) -> str:
    if fmt == "statewise":
        return datetime.strptime(row["Updated On"].strip(), "%d/%m/%Y").date().isoformat()
    return row["date"]


def write_slice(src_dir: Path, out_dir: Path, manifest_dir: Path = BUNDLED_DIR) -> list[Path]:
    """Regenerate the files a manifest describes from the full covid19india files in `src_dir`.

    Lines are copied byte for byte (only rows are filtered, by state code and date range), so the slice
    is exactly the upstream data.
    """
    manifest = read_manifest(manifest_dir)
    if manifest is None:
        raise FileNotFoundError(f"no {MANIFEST} in {manifest_dir}")
    gz = Gazetteer.load()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for entry in manifest.get("file", []):
        upstream = Path(src_dir) / entry["upstream"].split(" ")[0]
        states, lo, hi = set(entry["states"]), entry["date_from"], entry["date_to"]
        target = out_dir / entry["name"]
        with (
            open(upstream, encoding="utf-8", newline="") as src,
            open(target, "w", encoding="utf-8", newline="") as out,
        ):
            header = src.readline()
            out.write(header)
            cols = next(csv.reader([header]))
            fmt = detect_format(cols).name
            for line in src:
                row = dict(zip(cols, next(csv.reader([line])), strict=False))
                if _state_code_of(row, fmt, gz) in states and lo <= _date_of(row, fmt) <= hi:
                    out.write(line)
        written.append(target)
    return written


# ---------------------------------------------------------------------------- series
@dataclass(frozen=True)
class Point:
    """One official day: the daily figure, the cumulative figure (either may be unknown), the file."""

    daily: int | None
    cumulative: int | None
    file: str | None
    parts: tuple[int, ...] = ()  # first, second dose when the figure adds them up


@dataclass
class Series:
    """A day-by-day official series for one area and one measure."""

    label: str  # "CoWIN district daily doses (first + second)"
    table: str
    points: dict[str, Point]

    def at(self, day: date | str) -> Point | None:
        return self.points.get(day if isinstance(day, str) else day.isoformat())

    @property
    def first(self) -> str | None:
        return min(self.points) if self.points else None

    @property
    def last(self) -> str | None:
        return max(self.points) if self.points else None

    def first_reaching(self, value: int, start: date, days: int) -> tuple[str, int] | None:
        """The first day in [start, start+days] whose cumulative is at least `value`."""
        for k in range(days + 1):
            p = self.at(start + timedelta(days=k))
            if p is not None and p.cumulative is not None and p.cumulative >= value:
                return (start + timedelta(days=k)).isoformat(), p.cumulative
        return None


class OfficialData:
    """Read access to the official tables of one SQLite connection, one series at a time (cached)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        self._cache: dict[tuple[Any, ...], Series] = {}

    def has(self, table: str) -> bool:
        return table in self._tables

    @property
    def empty(self) -> bool:
        return not any(
            self.has(t) and self.conn.execute(f"select 1 from [{t}] limit 1").fetchone()
            for t in ("official_district_daily", "official_state_daily")
        )

    def _rows(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def coverage(self, table: str) -> tuple[str | None, str | None]:
        if not self.has(table):
            return None, None
        lo, hi = self.conn.execute(f"select min(date), max(date) from [{table}]").fetchone()
        return lo, hi

    def doses(self, area: str, state: str, *, level: str, dose: int | None) -> Series:
        """Daily and cumulative doses (first, second or both) of a district or a state ("India": country)."""
        key = ("doses", area, state, level, dose)
        if key in self._cache:
            return self._cache[key]
        table = "official_district_daily" if level == "district" else "official_state_daily"
        rows: list[dict[str, Any]] = []
        if self.has(table):
            if level == "district":
                sql = f"select * from [{table}] where district = ? and state = ? order by date"
                rows = self._rows(sql, [area, state])
            else:
                rows = self._rows(f"select * from [{table}] where state = ? order by date", [area])
        points = {}
        for r in rows:
            d1, d2 = int(r["delta_vaccinated1"] or 0), int(r["delta_vaccinated2"] or 0)
            t1, t2 = int(r["total_vaccinated1"] or 0), int(r["total_vaccinated2"] or 0)
            if dose == 1:
                points[r["date"]] = Point(d1, t1, r["source_file"])
            elif dose == 2:
                points[r["date"]] = Point(d2, t2, r["source_file"])
            else:
                points[r["date"]] = Point(d1 + d2, t1 + t2, r["source_file"], (d1, d2))
        which = {1: "first doses", 2: "second doses"}.get(dose or 0, "doses (first + second)")
        series = Series(f"CoWIN {level} {which}", table, points)
        self._cache[key] = series
        return series

    def sites(self, area: str, state: str, *, level: str) -> Series:
        """Vaccination sites active each day (districts: CoWIN districtwise, to 2021-04-26; states: statewise)."""
        key = ("sites", area, state, level)
        if key in self._cache:
            return self._cache[key]
        points: dict[str, Point] = {}
        if level == "district" and self.has("official_district_sites"):
            sql = (
                "select date, sum(sites) as sites, min(source_file) as source_file from official_district_sites "
                "where district = ? and state = ? and sites is not null group by date order by date"
            )
            for r in self._rows(sql, [area, state]):
                points[r["date"]] = Point(int(r["sites"]), None, r["source_file"])
        elif level == "state" and self.has("official_state_cowin"):
            sql = "select date, sites, source_file from official_state_cowin where state = ? and sites is not null"
            for r in self._rows(sql, [area]):
                points[r["date"]] = Point(int(r["sites"]), None, r["source_file"])
        table = "official_district_sites" if level == "district" else "official_state_cowin"
        series = Series(f"CoWIN {level} vaccination sites", table, points)
        self._cache[key] = series
        return series

    def age_doses(self, state: str, columns: tuple[str, ...], *, individuals: bool) -> Series:
        """State-level doses (or first-dose individuals) of an age group; daily = difference of cumulatives."""
        key = ("age", state, columns, individuals)
        if key in self._cache:
            return self._cache[key]
        prefix = "individuals_" if individuals else "doses_"
        points: dict[str, Point] = {}
        if self.has("official_state_cowin"):
            cols = ", ".join(f"[{prefix}{c}]" for c in columns)
            sql = f"select date, source_file, {cols} from official_state_cowin where state = ? order by date"
            previous: tuple[str, int | None] | None = None
            for r in self._rows(sql, [state]):
                values = [r[f"{prefix}{c}"] for c in columns]
                cum = sum(values) if all(v is not None for v in values) else None
                daily = None
                if (
                    cum is not None
                    and previous is not None
                    and previous[1] is not None
                    and date.fromisoformat(previous[0]) == date.fromisoformat(r["date"]) - timedelta(days=1)
                ):
                    daily = cum - previous[1]
                points[r["date"]] = Point(daily, cum, r["source_file"])
                previous = (r["date"], cum)
        what = "first-dose individuals" if individuals else "doses"
        series = Series(f"CoWIN state {what} aged {'+'.join(columns)}", "official_state_cowin", points)
        self._cache[key] = series
        return series

    def sources(self) -> list[dict[str, Any]]:
        if not self.has("official_sources"):
            return []
        return self._rows("select * from official_sources order by file", [])
