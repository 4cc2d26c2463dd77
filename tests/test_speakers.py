"""Speakers: normalisation with the gazetteer, attribution in sentences (issue #4)."""
import pytest

from lib.claims.nlp import load
from lib.claims.speakers import Gazetteer, find_speaker, gazetteer, speakers_of
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


@pytest.mark.parametrize("sentence, speaker", [
    # verbs and multiword attributions
    ("Mayor Jane Alvarez told reporters the bridge would reopen in May.", "Mayor Jane Alvarez"),
    ("Tom Reyes said in an interview that prices would rise by 3 percent.", "Tom Reyes"),
    ("In a statement on Monday, the Foreign Ministry said the talks had stalled.", "the Foreign Ministry"),
    ("Ruth Okafor called the report “deeply flawed.”", "Ruth Okafor"),
    ("Critics pointed out that the numbers did not add up, Senator Ruth Okafor wrote on Tuesday.",
     "Senator Ruth Okafor"),
    ("Okafor continued: the numbers do not add up.", "Okafor"),
    ("A new survey shows that 60 percent of farmers back the plan.", "A new survey"),
    ("Maria Lopez's spokesman said the budget was balanced.", "Maria Lopez's spokesman"),
    # passives and reported speech
    ("Officer Dana Cole was quoted as saying the road was closed.", "Officer Dana Cole"),
    ("The agency quoted a senior official as saying that 400 people had been evacuated.", "a senior official"),
    ("The figure was reported by the Associated Press on Monday.", "the Associated Press"),
    ("The plan was drafted by Ana Ruiz, who warned that costs would double.", "Ana Ruiz"),
    ("Minister Paolo Berti defended the plan, saying it would create 2,000 jobs.", "Minister Paolo Berti"),
    ("The union called for a strike, according to Reuters.", "Reuters"),
    ("Taxes will rise, according to a speech Ana Ruiz gave in May.", "Ana Ruiz"),
    ("Fact-checkers examined Senator Hale's claim that crime fell by 20 percent.", "Senator Hale"),
    # where the speaker stands
    ("Prices will rise next year, said Governor Lena Park.", "Governor Lena Park"),
    ("Ann Lee said the plant would close, but the union disputed that, the company added.", "the company"),
    ("“Not a chance,” said Jane-Marie Doe, a ferry captain.", "Jane-Marie Doe"),
    ("We know the risks,” Grant said.", "Grant"),
    ("''We know the risks,'' Mr. Grant said.", "Mr. Grant"),
    ("At a news conference on Monday Okafor said that spending would fall.", "Okafor"),
    # the name, not its description
    ("John Kirby, the White House spokesman, said 3,000 troops had moved.", "John Kirby"),
    ("A lawyer for the company, Mark Chen, said no decision had been made.", "Mark Chen"),
    ("LONDON -- Prime Minister Alex Grant, speaking at a summit, said the deal was close.",
     "Prime Minister Alex Grant"),
    # transcripts, headlines and signed quotations
    ("SMITH: We will not raise taxes this year.", "SMITH"),
    ("Said Moreno: “We will appeal.”", "Moreno"),
    ("“We lost everything in the flood.” ― Maria Gomez", "Maria Gomez"),
])
def test_find_speaker(nlp, sentence, speaker):
    assert find_speaker(nlp(sentence))[0] == speaker


@pytest.mark.parametrize("sentence", [
    "The bridge reopened on Monday after repairs.",
    "The company maintains a fleet of trucks.",
    "He called in sick on Friday.",
    "A group called Citizens First held a rally.",
    "The rules oblige banks to report large transfers.",
    "The new rules had been announced in March.",
    "The airport added a second runway in 2019.",
    "Every year, a volunteer writes a report.",
    "I think the weather will improve.",
    "Update: Storm reaches the coast.",
    "It goes without saying that the plan is costly.",
    "The ministry did not reply to emails on Sunday.",
    "“Let’s see how this process goes, said nobody.”",
])
def test_no_speaker_without_attribution(nlp, sentence):
    assert find_speaker(nlp(sentence)) == (None, False)


def test_pronouns_reach_back_to_a_person(nlp):
    def names(sentences):
        return [s.name if s else None for s in speakers_of(list(nlp.pipe(sentences)), gazetteer())]

    # "She" skips the sentence without a speaker and the Treasury (no person) ...
    assert names(["Senator Ruth Okafor said the bill would pass.", "The vote is set for Tuesday.",
                  "She added that 51 senators support it."]) == ["Senator Ruth Okafor", None, "Senator Ruth Okafor"]
    assert names(["Senator Ruth Okafor criticised the bill.", "The Treasury said it would cost $4 billion.",
                  "She said the figure was too low."]) == ["Senator Ruth Okafor", "The Treasury",
                                                           "Senator Ruth Okafor"]
    # ... "It" does not; and no one is reached beyond LOOK_BACK sentences.
    assert names(["Senator Ruth Okafor criticised the bill.", "The Treasury said it would cost $4 billion.",
                  "It added that the figure was final."])[-1] == "The Treasury"
    assert names(["Senator Ruth Okafor criticised the bill.", "The vote is on Tuesday.", "Rain is expected.",
                  "The room is full.", "She said the figure was too low."])[-1] is None
