"""Loaders of the covid19india official files, the bundled slice and its manifest, the series queries,
and the shape of pipeline/data/verification.toml."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from pipeline import store
from pipeline.config import SHARED, Settings
from pipeline.official import (
    BUNDLED_DIR,
    FORMATS,
    FormatError,
    OfficialData,
    bundled_database,
    detect_format,
    ensure_tables,
    load_file,
    load_official,
    load_path,
    read_manifest,
    resolve_state,
    write_slice,
)
from pipeline.verify import vocab

OFFICIAL = SHARED / "official"
VAXNEWS = [str(Path(sys.executable).with_name("vaxnews"))]

V4_DISTRICT = (
    "date,state_code,state,district,total_vaccinated1,total_vaccinated2,delta_vaccinated1,delta_vaccinated2"
)
V4_STATE = "date,state_code,state,total_vaccinated1,total_vaccinated2,delta_vaccinated1,delta_vaccinated2,meta_vaccinated_date"
COWIN = (
    "date,state_code,state,district_key,cowin_key,district,total_individuals_registered,total_individuals_vaccinated,"
    "sessions,sites,first_dose_administered,second_dose_administered,male_individuals_vaccinated,"
    "female_individuals_vaccinated,transgender_individuals_vaccinated,covaxin_doses_administered,"
    "covishield_doses_administered"
)
STATEWISE = (
    "Updated On,State,Total Doses Administered,Sessions,Sites,First Dose Administered,Second Dose Administered,"
    "Male (Doses Administered),Female (Doses Administered),Transgender (Doses Administered),Covaxin (Doses Administered),"
    "CoviShield (Doses Administered),Sputnik V (Doses Administered),AEFI,18-44 Years (Doses Administered),"
    "45-60 Years (Doses Administered),60+ Years (Doses Administered),18-44 Years (Individuals Vaccinated),"
    "45-60 Years (Individuals Vaccinated),60+ Years (Individuals Vaccinated),Male (Individuals Vaccinated),"
    "Female (Individuals Vaccinated),Transgender (Individuals Vaccinated)"
)
LGD = "S.No.,State Code,State Name (In English),District Code,District Version,District Name (In English)"


def write(path: Path, header: str, *rows: str) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def db(tmp_path: Path):
    return store.connect(tmp_path / "o.db")


# ---------------------------------------------------------------------------- formats
@pytest.mark.parametrize(
    ("header", "fmt"),
    [
        (V4_DISTRICT, "v4_district"),
        (V4_STATE, "v4_state"),
        (COWIN, "cowin_district"),
        (STATEWISE, "statewise"),
    ],
)
def test_formats_are_detected_from_the_header(header: str, fmt: str) -> None:
    assert detect_format(next(csv.reader([header]))).name == fmt


@pytest.mark.parametrize("header", [LGD, "date,district,doses", "", "Updated On,State"])
def test_other_files_are_refused_with_the_known_formats(header: str) -> None:
    with pytest.raises(FormatError, match="v4_district"):
        detect_format(next(csv.reader([header])) if header else [])


# ---------------------------------------------------------------------------- the bundled slice
def test_manifest_describes_every_bundled_file() -> None:
    manifest = read_manifest(BUNDLED_DIR)
    assert manifest is not None and manifest["source"] and "CC BY" in manifest["licence"]
    names = [e["name"] for e in manifest["file"]]
    assert len(names) == len(set(names))
    assert sorted(names) == sorted(p.name for p in BUNDLED_DIR.glob("*.csv"))
    for entry in manifest["file"]:
        assert set(entry) == {"name", "format", "upstream", "states", "date_from", "date_to"}
        assert entry["format"] in FORMATS
        assert date.fromisoformat(entry["date_from"]) <= date.fromisoformat(entry["date_to"])
        assert entry["upstream"].split(" ")[0].startswith("covid19india_")
        with open(BUNDLED_DIR / entry["name"], encoding="utf-8") as fh:
            assert detect_format(next(csv.reader(fh))).name == entry["format"]


def test_default_official_csv_brings_the_whole_slice(db) -> None:
    n = load_official(db, Settings().official_csv)
    sources = {r["file"]: r for r in db.table("official_sources").rows}
    assert set(sources) == {p.name for p in BUNDLED_DIR.glob("*.csv")}
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) - 1 for p in BUNDLED_DIR.glob("*.csv"))
    assert n == lines == sum(r["rows"] for r in sources.values())
    daily = sources["mp_district_daily_2021-04_2021-07.csv"]
    assert (daily["format"], daily["table_name"], daily["date_from"], daily["date_to"]) == (
        "v4_district",
        "official_district_daily",
        "2021-03-25",
        "2021-07-31",
    )
    assert "covid19india" in daily["source"] and "CC BY" in daily["licence"] and len(daily["sha256"]) == 64
    assert "cd4efc52" in daily["upstream"]
    states = {r[0] for r in db.execute("select distinct state from official_district_daily")}
    assert states == {"Madhya Pradesh", "Chhattisgarh"}


def test_loading_twice_changes_nothing(db) -> None:
    load_official(db, BUNDLED_DIR)
    tables = (
        "official_district_daily",
        "official_state_daily",
        "official_district_sites",
        "official_state_cowin",
    )
    before = {t: sorted(db.execute(f"select * from {t}").fetchall()) for t in (*tables, "official_sources")}
    load_official(db, BUNDLED_DIR)
    assert {t: sorted(db.execute(f"select * from {t}").fetchall()) for t in before} == before


def test_a_database_of_the_first_loader_is_upgraded(db, tmp_path: Path) -> None:
    db.table("official_district_daily").create(
        {
            "district": str,
            "state": str,
            "date": str,
            "total_vaccinated1": int,
            "total_vaccinated2": int,
            "delta_vaccinated1": int,
            "delta_vaccinated2": int,
            "source_file": str,
        },
        pk=("district", "state", "date"),
    )
    db.table("official_sources").create({"file": str, "source": str, "rows": int}, pk="file")
    path = write(
        tmp_path / "d.csv", V4_DISTRICT, "2021-06-03,MP,Madhya Pradesh,Jabalpur,556371,111988,21721,788"
    )
    load_file(db, path)
    row = next(db.table("official_district_daily").rows)
    assert row["state_code"] == "MP" and row["delta_vaccinated1"] == 21721
    assert next(db.table("official_sources").rows)["format"] == "v4_district"


# ---------------------------------------------------------------------------- each format
def test_v4_district_rows(db, tmp_path: Path) -> None:
    path = write(
        tmp_path / "v4.csv",
        V4_DISTRICT,
        "2021-06-03,MP,Madhya Pradesh,Jabalpur,556371,111988,21721,788",
        "2021-03-28,MP,Madhya Pradesh,Harda,14342.0,3002,,",  # blank delta = 0; 14342.0 = 14342
        "2021-06-03,CT,Chhattisgarh,Bilaspur,1000,10,5,1",
        "2021-06-03,HP,Himachal Pradesh,Bilaspur,2000,20,6,2",
        "2021-06-03,XX,Atlantis,Poseidonia,1,1,1,1",
    )
    result = load_file(db, path)
    assert (result.format, result.rows, result.unmatched) == ("v4_district", 4, ["Poseidonia (Atlantis)"])
    rows = {(r["district"], r["state"]): r for r in db.table("official_district_daily").rows}
    assert rows[("Harda", "Madhya Pradesh")]["total_vaccinated1"] == 14342
    assert rows[("Harda", "Madhya Pradesh")]["delta_vaccinated1"] == 0
    assert rows[("Bilaspur", "Chhattisgarh")]["state_code"] == "CT"
    assert rows[("Bilaspur", "Himachal Pradesh")]["delta_vaccinated2"] == 2


def test_cowin_sites_rows_are_matched_through_the_gazetteer(db, tmp_path: Path) -> None:
    path = write(
        tmp_path / "cowin.csv",
        COWIN,
        "2021-04-14,DL,Delhi,DL_New Delhi,New Delhi,New Delhi,,1000,400,20,1000,100,500,500,0,10,1090",
        "2021-04-14,DL,Delhi,DL_South Delhi,South Delhi,South Delhi,,2000,600,35,2000,200,1000,1000,0,20,2180",
        "2021-04-14,MP,Madhya Pradesh,MP_Jabalpur,Jabalpur,Jabalpur,,316072,39720,209,316072,31799,167665,148355,52,78306,269565",
    )
    assert load_file(db, path).rows == 3
    raw = {r["district_raw"]: r["district"] for r in db.table("official_district_sites").rows}
    assert raw == {"New Delhi": "Delhi", "South Delhi": "Delhi", "Jabalpur": "Jabalpur"}
    data = OfficialData(db.conn)
    assert data.sites("Delhi", "Delhi", level="district").at("2021-04-14").daily == 55  # summed
    assert data.sites("Jabalpur", "Madhya Pradesh", level="district").at("2021-04-14").daily == 209


def test_v4_state_and_statewise_rows(db, tmp_path: Path) -> None:
    write(
        tmp_path / "state.csv",
        V4_STATE,
        "2021-06-03,MP,Madhya Pradesh,10041226,1812268,363369,10911,2021-06-03",
        "2021-06-03,TT,India,180000000,44000000,2820937,244818,2021-06-03",
    )
    write(
        tmp_path / "statewise.csv",
        STATEWISE,
        "02/06/2021,Madhya Pradesh,11481427,538296,2794,9680087,1801340,,,,1181438,10299989,0,562,,,,2773930,3798205,3105346,5329622,4348903,1562",
        "03/06/2021,Madhya Pradesh,11853494,753961,3064,10041226,1812268,,,,1410736,10442758,0,564,,,,3105447,3822099,3110724,5550998,4488574,1654",
        "03/06/2021,India,1.0E3,1,1,1,1,,,,,,,,,,,,,,,,",
    )
    results = load_path(db, tmp_path)
    assert sorted((r.format, r.rows) for r in results) == [("statewise", 3), ("v4_state", 2)]
    row = db.execute(
        "select state_code, date, sites, doses_18_44, individuals_18_44 from official_state_cowin where state = 'Madhya Pradesh' and date = '2021-06-03'"
    ).fetchone()
    assert row == ("MP", "2021-06-03", 3064, None, 3105447)  # blank stays unknown (NULL), not 0
    assert db.execute("select state_code from official_state_cowin where state = 'India'").fetchone() == (
        "TT",
    )
    data = OfficialData(db.conn)
    age = data.age_doses("Madhya Pradesh", ("18_44",), individuals=True)
    assert age.at("2021-06-03").daily == 3105447 - 2773930 and age.at("2021-06-02").daily is None
    assert data.doses("India", "India", level="state", dose=None).at("2021-06-03").daily == 2820937 + 244818


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Madhya Pradesh", ("Madhya Pradesh", "MP")),
        ("मध्यप्रदेश", ("Madhya Pradesh", "MP")),
        ("म.प्र.", ("Madhya Pradesh", "MP")),
        ("Chhattisgarh", ("Chhattisgarh", "CT")),
        ("छत्तीसगढ़", ("Chhattisgarh", "CT")),
        ("India", ("India", "TT")),
        ("भारत", ("India", "TT")),
        ("Atlantis", None),
    ],
)
def test_state_names(name: str, expected: tuple[str, str] | None) -> None:
    assert resolve_state(name) == expected


def test_missing_and_foreign_files(db, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_official(db, tmp_path / "nope.csv")
    with pytest.raises(FormatError):
        load_file(db, write(tmp_path / "lgd.csv", LGD, "1,35,X,603,1,NICOBARS"))
    empty = tmp_path / "empty"
    empty.mkdir()
    write(empty / "lgd.csv", LGD, "1,35,X,603,1,NICOBARS")
    with pytest.raises(FormatError, match="no covid19india"):
        load_path(db, empty)


# ---------------------------------------------------------------------------- series
def test_series_of_the_bundled_slice() -> None:
    data = OfficialData(bundled_database())
    jbp = data.doses("Jabalpur", "Madhya Pradesh", level="district", dose=None)
    p = jbp.at("2021-06-03")
    assert (p.daily, p.parts, p.cumulative) == (22509, (21721, 788), 556371 + 111988)
    assert jbp.first_reaching(360075, date(2021, 4, 14), 7) == ("2021-04-16", 360725)
    assert jbp.first_reaching(10**7, date(2021, 4, 14), 7) is None
    assert (jbp.first, jbp.last) == ("2021-03-25", "2021-07-31")
    assert data.doses("Jabalpur", "Madhya Pradesh", level="district", dose=2).at("2021-04-14").daily == 1473
    sites = data.sites("Jabalpur", "Madhya Pradesh", level="district")
    assert sites.at("2021-04-14").daily == 209 and sites.last == "2021-04-26"
    assert data.doses("Varanasi", "Uttar Pradesh", level="district", dose=None).points == {}
    assert not data.empty and OfficialData(sqlite3.connect(":memory:")).empty


# ---------------------------------------------------------------------------- the full files
@pytest.mark.shared
@pytest.mark.skipif(not OFFICIAL.exists(), reason="../shared/official is not beside the project")
def test_the_slice_is_exactly_the_upstream_rows(tmp_path: Path) -> None:
    for path in write_slice(OFFICIAL, tmp_path):
        assert path.read_bytes() == (BUNDLED_DIR / path.name).read_bytes(), path.name


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*VAXNEWS, *args], capture_output=True, text=True, timeout=300)


def test_official_load_command_on_the_bundled_directory(tmp_path: Path) -> None:
    dbp = str(tmp_path / "cli.db")
    proc = cli("official", "load", str(BUNDLED_DIR), "--db", dbp)
    assert proc.returncode == 0, proc.stderr
    for fmt, table in (("v4_district", "official_district_daily"), ("statewise", "official_state_cowin")):
        assert f"of {fmt} from" in proc.stdout and table in proc.stdout
    assert (
        "cowin_district from mp_cowin_sites_2021-04.csv" in proc.stdout
        and "2021-04-01 to 2021-04-26" in proc.stdout
    )
    conn = sqlite3.connect(dbp)
    sites = (
        "select sum(sites) from official_district_sites where district = 'Jabalpur' and date = '2021-04-14'"
    )
    assert conn.execute(sites).fetchone() == (209,)
    listed = cli("official", "sources", "--db", dbp)
    assert "state_daily_2021-04_2021-07.csv" in listed.stdout and "licence: CC BY" in listed.stdout


@pytest.mark.shared
@pytest.mark.skipif(not OFFICIAL.exists(), reason="../shared/official is not beside the project")
def test_official_load_command_detects_the_format(tmp_path: Path) -> None:
    dbp = str(tmp_path / "cli.db")
    proc = cli("official", "load", str(OFFICIAL / "covid19india_v4_state_vaccination_2021.csv"), "--db", dbp)
    assert proc.returncode == 0, proc.stderr
    assert "v4_state" in proc.stdout and "official_state_daily" in proc.stdout
    assert "2021-01-16 to 2021-10-24" in proc.stdout
    conn = sqlite3.connect(dbp)
    mp = "select delta_vaccinated1 + delta_vaccinated2 from official_state_daily where state_code = 'MP' and date = '2021-06-03'"
    assert conn.execute(mp).fetchone() == (374280,)
    bad = cli("official", "load", str(OFFICIAL / "lgd_districts_2020-11-28_with_hindi.csv"), "--db", dbp)
    assert bad.returncode == 2 and "not a covid19india" in bad.stderr


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.skipif(not OFFICIAL.exists(), reason="../shared/official is not beside the project")
def test_the_full_v4_district_file_loads_every_district(tmp_path: Path) -> None:
    db = store.connect(tmp_path / "full.db")
    result = load_file(db, OFFICIAL / "covid19india_v4_district_vaccination_2021.csv")
    with open(OFFICIAL / "covid19india_v4_district_vaccination_2021.csv", encoding="utf-8") as fh:
        lines = sum(1 for _ in fh) - 1
    assert (result.rows, result.unmatched) == (lines, [])
    data = OfficialData(db.conn)
    assert (
        data.doses("Jabalpur", "Madhya Pradesh", level="district", dose=None).at("2021-06-03").daily == 22509
    )
    assert data.doses("Varanasi", "Uttar Pradesh", level="district", dose=None).at("2021-07-14") is not None


# ---------------------------------------------------------------------------- data file
def test_verification_data_file_shape() -> None:
    v = vocab()
    assert set(v) == {"place", "target", "age_groups", "late_uploads"}
    words = [w for key in ("state", "country", "filler") for w in v["place"][key]]
    assert len(words) == len(set(words)), "a word in two place lists"
    assert all(w.strip() == w and w for w in words)
    assert 0 < v["target"]["margin"] <= 2
    columns = {"18_44", "45_60", "60_plus"}
    for group, cols in v["age_groups"].items():
        assert group[0].isdigit() and (group.endswith("+") or "-" in group)
        assert cols and set(cols) <= columns and len(cols) == len(set(cols))
    late = v["late_uploads"]
    assert 1 <= late["plausible_days"] <= late["lookahead_days"] <= 14
    assert 0 not in late["neighbours"] and len(set(late["neighbours"])) == len(late["neighbours"])
    assert max(late["neighbours"]) >= 2, "the 14 April case needs two days after the event"


def test_ensure_tables_is_idempotent(db) -> None:
    ensure_tables(db)
    ensure_tables(db)
    assert {
        "official_district_daily",
        "official_state_daily",
        "official_district_sites",
        "official_state_cowin",
        "official_sources",
    } <= set(db.table_names())
