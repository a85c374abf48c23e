"""Names in the page's language: the 34 interview languages and the country list's order."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.helpers import seed
from webapp.i18n.countries import localized_countries, sort_names
from webapp.i18n.language_names import interview_language_name
from webapp.i18n.locales import SHIPPED
from webapp.jobmojito.languages import LANGUAGES

LOCALES = [locale.ident for locale in SHIPPED]
# Where a language's name really is the English word (checked by hand against CLDR).
SAME_AS_ENGLISH = {
    ("de", "fil"),
    ("de", "hi"),
    ("de", "ta"),
    ("nl", "hi"),
    ("nl", "ta"),
    ("nl", "th"),
}


def test_there_are_34_platform_languages_and_13_shipped_locales() -> None:
    assert len(LANGUAGES) == 34
    assert len(LOCALES) == 13


@pytest.mark.parametrize("locale", LOCALES)
def test_every_interview_language_has_a_real_name_in_every_locale(locale: str) -> None:
    names = {}
    for code in LANGUAGES:
        name = interview_language_name(code, locale)
        assert name and name != code, (locale, code)
        assert not re.search(r"[A-Za-z]{2}_[A-Z]{2}", name), (locale, code, name)
        if locale != "en" and (locale, code) not in SAME_AS_ENGLISH:
            assert name != interview_language_name(code, "en"), (locale, code, name)
        names[code] = name
    assert len(set(names.values())) == len(names), f"two codes share a name in {locale}"


@pytest.mark.parametrize(
    ("code", "locale", "name"),
    [
        ("br", "en", "Brazilian Portuguese"),  # the platform's br, never Breton
        ("br", "de", "Portugiesisch (Brasilien)"),
        ("br", "pt_BR", "português (Brasil)"),
        ("pt", "en", "Portuguese"),
        ("no", "en", "Norwegian"),
        ("no", "de", "Norwegisch"),
        ("fil", "en", "Filipino"),
        ("fil", "cs", "filipínština"),
        ("sk", "fr", "slovaque"),
        ("sk", "sk", "slovenčina"),
        ("ar", "ar", "العربية"),
        ("zh", "hr", "kineski"),
    ],
)
def test_platform_codes_map_to_the_right_language(code: str, locale: str, name: str) -> None:
    assert interview_language_name(code, locale) == name
    assert "Breton" not in interview_language_name("br", "en")


def test_names_in_lists_start_with_a_capital() -> None:
    assert interview_language_name("sk", "fr", standalone=True) == "Slovaque"
    assert interview_language_name("sk", "fr") == "slovaque"


@pytest.mark.parametrize(
    ("locale", "before", "after"),
    [
        ("cs", "Hongkong – ZAO Číny", "Chile"),  # Czech: "Ch" is a letter after H
        ("cs", "Curaçao", "Čad"),  # and Č follows C
        ("sk", "Svätý Vincent a Grenadíny", "Šalamúnove ostrovy"),
        ("pl", "Luksemburg", "Łotwa"),
        ("hr", "Curaçao", "Čad"),
        ("de", "Oman", "Österreich"),  # German files Ö with O
        ("de", "Österreich", "Pakistan"),
    ],
)
def test_country_names_sort_as_their_language_sorts(locale: str, before: str, after: str) -> None:
    names = list(localized_countries(locale).values())
    assert names.index(before) < names.index(after)


def test_sorting_is_not_plain_code_point_order() -> None:
    words = ["Chile", "Čad", "Hongkong", "Cypr"]
    assert sort_names(words, "cs") == ["Cypr", "Čad", "Hongkong", "Chile"]
    assert sorted(words) != sort_names(words, "cs")


def test_country_names_follow_the_page_language(app: Flask, client) -> None:
    seed(app)
    page = client.get("/cs/").get_data(as_text=True)
    select = re.search(r'<select id="country".*?</select>', page, re.S)[0]
    shown = re.findall(r'<option value="[A-Z]{2}"[^>]*>([^<]+)</option>', select)
    assert set(shown) == {"Česko", "Německo", "Nizozemsko", "Portugalsko", "Slovensko"}
    assert shown == sort_names(shown, "cs") and shown[0] == "Česko"
    assert "Jazyk pohovoru: čeština" in page


@pytest.mark.parametrize(
    ("prefix", "sentence"),
    [
        ("", "The interview is in Slovak."),
        ("/de", "Das Interview findet auf Slowakisch statt."),
        ("/fr", "L’entretien se déroule en slovaque."),
        ("/sk", "Jazyk pohovoru: slovenčina."),
        ("/ar", "المقابلة باللغة السلوفاكية."),
    ],
)
def test_the_job_page_states_the_interview_language_plainly(
    app: Flask, client, prefix: str, sentence: str
) -> None:
    seed(app)
    page = client.get(prefix + "/jobs/warehouse-team-lead-bratislava").get_data(as_text=True)
    assert sentence.replace("’", "&#8217;") in page or sentence in page
