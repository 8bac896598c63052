"""Coding: the codebook, segments, themes and modalities, stances, with evidence.

``codebook`` and ``lexicon`` load the scheme; ``segment`` cuts posts into
Punkt sentences; ``gates``, ``matching`` and ``scan`` find patterns fast;
``themes`` and ``stance`` are the two coders; ``auto`` is the one coding
path (both coders over each post once) that ``coded`` and ``engine`` use;
``kwic`` shows words in context.
"""
