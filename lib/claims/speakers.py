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

def find_speaker(doc) -> tuple[str | None, bool]:
    """(speaker phrase as written, refers_back) for one parsed sentence.

    ``refers_back`` is True when the speaker is a pronoun or a description
    without a name ("It added", "The intelligence service said"): the caller
    resolves it to the previous sentence's speaker. (None, False) when no one
    is credited.
    """
    tail = _TAIL_ATTRIBUTION.search(doc.text)
    if tail:  # "..., Kyiv says" / "..., said HUR."
        who = tail.group("before") or tail.group("after")
        return who, who.lower() in _PRONOUNS
    according = _according_to(doc)
    verbs = [t for t in doc if t.lower_ in REPORTING_VERBS and t.pos_ in ("VERB", "AUX")
             and not _inside_quotes(doc.text, t.idx)]
    verbs.sort(key=lambda t: (_depth(t), t.i))
    if according and (not verbs or _depth(verbs[0]) > 0) and not _relays(according, verbs, doc):
        return according, False  # "X is forming ..., according to Suspilne and Liga"
    for verb in verbs:
        subject = syntax.subject_of(verb)
        if subject is None:
            continue
        if subject.lower_ in _PRONOUNS:
            return subject.text, True
        # Appositions stay: "Ukrainian newspaper The Kyiv Independent" names its source there.
        text = syntax.phrase(subject, keep_conj=True, keep_appos=True)
        if not any(t.pos_ == "PROPN" or t.ent_type_ for t in subject.subtree):
            generic = text.lower().startswith(("the ", "this ", "that "))
            if generic and not according:
                return text, True
            if generic:
                continue
        return text, False
    if according:
        return according, False
    return None, False


# "..., Kyiv says" and "..., said HUR.": the speaker closes the sentence.
_TAIL_ATTRIBUTION = re.compile(
    r"[,”\"]\s*(?:(?P<before>[^,“”\"]{2,60}?)\s+(?:says|said|added)|(?:says|said|added)\s+"
    r"(?P<after>[^,“”\"]{2,60}?))\s*[.!]?$")


_SAID = {"said", "says", "announced", "reported", "told", "stated", "claimed"}


def _relays(according: str, verbs: list, doc) -> bool:
    """'HUR said ..., according to Politico and Reuters': the outlets relay HUR's words."""
    position = doc.text.lower().find("according to")
    source = gazetteer().normalise(according)
    relay = source.kind == "outlet" or (source.kind == "several" and "+" in source.key)
    return relay and any(v.lower_ in _SAID and v.idx < position and syntax.subject_of(v) is not None
                         for v in verbs)


def _inside_quotes(text: str, char: int) -> bool:
    """True when ``char`` is inside a quotation: its speaker is quoted, not credited."""
    before = text[:char]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _according_to(doc) -> str | None:
    for token in doc:
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            objects = [c for c in doc[token.i + 1].children if c.dep_ == "pobj"]
            if objects:
                return syntax.phrase(objects[0], keep_conj=True, keep_appos=True)
            # The parser sometimes leaves the object unattached: take the words up to a comma.
            tail = doc.text[doc[token.i + 1].idx + 3:]
            return re.split(r"[,.;]", tail)[0].strip() or None
    return None


def _depth(token) -> int:
    depth = 0
    while token.head is not token and depth < 50:
        token = token.head
        depth += 1
    return depth


def speakers_of(docs: list, gazetteer: Gazetteer) -> list[Source | None]:
    """The source of each sentence of one report, in order.

    Pronouns and unnamed descriptions take the previous sentence's source; a
    quotation with no one credited takes the next sentence's source when that
    sentence only says who spoke ("... in North Korea” / Zelensky said while
    addressing Parliament"), else the previous one's (a quotation going on).
    """
    raw = [find_speaker(doc) for doc in docs]
    sources: list[Source | None] = []
    by_surname: dict[str, Source] = {}
    for idx, (phrase, refers_back) in enumerate(raw):
        previous = sources[-1] if sources else None
        if phrase is None:
            quote = _is_quotation(docs[idx].text)
            nxt = raw[idx + 1] if idx + 1 < len(raw) else (None, False)
            if quote and nxt[0] and not nxt[1] and _opens_with_attribution(docs[idx + 1]):
                source = gazetteer.normalise(nxt[0])
            elif quote:
                source = previous
            else:
                source = None
        elif refers_back:
            source = previous
        else:
            source = gazetteer.normalise(phrase)
            source = by_surname.get(source.key, source)
            if source.kind in ("person", "other") and " " in source.name:
                by_surname.setdefault(slug(source.name.split()[-1]), source)
        sources.append(source)
    return sources


def _is_quotation(text: str) -> bool:
    return text.lstrip()[:1] in "“\"‘'" or text.rstrip()[-1:] in "”\""


def _opens_with_attribution(doc) -> bool:
    """'Zelensky said while addressing Parliament in Kyiv on Wednesday.'"""
    return any(t.lower_ in REPORTING_VERBS for t in doc[:4])
