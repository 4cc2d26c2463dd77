"""Who makes a claim: the speaker or source of a sentence, normalised.

"Ukraine's military intelligence", "HUR", "the Defense Intelligence of Ukraine"
and "Ukrainian military intelligence" are one source (issue #4). spaCy's small
model finds the subject of the reporting verb ("..., HUR said") or the object
of "according to"; a gazetteer of sources names them. The gazetteer is a CSV
editors can extend: ``lib/claims/sources.csv`` plus the file named by
``FACTDESK_SOURCES_FILE`` (same columns: name, kind, part_of, aliases separated
by ``|``). ``part_of`` names the body a source speaks for (Budanov -> HUR ->
the Ukrainian government): one claim can gather a body and its parts, not two
different sources (lib.claims.match).
spaCy alone misses or mislabels Kyiv, HUR and sometimes Zelenskyy here.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lib.claims import syntax
from lib.errors import SettingsError

SOURCES_CSV = Path(__file__).with_name("sources.csv")

# Verb forms that attribute a statement (the lemmatizer is not loaded).
REPORTING_VERBS = frozenset("""
say says said saying tell tells told telling announce announces announced report reports reported
claim claims claimed claiming state states stated add adds added stress stresses stressed
confirm confirms confirmed estimate estimates estimated warn warns warned note notes noted
write writes wrote insist insists insisted allege alleges alleged reveal reveals revealed
assert asserts asserted argue argues argued believe believes believed recall recalls recalled
deny denies denied dismiss dismisses dismissed accuse accuses accused suggest suggests suggested
indicate indicates indicated tweet tweeted post posted explain explained acknowledge acknowledged
admit admitted observe observed replied reply replies expect expects expected comment comments commented
respond responds responded
""".split())
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "who", "his", "her", "their", "its"}
_CURLY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


@dataclass(frozen=True)
class Source:
    """A normalised speaker: ``name`` for people, ``key`` for comparing."""

    name: str
    key: str
    kind: str = "other"


def _fold(text: str) -> str:
    """Case-, quote- and article-insensitive form of a name."""
    text = text.translate(_CURLY).lower().strip(" ,.;:\"'()")
    text = re.sub(r"^(?:the|a|an)\s+", "", text)
    return re.sub(r"\s+", " ", text)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _fold(text)).strip("-")


class Gazetteer:
    """Known sources and their aliases."""

    def __init__(self, rows: list[dict]):
        self.sources: dict[str, Source] = {}
        self.parent: dict[str, str] = {}  # key -> key of the body it is part of
        for row in rows:
            name = (row.get("name") or "").strip()
            if not name:
                continue
            source = Source(name, slug(name), (row.get("kind") or "other").strip() or "other")
            if (row.get("part_of") or "").strip():
                self.parent[source.key] = slug(row["part_of"])
            for alias in [name, *(row.get("aliases") or "").split("|")]:
                if alias.strip():
                    self.sources[_fold(alias)] = source
        aliases = sorted(self.sources, key=len, reverse=True)
        self._pattern = re.compile(
            r"(?<![\w])(?:" + "|".join(re.escape(a) for a in aliases) + r")(?![\w])"
        ) if aliases else None

    @classmethod
    def load(cls, extra: str | Path | None = None) -> "Gazetteer":
        """The shipped gazetteer plus an editors' file (``FACTDESK_SOURCES_FILE``)."""
        rows = _read_csv(SOURCES_CSV)
        if extra:
            path = Path(extra)
            if not path.is_file():
                raise SettingsError(
                    f"FACTDESK_SOURCES_FILE must be a CSV file with columns name,kind,aliases, "
                    f"got {str(extra)!r} (no such file)."
                )
            rows += _read_csv(path)
        return cls(rows)

    def known(self, key: str | None) -> bool:
        return bool(key) and all(part in self._keys for part in key.split("+"))

    @property
    def _keys(self) -> set[str]:
        return {s.key for s in self.sources.values()}

    def _lineage(self, key: str) -> list[str]:
        line = [key]
        while line[-1] in self.parent and len(line) < 10:
            line.append(self.parent[line[-1]])
        return line

    def compatible(self, a: str | None, b: str | None) -> bool:
        """Can one claim gather sources ``a`` and ``b``? Yes when either is
        unknown, they are the same, or one is part of the other (HUR and Kyiv);
        no for two different known sources (Zelensky and HUR, the US and NIS)."""
        if not a or not b or a == b or not self.known(a) or not self.known(b):
            return True
        return any(pa in self._lineage(pb) or pb in self._lineage(pa)
                   for pa in a.split("+") for pb in b.split("+"))

    def lookup(self, phrase: str) -> Source | None:
        """The source whose name or alias is exactly ``phrase`` (case-insensitive)."""
        return self.sources.get(_fold(phrase))

    def mentions(self, phrase: str) -> list[tuple[int, int, Source]]:
        """Every known source named inside ``phrase``, longest alias first, left to right."""
        if self._pattern is None:
            return []
        folded = phrase.translate(_CURLY).lower()
        return [(m.start(), m.end(), self.sources[m.group(0)]) for m in self._pattern.finditer(folded)]

    def normalise(self, phrase: str) -> Source:
        """One source for a speaker phrase as written.

        Exact aliases first ("the Defense Intelligence of Ukraine" -> HUR); then
        sources named inside the phrase ("Ukrainian President Volodymyr Zelensky"
        -> Zelensky, "Ukrainian media Suspilne and Liga" -> "Suspilne and Liga");
        short aliases like "US" count only as the whole phrase, so "A US
        official" stays itself.
        """
        phrase = _fix_glued_who(phrase, self)
        exact = self.lookup(phrase)
        if exact:
            return exact
        found = [s for start, end, s in self.mentions(phrase) if end - start >= 4]
        people = [s for s in found if s.kind == "person"]
        if people:
            return people[0]
        unique = list(dict.fromkeys(found))
        if len(unique) == 1:
            return unique[0]
        if len(unique) > 1 and re.search(r"\band\b|,", phrase):
            return Source(" and ".join(s.name for s in unique), "+".join(s.key for s in unique), "several")
        if unique:
            return unique[0]
        cleaned = re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.IGNORECASE)
        cleaned = re.sub(r"^(?:[Tt]he|[Aa]n?)\s+", "", cleaned)
        return Source(phrase.strip(), slug(cleaned) or slug(phrase))


def _read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _fix_glued_who(phrase: str, gazetteer: Gazetteer) -> str:
    """'Suspilne and Ligawho cite ...' (a typo in seed 002): 'Liga' + 'who'."""
    def fix(m: re.Match) -> str:
        stem = m.group(1)
        return stem if gazetteer.lookup(stem) else m.group(0)

    fixed = re.sub(r"\b(\w+?)who\b", fix, phrase)
    return re.sub(r"\s+(?:who|that|which)\b.*$", "", fixed)


@lru_cache(maxsize=4)
def gazetteer(extra: str = "") -> Gazetteer:
    """The process's gazetteer for an editors' file (cached)."""
    return Gazetteer.load(extra or None)


# --- finding the speaker in a parsed sentence ---------------------------------------

def _inflect(base: str) -> set[str]:
    """base, -s, -ed and -ing forms of a regular verb ("cite" -> cites, cited, citing)."""
    if base.endswith("e"):
        return {base, base + "s", base + "d", base[:-1] + "ing"}
    if base.endswith("y") and base[-2:-1] not in ("a", "e", "o", "u"):
        return {base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    if base.endswith(("s", "sh", "ch", "x", "z")):
        return {base, base + "es", base + "ed", base + "ing"}
    return {base, base + "s", base + "ed", base + "ing"}


def _verbs(regular: str, irregular: str = "") -> frozenset[str]:
    return frozenset().union(*(_inflect(v) for v in regular.split())) | frozenset(irregular.split())


# Verbs of saying beyond REPORTING_VERBS (which the check-worthiness score also
# reads and stays as it is): what a speaker does with words.
SPEECH_VERBS = REPORTING_VERBS | _verbs("""
    announce report claim state add stress confirm estimate warn note insist allege reveal
    assert argue believe recall deny dismiss accuse suggest indicate tweet post explain
    acknowledge observe reply expect comment respond
    affirm reaffirm agree disagree ask assure blame blast boast brag call caution
    charge cite clarify complain conclude concede condemn contend counter criticize criticise
    declare decry demand denounce describe detail disclose dispute echo emphasize emphasise
    exclaim highlight hint imply inform lament mention mock maintain object plead pledge
    praise predict proclaim promise propose protest question reiterate reject remark remind
    repeat retort scold shout slam speculate testify threaten tout urge vow wonder yell
    liken express joke rail chastise scoff gripe grumble quote
""", """
    admitted admitting quipped quipping quips quip
    swear swears swore sworn swearing forecast forecasts forecasting
    write writing written
""")
# ... of which these have a common sense that is no saying ("maintains a fleet",
# "charged a fee", "added a second runway"): they credit a speaker only with a clause
# ("she added that ...", "he added:"), a quotation in the sentence, or at its
# close ("..., the company added.").
_NEEDS_CLAUSE = _verbs("add charge counter maintain object post remind",
                       "write writes wrote written writing")
# Verbs of thinking and showing: a stance or a finding of their subject ("the mayor
# wants to ...", "a survey found that ..."). They need a clause ("surveys show a
# narrow lead" too), and "I think", "we know" outside quotation marks are asides.
STANCE_VERBS = _verbs("""
    doubt fear hope show suspect want wish worry
""", """
    think thinks thought thinking feel feels felt feeling know knows knew known knowing
    find finds found finding
""") - SPEECH_VERBS
# "pointed out", "pointed to", "weighed in": verbs that attribute only with their particle.
_PHRASAL = {**{form: ("out", "to") for form in _inflect("point")},
            **{form: ("in",) for form in _inflect("weigh")},
            **{form: ("out", "about", "of") for form in ("speak", "speaks", "spoke", "spoken", "speaking")},
            **{form: (":",) for form in _inflect("continue")}}
_CALL = _inflect("call")
_SHOW = _inflect("show") | {"shown"}
_QUOTING = _inflect("quote") | _inflect("cite")  # "X was quoted as saying", "Reuters quoted X as saying"
_SAYING = frozenset({"saying", "telling", "writing", "adding", "describing", "calling"})
_RELATIVE = {"who", "which", "that", "whom"}
# No one to credit: "you know", "it shows"; "I think", "we know" outside quotes are asides.
_NO_SPEAKER = {"you", "there", "what", "one"}
_WEAK_SUBJECTS = _NO_SPEAKER | {"it", "this", "that", "which", "i", "we"}
_QUOTE_SIGN = re.compile(r"[“”\"]|''")


def find_speaker(doc) -> tuple[str | None, bool]:
    """(speaker phrase as written, refers_back) for one parsed sentence.

    ``refers_back`` is True when the speaker is a pronoun or a description
    without a name ("It added", "The intelligence service said"): the caller
    resolves it to an earlier sentence's speaker. (None, False) when no one is
    credited.

    In order: a name that signs a quotation or heads a transcript line
    ("“...” ― Jane Doe", "SMITH: ..."); "according to X" unless X relays a
    named speaker ("HUR said ..., according to Politico"); the subject of a verb
    of saying or thinking outside quotation marks, one closing the sentence
    first ("..., officials said."), then the least embedded ("X said", "..., said
    X", "X, who said", "X did Y, saying", "X was quoted as saying", "Reuters
    quoted X as saying", "was reported by X"); a name closing the sentence after
    "said"; the owner of a said-noun ("X's claim that ...").
    """
    text = doc.text
    labelled = _labelled(doc)
    if labelled:
        return labelled, False
    according = _according_to(doc)
    quoted = bool(_QUOTE_SIGN.search(text))
    verbs = [t for t in doc if _attributes(t, quoted) and not _inside_quotes(text, t.idx)]
    # "..., officials said." closes the sentence: it credits all that went before.
    verbs.sort(key=lambda t: (not _closes(t), _depth(t), t.i))
    if according and not _relays(according, verbs, doc):
        return according, False  # "X is forming ..., according to Suspilne and Liga"
    for verb in verbs:
        subject = _speaker_token(verb)
        if subject is not None and _inside_quotes(text, subject.idx):
            subject = _unquoted_subject(verb)  # the parser took quoted words for the subject
        if subject is None or subject.lower_ in _NO_SPEAKER and not list(subject.children):
            continue
        if subject.lower_ in _WEAK_SUBJECTS and verb.lower_ in STANCE_VERBS:
            continue
        if subject.lower_ in _PRONOUNS:
            return subject.text, True
        name = _name(subject)
        if not name:
            continue
        if not any(t.pos_ == "PROPN" or t.ent_type_ for t in subject.subtree):
            generic = name.lower().startswith(("the ", "this ", "that "))
            if generic and not according:
                return name, True
            if generic:
                continue
        return name, False
    tail = _TAIL_ATTRIBUTION.search(text)
    if tail and _looks_like_name(tail.group("before") or tail.group("after")):
        who = tail.group("before") or tail.group("after")
        return who, who.lower() in _PRONOUNS
    if according:
        return according, False
    return _owner_of_words(doc)


# Nouns for what someone said: "the senator's claim that ...", "the ministry's estimate of ...".
_SAID_NOUNS = frozenset("""
    claim claims statement statements remark remarks comment comments assertion assertions allegation
    allegations accusation accusations warning warnings prediction predictions promise promises pledge
    pledges estimate estimates assessment assessments announcement announcements testimony tweet tweets
    insistence contention argument arguments suggestion view views account
""".split())


def _owner_of_words(doc) -> tuple[str | None, bool]:
    """'Auditors checked Mayor Diaz's claim that ...' -> Mayor Diaz: whose words the sentence gives
    (a said-noun with a that-clause and an owner)."""
    for token in doc:
        if token.lower_ not in _SAID_NOUNS or token.pos_ != "NOUN" or _inside_quotes(doc.text, token.idx):
            continue
        owners = [c for c in token.children if c.dep_ == "poss"]
        content = any(c.dep_ in ("acl", "ccomp", "relcl") and any(g.dep_ == "mark" and g.lower_ == "that"
                                                                for g in c.children) for c in token.children)
        if not owners or not content or owners[0].lower_ in _NO_SPEAKER:
            continue
        if owners[0].lower_ in _PRONOUNS:
            return owners[0].text, True
        name = syntax.phrase(owners[0], keep_conj=True)
        name = re.sub(r"\s*['’]s?$", "", name)
        if name and any(t.pos_ == "PROPN" or t.ent_type_ for t in owners[0].subtree):
            return name, False
    return None, False


def _attributes(token, quoted: bool) -> bool:
    """Is ``token`` a verb that credits its subject with what the sentence says?
    ``quoted``: the sentence holds a quotation."""
    word = token.lower_
    if token.pos_ not in ("VERB", "AUX"):
        return False
    children = list(token.children)
    if token.tag_ == "VBN" and token.dep_ in ("acl", "amod", "advcl") \
            and not any(c.dep_ in ("aux", "auxpass", "nsubj") for c in children):
        return False  # "a group called X", "as noted above"
    if token.tag_ == "VBG" and (token.dep_ in ("dobj", "pobj", "nsubj")
                                or token.head.lower_ in ("without", "worth")):
        return False  # "weeks of reporting", "it goes without saying", "it is worth noting"
    if any(c.dep_ == "neg" for c in children) and not any(c.dep_ in ("ccomp", "xcomp", "dobj") for c in children):
        return False  # "did not reply to emails", "would not say"
    if word in _PHRASAL:  # "pointed out", "continued:"
        return any(c.lower_ in _PHRASAL[word] and c.dep_ in ("prt", "prep", "punct") for c in children)
    if word in _CALL and any(c.lower_ in ("in", "into", "off", "up", "back")
                             and (c.dep_ == "prt" or c.i == token.i + 1) for c in children):
        return False  # "he called in sick", "they called off the search"
    clause = any(c.dep_ in ("ccomp", "xcomp") for c in children) or \
        token.i + 1 < len(token.doc) and token.doc[token.i + 1].text == ":"
    if word in STANCE_VERBS:  # "a survey shows that ...", "surveys show a narrow lead"; not "began to show"
        return clause or word in _SHOW and any(c.dep_ == "dobj" for c in children) \
            and not any(c.dep_ == "prt" for c in children)
    if word in _NEEDS_CLAUSE:  # "..., the company added."
        return clause or quoted or _closes(token)
    return word in SPEECH_VERBS


def _closes(verb) -> bool:
    """'..., the ministry added.', '..., officials said on Friday.', '“...,” said Jane Doe.':
    a verb of saying after a clause and a comma or quotation, with only its
    subject and a short adjunct after it."""
    if verb.lower_ in STANCE_VERBS or verb.i == 0 or verb.dep_ == "relcl":
        return False
    doc = verb.doc
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subjects or subjects[0].lower_ in _PRONOUNS:
        return False  # "..., she said" after "Jane Doe said ...": the name is better
    subject = subjects[0]
    start = min(subject.left_edge.i, verb.i)
    if start == 0 or doc[start - 1].text not in (",", "”", "\"", "''", "—", "―", "–", "--"):
        return False
    if not any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in doc[:start - 1]):
        return False  # "Every year, a volunteer writes ...": nothing said before the comma
    rest = [t for t in doc[verb.i + 1:] if not t.is_punct]
    inside = {t.i for t in subject.subtree} | {t.i for c in verb.children
                                             if c.dep_ in ("npadvmod", "prep", "advmod", "dative", "dobj")
                                             for t in c.subtree}
    return all(t.i in inside for t in rest) and len(rest) <= 12


def _unquoted_subject(verb):
    """'“Never again,” said Jane Doe': the name by the verb outside the quotation."""
    text = verb.doc.text
    names = [c for c in verb.children if c.dep_ in ("nsubj", "dobj", "attr", "npadvmod", "dep", "appos")
             and c.pos_ in ("PROPN", "NOUN") and not _inside_quotes(text, c.idx)]
    return names[0] if names else None


def _speaker_token(verb):
    """Who speaks through ``verb``: its subject, with the turns of reported speech."""
    word = verb.lower_
    children = list(verb.children)
    if word in _QUOTING:
        # "X was quoted as saying" -> X; "Reuters quoted X as saying" -> X (Reuters relays).
        as_saying = any(c.lower_ == "as" and any(g.lower_ in _SAYING for g in c.children) for c in children)
        passive = [c for c in children if c.dep_ == "nsubjpass"]
        if passive:
            return passive[0]
        objects = [c for c in children if c.dep_ == "dobj"]
        if as_saying and objects:
            return objects[0]
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in children):
        agents = [g for c in children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        return agents[0] if agents else None  # "was declared by X"; "has been mentioned as" credits no one
    if verb.dep_ == "xcomp" and any(c.dep_ == "dobj" for c in verb.head.children):
        return None  # "the rules oblige banks to report ..."
    subject = syntax.subject_of(verb)
    if subject is not None and subject.dep_ == "csubj":
        return None  # a clause is no speaker: "[That the plan may fail] worries investors"
    if subject is None and verb.tag_ == "VBG" and verb.dep_ in ("advcl", "conj", "xcomp"):
        subject = syntax.subject_of(verb.head)  # "The minister defended the plan, saying ..."
    if subject is None and verb.tag_ == "VBG" and verb.dep_ == "acl" and verb.head.pos_ == "PROPN" \
            and verb.lower_ in SPEECH_VERBS:
        subject = verb.head  # "footage of Jane Doe saying ..."
    if subject is not None and subject.lower_ in _RELATIVE and subject.head.dep_ == "relcl":
        subject = subject.head.head  # "Ana Ruiz, who warned that ..." -> Ana Ruiz
    if subject is not None:
        subject = _past_dateline(subject)
    elif verb.dep_ == "ROOT" and verb.tag_ in ("VBD", "VBZ") and verb.i and verb.doc[verb.i - 1].pos_ == "PROPN":
        # A name the parser hung elsewhere: "At a news conference on Monday Jane Doe said ..."
        subject = verb.doc[verb.i - 1]
    return subject


def _past_dateline(subject):
    """'LONDON -- Prime Minister Alex Grant ... said': the dateline is no speaker; the
    name after the dash (the parser's apposition) is."""
    doc = subject.doc
    dash = next((t.i for t in doc[:8] if t.text in ("--", "—", "―", "–")), None)
    if dash is None or subject.i > dash or not all(t.is_upper or t.is_punct or t.like_num or t.pos_ == "PROPN"
                                                   for t in doc[:dash]):
        return subject
    after = [c for c in subject.children if c.i > dash and c.dep_ in ("appos", "conj")]
    after += [c for c in subject.head.children if c.i > dash and c.dep_ == subject.dep_]
    return after[0] if after else None


def _name(subject) -> str:
    """The subject's phrase: a name without its description ("John Kirby, the White
    House spokesman" -> John Kirby), a description's name ("a lawyer for the
    firm, Mark Chen" -> Mark Chen), coordinated names kept, dates dropped
    ("Jane Doe this week", "Monday Jane Doe" -> Jane Doe)."""
    appos = [c for c in subject.children if c.dep_ == "appos"]
    named = subject.pos_ == "PROPN" or bool(subject.ent_type_)
    if appos and not named:
        names = [a for a in appos if a.pos_ == "PROPN"]
        if names:
            subject, appos = names[0], []
    dates = [t for t in subject.subtree if t.ent_type_ in ("DATE", "TIME") and t.dep_ in ("compound", "nmod")]
    return syntax.phrase(subject, keep_conj=True, keep_appos=True, drop=("npadvmod",), without=(*appos, *dates))


# "..., Kyiv says" and "..., said HUR.": the speaker closes the sentence.
_TAIL_ATTRIBUTION = re.compile(
    r"[,”\"]\s*(?:(?P<before>[^,“”\"]{2,60}?)\s+(?:says|said|added)|(?:says|said|added)\s+"
    r"(?P<after>[^,“”\"]{2,60}?))\s*[.!]?$")
_NAME_WORD = re.compile(r"^(?:[^\W\d_][\w.'’-]*|[A-Z]\.)$")
_NAME_PARTICLES = {"de", "da", "del", "der", "di", "du", "la", "le", "van", "von", "bin", "al", "y", "of", "the"}
# Lead-in labels that are no speaker: "The Latest: ...", "UPDATE: ...".
_LABELS = {"the latest", "latest", "update", "updated", "breaking", "breaking news", "watch", "video", "photos",
           "photo", "read more", "related", "note", "editor's note", "editors note", "correction", "exclusive",
           "analysis", "opinion", "live", "live updates", "factbox", "fact check", "explainer", "q&a", "q",
           "a", "summary", "background", "context", "source", "sources", "details", "more", "read", "listen",
           "subscribe", "advertisement", "warning", "spoiler", "question", "answer", "bottom line", "quote",
           "key points", "what we know", "timeline", "full text", "transcript", "audio", "graphic", "map",
           "review", "interview", "editorial", "commentary", "obituary", "podcast", "quiz", "perspective",
           "recap", "preview", "profile", "feature", "column", "essay", "chart", "data", "clarification",
           "sponsored", "promoted", "tip", "tips", "caption", "credit", "image", "illustration", "file",
           "notes", "verdict", "rating", "ruling", "claim", "fact", "facts", "myth", "reality", "takeaway",
           "why", "how", "what", "where", "when", "who", "example", "result", "results", "conclusion",
           "lesson", "step", "part", "chapter", "today", "tonight", "now", "then", "also", "plus", "pictured",
           "headline", "title", "subject", "topic", "agenda", "location", "venue", "date", "time", "price",
           "cost", "contact", "email", "phone", "website", "address", "tags", "filed under", "share",
           "follow", "read next", "see also", "also read", "more coverage", "trending", "top stories"}


def _looks_like_name(phrase: str | None) -> bool:
    """'Jane Doe', 'HUR', 'the Kremlin', 'Mr. Smith' - not 'at a news conference' or 'prices will rise'."""
    if not phrase:
        return False
    words = phrase.strip(" .").split()
    if not 1 <= len(words) <= 6 or words[0].lower() in _NAME_PARTICLES - {"the"} and len(words) == 1:
        return False
    if words[0].lower() in ("the", "a", "an") and len(words) > 1:
        words = words[1:]
    if words[0].lower() in _PRONOUNS:
        return len(words) == 1
    return all(_NAME_WORD.match(w) and (w[0].isupper() or w.lower() in _NAME_PARTICLES) for w in words) \
        and words[0][0].isupper() and not _WEEKDAYS_MONTHS.match(words[0])


_WEEKDAYS_MONTHS = re.compile(
    r"^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|"
    r"July|August|September|October|November|December|Today|Yesterday|Tonight|Earlier|Later|Last|This|Next)\b")
# "“...” ― Jane Doe" (a quotation signed with a dash), "SMITH: Well, ..." (a transcript or headline).
_DASH_SIGNED = re.compile(r"(?:^|[”\"'.!?])\s*(?:[―—–]|--)\s*"
                          r"(?P<who>[^―—–\"“”:;,]{2,60}?)\s*[.]?\s*$")
_COLON_LEAD = re.compile(r"^\W{0,2}?(?:(?:[Ss]aid|[Ss]ays|[Aa]dded|[Aa]sked|[Ww]rote)\s+)?"
                         r"(?P<who>[^\W\d_][^:;,.!?\"“”]{0,40}?):\s+\S")


def _labelled(doc) -> str | None:
    """The name that signs a quotation ("“...” ― Jane Doe") or heads a transcript
    line or headline ("SMITH: Well, ...", "Jane Doe: Voters worry ...")."""
    text = doc.text
    signed = _DASH_SIGNED.search(text)
    if signed and _looks_like_name(signed.group("who")) and (_QUOTE_SIGN.search(text) or signed.start() == 0):
        return signed.group("who").strip()
    lead = _COLON_LEAD.match(text)
    if not lead:
        return None
    who = lead.group("who").strip()
    if who.lower().replace("’", "'") in _LABELS or not _looks_like_name(who) or len(who.split()) > 4:
        return None
    tokens = [t for t in doc if lead.start("who") <= t.idx < lead.end("who")]
    entity = all(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for t in tokens)
    single = len(tokens) == 1 and tokens[0].text[:1].isupper()  # "SMITH:", "Eurostat:"
    return who if tokens and (entity or single or gazetteer().lookup(who)) else None


_SAID = {"said", "says", "announced", "reported", "told", "stated", "claimed"}


def _relays(according: str, verbs: list, doc) -> bool:
    """'HUR said ..., according to Politico and Reuters': the outlets relay HUR's words."""
    position = doc.text.lower().find("according to")
    source = gazetteer().normalise(according)
    relay = source.kind == "outlet" or (source.kind == "several" and "+" in source.key)
    return relay and any(v.lower_ in _SAID and v.idx < position and syntax.subject_of(v) is not None
                         for v in verbs)


def _inside_quotes(text: str, char: int) -> bool:
    """True when ``char`` is inside a quotation: its speaker is quoted, not credited.

    Curly quotes say which way they face; straight ones (" and the '' of some
    outlets) face by their neighbours: an opening mark follows a space, a
    closing one follows a word or punctuation. A sentence that closes a quotation
    it never opened ("I know we will,” he said.) begins inside it.
    """
    marks = [(m.start(), _facing(text, m)) for m in _QUOTE_MARK.finditer(text)]
    if not marks:
        return False
    inside = marks[0][1] == "close"
    for start, facing in marks:
        if start >= char:
            break
        inside = facing == "open" if facing != "?" else not inside
    return inside


_QUOTE_MARK = re.compile(r"[“”]|''|\"|``")


def _facing(text: str, mark: re.Match) -> str:
    """'open', 'close' or '?' for one quotation mark."""
    sign = mark.group(0)
    if sign in ("“", "``"):
        return "open"
    if sign == "”":
        return "close"
    before = text[mark.start() - 1] if mark.start() else " "
    after = text[mark.end()] if mark.end() < len(text) else " "
    if before.isspace() or before in "([—–-":
        return "?" if after.isspace() else "open"
    if after.isspace() or after in ".,;:!?)—–-":
        return "close"
    return "?"


def _according_to(doc) -> str | None:
    for token in doc:
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            objects = [c for c in doc[token.i + 1].children if c.dep_ == "pobj"]
            if objects:
                return syntax.phrase(_author(objects[0]), keep_conj=True, keep_appos=True)
            # The parser sometimes leaves the object unattached: take the words up to a comma.
            tail = doc.text[doc[token.i + 1].idx + 3:]
            return re.split(r"[,.;]", tail)[0].strip() or None
    return None


def _author(source):
    """Who is behind a document: 'according to a speech Jane Doe delivered' -> Jane
    Doe, 'according to the ministry's report' -> the ministry; named sources stay."""
    if source.pos_ != "PROPN":
        owners = [c for c in source.children if c.dep_ == "poss" and c.pos_ == "PROPN"]
        writers = [g for c in source.children if c.dep_ == "relcl" for g in c.children
                   if g.dep_ == "nsubj" and g.pos_ == "PROPN"]
        return (owners or writers or [source])[0]
    return source


def _depth(token) -> int:
    """Links from ``token`` up to its sentence's root (spaCy makes a new Token
    object on each access: compare indices, not identities)."""
    depth = 0
    while token.head.i != token.i and depth < 50:
        token = token.head
        depth += 1
    return depth


def speakers_of(docs: list, gazetteer: Gazetteer) -> list[Source | None]:
    """The source of each sentence of one report, in order.

    Pronouns and unnamed descriptions take the source of the nearest of the
    LOOK_BACK sentences before that has one ("he" and "she" the nearest
    person's); a quotation with no one credited takes the next sentence's
    source when that sentence only says who spoke ("... in North Korea” /
    Zelensky said while addressing Parliament"), else the previous one's (a
    quotation going on).
    """
    raw = [find_speaker(doc) for doc in docs]
    sources: list[Source | None] = []
    person: dict[str, bool] = {}  # source key -> may be a person (what "he" and "she" can mean)
    by_surname: dict[str, Source] = {}
    for idx, (phrase, refers_back) in enumerate(raw):
        previous = sources[-1] if sources else None
        if phrase is None:
            quote = _is_quotation(docs[idx].text)
            nxt = raw[idx + 1] if idx + 1 < len(raw) else (None, False)
            if quote and nxt[0] and not nxt[1] and _opens_with_attribution(docs[idx + 1]):
                source = gazetteer.normalise(nxt[0])
                person.setdefault(source.key, _may_be_person(source, docs[idx + 1], nxt[0]))
            elif quote:
                source = previous
            else:
                source = None
        elif refers_back:
            source = _antecedent(phrase, sources[-LOOK_BACK:], person)
        else:
            source = gazetteer.normalise(phrase)
            source = by_surname.get(source.key, source)
            if source.kind in ("person", "other") and " " in source.name:
                by_surname.setdefault(slug(source.name.split()[-1]), source)
            person.setdefault(source.key, _may_be_person(source, docs[idx], phrase))
        sources.append(source)
    return sources


LOOK_BACK = 3  # sentences a pronoun or description may reach back for its speaker


def _antecedent(phrase: str, recent: list, person: dict) -> Source | None:
    """The speaker a pronoun or description refers to: the nearest source of the
    ``recent`` sentences, one that may be a person for "he" and "she"."""
    named = [s for s in recent if s is not None]
    if phrase.lower() in ("he", "she", "his", "her"):
        people = [s for s in named if person.get(s.key, True)]
        named = people or named
    return named[-1] if named else None


def _may_be_person(source: Source, doc, phrase: str) -> bool:
    """False for bodies: a known source that is no person (HUR, Kyiv, CNN), or a
    phrase whose head spaCy names as an organisation or place."""
    if source.kind not in ("person", "other"):
        return False
    start = doc.text.find(phrase)
    span = doc.char_span(start, start + len(phrase), alignment_mode="expand") if start >= 0 else None
    return span is None or span.root.ent_type_ not in ("ORG", "GPE", "NORP", "FAC", "LOC")


def _is_quotation(text: str) -> bool:
    return text.lstrip()[:1] in "“\"‘'" or text.rstrip()[-1:] in "”\""


def _opens_with_attribution(doc) -> bool:
    """'Zelensky said while addressing Parliament in Kyiv on Wednesday.'"""
    return any(t.lower_ in REPORTING_VERBS for t in doc[:4])
