"""Extraction: a document file → tasks, clauses, mentions, resolved agencies, groups, domains."""
