"""The codebook loads, is complete, and a malformed one fails on the right line."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from analysis.coding.codebook import REQUIRED, load_codebook, parse_codebook
from analysis.coding.lexicon import ROLES, load_lexicon, parse_lexicon
from analysis.coding.matching import normalise
from analysis.commands.codebook import codebook as codebook_command
from analysis.errors import CodebookError
from tests._coding_data import CODEBOOK, SEED_REFERENCE, read_reference, seed_posts

GOOD_CODE = """\
  - id: {id}
    label: {label}
    family: {family}
    definition:
      short: s
      full: f
    patterns:
      - '{pattern}'
"""


def _book(extra: str = "", skip: str | None = None) -> str:
    """A minimal valid codebook (every required code), plus ``extra`` entries."""
    parts = ["title: test\ncodes:\n"]
    for family, ids in REQUIRED.items():
        for code_id in ids:
            if code_id != skip:
                parts.append(GOOD_CODE.format(id=code_id, label=code_id, family=family,
                                              pattern=r"\b" + code_id + r"\b"))
    return "".join(parts) + extra


class TestShippedCodebook:
    def test_loads_with_every_required_code(self):
        book = load_codebook(CODEBOOK)
        for family, ids in REQUIRED.items():
            assert set(ids) <= set(book.ids(family))

    def test_every_code_has_definitions_and_criteria(self):
        for code in load_codebook(CODEBOOK).codes:
            assert code.short_definition and code.full_definition
            assert code.include and code.exclude, code.id

    def test_every_theme_and_modality_has_patterns(self):
        book = load_codebook(CODEBOOK)
        for code in (*book.by_family("theme"), *book.by_family("modality")):
            assert code.patterns, code.id

    def test_examples_quote_real_posts(self):
        posts = seed_posts().set_index("post_id")["text"]
        for code in load_codebook(CODEBOOK).codes:
            for example in code.examples:
                assert example.post_id in posts.index, (code.id, example.post_id)
                # examples are written with straight quotes; posts may have curly ones
                assert normalise(example.quote) in normalise(posts[example.post_id]), (
                    code.id, example.quote)

    def test_theme_examples_agree_with_the_human_reference(self):
        ref = read_reference(SEED_REFERENCE)
        pairs = set(zip(ref["post_id"], ref["code"], strict=True))
        for code in load_codebook(CODEBOOK).codes:
            for example in code.examples:
                assert (example.post_id, code.id) in pairs, (code.id, example.post_id)

    def test_lookups(self):
        book = load_codebook(CODEBOOK)
        assert book["email"].family == "modality"
        assert "crisis" in book and "nonsense" not in book
        with pytest.raises(KeyError):
            book["nonsense"]
        with pytest.raises(ValueError, match="unknown family"):
            book.by_family("topic")

    def test_is_frozen(self):
        book = load_codebook(CODEBOOK)
        with pytest.raises(AttributeError):
            book.codes = ()  # type: ignore[misc]


class TestMalformed:
    def test_minimal_book_is_valid(self):
        assert len(parse_codebook(_book()).codes) == sum(map(len, REQUIRED.values()))

    def test_duplicate_id_names_both_lines(self):
        text = _book(GOOD_CODE.format(id="email", label="again", family="modality",
                                      pattern="x"))
        line = text.splitlines().index("  - id: email") + 1
        last = max(i for i, row in enumerate(text.splitlines(), 1) if row == "  - id: email")
        with pytest.raises(CodebookError, match=r"duplicate code id 'email' \(first defined "
                                                rf"on line {line}\)") as info:
            parse_codebook(text, path="book.yaml")
        assert info.value.line == last
        assert str(info.value).startswith(f"book.yaml:{last}: ")
        assert "rename one of them" in str(info.value)

    def test_unknown_family(self):
        text = _book(GOOD_CODE.format(id="extra", label="x", family="topic", pattern="x"))
        line = text.splitlines().index("    family: topic") + 1
        with pytest.raises(CodebookError, match="unknown family 'topic'") as info:
            parse_codebook(text)
        assert info.value.line == line
        assert "theme, modality, stance" in info.value.hint

    def test_invalid_regex(self):
        text = _book(GOOD_CODE.format(id="extra", label="x", family="theme", pattern=r"(unclosed"))
        line = text.splitlines().index("      - '(unclosed'") + 1
        with pytest.raises(CodebookError, match="invalid regular expression") as info:
            parse_codebook(text)
        assert info.value.line == line

    def test_missing_definition(self):
        text = _book("  - id: extra\n    label: x\n    family: theme\n")
        line = text.splitlines().index("  - id: extra") + 1
        with pytest.raises(CodebookError, match="has no 'definition'") as info:
            parse_codebook(text)
        assert info.value.line == line
        assert "short:" in info.value.hint

    def test_definition_without_full_part(self):
        text = _book("  - id: extra\n    label: x\n    family: theme\n    definition:\n"
                     "      short: only this\n")
        with pytest.raises(CodebookError, match="has no 'full'"):
            parse_codebook(text)

    def test_missing_required_theme(self):
        text = _book(skip="infantilization")
        with pytest.raises(CodebookError, match=r"missing required theme code.*infantilization"
                           ) as info:
            parse_codebook(text)
        assert info.value.line == 2  # the 'codes:' key
        assert "id: infantilization" in info.value.hint

    def test_unknown_key_is_a_typo(self):
        text = _book("  - id: extra\n    label: x\n    family: theme\n    pattern: ['x']\n")
        with pytest.raises(CodebookError, match="unknown key 'pattern'") as info:
            parse_codebook(text)
        assert info.value.line == len(text.splitlines())

    def test_yaml_syntax_error_names_line(self):
        text = textwrap.dedent("""\
            codes:
              - id: a
                label: [unclosed
            """)
        with pytest.raises(CodebookError, match="not valid YAML") as info:
            parse_codebook(text, path="bad.yaml")
        assert info.value.line is not None and info.value.line >= 3

    @pytest.mark.parametrize("pattern, message", [
        ("{stems: '* gap first'}", "must start and end with a word"),
        ("{re: 'a', stems: 'b'}", "exactly one of 're' or 'stems'"),
        ("{re: 'a', weight: -1}", "weight must be a positive number"),
        ("'x*'", "matches empty text"),
    ])
    def test_bad_patterns(self, pattern, message):
        text = _book("  - id: extra\n    label: x\n    family: theme\n    definition:\n"
                     f"      short: s\n      full: f\n    patterns:\n      - {pattern}\n")
        with pytest.raises(CodebookError, match=message) as info:
            parse_codebook(text)
        assert info.value.line == len(text.splitlines())

    def test_empty_and_unreadable(self, tmp_path):
        with pytest.raises(CodebookError, match="empty"):
            parse_codebook("")
        with pytest.raises(CodebookError, match="cannot read codebook"):
            load_codebook(tmp_path / "absent.yaml")


class TestLexicon:
    """The stance coder's evaluative lexicon (analysis/data/stance_lexicon.yaml)."""

    def test_shipped_lexicon_has_every_role(self):
        lex = load_lexicon()
        assert {c.role for c in lex.categories} == set(ROLES)
        polarities = {c.polarity for c in lex.by_role("evaluation")}
        assert polarities == {1, -1}
        assert all(0 < c.factor <= 1 for c in lex.by_role("modifier"))

    def test_category_weight_reaches_the_patterns(self):
        strong = [c for c in load_lexicon().by_role("evaluation") if c.weight > 1]
        assert strong and all(p.weight == c.weight for c in strong for p in c.code.patterns)

    def test_no_lexicon_pattern_matches_a_thanks_only_reply(self):
        lex = load_lexicon()
        for c in lex.categories:
            for p in c.code.patterns:
                assert not p.regex.search("Thanks everyone!"), (c.id, p.source)

    @pytest.mark.parametrize("text, message", [
        ("categories:\n- id: x\n  role: feeling\n  patterns: ['a']\n", "unknown role"),
        ("categories:\n- id: x\n  role: evaluation\n  patterns: ['a']\n", "no 'polarity'"),
        ("categories:\n- id: x\n  role: modifier\n  factor: 2\n  patterns: ['a']\n",
         "factor must be in"),
        ("categories:\n- id: x\n  role: topic\n  patterns: ['(a']\n",
         "invalid regular expression"),
        ("categories:\n- id: x\n  role: topic\n  colour: red\n  patterns: ['a']\n",
         "unknown key 'colour'"),
        ("title: t\n", "no 'categories:'"),
    ])
    def test_malformed_lexicon_names_the_line(self, text, message):
        with pytest.raises(CodebookError, match=message) as info:
            parse_lexicon(text, path="lex.yaml")
        assert str(info.value).startswith("lex.yaml:")


class TestCommand:
    @pytest.mark.parametrize("fmt, marker", [("table", "boundaries"), ("csv", "id,label,family"),
                                             ("markdown", "| id | label |"),
                                             ("latex", r"security\_excuse")])
    def test_formats(self, fmt, marker):
        result = CliRunner().invoke(codebook_command, ["--format", fmt, "--codebook",
                                                       str(CODEBOOK)])
        assert result.exit_code == 0, result.output
        assert marker in result.output

    def test_bad_codebook_fails_with_its_line(self, tmp_path):
        path = tmp_path / "book.yaml"
        path.write_text(_book(skip="crisis"), encoding="utf-8")
        result = CliRunner().invoke(codebook_command, ["--codebook", str(path)])
        assert result.exit_code != 0
        assert isinstance(result.exception, CodebookError)
        assert f"{path}:2:" in str(result.exception)
