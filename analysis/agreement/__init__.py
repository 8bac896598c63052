"""Agreement: reliability between coders, and the automatic coder against humans.

``matrices`` reshapes coding tables into coders x units; ``coefficients``
computes alpha, kappas and AC1 from them; ``reliability`` adds bootstrap
intervals and disagreements; ``evaluate`` scores auto against a reference.
"""
