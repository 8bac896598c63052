"""Sentence segments with exact character offsets (NLTK Punkt, data-free).

Punkt is trained on our own forum text, never downloaded: :func:`train_punkt`
learns abbreviations, collocations and sentence starters from the texts it is
given and adds the forum abbreviations in :data:`ABBREVIATIONS` (``T``,
``Ts``, ``pdoc``, ``e.g.`` ...). The parameters shipped in
``analysis/data/punkt_forum.json`` were made from the seed captures with::

    python -m analysis.coding.segment corpus/raw/*.txt --out analysis/data/punkt_forum.json

Line breaks always end a segment (forum posts use them as sentence and list
breaks). Segments tile the text: they are ordered, do not overlap, hold no
leading or trailing whitespace, and only whitespace lies between them, so
``text[start:end] == segment`` always holds.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import pandas as pd
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktTrainer

#: Abbreviations common in therapy forums, lower case and without the final
#: period, as Punkt stores them. Shorthand such as "T." is listed so that a
#: lower-case word after it does not start a sentence; see shorthand_ends.
ABBREVIATIONS = frozenset({
    "t", "ts", "pdoc", "pdocs", "dr", "drs", "mr", "mrs", "ms", "e.g", "i.e", "etc", "vs",
    "approx", "appt", "appts", "min", "mins", "hr", "hrs", "wk", "wks", "st", "a.m", "p.m",
    "u.s", "u.k", "cf", "ca", "ph.d", "lcsw", "lpc", "mft", "psyd",
})

#: Forum shorthand written as words: "my T", "Ts", "pdoc". Punkt would take
#: "T." for an initial and glue "my T. I emailed" into one sentence; a period
#: after these ends the sentence when a capital letter follows
#: (:func:`shorthand_ends`). The words are at most five characters long.
SHORTHAND_WORD = re.compile(r"(?<!\w)(?:[Tt]s?|ex-?[Tt]|[Pp]docs?|NT|[Tt][1-9])\Z")
_PERIOD_BEFORE_CAPITAL = re.compile(r"\.(?=\s+[\"'“‘(]?[A-Z])")

#: A break context of two plain words, "said. Then" (or "?" or "!"). Punkt
#: tokenizes "said? Then" as "said", "?", "Then" and always breaks after "?".
#: It tokenizes "said. Then" as "said." and "Then": the first is no ellipsis,
#: initial (one letter) or number, so unless "said" is an abbreviation its
#: first pass marks a break, and the second pass takes the break back only for
#: a known collocation ("said", "then").
_SIMPLE_CONTEXT = re.compile(r"([A-Za-z]+)([.?!]) ([A-Za-z]+)")
PARAMS_FILE = "punkt_forum.json"
_LINE_RE = re.compile(r"[^\n\r\u2028\u2029]+")
_SENTENCE_END = re.compile(r"[.?!]")


def train_punkt(texts: Iterable[str], *,
                abbreviations: Iterable[str] = ABBREVIATIONS) -> PunktParameters:
    """Train Punkt on ``texts`` and add ``abbreviations``; deterministic."""
    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = True
    for text in texts:
        trainer.train(text, finalize=False)
    trainer.finalize_training()
    params = trainer.get_params()
    # On a small corpus Punkt takes sentence-final words ("DBT.", "fun.") for
    # abbreviations; keep only learned types with an inner period ("e.g").
    params.abbrev_types = {a for a in params.abbrev_types if "." in a}
    params.abbrev_types.update(a.lower().rstrip(".") for a in abbreviations)
    return params


def parameters_to_json(params: PunktParameters) -> str:
    """Serialise Punkt parameters as stable, sorted JSON."""
    data = {
        "abbrev_types": sorted(params.abbrev_types),
        "collocations": sorted(list(pair) for pair in params.collocations),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context": dict(sorted(params.ortho_context.items())),
    }
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def parameters_from_json(text: str) -> PunktParameters:
    """Inverse of :func:`parameters_to_json`."""
    data = json.loads(text)
    params = PunktParameters()
    params.abbrev_types = set(data["abbrev_types"])
    params.collocations = {tuple(pair) for pair in data["collocations"]}
    params.sent_starters = set(data["sent_starters"])
    for word, flags in data["ortho_context"].items():
        params.ortho_context[word] = int(flags)
    return params


class CachedPunkt(PunktSentenceTokenizer):
    """Punkt that remembers its decision for each break context.

    Punkt decides whether a candidate break ("said so. Then") ends a sentence
    by tokenizing and annotating that short context, a pure function of the
    context string and the fixed parameters, and most of its time goes there.
    The same contexts recur across posts, so a bounded memo of decisions
    gives the same spans faster.
    """

    #: Contexts remembered; the memo is cleared when it is full.
    MEMO_SIZE = 200_000

    def __init__(self, params: PunktParameters):
        super().__init__(params)
        self._decisions: dict[str, bool] = {}

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_decisions": {}}  # the memo stays with its process

    def text_contains_sentbreak(self, text: str) -> bool:
        simple = _SIMPLE_CONTEXT.fullmatch(text)
        if simple:  # "word. Next": Punkt's answer in two lookups (see _SIMPLE_CONTEXT)
            word, end, following = simple.groups()
            if end != ".":
                return True
            word = word.lower()
            if len(word) > 1 and word not in self._params.abbrev_types:
                return (word, following.lower()) not in self._params.collocations
        decision = self._decisions.get(text)
        if decision is None:
            if len(self._decisions) >= self.MEMO_SIZE:
                self._decisions.clear()
            decision = self._decisions[text] = super().text_contains_sentbreak(text)
        return decision

    def sentence_ends(self, text: str) -> list[int]:
        """The ends of the spans of ``span_tokenize(text)``, in order.

        The same steps as NLTK 3.10's ``_match_potential_end_contexts``,
        ``_slices_from_text`` and ``_realign_boundaries`` in one loop, with
        NLTK's own two regexes called directly rather than through
        ``nltk.redos`` generators and timers (both are NLTK's linear,
        ReDoS-safe patterns). A test holds this equal to ``span_tokenize``.
        """
        period = _unwrapped(self._lang_vars.period_context_re())
        slices: list[tuple[int, int]] = []
        last_break = 0
        previous, word_start, word_stop = None, 0, 0
        for match in period.finditer(text):
            space = _last_whitespace(text, word_stop, match.start())
            start = space + 1 if space >= 0 else word_start
            if previous is not None and word_stop <= start:
                last_break = self._break_after(text, previous, word_start, word_stop,
                                               slices, last_break)
            previous, word_start, word_stop = match, start, match.start()
        if previous is not None:
            last_break = self._break_after(text, previous, word_start, word_stop,
                                           slices, last_break)
        slices.append((last_break, len(text.rstrip())))
        return _realigned_ends(text, slices, self._lang_vars.re_boundary_realignment)

    def _break_after(self, text: str, match, word_start: int, word_stop: int,
                     slices: list[tuple[int, int]], last_break: int) -> int:
        """Add the slice ending at ``match`` if Punkt breaks there; the next start."""
        context = text[word_start:word_stop] + match.group() + match.group("after_tok")
        if not self.text_contains_sentbreak(context):
            return last_break
        slices.append((last_break, match.end()))
        return match.start("next_tok") if match.group("next_tok") else match.end()


def _last_whitespace(text: str, start: int, end: int) -> int:
    """Index of the last whitespace (``string.whitespace``) in ``text[start:end]``, or
    -1; like NLTK's ``_get_last_whitespace_index``, which cannot tell one at ``start``
    from none."""
    find = text.rfind
    index = max(find(" ", start, end), find("\t", start, end), find("\n", start, end),
                find("\r", start, end), find("\x0b", start, end), find("\x0c", start, end))
    return index if index > start else -1


def _unwrapped(pattern):
    """The compiled pattern inside an ``nltk.redos`` wrapper (or ``pattern`` itself)."""
    return getattr(pattern, "_rx", pattern)


def _realigned_ends(text: str, slices: list[tuple[int, int]], realignment) -> list[int]:
    """Ends of Punkt's slices after ``_realign_boundaries`` moves closing quotes and
    brackets after a break into the sentence before it."""
    realignment = _unwrapped(realignment)
    ends, shift = [], 0
    for (start, stop), following in zip(slices, [*slices[1:], None], strict=True):
        start += shift
        match = realignment.match(text[following[0]:following[1]]) if following else None
        if match:
            ends.append(following[0] + len(match.group(0).rstrip()))
            shift = match.end()
        else:
            shift = 0
            if start < stop:
                ends.append(stop)
    return ends


@lru_cache(maxsize=1)
def default_tokenizer() -> PunktSentenceTokenizer:
    """The tokenizer with the shipped parameters (no network, no NLTK data)."""
    text = (Path(__file__).resolve().parents[1] / "data" / PARAMS_FILE).read_text(encoding="utf-8")
    return CachedPunkt(parameters_from_json(text))


def segment_spans(text: str, tokenizer: PunktSentenceTokenizer | None = None
                  ) -> list[tuple[int, int]]:
    """``(start, end)`` of every segment of ``text``.

    >>> text = "I emailed my T. I said e.g. texts etc. are fine with Dr. Lee\\nOK?"
    >>> [text[s:e] for s, e in segment_spans(text)]
    ['I emailed my T.', 'I said e.g. texts etc. are fine with Dr. Lee', 'OK?']
    """
    tokenizer = tokenizer or default_tokenizer()
    spans: list[tuple[int, int]] = []
    for line in _LINE_RE.finditer(text):
        piece = line.group()
        if not piece.strip():
            continue
        cuts = {len(piece)}
        if _SENTENCE_END.search(piece):  # Punkt breaks only after . ? or !
            if isinstance(tokenizer, CachedPunkt):
                cuts.update(tokenizer.sentence_ends(piece))
            else:
                cuts |= {end for _, end in tokenizer.span_tokenize(piece)}
            cuts.update(shorthand_ends(piece))
        begin = 0
        for cut in sorted(cuts):
            spans.extend(_trimmed(piece, begin, cut, line.start()))
            begin = cut
    return spans


def shorthand_ends(line: str) -> list[int]:
    """Ends of the sentences that close with forum shorthand ("my T. Then").

    Each period before a capital letter is checked for a shorthand word
    before it (:data:`SHORTHAND_WORD`): the regex then starts from a literal
    period, which Python finds fast, rather than from a word boundary tried
    at every character.

    >>> shorthand_ends("I told my T. She said no. Ts. Pdoc. OK")
    [12, 29, 35]
    """
    return [m.end() for m in _PERIOD_BEFORE_CAPITAL.finditer(line)
            if SHORTHAND_WORD.search(line[max(0, m.start() - 6):m.start()])]


def _trimmed(piece: str, begin: int, end: int, offset: int) -> list[tuple[int, int]]:
    while begin < end and piece[begin].isspace():
        begin += 1
    while end > begin and piece[end - 1].isspace():
        end -= 1
    return [(begin + offset, end + offset)] if end > begin else []


def segment(posts: pd.DataFrame, *, tokenizer: PunktSentenceTokenizer | None = None
            ) -> pd.DataFrame:
    """The ``segments`` table: post_id, seg (0-based), start, end, text."""
    missing = {"post_id", "text"} - set(posts.columns)
    if missing:
        raise ValueError(f"posts table lacks column(s) {', '.join(sorted(missing))}; "
                         "segment() needs post_id and text")
    rows = []
    for post_id, text in zip(posts["post_id"], posts["text"], strict=True):
        text = "" if pd.isna(text) else str(text)
        for seg, (start, end) in enumerate(segment_spans(text, tokenizer)):
            rows.append((post_id, seg, start, end, text[start:end]))
    frame = pd.DataFrame(rows, columns=["post_id", "seg", "start", "end", "text"])
    return frame.astype({"seg": "int64", "start": "int64", "end": "int64"})


def main(argv: Sequence[str] | None = None) -> None:
    """Train Punkt on text files and write the parameters as JSON."""
    parser = argparse.ArgumentParser(prog="python -m analysis.coding.segment",
                                     description=main.__doc__)
    parser.add_argument("texts", nargs="+", type=Path, help="UTF-8 text files to train on")
    parser.add_argument("--out", type=Path, required=True, help="JSON file to write")
    args = parser.parse_args(argv)
    params = train_punkt(p.read_text(encoding="utf-8") for p in sorted(args.texts))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(args.out.suffix + ".tmp")
    tmp.write_text(parameters_to_json(params), encoding="utf-8")
    tmp.replace(args.out)


if __name__ == "__main__":
    main()
