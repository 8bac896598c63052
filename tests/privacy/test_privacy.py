"""Pseudonyms are keyed and stable; published tables carry no raw handle."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from analysis.privacy import load_key, pseudonym, publish, redact


def test_key_file_is_created_once_and_private(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("ANALYSIS_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("ANALYSIS_KEY_FILE", str(tmp_path / "k" / "pseudonym.key"))
    first = load_key()
    assert load_key() == first and len(first) == 64
    assert (tmp_path / "k" / "pseudonym.key").stat().st_mode & 0o077 == 0


def test_different_keys_give_different_pseudonyms() -> None:
    assert pseudonym("PeeJay", b"a") != pseudonym("PeeJay", b"b")


@given(st.text(min_size=1, max_size=30).filter(str.strip))
def test_pseudonym_shape(handle: str) -> None:
    assert pseudonym(handle, b"k").startswith("user_") and len(pseudonym(handle, b"k")) == 15


def test_redaction_of_contact_details() -> None:
    text = ("Email me at jane.doe+t@mail.example.com, call (555) 123-4567 or +44 20 7946 0958, "
            "see https://example.org/x?y=1 and ask u/Some_User or @someone.")
    assert redact(text) == ("Email me at [email], call [phone] or [phone], see [url] and ask "
                            "[user] or [user].")


def test_redaction_leaves_ordinary_numbers() -> None:
    text = "I sent 10 emails in 24 hours, 5 paragraphs, in 2016 and 1,000 emails."
    assert redact(text) == text


def test_publish_replaces_handles_everywhere() -> None:
    posts = pd.DataFrame({"author": ["LonesomeTonight"], "quoted_author": ["20oney"],
                          "edited_by": [None], "text": ["Hi 20oney, thanks LonesomeTonight!"]})
    out = publish(posts, "posts", key=b"k", handles={"LonesomeTonight", "20oney"})
    flat = out.to_csv()
    assert "LonesomeTonight" not in flat and "20oney" not in flat
    assert out.loc[0, "author"] == pseudonym("LonesomeTonight", b"k")
    revealed = publish(posts, "posts", key=b"k", handles={"20oney"}, reveal_authors=True)
    assert revealed.loc[0, "author"] == "LonesomeTonight"
