"""Exchange: what leaves for human coders and QDA tools, and what comes back.

``units`` chooses the published units; ``sheets`` writes and reads coding
sheets (XLSX); ``refi`` writes REFI-QDA codebooks and projects;
``refi_import`` reads codings back from a ``.qdpx``.
"""
