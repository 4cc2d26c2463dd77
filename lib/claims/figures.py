"""Figures a sentence states: "about 12,000 North Korean troops" ->
``Figure(value=12000, qualifier="about", unit="troops", what="North Korean troops")``.

Plain regular expressions, one per piece of the grammar (issue #4):

    [qualifier] NUMBER [scale] [Nationality words] unit words [from/in COUNTRY]
    NUMBER container of NUMBER unit each        -> a product, ``parts`` [2, 6000]

Not figures: dates ("On 18 October", "the 24th of October": see
:func:`statement_date`), ordinals ("11th Airborne Brigade"), years, and the size
of one unit ("a 3,000-person battalion" is how big a battalion is, not how many
troops were sent). ``what`` is the normalised quantity used to compare claims:
troops, soldiers and infantrymen all count "troops"; officers and generals are
quantities of their own.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import NamedTuple
from datetime import date, timedelta

QUALIFIERS = ("exact", "about", "at_least", "more_than", "up_to")

# Words before a number and the qualifier they give (longest first in the regex).
_QUALIFIER_WORDS = {
    "about": "about", "around": "about", "roughly": "about", "approximately": "about",
    "some": "about", "nearly": "about", "almost": "about", "close to": "about",
    "an estimated": "about", "estimated": "about", "perhaps": "about", "reportedly": "about",
    "up to": "up_to", "as many as": "up_to", "at most": "up_to", "no more than": "up_to",
    "fewer than": "up_to", "less than": "up_to", "under": "up_to",
    "at least": "at_least", "no fewer than": "at_least", "no less than": "at_least",
    "a minimum of": "at_least",
    "more than": "more_than", "over": "more_than", "upwards of": "more_than",
    "in excess of": "more_than",
}

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a hundred": 100, "a dozen": 12, "a thousand": 1000,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000, "bn": 1_000_000_000, "m": 1_000_000, "k": 1_000}

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Countries as the texts name them (country, capital, demonym...) -> demonym.
NATIONS = {
    "North Korean": ("north korea", "north korean", "north koreans", "dprk", "pyongyang",
                     "n. korea", "n. korean"),
    "South Korean": ("south korea", "south korean", "seoul", "rok"),
    "Russian": ("russia", "russian", "russians", "moscow", "kremlin"),
    "Ukrainian": ("ukraine", "ukrainian", "ukrainians", "kyiv", "kiev"),
    "US": ("us", "u.s.", "united states", "america", "american", "washington"),
    "Chinese": ("china", "chinese", "beijing"),
    "Iranian": ("iran", "iranian", "tehran"),
    "Belarusian": ("belarus", "belarusian", "minsk"),
    "Israeli": ("israel", "israeli"),
    "British": ("britain", "uk", "british", "london"),
}
_NATION_OF = {alias: demonym for demonym, aliases in NATIONS.items() for alias in aliases}

# Counted nouns that are one quantity (issue #4: troops, soldiers and
# infantrymen must compare as one; officers and generals stay apart).
UNIT_CLASSES = {
    "troops": ("troops", "troop", "soldiers", "soldier", "infantrymen", "infantry",
               "servicemen", "personnel", "military personnel", "fighters", "forces",
               "mercenaries", "conscripts", "recruits", "marines", "military"),
    "officers": ("officers", "officer", "commanders", "army officers"),
    "generals": ("generals", "general", "army generals"),
}
_CLASS_OF = {word: cls for cls, words in UNIT_CLASSES.items() for word in words}
# "two brigades of 6,000 people each": people in military units are troops.
_MILITARY_CONTAINERS = {"brigades", "battalions", "units", "military units", "regiments",
                        "divisions", "companies", "platoons", "squads", "contingents", "groups"}

# Words that end a unit: function words, auxiliaries and common verbs.
_STOP = set("""a an the of to in into on at by for from with and or but as than that which who
whom whose this these those is are was were be been being has have had will would could can
may might must should shall do does did not no each per all both its their his her our your
my it they he she we i you there here arrived said say says told reported have been left
were are including included includes involving across over under about around after before
during since until while when where if so also just only still already more less most least
figure number total""".split())
_PLURAL_IRREGULAR = {"people", "personnel", "military", "infantry", "staff", "police",
                     "children", "men", "women", "livestock", "cattle", "civilians"}

_NUM_DIGITS = r"\d{1,3}(?:(?:,|[ \u00a0\u202f\u2009])\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?"
_NUM_WORDS = "|".join(sorted((re.escape(w) for w in _WORD_NUMBERS), key=len, reverse=True))
_SCALE = r"(?:\s+(?:hundred|thousand|million|billion|trillion)|\s?(?:bn|m|k)\b)"
_QUAL = "|".join(sorted((re.escape(w) for w in _QUALIFIER_WORDS), key=len, reverse=True))
_CURRENCY = {"$": "dollars", "€": "euros", "£": "pounds"}

NUMBER = re.compile(
    rf"(?:(?P<qual>{_QUAL})\s+[“\"]?)?(?P<cur>[$€£])?"
    rf"(?P<num>(?<![\w.,-])(?:{_NUM_DIGITS})(?![\w-])|\b(?:{_NUM_WORDS})\b(?!-))(?P<scale>{_SCALE})?",
    re.IGNORECASE,
)
# "3,000-person battalion", "a 3,000-strong unit": the size of one unit.
UNIT_SIZE = re.compile(r"^-(?:person|strong|member|man|men|troop|soldier)\b", re.IGNORECASE)
_WORD = re.compile(r"[“”\"'‘’]?\s*([A-Za-z][A-Za-z.\-]*)")
_PERCENT = re.compile(r"^\s*(?:%|percent\b|per cent\b)", re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    """One figure as written: ``value`` is the total, ``parts`` its factors if a product."""

    value: float
    qualifier: str = "exact"
    unit: str | None = None
    what: str | None = None
    parts: list[float] | None = None
    text: str = field(default="", compare=False)
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)

    def as_dict(self) -> dict:
        """The JSON shape of the CLI: ``{value, qualifier, unit, what, parts}``."""
        data = asdict(self)
        return {key: _plain(data[key]) for key in ("value", "qualifier", "unit", "what", "parts")}


def _plain(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def parse_number(num: str, scale: str | None = None) -> float:
    """'12,000' / '12 000' / 'three' / '2.5' + 'billion' -> a float."""
    text = num.strip().lower()
    if text in _WORD_NUMBERS:
        value = float(_WORD_NUMBERS[text])
    else:
        value = float(re.sub(r"[,\s\u00a0\u202f\u2009]", "", text))
    if scale:
        value *= _SCALES[scale.strip().lower()]
    return value


def nation(text: str) -> str | None:
    """Demonym for a country, capital or demonym as written ('Pyongyang' -> 'North Korean')."""
    return _NATION_OF.get(text.strip().strip(".,").lower().removeprefix("the "))


def _nation_mentions(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, demonym) of every country/capital/demonym named in ``sentence``."""
    aliases = sorted(_NATION_OF, key=len, reverse=True)
    pattern = r"(?<![\w.])(?:" + "|".join(re.escape(a) for a in aliases) + r")(?![\w])"
    found = []
    for m in re.finditer(pattern, sentence, re.IGNORECASE):
        word = m.group(0)
        # "us" is a pronoun unless written in capitals.
        if word.lower() in ("us", "uk", "rok") and word != word.upper():
            continue
        found.append((m.start(), m.end(), _NATION_OF[word.lower()]))
    return found


def _unit_after(sentence: str, pos: int, plural: bool) -> tuple[str | None, str | None, int]:
    """(nationality words, unit, end) of the noun phrase a number counts, or (.., None, pos)."""
    capitals: list[str] = []
    words: list[tuple[str, int]] = []
    cursor = pos
    while len(capitals) + len(words) < 6:
        m = _WORD.match(sentence, cursor)
        if not m:
            break
        word = m.group(1).rstrip(".")
        if word[0].isupper() and not words:
            if len(capitals) == 3 or word.lower() in _STOP:
                break
            capitals.append(word)
        elif word.islower() and word not in _STOP and len(words) < 3:
            words.append((word, m.start(1) + len(word)))
        else:
            break
        cursor = m.end()
    if not plural:  # "one soldier died": a singular unit is one word
        words = words[:1]
    # The unit ends at its last noun-looking word ("military bases", not "soldiers arrived").
    for count in range(len(words), 0, -1):
        last = words[count - 1][0]
        if not plural or last.endswith(("s", "men")) or last in _PLURAL_IRREGULAR:
            unit = " ".join(w for w, _ in words[:count])
            return (" ".join(capitals) or None), unit, words[count - 1][1]
    return None, None, pos


def _unit_class(unit: str) -> str:
    """'North Korean soldiers' counts 'troops'; an unknown unit counts itself."""
    if unit in _CLASS_OF:
        return _CLASS_OF[unit]
    last = unit.split()[-1]
    return _CLASS_OF.get(last, unit)


_SENDING = re.compile(r"^\s+(?:has|had|have|was|is|were|are)?\s*(?:already\s+)?"
                      r"(?:sent|send|sending|transferred|deployed|dispatched|supplied|provided)\b",
                      re.IGNORECASE)
_INCLUDING = re.compile(r"\b(?:includ\w*|involving|among them|of whom|comprising)\b|^\W*and\W*$",
                        re.IGNORECASE)
_AFTER_UNIT = re.compile(r"^\s+(?:from|of|in)\s+(?:the\s+)?", re.IGNORECASE)


def _nationality(sentence: str, start: int, end: int, words: str | None,
                 previous: "Figure | None") -> str | None:
    """Whose quantity a figure counts: see the module docstring's rules, in order."""
    if words and nation(words):
        return nation(words)  # "12,000 North Korean soldiers"
    tail = _AFTER_UNIT.match(sentence[end:])
    if tail:  # "10,000 soldiers from North Korea"
        rest = sentence[end + tail.end():]
        for mention_start, mention_end, demonym in _nation_mentions(rest):
            if mention_start == 0:
                return demonym
    mentions = [m for m in _nation_mentions(sentence) if m[1] <= start]
    for mention_start, mention_end, demonym in reversed(mentions):
        if _SENDING.match(sentence[mention_end:start + 1]):  # "Pyongyang has transferred 12,000"
            return demonym
    between = sentence[previous.end:start] if previous else ""
    if previous and previous.what and _INCLUDING.search(between) and len(between) < 40:
        demonym = _demonym_of(previous.what)
        if demonym:  # "12,000 troops, including 500 officers and three generals"
            return demonym
    if _INCLUDING.search(sentence[max(0, start - 60):start]) and mentions:
        return mentions[-1][2]  # "the North Korean troops which includes 500 officers"
    return None


def _demonym_of(what: str) -> str | None:
    for demonym in NATIONS:
        if what.startswith(demonym + " "):
            return demonym
    return None


def _what(unit: str, demonym: str | None) -> str:
    cls = _unit_class(unit)
    return f"{demonym} {cls}" if demonym else cls


class _Counted(NamedTuple):
    """A number and the noun phrase it counts, before normalisation."""

    value: float
    unit: str
    nationality_words: str | None
    end: int
    parts: list[float] | None = None
    in_military_units: bool = False


def find_figures(sentence: str) -> list[Figure]:
    """Every figure stated in ``sentence``, in order of appearance.

    >>> [f.as_dict() for f in find_figures("HUR said some 12 000 North Korean soldiers are there.")]
    [{'value': 12000, 'qualifier': 'about', 'unit': 'soldiers', 'what': 'North Korean troops', 'parts': None}]
    """
    figures: list[Figure] = []
    consumed = -1
    for m in NUMBER.finditer(sentence):
        if m.start() < consumed or _is_date_or_year(sentence, m) or _is_reference(sentence, m):
            continue
        if UNIT_SIZE.match(sentence[m.end():]):
            continue  # "a 3,000-person battalion" is a unit's size (issue #4)
        value = parse_number(m.group("num"), m.group("scale"))
        qualifier = _QUALIFIER_WORDS.get((m.group("qual") or "").lower(), "exact")
        counted = _product(sentence, m, value) or _simple(sentence, m, value)
        if counted is None:
            continue
        if counted.unit in _MONEY_AND_SHARES:
            what = counted.unit
        else:
            demonym = _nationality(sentence, m.start(), counted.end, counted.nationality_words,
                                   figures[-1] if figures else None)
            unit = "troops" if counted.in_military_units else counted.unit
            what = _what(unit, demonym)
        figures.append(Figure(counted.value, qualifier, counted.unit, what, counted.parts,
                              sentence[m.start():counted.end], m.start(), counted.end))
        consumed = counted.end
    return figures


_MONEY_AND_SHARES = ("percent", *_CURRENCY.values())


def _is_reference(sentence: str, m: re.Match) -> bool:
    """'the two nations' refers back to known things; it states no count."""
    small_word = m.group("num").lower() in _WORD_NUMBERS and not m.group("qual")
    return small_word and bool(re.search(r"\bthe\s+$", sentence[:m.start()], re.IGNORECASE))


def _simple(sentence: str, m: re.Match, value: float) -> _Counted | None:
    """'12,000 troops', '20%', '$2.5 billion'; None when nothing is counted."""
    if m.group("cur"):
        return _Counted(value, _CURRENCY[m.group("cur")], None, m.end())
    percent = _PERCENT.match(sentence[m.end():])
    if percent:
        return _Counted(value, "percent", None, m.end() + percent.end())
    words, unit, end = _unit_after(sentence, m.end(), plural=value != 1)
    if unit is None:
        return None
    return _Counted(value, unit, words, end)


def _product(sentence: str, m: re.Match, value: float) -> _Counted | None:
    """'two brigades of 6,000 people each' -> value 12000, parts [2, 6000]."""
    words, container, end = _unit_after(sentence, m.end(), plural=value != 1)
    if container is None:
        return None
    inner = NUMBER.match(sentence, _skip_of(sentence, end))
    if not inner or inner.group("qual"):
        return None
    size = parse_number(inner.group("num"), inner.group("scale"))
    _, unit, unit_end = _unit_after(sentence, inner.end(), plural=size != 1)
    each = re.match(r"\s+each\b", sentence[unit_end:]) if unit else None
    if not each:
        return None
    military = container in _MILITARY_CONTAINERS and unit in ("people", "men", "persons")
    return _Counted(value * size, unit, words, unit_end + each.end(), [value, size], military)


def _skip_of(sentence: str, pos: int) -> int:
    m = re.match(r"\s+of\s+[“\"]?", sentence[pos:])
    return pos + m.end() if m else len(sentence)


_MONTH = "|".join(MONTHS)
_DATE_AFTER = re.compile(rf"^(?:st|nd|rd|th)?(?:\s+of)?\s+(?:{_MONTH})\b", re.IGNORECASE)
_DATE_BEFORE = re.compile(rf"\b(?:{_MONTH})\s+$", re.IGNORECASE)


def _is_date_or_year(sentence: str, m: re.Match) -> bool:
    num = m.group("num")
    if _DATE_AFTER.match(sentence[m.end("num"):]) or _DATE_BEFORE.search(sentence[:m.start("num")]):
        return True
    if re.fullmatch(r"(?:1[89]|20)\d\d", num) and not m.group("qual") and not m.group("cur"):
        return True
    if re.match(r"^(?:st|nd|rd|th)\b", sentence[m.end("num"):]):
        return True  # ordinals
    return bool(re.match(r"^\s*(?:a\.m\.|p\.m\.|am\b|pm\b|GMT|UTC|:)", sentence[m.end():]))


# --- the date a statement was made -------------------------------------------------

_DAY_MONTH = re.compile(
    rf"\b(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<month>{_MONTH})"
    rf"(?:,?\s+(?P<year>\d{{4}}))?\b", re.IGNORECASE)
_MONTH_DAY = re.compile(
    rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?\b",
    re.IGNORECASE)
_WEEKDAY = re.compile(rf"\b(?P<weekday>{'|'.join(WEEKDAYS)})\b", re.IGNORECASE)
# Dates after these words are deadlines or plans, not when something was said.
_NOT_STATEMENT = re.compile(r"(?:as early as|by|until|till|before|after|from|since|starting|"
                            r"ready on|expected on|scheduled for)\s+(?:the\s+)?$", re.IGNORECASE)


def statement_date(sentence: str, report_date: date | None) -> date | None:
    """When the sentence says a statement was made ("On 18 October, Budanov ...",
    "Zelensky said Tuesday"), resolved against the report's date; None when it
    gives none. Weekdays are the latest such day on or before the report date.
    """
    candidates = []
    for pattern in (_DAY_MONTH, _MONTH_DAY, _WEEKDAY):
        for m in pattern.finditer(sentence):
            if not _NOT_STATEMENT.search(sentence[:m.start()]):
                candidates.append(m)
    if not candidates:
        return None
    m = min(candidates, key=lambda c: c.start())
    found = m.groupdict()
    if found.get("weekday"):
        if report_date is None:
            return None
        back = (report_date.weekday() - WEEKDAYS.index(found["weekday"].lower())) % 7
        return report_date - timedelta(days=back)
    month = MONTHS.index(found["month"].lower()) + 1
    year = int(found["year"]) if found.get("year") else (report_date.year if report_date else None)
    if year is None:
        return None
    try:
        stated = date(year, month, int(found["day"]))
    except ValueError:
        return None
    if not found.get("year") and report_date and stated > report_date + timedelta(days=7):
        stated = stated.replace(year=year - 1)  # "On 28 December" in a January report
    return stated


# Where a date dates the statement itself: opening the sentence, or right
# after a verb of saying ("announced Thursday", "told reporters on 17 October").
_SAID_AT = re.compile(
    r"(?:^\W*|\b(?:said|says|announced|stressed|added|stated|reported|claimed|confirmed|denied|"
    r"warned|noted|wrote|posted|insisted|told\s+\w+(?:\s+\w+)?)\s+)(?:on\s+)?", re.IGNORECASE)


def said_on(sentence: str, report_date: date | None) -> date | None:
    """The day the sentence says its statement was made: a date opening it
    ("On 13 October, Zelenskyy said ...") or right after a verb of saying
    ("..., the agency announced Thursday"); None for other dates, which may
    date an event ("the troops had been seen in Kursk on Wednesday")."""
    for m in _SAID_AT.finditer(sentence):
        rest = sentence[m.end():]
        for pattern in (_DAY_MONTH, _MONTH_DAY, _WEEKDAY):
            found = pattern.match(rest)
            if found:
                return statement_date(rest[:found.end()], report_date)
    return None
