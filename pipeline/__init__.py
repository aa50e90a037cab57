"""vaxnews: pipeline."""
