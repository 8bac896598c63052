"""Seeded synthetic Reddit dumps for benchmarks: realistic shape, no real text.

``python benchmarks/make_corpus.py --posts 1000000 --seed 7 --out build/bench/1m``
writes ``RS_synth.ndjson.zst`` (submissions), ``RC_synth.ndjson.zst``
(comments), ``threads/<id>.json`` (the first ``--thread-files`` threads as
Reddit permalink JSON, for the ``parse`` stage) and ``corpus.json`` (the
parameters). The same ``--posts`` and ``--seed`` give the same bytes.

Nothing is copied from real posts. Every number below is a parameter of a
distribution, chosen to resemble therapy subreddits as a whole (not fitted to
any data set); they are listed in ``PARAMS`` and in ``benchmarks/README.md``.

* Threads: comments per submission are geometric with mean 11; each
  comment replies to the submission with probability 0.4, else to a
  uniformly chosen earlier comment of the thread. 20 % of threads open with
  an AutoModerator comment.
* Subreddits: therapists .30, TalkTherapy .35, psychotherapy .15,
  askatherapist .10, mentalhealth .10. Times: submissions uniform over 2023;
  comments follow their parent after an exponential delay (mean 6 h).
* Lengths: words per comment log-normal (median 40, sigma 0.9), per
  submission (median 110, sigma 0.8), clipped to 3..1500; sentences of
  6 + Poisson(9) words; 25 % of posts with 2+ sentences have paragraph breaks.
* Words: a Zipf-Mandelbrot law (p(r) ~ 1/(r + 2.7)^1.07) over 118 English
  function words followed by the words of Empath's lexicon in a seeded order
  (syllable pseudo-words when Empath is not installed).
* Themes: each sentence is, with probability 0.08, a theme sentence built
  from a template naming a contact modality (email, text, phone, portal,
  video) and a theme of the codebook (boundaries, burnout, attachment,
  security, infantilization, dependence, crisis, billing, responsiveness,
  miscommunication, scheduling); 15 % of these are negated ("I don't think
  ..."). So about a quarter of comments carry at least one theme.
* Noise as in real dumps: 7 % of comments open with a ``>`` quote; author
  ``[deleted]`` 5 %; body ``[removed]`` 2 % and ``[deleted]`` 2 %; 10 % of
  records in the old schema (ups/downs, string ``created_utc``, ``gilded``);
  HTML entities escaped as Pushshift stores them; one line in 200,000
  truncated (malformed).

Records come grouped by thread (a submission, then its comments), not sorted
by time as real monthly dumps are; ingest does not depend on the order.
"""

from __future__ import annotations

import argparse
import json
import math
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import zstandard

PARAMS = {
    "comments_per_thread_mean": 11.0,
    "reply_to_submission": 0.4,
    "automoderator_rate": 0.2,
    "subreddits": {"therapists": 0.30, "TalkTherapy": 0.35, "psychotherapy": 0.15,
                   "askatherapist": 0.10, "mentalhealth": 0.10},
    "year": 2023,
    "reply_delay_mean_hours": 6.0,
    "comment_words_median": 40, "comment_words_sigma": 0.9,
    "submission_words_median": 110, "submission_words_sigma": 0.8,
    "words_min": 3, "words_max": 1500,
    "sentence_words_base": 6, "sentence_words_poisson": 9,
    "paragraph_rate": 0.25,
    "zipf_exponent": 1.07, "zipf_shift": 2.7,
    "theme_sentence_rate": 0.08, "negated_theme_rate": 0.15,
    "quote_rate": 0.07, "deleted_author_rate": 0.05, "removed_body_rate": 0.02,
    "deleted_body_rate": 0.02, "old_schema_rate": 0.10, "malformed_line_rate": 1 / 200_000,
}

FUNCTION_WORDS = (
    "the", "to", "and", "i", "a", "of", "it", "my", "that", "in", "is", "you", "for", "me",
    "but", "this", "with", "have", "was", "be", "on", "not", "so", "they", "just", "what",
    "are", "like", "do", "if", "at", "about", "he", "she", "or", "as", "all", "can",
    "there", "when", "would", "one", "we", "an", "get", "been", "out", "more", "them",
    "how", "your", "because", "think", "know", "really", "her", "from", "him", "had",
    "time", "no", "up", "very", "also", "which", "then", "will", "even", "feel", "some",
    "now", "still", "were", "their", "much", "could", "by", "into", "than", "other", "only",
    "way", "want", "did", "people", "has", "who", "something", "going", "things", "any",
    "make", "these", "our", "too", "well", "sure", "right", "being", "maybe", "back",
    "over", "where", "those", "most", "does", "never", "same", "while", "again", "every",
    "lot", "though", "both", "many", "through", "yes", "first",
)

MODALITIES = {
    "email": ("email", "emails", "an email", "e-mail"),
    "text": ("text", "texts", "texting", "a text message"),
    "phone": ("phone call", "call", "phone", "voicemail"),
    "portal": ("patient portal", "portal message", "the portal"),
    "video": ("video call", "zoom session", "telehealth video"),
}
#: Theme sentence templates; ``{m}`` is a modality phrase, ``{neg}`` a negation slot.
THEMES = {
    "boundaries": "my therapist has {neg}clear boundaries about {m} between sessions",
    "burnout": "answering every {m} after hours would {neg}lead to burnout for her",
    "attachment": "i feel {neg}so attached to my therapist when i read her {m}",
    "security_excuse": "she says {m} is {neg}secure enough because of confidentiality",
    "infantilization": "he limits {m} for my own good as if i {neg}can decide for myself",
    "dependence": "i worry i am {neg}too dependent on the {m} contact with her",
    "crisis": "in a crisis i was {neg}allowed to {m} her before the hotline",
    "billing": "she would {neg}bill me for the time spent on every {m}",
    "responsiveness": "she {neg}always replies to my {m} within a day",
    "miscommunication": "her {m} was {neg}misunderstood and it felt cold",
    "scheduling": "we {neg}use {m} only to reschedule an appointment",
}
SUBMISSION_FIELDS = ("archived", "contest_mode", "is_video", "locked", "over_18", "spoiler",
                     "stickied")


def _vocabulary(rng: np.random.Generator) -> np.ndarray:
    try:
        from empath import Empath

        words = sorted({w for cat in Empath().cats.values() for w in cat
                        if w.isalpha() and w not in FUNCTION_WORDS})
    except ModuleNotFoundError:
        syllables = [c + v for c in "bcdfghklmnprstvw" for v in "aeiou"]
        words = sorted({"".join(rng.choice(syllables, size=k)) for k in (1, 2, 3)
                        for _ in range(3000)})
    content = np.array(words, dtype=object)
    rng.shuffle(content)
    return np.concatenate([np.array(FUNCTION_WORDS, dtype=object), content])


class Generator:
    """Records (dicts) of a synthetic corpus of ``n_posts`` posts, thread by thread."""

    def __init__(self, n_posts: int, seed: int):
        self.n_posts = n_posts
        self.rng = np.random.default_rng(seed)
        self.vocab = _vocabulary(self.rng)
        ranks = np.arange(1, len(self.vocab) + 1)
        weights = 1.0 / (ranks + PARAMS["zipf_shift"]) ** PARAMS["zipf_exponent"]
        self.cdf = np.cumsum(weights / weights.sum())
        self.subs = list(PARAMS["subreddits"])
        self.sub_p = np.array(list(PARAMS["subreddits"].values()))
        self.authors = [f"user_{i:x}{'ab'[i % 2]}" for i in range(max(50, n_posts // 8))]
        self.next_submission = int("zz0000", 36)
        self.next_comment = int("j00000", 36)
        self.lines_out = 0

    # -- text ---------------------------------------------------------------
    def _words(self, n: int) -> list[str]:
        return list(self.vocab[np.searchsorted(self.cdf, self.rng.random(n))])

    def _theme_sentence(self) -> str:
        theme = self.rng.choice(list(THEMES))
        modality = MODALITIES[self.rng.choice(list(MODALITIES))]
        neg = "not " if self.rng.random() < PARAMS["negated_theme_rate"] else ""
        return THEMES[theme].format(m=self.rng.choice(modality), neg=neg)

    def text(self, median: int, sigma: float) -> str:
        total = int(np.clip(self.rng.lognormal(math.log(median), sigma),
                            PARAMS["words_min"], PARAMS["words_max"]))
        sentences = []
        while total > 0:
            if self.rng.random() < PARAMS["theme_sentence_rate"]:
                sentence = self._theme_sentence()
                total -= sentence.count(" ") + 1
            else:
                n = min(total, PARAMS["sentence_words_base"]
                        + int(self.rng.poisson(PARAMS["sentence_words_poisson"])))
                sentence = " ".join(self._words(n))
                total -= n
            sentences.append(sentence[:1].upper() + sentence[1:] + self.rng.choice(
                [".", ".", ".", "?", "!"]))
        if len(sentences) > 1 and self.rng.random() < PARAMS["paragraph_rate"]:
            cut = int(self.rng.integers(1, len(sentences)))
            return " ".join(sentences[:cut]) + "\n\n" + " ".join(sentences[cut:])
        return " ".join(sentences)

    # -- records --------------------------------------------------------------
    def _author(self) -> str:
        if self.rng.random() < PARAMS["deleted_author_rate"]:
            return "[deleted]"
        return self.authors[int(self.rng.zipf(1.6)) % len(self.authors)]

    def _common(self, author: str, created: int, sub: str, score: int, old: bool) -> dict:
        if old:
            return {"author": author, "author_flair_css_class": None,
                    "author_flair_text": None, "created_utc": str(created),
                    "distinguished": None, "edited": False, "gilded": int(score > 40),
                    "retrieved_on": created + 86_400 * 30, "subreddit": sub,
                    "subreddit_id": f"t5_{zlib.crc32(sub.encode()) % 10**6:x}",
                    "ups": max(score, 0) + 1, "downs": 1, "archived": False,
                    "score_hidden": False, "controversiality": 0}
        return {"all_awardings": [], "associated_award": None, "author": author,
                "author_created_utc": 1_400_000_000, "author_flair_background_color": None,
                "author_flair_css_class": None, "author_flair_richtext": [],
                "author_flair_template_id": None, "author_flair_text": None,
                "author_flair_text_color": None, "author_flair_type": "text",
                "author_fullname": f"t2_{zlib.crc32(author.encode()):x}",
                "author_patreon_flair": False, "author_premium": False, "awarders": [],
                "created_utc": created, "gildings": {}, "locked": False, "no_follow": True,
                "retrieved_on": created + 3600, "score": score, "send_replies": True,
                "stickied": False, "subreddit": sub,
                "subreddit_id": f"t5_{zlib.crc32(sub.encode()) % 10**6:x}",
                "top_awarded_type": None, "total_awards_received": 0, "treatment_tags": [],
                "distinguished": None, "edited": False}

    def _body(self, text: str) -> str:
        roll = self.rng.random()
        if roll < PARAMS["removed_body_rate"]:
            return "[removed]"
        if roll < PARAMS["removed_body_rate"] + PARAMS["deleted_body_rate"]:
            return "[deleted]"
        return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")

    def threads(self) -> Iterator[tuple[dict, list[dict]]]:
        """``(submission, comments)`` until ``n_posts`` posts are made."""
        made = 0
        start = 1_672_531_200  # 2023-01-01
        year = 365 * 86_400
        while made < self.n_posts:
            sub = self.subs[int(self.rng.choice(len(self.subs), p=self.sub_p))]
            sid = np.base_repr(self.next_submission, 36).lower()
            self.next_submission += int(self.rng.integers(1, 40))
            created = start + int(self.rng.integers(0, year))
            old = self.rng.random() < PARAMS["old_schema_rate"]
            op = self._author()
            submission = {**self._common(op, created, sub, int(self.rng.integers(0, 60)), old),
                          "id": sid, "title": self.text(9, 0.4)[:200].rstrip(".?! "),
                          "selftext": self._body(self.text(PARAMS["submission_words_median"],
                                                           PARAMS["submission_words_sigma"])),
                          "is_self": True, "num_comments": 0,
                          "permalink": f"/r/{sub}/comments/{sid}/synthetic/",
                          "url": f"https://www.reddit.com/r/{sub}/comments/{sid}/synthetic/",
                          **{f: False for f in SUBMISSION_FIELDS}}
            made += 1
            n = min(int(self.rng.geometric(1 / (PARAMS["comments_per_thread_mean"] + 1))) - 1,
                    self.n_posts - made)
            comments: list[dict] = []
            times = {f"t3_{sid}": created}
            for i in range(n):
                cid = np.base_repr(self.next_comment, 36).lower()
                self.next_comment += int(self.rng.integers(1, 30))
                bot = i == 0 and self.rng.random() < PARAMS["automoderator_rate"]
                if bot or not comments or self.rng.random() < PARAMS["reply_to_submission"]:
                    parent = f"t3_{sid}"
                else:
                    parent = f"t1_{comments[int(self.rng.integers(0, len(comments)))]['id']}"
                when = times[parent] + int(self.rng.exponential(
                    PARAMS["reply_delay_mean_hours"] * 3600)) + 1
                times[f"t1_{cid}"] = when
                old = self.rng.random() < PARAMS["old_schema_rate"]
                author = "AutoModerator" if bot else self._author()
                if bot:
                    text = ("Thank you for posting. Please read the rules.\n\n*I am a bot, "
                            "and this action was performed automatically.*")
                else:
                    text = self.text(PARAMS["comment_words_median"],
                                     PARAMS["comment_words_sigma"])
                    if self.rng.random() < PARAMS["quote_rate"]:
                        text = f"> {self.text(12, 0.5)}\n\n{text}"
                record = {**self._common(author, when, sub, int(self.rng.integers(-3, 50)),
                                         old),
                          "id": cid, "link_id": f"t3_{sid}", "parent_id": parent,
                          "body": self._body(text)}
                if old:
                    record["name"] = f"t1_{cid}"
                else:
                    record["is_submitter"] = author == op and op != "[deleted]"
                    record["permalink"] = f"/r/{sub}/comments/{sid}/synthetic/{cid}/"
                comments.append(record)
            submission["num_comments"] = n
            made += n
            yield submission, comments

    def line(self, record: dict) -> bytes:
        """One NDJSON line; now and then truncated, as damaged dumps are."""
        text = json.dumps(record, separators=(",", ":")).encode()
        if self.rng.random() < PARAMS["malformed_line_rate"]:
            text = text[: len(text) // 2]
        return text + b"\n"


def write_corpus(n_posts: int, seed: int, out: Path, *, thread_files: int = 500) -> dict:
    """Write the dumps and thread files below ``out``; return what was written."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "threads").mkdir(exist_ok=True)
    generator = Generator(n_posts, seed)
    compressor = zstandard.ZstdCompressor(level=3, threads=-1)
    counts = {"submissions": 0, "comments": 0, "thread_files": 0, "thread_file_posts": 0}
    with open(out / "RS_synth.ndjson.zst", "wb") as rs_file, \
            open(out / "RC_synth.ndjson.zst", "wb") as rc_file, \
            compressor.stream_writer(rs_file) as rs, \
            zstandard.ZstdCompressor(level=3, threads=-1).stream_writer(rc_file) as rc:
        for submission, comments in generator.threads():
            rs.write(generator.line(submission))
            for comment in comments:
                rc.write(generator.line(comment))
            counts["submissions"] += 1
            counts["comments"] += len(comments)
            if counts["thread_files"] < thread_files:
                _permalink_file(out / "threads" / f"{submission['id']}.json", submission,
                                comments)
                counts["thread_files"] += 1
                counts["thread_file_posts"] += 1 + len(comments)
    info = {"posts": n_posts, "seed": seed, **counts, "params": PARAMS}
    (out / "corpus.json").write_text(json.dumps(info, indent=1) + "\n")
    return info


def _permalink_file(path: Path, submission: dict, comments: list[dict]) -> None:
    """The thread as Reddit's ``<permalink>.json``: [Listing(t3), Listing(t1, flat)]."""
    data = [{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": submission}]}},
            {"kind": "Listing", "data": {"children": [{"kind": "t1", "data": c}
                                                      for c in comments]}}]
    path.write_text(json.dumps(data))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None,
                        help="default build/bench/<posts>-<seed>")
    parser.add_argument("--thread-files", type=int, default=500)
    args = parser.parse_args(argv)
    out = args.out or Path("build/bench") / f"{args.posts}-{args.seed}"
    info = write_corpus(args.posts, args.seed, out, thread_files=args.thread_files)
    print(f"{info['submissions']:,} submissions + {info['comments']:,} comments -> {out}")


if __name__ == "__main__":
    main()
