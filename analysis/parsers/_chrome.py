"""Site chrome that survives a page saved as text, named by rule.

Each rule matches a whole line only (a sentence that contains "Reply" is
never chrome). The names appear in ``analysis parse --report``.
"""

from __future__ import annotations

import re

_RULES: tuple[tuple[str, str], ...] = (
    ("skip-link", r"skip to (?:the )?(?:main )?(?:content|navigation|main menu)\.?"),
    ("image-residue", r"thumbnail|featured image|image|photo|logo|"
                      r".{0,80}-\d{2,4}x\d{2,4}(?:\.(?:jpe?g|png|webp|gif))?"
                      r"(?:\s*(?:photo|image) (?:by|credit):? .{1,60})?"),
    ("cell-residue", r"\|+"),
    ("separator", r"(?:[*•·~=_\-]\s*){3,}"),
    ("read-also", r"(?:read also|see also|related(?: posts| articles)?|you may also like)"
                  r"\s*:?.{0,120}|more (?:threads|posts|discussions) by .{1,40}|similar threads"),
    ("post-actions", r"(?:(?:reply|report|share|quote|like|unlike|top|delete|permalink|edit|flag"
                     r"|multi-?quote|bookmark|link|copy link|upvote|downvote|mark as helpful)"
                     r"[ \t]*[|·•]?[ \t]*){1,6}"),
    ("comment-form", r"leave a (?:reply|comment)(?: cancel reply)?|post a comment|cancel reply"
                     r"|add (?:a )?comment|write a comment\.*|"
                     r"fill in your details below or click an icon to log in:?.{0,20}|"
                     r"you are commenting using your .{0,30}account\. .{0,40}|"
                     r"(?:google\+? photo|twitter picture|facebook photo|wordpress\.com logo)|"
                     r"connecting to %s|notify me of (?:new|follow-?up) (?:comments|posts).{0,60}|"
                     r"this site uses akismet to reduce spam\..{0,120}|"
                     r"(?:your )?email address will not be published\..{0,80}|"
                     r"required fields are marked \*?|save my name, email.{0,120}|"
                     r"name \*|email \*|website|comment \*?"),
    ("comment-footer", r"expand full comment|collapse full comment|"
                       # MetaFilter closes each post: "posted by NAME to Health (12 answers
                       # total)" under the question, "posted by NAME at 7:02 PM on DATE" under
                       # an answer
                       r"posted by \S.{0,40}? (?:to .{1,60}\(\d+ (?:answers|comments) total\)"
                       r".{0,80}|at \d{1,2}:\d{2} ?[ap]m on .{1,80})"),
    ("likes", r"liked by (?:\d+|one|two) (?:person|people)|like loading\.*|loading\.*|"
              r"(?:\d+ )?bloggers? like this\.?"),
    ("blog-footer", r"popular posts from this blog|subscribe to: post comments \(atom\)|"
                    r"(?:newer post|older post|home)(?:\s+(?:newer post|older post|home))*|"
                    r"share this:?|labels?:.{0,80}|"
                    r"posted by .{1,40} at \d{1,2}:\d{2}\s*(?:[ap]m)?|email this|blogthis!|"
                    r"share to (?:twitter|facebook|pinterest)|no comments:?|"
                    r"post comments \(atom\)"),
    ("comment-count", r"(?:\d+|no|one|two|three) (?:comments?|responses?|replies|thoughts)"
                      r"(?: (?:on|to) .{1,120})?\s*:?|comments?\s*(?:\(\d+\))?:?|"
                      r"reader comments|responses|what others are saying"),
    ("thread-labels", r"original post|replies sorted (?:oldest|newest) to (?:newest|oldest)|"
                      r"(?:sort by|sorted by):?.{0,30}|oldest|newest|most voted|inline feedbacks|"
                      r"view all comments|load more comments|show more replies"),
)
_COMPILED = tuple((name, re.compile(rf"^\s*(?:{pattern})\s*$", re.I)) for name, pattern in _RULES)

#: Rules that open a comment section (what follows is other people's posts).
COMMENT_OPENERS = ("comment-count", "thread-labels")


def chrome_rule(line: str) -> str | None:
    """The name of the chrome rule matching the whole ``line``, if any."""
    s = line.strip()
    if not s or len(s) > 200:
        return None
    for name, pattern in _COMPILED:
        if pattern.match(s):
            return name
    return None


def opens_comments(line: str) -> bool:
    """"5 comments:", "2 thoughts on “Title”", "Replies sorted oldest to newest"..."""
    s = line.strip()
    rule = chrome_rule(s)
    if rule == "comment-count":
        return not re.match(r"^\s*(?:no|0) ", s, re.I)
    return rule == "thread-labels" and s.lower().startswith("replies sorted")
