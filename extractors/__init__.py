"""vaxnews extractors: one module per fact type of facts.md, and `extract(article)` running them all."""

from extractors.result import EXTRACTOR_VERSION, ExtractionResult, extract

__all__ = ["EXTRACTOR_VERSION", "ExtractionResult", "extract"]
