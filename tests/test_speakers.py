"""Speakers: normalisation with the gazetteer, attribution in sentences (issue #4)."""
import pytest

from lib.claims.nlp import load
from lib.claims.speakers import Gazetteer, gazetteer, speakers_of
from lib.errors import SettingsError

HUR = "Ukraine's military intelligence (HUR)"


@pytest.fixture(scope="module")
def nlp():
    """spaCy's small English model."""
    return load()


@pytest.mark.parametrize("phrase, name", [
    ("HUR", HUR),
    ("Ukraine’s military intelligence", HUR),
    ("the Defense Intelligence of Ukraine", HUR),
    ("Ukrainian military intelligence", HUR),
    ("the Ukrainian military defence intelligence service HUR", HUR),
    ("Ukrainian President Volodymyr Zelenskyy", "Volodymyr Zelensky"),
    ("Zelensky", "Volodymyr Zelensky"),
    ("Kyrylo Budanov Head of Defence Intelligence of Ukraine", "Kyrylo Budanov"),
    ("US National Security Council spokesman John Kirby", "John Kirby"),
    ("South Korean intelligence", "South Korean intelligence (NIS)"),
    ("Politico and Reuters", "Politico and Reuters"),
    ("Ukrainian media Suspilne and Ligawho", "Suspilne and Liga"),
    ("updated estimates from Kyiv", "Ukrainian government (Kyiv)"),
    ("A US official", "A US official"),
    ("Ukrainian newspaper The Kyiv Independent", "The Kyiv Independent"),
])
def test_normalise(phrase, name):
    assert gazetteer().normalise(phrase).name == name


def test_compatible_sources():
    g = gazetteer()
    key = lambda name: g.normalise(name).key  # noqa: E731
    assert g.compatible(key("HUR"), key("Kyiv"))
    assert g.compatible(key("Budanov"), key("HUR"))
    assert not g.compatible(key("Zelensky"), key("HUR"))
    assert not g.compatible(key("South Korean intelligence"), key("US"))
    assert g.compatible(key("John Kirby"), key("US"))
    assert g.compatible(None, key("HUR"))


def test_editors_extend_the_gazetteer(tmp_path):
    extra = tmp_path / "mine.csv"
    extra.write_text("name,kind,part_of,aliases\nOleksandr Syrskyi,person,,Syrskyi|General Syrskyi\n")
    g = Gazetteer.load(extra)
    assert g.normalise("General Syrskyi").name == "Oleksandr Syrskyi"
    assert g.normalise("HUR").name == HUR


def test_missing_editors_file_names_the_setting(tmp_path):
    with pytest.raises(SettingsError, match="FACTDESK_SOURCES_FILE"):
        Gazetteer.load(tmp_path / "nope.csv")


def test_speakers_follow_pronouns_and_quotes(nlp):
    sentences = [
        "In a post on Telegram, the Defense Intelligence of Ukraine said some North Korean troops had moved.",
        "The intelligence service said the troops had been seen in Kursk on Wednesday.",
        "It added that the roughly 12,000 North Korean soldiers are receiving training.",
        "“In the coalition of criminals alongside Putin, North Korea is already involved”",
        "Zelensky said while addressing Parliament in Kyiv on Wednesday.",
        "“Let’s see how this process goes,” Putin said.",
        "Ukrainian spies registered soldiers in Russia’s Kursk region on Wednesday, the 23rd of October, said HUR.",
    ]
    names = [s.name if s else None for s in speakers_of(list(nlp.pipe(sentences)), gazetteer())]
    assert names == [HUR, HUR, HUR, "Volodymyr Zelensky", "Volodymyr Zelensky", "Vladimir Putin", HUR]
