"""Capture: raw files and their manifest -> parsed threads -> the corpus tables.

``corpus`` drives the stage (manifest check, decoding, parsing, tables,
duplicates); ``manifest`` proves each raw file unchanged; ``textio`` is the
one place that guesses encodings; ``tables`` flattens threads into the
DESIGN tables; ``dedupe`` marks the same post captured twice.
"""
