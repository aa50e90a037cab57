"""vaxnews Dagster project: thin assets over pipeline.api (see assets.definitions)."""
