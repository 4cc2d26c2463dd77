"""Sentence splitting keeps abbreviations and quoted speech whole (issue #3)."""
import pytest

from lib.segment import split, text_hash


@pytest.mark.parametrize("text, expected", [
    ('The U.S. said on Wednesday it had evidence. Putin replied: "The images are a serious thing."',
     ["The U.S. said on Wednesday it had evidence.", 'Putin replied: "The images are a serious thing."']),
    ("Headline without stop\nBody sentence one. Body two.",
     ["Headline without stop", "Body sentence one.", "Body two."]),
    ("  \n\n  ", []),
    ("Dr. Smith met Mr. Jones at 3 p.m. on Monday. They talked.",
     ["Dr. Smith met Mr. Jones at 3 p.m. on Monday.", "They talked."]),
])
def test_split(text, expected):
    assert [s.text for s in split(text)] == expected


def test_offsets_point_into_the_text():
    text = "First line here.\n\n  Second one? Yes.  \nThird."
    for span in split(text):
        assert text[span.start:span.end] == span.text


def test_hash_ignores_whitespace_only():
    assert text_hash("a  b\n c") == text_hash("a b c")
    assert text_hash("a b c") != text_hash("a b d")
