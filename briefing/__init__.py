"""Briefing: a static-site generator for a curated collection of news briefings."""

__version__ = "0.1.0"
