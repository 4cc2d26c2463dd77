"""Verification cues: each kind, each trap, the scope rule (issue #4)."""
import json
from pathlib import Path

import pytest

from lib.claims import cues
from lib.claims.nlp import load

DATA = Path(__file__).parent / "data" / "cue_sentences.jsonl"


@pytest.fixture(scope="module")
def nlp():
    """spaCy's small English model (not the sentence model)."""
    return load()


def cue_of(text, nlp):
    return cues.summary(cues.find_cues(text, nlp(text)))


@pytest.mark.parametrize("text, status, actor, phrase", [
    ("Euronews was unable to independently verify these claims.", "unverified", "Euronews",
     "unable to independently verify these claims"),
    ("The figures could not be independently confirmed.", "unverified", None, "could not be independently confirmed"),
    ("A US official said the US had seen Ukrainian reports of North Korean troops in Kursk and was working "
     "to confirm them.", "unverified", "the US", "working to confirm them"),
    ("On 18 October, Kyrylo Budanov, Head of Defence Intelligence of Ukraine, confirmed that about 11,000 "
     "North Korean infantrymen were currently undergoing training.", "confirmed", "Kyrylo Budanov", "confirmed that"),
    ("While the Kremlin has insisted that Russia has the right to enter into any military cooperation, "
     "Pyongyang has dismissed the news that DPRK troops are primed to enter Russia’s war as groundless rumors.",
     "denied", "Pyongyang", None),
    ("North Korea has also faced multiple accusations of providing arms to Russia – a charge both countries "
     "have denied, despite significant evidence of such transfers.", "denied", "both countries", "denied"),
])
def test_cue_kinds_with_actor_and_phrase(text, status, actor, phrase, nlp):
    cue = cue_of(text, nlp)
    assert (cue["status"], cue["actor"]) == (status, actor)
    assert cue["phrase"] in text
    if phrase:
        assert cue["phrase"] == phrase


@pytest.mark.parametrize("text", [
    "Russian President Vladimir Putin has neither confirmed nor denied the presence of DPRK troops in his country.",
    "Russian President Vladimir Putin has not confirmed or denied the presence of DPRK troops in his country.",
    "Russia’s president did not deny the presence of the North Korean troops when pressed on the issue.",
    "The Kremlin declined to comment on the reports.",
    "The reporter was denied a visa to enter the country.",
    "The spokesman confirmed the meeting time but gave no further details.",
    "A judge denied bail to the two suspects.",
    "The Senate confirmed the nominee by a vote of 52 to 48.",
    "He was confirmed as the new chief executive on Monday.",
    "The appeals court confirmed the lower court's ruling and upheld the sentence.",
    "The judge denied a motion to dismiss the case.",
    "The health ministry reported 1,200 new confirmed cases on Monday.",
    "Officials said there was no evidence of foul play.",
    "It was not clear when the talks would resume.",
    "The patient was admitted to hospital with serious injuries.",
])
def test_traps_are_no_cue(text, nlp):
    assert cue_of(text, nlp) == {"status": "none", "actor": None, "phrase": None}


@pytest.mark.parametrize("statuses, expected", [
    ([], "none"),
    (["unverified"], "unverified"),
    (["unverified", "confirmed"], "confirmed"),
    (["confirmed", "denied", "unverified"], "denied"),
])
def test_summary_order(statuses, expected):
    assert cues.summarise(statuses) == expected


def test_passage_with_several_cues_gives_the_strongest(nlp):
    text = "Kyiv confirmed that 500 officers had arrived. Moscow denied the reports."
    assert cue_of(text, nlp)["status"] == "denied"


SEED_002 = [
    "Ukrainian intelligence sources estimated that this “battalion” would likely participate in operations.",
    "Earlier, the Ukrainian partisan movement claimed to have identified the presence of North Korean "
    "military personnel in training areas located near Mariupol.",
    "Euronews was unable to independently verify these claims.",
    "The ISW think tank(Institute for the Study of War) based in the United States, claims to have recently "
    "observed reports that a small contingent of North Korean personnel were operating near Donetsk.",
]


def test_scope_covers_the_sighting_before_not_the_isw_after():
    assert cues.scope(SEED_002, 2) == (1, 2)


def test_scope_of_a_cue_inside_a_claim_is_its_own_sentence():
    sentences = ["Troops were seen.", "A US official said the US had seen Ukrainian reports of North Korean "
                 "troops in Kursk and was working to confirm them."]
    assert cues.scope(sentences, 1) == (1, 1)


def test_labelled_cue_sentences(nlp):
    """Our own labelled set (tests/data/cue_sentences.jsonl): every sentence right.

    File order is the order of writing (bench/RESULTS.md has each batch's first-sight score):
    lines 1-140 the first set; 141-299 wire-style sentences; 300-367 a check batch written
    after those were fixed; 368-380 regression probes written while fixing; round 3: 381-580
    200 wire-style sentences, 581-640 a check batch written after those were fixed, 641-670
    regression probes written while fixing; round 4: 671-701 our own paraphrases (new names,
    places, numbers) of the phrasings that real article sentences (BASIL) showed we got wrong.
    """
    rows = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]
    wrong = [(r["status"], cue_of(r["text"], nlp)["status"], r["text"]) for r in rows
             if cue_of(r["text"], nlp)["status"] != r["status"]]
    assert len(rows) >= 100
    assert wrong == []
