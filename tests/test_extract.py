"""Extraction on the real seed texts, and the stateless CLI commands (issue #4)."""
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from lib import ingest
from lib.cli import cli
from lib.claims.extract import extract_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(prefix: str):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return ingest.from_text(path.name, path.read_text(encoding="utf-8"), ingest.Meta())


@pytest.fixture(scope="module")
def claims():
    """Extracted claims of every seed, by seed number."""
    dates = {"000": date(2024, 10, 25), "001": date(2024, 10, 25), "002": date(2024, 10, 17),
             "003": date(2024, 10, 24), "004": date(2024, 10, 24)}
    return {n: extract_text(seed(n).text, report_date=d).claims for n, d in dates.items()}


def troop_figures(claims):
    return [(f.value, f.qualifier, c.speaker, c.stated_on) for c in claims for f in c.figures
            if f.what == "North Korean troops"]


@pytest.mark.parametrize("number, expected", [
    ("000", [(12000, "about", "Ukrainian government (Kyiv)", date(2024, 10, 25))]),
    ("001", [(12000, "about", "Ukraine's military intelligence (HUR)", date(2024, 10, 25)),
             (3000, "exact", "United States", date(2024, 10, 23))]),
    ("002", [(10000, "exact", "some reports", date(2024, 10, 17)),
             (10000, "exact", "The Kyiv Independent", date(2024, 10, 17))]),
    ("003", [(12000, "about", "Ukraine's military intelligence (HUR)", date(2024, 10, 24)),
             (3000, "at_least", "John Kirby", date(2024, 10, 23)),
             (12000, "about", "Volodymyr Zelensky", date(2024, 10, 22))]),
    ("004", [(10000, "about", "Volodymyr Zelensky", date(2024, 10, 17)),
             (11000, "about", "Kyrylo Budanov", date(2024, 10, 18)),
             (3000, "exact", "South Korean intelligence (NIS)", date(2024, 10, 23))]),
])
def test_seed_troop_figures_and_speakers(claims, number, expected):
    assert troop_figures(claims[number]) == expected


def test_battalion_size_is_not_a_troop_figure(claims):
    battalion = [c for c in claims["002"] if "battalion" in c.text and "3,000" in c.text][0]
    assert battalion.figures == []
    assert battalion.speaker == "Suspilne and Liga"


def test_euronews_cue_governs_the_mariupol_sighting_not_the_isw(claims):
    by_start = {c.text.split()[1]: c for c in claims["002"]}
    sighting = next(c for c in claims["002"] if "Mariupol" in c.text)
    isw = next(c for c in claims["002"] if "Donetsk" in c.text)
    assert sighting.cue == {"status": "unverified", "actor": "Euronews",
                            "phrase": "unable to independently verify these claims"}
    assert isw.cue["status"] == "none"
    assert not any(c.text.startswith("Euronews was unable") for c in claims["002"]), by_start


def test_pyongyang_denial_and_putin_traps(claims):
    denial = next(c for c in claims["000"] if "groundless rumors" in c.text)
    assert (denial.cue["status"], denial.cue["actor"]) == ("denied", "Pyongyang")
    assert denial.speaker == "North Korean government (Pyongyang)"
    putin = next(c for c in claims["001"] if "neither confirmed nor denied" in c.text)
    assert putin.cue["status"] == "none"


def test_boilerplate_and_questions_are_not_claims(claims):
    texts = [c.text for n in claims for c in claims[n]]
    assert not any(t.startswith("For more CNN news") for t in texts)
    assert not any(t.startswith("Additional sources") for t in texts)
    assert not any(t.endswith("?") for t in texts)


def test_extract_cli_prints_json_lines():
    path = next(SEEDS.glob("004_*.txt"))
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    budanov = next(line for line in lines if "Budanov" in line["text"])
    assert set(budanov) == {"text", "speaker", "figures", "cue", "sentence_index"}
    assert budanov["figures"] == [{"value": 11000, "qualifier": "about", "unit": "infantrymen",
                                   "what": "North Korean troops", "parts": None}]
    assert budanov["cue"] == {"status": "confirmed", "actor": "Kyrylo Budanov", "phrase": "confirmed that"}
    assert budanov["speaker"] == "Kyrylo Budanov"


def test_extract_cli_reads_stdin():
    result = CliRunner().invoke(cli, ["extract", "-"], input="HUR said that 12,000 North Korean soldiers "
                                "are in Russia. Moscow denied the reports.\n")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    # "Moscow denied the reports." points back: it is the first claim's cue, not a claim.
    assert [line["sentence_index"] for line in lines] == [0]
    assert lines[0]["cue"] == {"status": "denied", "actor": "Moscow", "phrase": "denied the reports"}


def test_cues_cli_one_line_per_passage():
    passages = ["Euronews was unable to independently verify these claims.",
                "Putin has neither confirmed nor denied the presence of troops.",
                "Kyiv confirmed that 500 officers arrived. Moscow denied the reports."]
    stdin = "\n".join(json.dumps({"text": p}) for p in passages) + "\n"
    result = CliRunner().invoke(cli, ["cues", "-"], input=stdin)
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["status"] for o in out] == ["unverified", "none", "denied"]
    assert out[0] == {"text": passages[0], "status": "unverified", "actor": "Euronews",
                      "phrase": "unable to independently verify these claims"}
    assert out[1]["actor"] is None and out[1]["phrase"] is None


def test_cues_cli_bad_line_is_a_clean_error():
    result = CliRunner().invoke(cli, ["cues", "-"], input="not json\n")
    assert result.exit_code == 1
    assert "Error: line 1: expected a JSON object with a \"text\" field" in result.output
