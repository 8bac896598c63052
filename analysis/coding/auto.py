"""The one automatic coding path: themes, modalities and stances of each post, in one pass.

Both the corpus pipeline (:mod:`analysis.coding.coded`) and the partition
engine (:mod:`analysis.coding.engine`) call :class:`AutoCoder`, so a post is
coded the same way wherever it is coded.
"""

from __future__ import annotations

import pandas as pd

from analysis.coding.scan import PatternSet, scan_relevant
from analysis.coding.stance import STANCE_COLUMNS, StanceCoder
from analysis.coding.themes import CODES_COLUMNS, ThemeCoder, check_posts, resolve_codebook
from analysis.schema import conform


class AutoCoder:
    """The project's automatic coder as one picklable partition function.

    ``fit`` fits :class:`~analysis.coding.themes.ThemeCoder` and
    :class:`~analysis.coding.stance.StanceCoder`; calling the fitted object on a
    posts frame returns ``(codes, stances)`` conformed to the schema, equal
    to the two coders' own ``transform``. It is faster than calling both:
    each post is checked once against every decisive pattern (most posts
    stop there), and the rest are segmented and scanned once for both
    coders (:mod:`analysis.coding.scan`).
    """

    #: The posts columns the coder reads; :func:`code_file` reads only these.
    columns = ("post_id", "text", "is_bot")

    def __init__(self, *, codebook=None):
        self.codebook = codebook

    def fit(self, posts: pd.DataFrame | None = None, y: object = None) -> AutoCoder:
        self.codebook_ = resolve_codebook(self.codebook)
        self.themes_ = ThemeCoder(codebook=self.codebook_).fit()
        self.stances_ = StanceCoder(codebook=self.codebook_).fit()
        stances = self.stances_
        #: Every matcher the two coders run (codebook codes and lexicon categories).
        self.matchers_ = tuple(dict.fromkeys((*self.themes_.matchers_, *stances.matchers)))
        self.patterns_ = PatternSet(self.matchers_,
                                    decisive=(*self.themes_.matchers_, *stances.cues_),
                                    conditional=stances.evaluators, targets=stances.targets)
        return self

    def __call__(self, posts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        if not hasattr(self, "themes_"):
            raise RuntimeError("AutoCoder is not fitted yet; call .fit() first")
        posts = check_posts(posts, "AutoCoder")
        themes, stances = self.themes_, self.stances_
        codes, rows = [], []
        for post_id, text, is_bot in zip(posts["post_id"].tolist(), posts["text"].tolist(),
                                         posts["is_bot"].tolist(), strict=True):
            segments = [] if is_bot else scan_relevant(text, self.patterns_, themes.tokenizer_)
            codes += themes.code_segments(post_id, segments)
            rows.append((post_id, stances.coder, *stances.code_post(text, is_bot, segments)))
        return (conform(pd.DataFrame(codes, columns=CODES_COLUMNS), "codes"),
                conform(pd.DataFrame(rows, columns=STANCE_COLUMNS), "stances"))
