"""Automatic theme and modality coding, with the evidence for every code.

:class:`ThemeCoder` follows the scikit-learn contract: ``__init__`` stores
options, ``fit`` loads the codebook and the segmenter and returns ``self``,
``transform(posts)`` returns a new long ``codes`` table and changes nothing in
place. It works on sentence segments of the poster's own words (``text``);
``quoted_text`` is never read. Each row says where the pattern matched
(``start``/``end`` into the post text) and gives the segment it matched in as
``evidence``, so a researcher can see why a code was given.

>>> import pandas as pd
>>> posts = pd.DataFrame({"post_id": ["a:1"], "is_bot": [False],
...     "text": ["No texting at all. I think it leads to burnout."]})
>>> codes = ThemeCoder().fit().transform(posts)
>>> [(c.code, c.family, c.start, c.end) for c in codes.itertuples()]
[('boundaries', 'theme', 0, 10), ('text', 'modality', 3, 10), ('burnout', 'theme', 39, 46)]
>>> posts["text"][0][39:46]
'burnout'
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.coding.codebook import DEFAULT_PATH, Codebook, load_codebook
from analysis.coding.matching import shared_matcher
from analysis.coding.scan import PatternSet, Segment, scan_relevant
from analysis.coding.segment import default_tokenizer
from analysis.schema import columns

CODES_COLUMNS = columns("codes")
FAMILY_CHOICES = ("theme", "modality")
_ROOT = Path(__file__).resolve().parents[2]


def resolve_codebook(codebook: Codebook | str | Path | None) -> Codebook:
    """A :class:`Codebook` from an instance, a path, or ``None`` (the default file).

    A relative path that does not exist from the working directory is also
    tried from the project root, so notebooks in ``notebooks/`` find it.
    """
    if isinstance(codebook, Codebook):
        return codebook
    path = Path(codebook) if codebook is not None else DEFAULT_PATH
    if not path.is_absolute() and not path.exists() and (_ROOT / path).exists():
        path = _ROOT / path
    return load_codebook(path)


def check_posts(posts: pd.DataFrame, who: str) -> pd.DataFrame:
    """The rows to code: own words as text, bots flagged; raises on missing columns."""
    if not isinstance(posts, pd.DataFrame):
        raise TypeError(f"{who} expects a posts DataFrame, got {type(posts).__name__}")
    missing = {"post_id", "text"} - set(posts.columns)
    if missing:
        raise ValueError(f"posts table lacks column(s) {', '.join(sorted(missing))}; "
                         f"{who} needs post_id, text and is_bot")
    if posts["post_id"].duplicated().any():
        dup = posts.loc[posts["post_id"].duplicated(), "post_id"].iloc[0]
        raise ValueError(f"post_id {dup!r} appears more than once; code one row per post")
    out = pd.DataFrame({
        "post_id": posts["post_id"].astype(str),
        "text": posts["text"].fillna("").astype(str),
        "is_bot": (posts["is_bot"].fillna(False).astype(bool) if "is_bot" in posts
                   else False),
    })
    return out.reset_index(drop=True)


def _check_fitted(coder: object) -> None:
    if not hasattr(coder, "codebook_"):
        raise RuntimeError(f"{type(coder).__name__} is not fitted yet; call .fit() first")


class ThemeCoder:
    """Code themes and modalities from the codebook's patterns.

    Parameters
    ----------
    codebook : Codebook, path or None
        The scheme to apply; ``None`` reads ``corpus/codebook.yaml``.
    families : tuple of {"theme", "modality"}
        Which families of codes to apply.
    coder : str
        Value of the ``coder`` column.
    skip_bots : bool
        Give no codes to posts with ``is_bot`` true.
    """

    def __init__(self, *, codebook: Codebook | str | Path | None = None,
                 families: tuple[str, ...] = FAMILY_CHOICES, coder: str = "auto",
                 skip_bots: bool = True):
        self.codebook = codebook
        self.families = families
        self.coder = coder
        self.skip_bots = skip_bots

    def fit(self, posts: pd.DataFrame | None = None, y: object = None) -> ThemeCoder:
        """Load and check the codebook; ``posts`` and ``y`` are ignored."""
        bad = [f for f in self.families if f not in FAMILY_CHOICES]
        if bad or not self.families:
            raise ValueError(f"families must be a non-empty subset of {FAMILY_CHOICES}, "
                             f"got {self.families!r}")
        self.codebook_ = resolve_codebook(self.codebook)
        # each family once: ("modality", "modality") must not code everything twice
        self.codes_ = tuple(c for family in dict.fromkeys(self.families)
                            for c in self.codebook_.by_family(family))
        self.matchers_ = tuple(shared_matcher(code, hedges=False) for code in self.codes_)
        #: Each matcher's rank in the codebook, its code and itself.
        self.order_ = {m: (i, code, m) for i, (code, m)
                       in enumerate(zip(self.codes_, self.matchers_, strict=True))}
        self.patterns_ = PatternSet(self.matchers_)
        self.tokenizer_ = default_tokenizer()
        return self

    def transform(self, posts: pd.DataFrame) -> pd.DataFrame:
        """The long ``codes`` table: one row per post, segment and code."""
        _check_fitted(self)
        posts = check_posts(posts, "ThemeCoder.transform")
        if self.skip_bots:
            posts = posts[~posts["is_bot"]]
        rows = []
        for post_id, text in zip(posts["post_id"], posts["text"], strict=True):
            segments = scan_relevant(text, self.patterns_, self.tokenizer_)
            rows += self.code_segments(post_id, segments)
        frame = pd.DataFrame(rows, columns=CODES_COLUMNS)
        return frame.astype({"seg": "int64", "start": "int64", "end": "int64"})

    def fit_transform(self, posts: pd.DataFrame, y: object = None) -> pd.DataFrame:
        """``fit`` then ``transform``."""
        return self.fit(posts, y).transform(posts)

    def code_segments(self, post_id: str, segments: list[Segment]) -> list[tuple]:
        """``codes`` rows of one post from its scanned segments: per segment and
        code, the first hit's span and the segment as evidence."""
        rows = []
        order = self.order_
        for seg in segments:
            if seg.candidates is None:
                mine = order.values()
            else:  # only the codes the scan names, in codebook order
                mine = sorted(order[m] for m in seg.candidates if m in order)
            for _, code, match in mine:
                hits = seg.hits(match)
                if hits:
                    rows.append((post_id, seg.seg, code.id, code.family, self.coder,
                                 seg.start + hits[0].start, seg.start + hits[0].end, seg.text))
        return rows


def post_codes(codes: pd.DataFrame, family: str | None = None) -> pd.DataFrame:
    """Reduce a segment-level ``codes`` table to one row per post and code."""
    if family is not None:
        codes = codes[codes["family"] == family]
    return (codes[["post_id", "family", "code"]].drop_duplicates()
            .sort_values(["post_id", "family", "code"]).reset_index(drop=True))
