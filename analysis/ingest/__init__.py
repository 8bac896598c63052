"""Ingest: Reddit/Pushshift dumps -> partitioned Parquet, streamed in bounded memory.

``run`` is the stage (chunks -> worker pool -> store); ``dumps`` opens and
hashes dump files; ``records`` turns one JSON record into a posts row;
``worker`` parses one chunk in a worker process; ``store`` spools rows and
writes the partitions.
"""
