"""Translation memory: the in-process and SQLite-indexed memory (``store``) and TMX exchange (``tmx``)."""
