"""Reading files into reports, no database (issue #2)."""
from datetime import date
from pathlib import Path

import pytest

from lib import ingest
from lib.errors import UnsupportedFile

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def read(name: str, data: bytes | str, meta=None, max_bytes: int = 1 << 20):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return ingest.read_bytes(name, data, meta, max_bytes)


def test_seed_headlines_titles_and_dates():
    manifest = ingest.read_manifest(SEEDS)
    assert len(manifest) == 5
    got = {}
    for path in sorted(SEEDS.glob("*.txt")):
        [item] = ingest.read_file(path, manifest[path.name])
        got[path.name[:3]] = item
    assert got["000"].title == "Putin's North Koreans now in combat zone, Kyiv says"
    assert got["000"].text.startswith("According to updated estimates from Kyiv")
    assert got["001"].title.startswith("Putin’s North Korean soldiers are now in a combat zone")
    assert got["003"].title.startswith("North Korean troops spotted in Russian border region")
    # 002 and 004 have no headline: the first line stays text, the title is derived.
    assert got["002"].text.startswith("According to some reports, 10,000 North Korean troops")
    assert got["002"].title.startswith("According to some reports, 10,000")
    # 004: the "date 2024-10-24" prefix is read and stripped, the rest of the line kept.
    assert got["004"].text.startswith("For the first time, Kremlin leader Vladimir Putin")
    assert got["004"].published == date(2024, 10, 24)
    assert (got["000"].outlet, got["000"].published) == ("Politico", date(2024, 10, 25))
    assert got["003"].outlet == "CNN"


@pytest.mark.parametrize("name, data, expected", [
    ("a.txt", "Headline here\nBody text. More.", {"title": "Headline here", "text": "Body text. More."}),
    ("a.txt", "No headline. Just text.", {"title": "No headline.", "text": "No headline. Just text."}),
    ("a.md", "---\ntitle: Front\noutlet: Reuters\ndate: 2024-10-01\nurl: https://x.test/a\n---\nBody text here.",
     {"title": "Front", "outlet": "Reuters", "published": date(2024, 10, 1), "url": "https://x.test/a"}),
    ("a.json", '{"title": "T", "text": "Body.", "outlet": "AP", "url": "u", "date": "2024-10-02"}',
     {"title": "T", "outlet": "AP", "published": date(2024, 10, 2)}),
    ("a.txt", "\ufeffBOM headline\nBody.", {"title": "BOM headline"}),
])
def test_formats(name, data, expected):
    [item] = read(name, data)
    for key, value in expected.items():
        assert getattr(item, key) == value, key


def test_jsonl_and_json_arrays_give_one_report_per_item():
    assert len(read("a.jsonl", '{"text": "One."}\n\n{"text": "Two."}\n')) == 2
    assert len(read("a.json", '[{"text": "One."}, {"text": "Two."}]')) == 2


def test_html_main_text_is_extracted_without_markup():
    html = """<html><head><title>Troops seen</title></head><body>
    <nav>Home | World | Sport</nav>
    <article><h1>Troops seen in Kursk</h1>
    <p>Ukraine's military intelligence said on Thursday that North Korean troops had been seen in the Kursk region.</p>
    <p>The intelligence service said about 12,000 soldiers were training at five bases in eastern Russia.</p>
    <p>A US official said Washington was working to confirm the reports from Kyiv.</p></article>
    <footer>Copyright 2024</footer></body></html>"""
    [item] = read("page.html", html)
    assert "12,000 soldiers" in item.text
    assert "<p>" not in item.text and "Copyright" not in item.text
    assert item.title == "Troops seen in Kursk"


def test_manifest_metadata_wins_over_nothing_but_not_over_front_matter():
    meta = ingest.Meta(outlet="Manifest", title="From manifest")
    [item] = read("a.md", "---\noutlet: Front\n---\nHeadline\nBody.", meta)
    assert item.title == "From manifest" and item.outlet == "Manifest"


@pytest.mark.parametrize("name, data, message", [
    ("x.pdf", b"%PDF-1.4", "x.pdf: unsupported file type .pdf; expected one of .htm, .html, .json, .jsonl, .md, .txt"),
    ("x.txt", b"", "x.txt: file is empty"),
    ("x.txt", b"   \n\t ", "x.txt: file is empty"),
    ("x.txt", b"abc\x00\x01\x02", "x.txt: binary file (contains NUL bytes); expected text"),
    ("x.txt", b"caf\xe9 au lait", "x.txt: not valid UTF-8 (byte 0xe9 at position 3); save it as UTF-8"),
    ("x.jsonl", b'{"text": "ok"}\n{"text": oops}\n', "x.jsonl: malformed JSON at line 2: Expecting value"),
    ("x.json", b'{"text": "ok",\n"title": }', "x.json: malformed JSON at line 2: Expecting value"),
    ("x.json", b'{"title": "no text"}', "x.json item 1: field 'text' must be a non-empty string"),
    ("x.jsonl", b'[1, 2]\n', "x.jsonl line 1: expected a JSON object with a 'text' field, got list"),
    ("x.json", b"[" * 100000 + b"]" * 100000, "x.json: JSON nested too deeply"),
    ("x.json", b'{"text": "t", "date": "yesterday"}', "x.json item 1: date 'yesterday' is not an ISO date (expected YYYY-MM-DD)"),
    ("x.html", b"<html><body><div></div></body></html>", "x.html: no main text found in the HTML"),
    ("x.md", b"---\ntitle: T\n---\n\n", "x.md: no report text (only a headline or whitespace)"),
])
def test_bad_input_is_rejected_with_a_message_naming_the_file(name, data, message):
    with pytest.raises(UnsupportedFile) as err:
        read(name, data)
    assert str(err.value) == message


def test_size_limit_names_the_setting():
    with pytest.raises(UnsupportedFile) as err:
        read("big.txt", b"a" * 3000, max_bytes=2000)
    assert "big.txt: file is 0.0 MB, over the limit of" in str(err.value)
    assert "FACTDESK_MAX_FILE_MB" in str(err.value)


def test_expand_walks_folders_skipping_manifest_and_hidden(tmp_path):
    (tmp_path / "manifest.csv").write_text("file,outlet,url,date,title\n")
    (tmp_path / ".DS_Store").write_bytes(b"\x00")
    (tmp_path / "b.txt").write_text("B.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("A.")
    assert [p.name for p in ingest.expand([tmp_path])] == ["b.txt", "a.md"]


def test_bad_manifest_header_is_named(tmp_path):
    (tmp_path / "manifest.csv").write_text("name,source\nx,y\n")
    with pytest.raises(UnsupportedFile, match="manifest.csv: expected a header with columns file, outlet"):
        ingest.read_manifest(tmp_path)
