"""Regenerate `pipeline/data/districts.csv` from the official data plus the curated columns.

How the gazetteer's district table is made (run from the project root):

    .venv/bin/python scripts/build_gazetteer.py            # merge into the committed CSV in place
    .venv/bin/python scripts/build_gazetteer.py --seed X   # take the curated columns from CSV X instead

Inputs (read-only, only needed here, never at run time):
- `../shared/official/covid19india_v4_district_vaccination_2021.csv`: the 719 (state, district) pairs that
  the official figures use. Every pair gets exactly one row; nothing else gets a row.
- `../shared/official/lgd_districts_2020-11-28_with_hindi.csv`: its English LGD names and its Devanagari
  local names (MP, CG, Bihar, Jharkhand, Maharashtra) are added as aliases. LGD districts that the
  covid19india data does not have (Delhi's 11 districts, Niwari, Mumbai Suburban, three new Mizoram
  districts) are mapped onto the district whose figures include them (`_LGD_PARENT`).
- the curated columns `hindi`, `aliases`, `context_only` of the seed CSV (by default the committed
  `districts.csv` itself, so hand edits survive a re-run).

The merge is idempotent. It fails when two districts of one state would share a name key (after
`pipeline.text.fold`); keys shared across states (Bilaspur CG/HP, रायगढ़ CG/MH …) are printed and left
to the state priority in `states.csv`.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.text import fold  # noqa: E402

OFFICIAL = ROOT.parent / "shared" / "official"
V4 = OFFICIAL / "covid19india_v4_district_vaccination_2021.csv"
LGD = OFFICIAL / "lgd_districts_2020-11-28_with_hindi.csv"
OUT = ROOT / "pipeline" / "data" / "districts.csv"
COLUMNS = ["district", "state", "state_code", "hindi", "aliases", "context_only"]

# LGD districts without a covid19india counterpart -> the covid19india district that reports them.
_LGD_PARENT = {
    ("MP", "NIWARI"): "Tikamgarh",  # carved out of Tikamgarh in 2018
    ("MH", "MUMBAI SUBURBAN"): "Mumbai",
    ("MZ", "HNAHTHIAL"): "Lunglei",
    ("MZ", "KHAWZAWL"): "Champhai",
    ("MZ", "SAITUAL"): "Aizawl",
}
_DEVANAGARI = re.compile("[\u0900-\u097f]")


def official_pairs() -> dict[tuple[str, str], str]:
    """(state_code, district) -> state, for every pair in the official v4 file."""
    pairs: dict[tuple[str, str], str] = {}
    with V4.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            pairs[(row["state_code"], row["district"])] = row["state"]
    return pairs


def _english_alias(state_code: str, name: str) -> str:
    """LGD English names are upper case; Delhi's are bare compass points ("NORTH"), which need the city."""
    titled = " ".join(w.capitalize() if w.isupper() or w.islower() else w for w in name.split())
    if state_code == "DL" and titled.lower() not in {"new delhi", "shahdara"}:
        return f"{titled} Delhi"
    return titled


def lgd_aliases() -> dict[tuple[str, str], list[str]]:
    """(state_code, covid19india district) -> aliases taken from the LGD list."""
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    with LGD.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["covid19india_state_code"]
            english = row["District Name (In English)"].strip()
            target = row["covid19india_district"].strip()
            if not target:
                target = "Delhi" if code == "DL" else _LGD_PARENT.get((code, english.upper()), "")
            if not target:
                raise SystemExit(f"LGD district without a parent: {code} {english}")
            out[(code, target)].append(_english_alias(code, english))
            local = row["District Name(In Local)"].strip()
            if _DEVANAGARI.search(local):
                out[(code, target)].append(re.sub(r"\s+", " ", local))
    return out


def read_seed(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {(r["state_code"], r["district"]): r for r in csv.DictReader(fh)}


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def merge(seed: dict[tuple[str, str], dict[str, str]]) -> list[dict[str, str]]:
    pairs = official_pairs()
    unknown = sorted(set(seed) - set(pairs))
    if unknown:
        raise SystemExit(f"seed rows not in the official data: {unknown}")
    lgd = lgd_aliases()
    rows = []
    for (code, district), state in sorted(pairs.items()):
        cur = seed.get((code, district), {})
        hindi = (cur.get("hindi") or "").strip()
        seen = {fold(district), fold(hindi)} - {""}
        aliases = []
        for alias in _split(cur.get("aliases")) + lgd.get((code, district), []):
            key = fold(alias)
            if key and key not in seen:
                seen.add(key)
                aliases.append(alias)
        rows.append(
            {
                "district": district,
                "state": state,
                "state_code": code,
                "hindi": hindi,
                "aliases": "|".join(aliases),
                "context_only": "|".join(_split(cur.get("context_only"))),
            }
        )
    return rows


def check(rows: list[dict[str, str]]) -> None:
    """Fail on a name key shared inside one state; list keys shared across states."""
    owners: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in rows:
        for name in [r["district"], r["hindi"], *_split(r["aliases"])]:
            if name:
                owners[fold(name)].add((r["state_code"], r["district"]))
    for key, who in sorted(owners.items()):
        if len(who) > 1:
            codes = [c for c, _ in who]
            if len(set(codes)) < len(codes):
                raise SystemExit(f"name {key!r} shared inside one state: {sorted(who)}")
            print(f"shared across states: {key!r} {sorted(who)}", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--seed", type=Path, default=OUT, help="CSV with the curated columns (default: the output)"
    )
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    rows = merge(read_seed(args.seed))
    check(rows)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
