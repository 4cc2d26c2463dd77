"""Figures: forms, qualifiers, products, unit sizes, dates (issue #4)."""
from datetime import date

import pytest

from lib.claims.figures import find_figures, said_on, statement_date


@pytest.mark.parametrize("text, value, qualifier, unit, what, parts", [
    ("Pyongyang has sent 12,000 troops to Russia.", 12000, "exact", "troops", "North Korean troops", None),
    ("HUR said 12 000 North Korean soldiers are there.", 12000, "exact", "soldiers", "North Korean troops", None),
    ("HUR said some 12 000 North Korean soldiers are there.", 12000, "about", "soldiers", "North Korean troops", None),
    ("Pyongyang has transferred about 12,000 troops to Russia.", 12000, "about", "troops", "North Korean troops", None),
    ("Kirby said at least 3,000 North Korean soldiers arrived.", 3000, "at_least", "soldiers", "North Korean troops", None),
    ("Russia intends to involve about 10,000 soldiers from North Korea.", 10000, "about", "soldiers", "North Korean troops", None),
    ("Budanov said about 11,000 North Korean infantrymen are training.", 11000, "about", "infantrymen", "North Korean troops", None),
    ("The Kim family enslaves more than 20 million people.", 20_000_000, "more_than", "people", "people", None),
    ("Up to 400 officers may be involved.", 400, "up_to", "officers", "officers", None),
    ("perhaps “two brigades of 6,000 people each.”", 12000, "about", "people", "troops", [2, 6000]),
    ("Prices rose 3.2% in September.", 3.2, "exact", "percent", "percent", None),
    ("The deal is worth $2.5 billion.", 2_500_000_000, "exact", "dollars", "dollars", None),
])
def test_figure_forms(text, value, qualifier, unit, what, parts):
    figure = find_figures(text)[0].as_dict()
    assert figure == {"value": value, "qualifier": qualifier, "unit": unit, "what": what, "parts": parts}


def test_officers_and_generals_are_quantities_of_their_own():
    text = "Pyongyang has transferred about 12,000 troops to Russia, including 500 officers and three army generals."
    got = [(f.value, f.what) for f in find_figures(text)]
    assert got == [(12000, "North Korean troops"), (500, "North Korean officers"), (3, "North Korean generals")]


def test_zelenskys_brigades_are_one_product_of_troops():
    text = ("Zelensky said Russia was “training two military units from North Korea” involving "
            "perhaps “two brigades of 6,000 people each.”")
    product = [f for f in find_figures(text) if f.parts]
    assert [(f.value, f.parts, f.what) for f in product] == [(12000, [2, 6000], "North Korean troops")]


@pytest.mark.parametrize("text", [
    "Russia’s 11th Airborne Brigade is forming a 3,000-person “battalion” of North Korean citizens.",  # unit size
    "They will be ready as early as 1 November.",
    "On 18 October, Budanov spoke.",
    "HUR said on Thursday evening, the 24th of October, that troops had moved.",
    "In 2014 Russian troops annexed Crimea.",
    "Thursday’s 12,000 figure is larger than expected.",
    "In June, the two nations signed a defense pact.",
    "The meeting starts at 10 am.",
])
def test_not_figures(text):
    assert find_figures(text) == []


@pytest.mark.parametrize("text, expected", [
    ("On 18 October, Kyrylo Budanov confirmed that about 11,000 troops were training.", date(2024, 10, 18)),
    ("HUR said on Thursday evening, the 24th of October, that units had moved.", date(2024, 10, 24)),
    ("On Wednesday, the US said it had evidence of 3 000 troops.", date(2024, 10, 23)),
    ("Zelensky said Tuesday that two brigades were training.", date(2024, 10, 22)),
    ("Troops will be ready as early as 1 November.", None),
    ("Pyongyang has transferred about 12,000 troops.", None),
])
def test_statement_date(text, expected):
    assert statement_date(text, date(2024, 10, 25)) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("On 13 October, Zelenskyy said that North Korea was supplying Russia.", date(2024, 10, 13)),
    ("Soldiers were spotted in Kursk, the intelligence service announced Thursday.", date(2024, 10, 24)),
    ("John Kirby told reporters on Wednesday that at least 3,000 soldiers arrived.", date(2024, 10, 23)),
    ("“We know,” Zelensky said Tuesday.", date(2024, 10, 22)),
    # a date of an event, not of the statement
    ("The intelligence service said the troops had been seen in Kursk on Wednesday.", None),
    ("The troops arrived on 3 October, officials said.", None),
    ("No date at all, HUR said.", None),
])
def test_said_on_dates_the_statement_not_the_event(sentence, expected):
    assert said_on(sentence, date(2024, 10, 24)) == expected
