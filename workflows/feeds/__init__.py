"""Vacancy feed adapters: each turns one fetched document into normalised FeedEntry records.

Importing the package registers every adapter in `workflows.feeds.base.PARSERS`.
"""

from workflows.feeds import jsonld, partner, reliefweb, rss, uncareers

__all__ = ["jsonld", "partner", "reliefweb", "rss", "uncareers"]
