"""Adapters: foreign data formats converted to fraudgraph's feed format (docs/feeds.md).

An adapter writes an ordinary feed directory, so a foreign data set goes through the same
validation, pseudonymisation and load as a participant's files.
"""
