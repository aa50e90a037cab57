"""Asset checks that stand on their own (the per-fact checks run inside the `facts` asset, graph.py).

- `extraction_f1_at_or_above_floors` (blocking, on `facts`): the extractor's F1 per fact type and its
  accuracies on the bundled gold sets (tuning; all hand-made sets) must reach the floors the test suite
  uses (tests/quality_floors.json).
  When it fails, the run stops before `vaxnews_db`: a regressed extractor writes nothing.
- `failed_page_share_per_site` (on `vaxnews_db`): the share of each site's pages that ended `failed` stays
  under the threshold in assets/data/checks.toml; a site over it is named with its numbers.
"""

from pathlib import Path

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    Config,
    MetadataValue,
    asset_check,
)

from assets.graph import facts, vaxnews_db
from assets.quality import FLOORS, failed_shares, gold_quality, sites_over_threshold, thresholds
from assets.resources import DatabaseResource


class FloorsConfig(Config):
    floors_path: str = str(FLOORS)


@asset_check(
    asset=facts,
    blocking=True,
    description="Extraction F1 per fact type (and role/district/date accuracy) on the bundled gold sets "
    "(the tuning set, and all hand-made sets) at or above tests/quality_floors.json. Blocking: a "
    "failing extractor does not reach the database.",
)
def extraction_f1_at_or_above_floors(
    context: AssetCheckExecutionContext, config: FloorsConfig
) -> AssetCheckResult:
    path = Path(config.floors_path)
    if not path.exists():
        return AssetCheckResult(
            passed=True,
            severity=AssetCheckSeverity.WARN,
            metadata={"note": f"no floors file at {path} (installed without tests/): not checked"},
        )
    quality = gold_quality(path)
    rows = [
        f"| {name} | {key} | {quality.scores.get(name, {}).get(key, 0.0):.3f} | {floor:.3f} |"
        for name, floors in sorted(quality.floors.items())
        for key, floor in sorted(floors.items())
    ]
    return AssetCheckResult(
        passed=quality.passed,
        severity=AssetCheckSeverity.ERROR,
        metadata={
            **{
                f"{name}.{k}": v
                for name, scores in sorted(quality.scores.items())
                for k, v in sorted(scores.items())
            },
            "below_floor": ", ".join(sorted(quality.below)) or "none",
            "scores": MetadataValue.md(
                "| set | measure | score | floor |\n|---|---|---|---|\n" + "\n".join(rows)
            ),
        },
    )


@asset_check(
    asset=vaxnews_db,
    description="Share of each site's pages that ended `failed` below the threshold in assets/data/checks.toml.",
)
def failed_page_share_per_site(database: DatabaseResource) -> AssetCheckResult:
    limits = thresholds()["failed_pages"]
    with database.reader() as conn:
        shares = failed_shares(conn) if conn is not None else []
    over = sites_over_threshold(shares)
    table = "| site | failed | pages | share |\n|---|---|---|---|\n" + "\n".join(
        f"| {s.site} | {s.failed} | {s.total} | {s.share:.1%} |" for s in shares
    )
    return AssetCheckResult(
        passed=not over,
        severity=AssetCheckSeverity.WARN,
        metadata={
            "max_share": limits["max_share"],
            "sites_over": ", ".join(s.site for s in over) or "none",
            **{f"failed_share_{s.site}": round(s.share, 4) for s in shares},
            "shares": MetadataValue.md(table),
        },
    )


ALL_CHECKS = [extraction_f1_at_or_above_floors, failed_page_share_per_site]
