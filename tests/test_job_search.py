"""Job search engines read every open position as a complete, well-formed schema.org JobPosting."""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

import pytest
from babel import Locale
from flask import Flask

from tests.studio_fixtures import marketer, png_bytes, publish, seeded, upload_logo  # noqa: F401
from webapp.demo.positions import DEMO_POSITIONS
from webapp.extensions import db
from webapp.models import Position
from webapp.services.seo import base_salary, valid_through

# Google's JobPosting documentation (developers.google.com/search/docs/appearance/structured-data/
# job-posting), as data. Required: jobLocation may give way to jobLocationType TELECOMMUTE with
# applicantLocationRequirements for a fully remote job.
GOOGLE_REQUIRED = ("datePosted", "description", "hiringOrganization", "jobLocation", "title")
GOOGLE_RECOMMENDED = (
    "applicantLocationRequirements",
    "baseSalary",
    "directApply",
    "employmentType",
    "identifier",
    "jobLocationType",
    "validThrough",
)
EMPLOYMENT_TYPES = {
    "FULL_TIME",
    "PART_TIME",
    "CONTRACTOR",
    "TEMPORARY",
    "INTERN",
    "VOLUNTEER",
    "PER_DIEM",
    "OTHER",
}
SALARY_UNITS = {"HOUR", "DAY", "WEEK", "MONTH", "YEAR"}
COUNTRY_CODES = {code for code in Locale("en").territories if re.fullmatch(r"[A-Z]{2}", code)}
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SITE = "http://localhost"


def json_ld(client: Any, slug: str) -> dict[str, Any]:
    """The JobPosting a job page carries."""
    page = client.get(f"/jobs/{slug}").get_data(as_text=True)
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found, "the job page has no JSON-LD"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def is_absolute(url: object) -> bool:
    return isinstance(url, str) and url.startswith(SITE + "/")


def problems_with(data: dict[str, Any], demo: dict[str, Any], closing: str | None) -> list[str]:
    """Every way ``data`` falls short of Google's properties, types and formats."""
    found: list[str] = []
    remote = demo["workplace"] == "remote"
    required = [name for name in GOOGLE_REQUIRED if not (remote and name == "jobLocation")]
    found += [f"missing required {name}" for name in required if not data.get(name)]
    expected = {"directApply", "employmentType", "identifier"}
    if demo["workplace"] != "on-site":
        expected |= {"applicantLocationRequirements", "jobLocationType"}
    if demo["salary"]:
        expected.add("baseSalary")
    if closing:
        expected.add("validThrough")
    assert expected <= set(GOOGLE_RECOMMENDED)
    found += [f"missing recommended {name}" for name in sorted(expected) if name not in data]
    found += [f"unexpected {name}" for name in set(GOOGLE_RECOMMENDED) - expected if name in data]
    if remote and "jobLocation" in data:
        found.append("a remote job names a jobLocation")

    if data.get("@context") not in ("https://schema.org/", "https://schema.org"):
        found.append("@context")
    if data.get("@type") != "JobPosting":
        found.append("@type")
    if not ISO_DATE.fullmatch(str(data.get("datePosted"))):
        found.append("datePosted is not an ISO 8601 date")
    if not str(data.get("description", "")).startswith("<"):
        found.append("description is not HTML")
    organisation = data.get("hiringOrganization") or {}
    if organisation.get("@type") != "Organization" or not organisation.get("name"):
        found.append("hiringOrganization needs @type Organization and a name")
    if not is_absolute(organisation.get("sameAs")):
        found.append("hiringOrganization.sameAs is not an absolute URL")
    if "logo" in organisation and not is_absolute(organisation["logo"]):
        found.append("logo is not an absolute URL")
    if not is_absolute(data.get("url")):
        found.append("url is not absolute")
    if "jobLocation" in data:
        address = data["jobLocation"].get("address", {})
        if address.get("@type") != "PostalAddress" or not address.get("addressLocality"):
            found.append("jobLocation needs a PostalAddress with a locality")
        if address.get("addressCountry") not in COUNTRY_CODES:
            found.append("addressCountry is not an ISO 3166-1 code")
    if "jobLocationType" in data and data["jobLocationType"] != "TELECOMMUTE":
        found.append("jobLocationType")
    for country in data.get("applicantLocationRequirements", []):
        if country.get("@type") != "Country" or country.get("name") not in COUNTRY_CODES:
            found.append(f"applicantLocationRequirements entry {country}")
    kinds = data.get("employmentType")
    if not isinstance(kinds, list) or not kinds or not set(kinds) <= EMPLOYMENT_TYPES:
        found.append(f"employmentType {kinds}")
    identifier = data.get("identifier") or {}
    if identifier.get("@type") != "PropertyValue" or not identifier.get("value"):
        found.append("identifier")
    if data.get("directApply") is not True:
        found.append("directApply")
    if "validThrough" in data:
        moment = datetime.fromisoformat(data["validThrough"])
        if moment.tzinfo is None or moment.date() != date.fromisoformat(str(closing)[:10]):
            found.append("validThrough is not the closing date as an ISO 8601 date-time")
    if "baseSalary" in data:
        salary = data["baseSalary"]
        value = salary.get("value", {})
        numbers = [value.get(k) for k in ("value", "minValue", "maxValue") if k in value]
        if salary.get("@type") != "MonetaryAmount" or not re.fullmatch(
            r"[A-Z]{3}", str(salary.get("currency"))
        ):
            found.append("baseSalary needs a MonetaryAmount in an ISO 4217 currency")
        if value.get("@type") != "QuantitativeValue" or value.get("unitText") not in SALARY_UNITS:
            found.append("baseSalary.value needs a QuantitativeValue with a unit")
        if not numbers or not all(isinstance(n, (int, float)) and n > 0 for n in numbers):
            found.append("baseSalary amounts")
        if "minValue" in value and value["minValue"] > value["maxValue"]:
            found.append("baseSalary range is upside down")
    return found


@pytest.mark.parametrize("closing", [None, "2027-03-31"])
@pytest.mark.parametrize("demo", DEMO_POSITIONS, ids=[d["slug"] for d in DEMO_POSITIONS])
def test_every_demo_position_gives_google_what_it_asks_for(
    seeded: Flask, demo: dict[str, Any], closing: str | None
) -> None:
    if closing:
        with seeded.app_context():
            position = db.session.scalar(db.select(Position).where(Position.slug == demo["slug"]))
            position.interview = {**position.interview, "interview_available_till": closing}
            db.session.commit()
    data = json_ld(seeded.test_client(), demo["slug"])
    assert problems_with(data, demo, closing) == []


def test_remote_hybrid_and_on_site_jobs_say_where_people_may_work(seeded: Flask) -> None:
    client = seeded.test_client()
    remote = json_ld(client, "senior-backend-engineer-python")
    assert remote["jobLocationType"] == "TELECOMMUTE" and "jobLocation" not in remote
    assert [c["name"] for c in remote["applicantLocationRequirements"]] == [
        "DE",
        "AT",
        "CZ",
        "NL",
        "PT",
        "SK",
    ]
    hybrid = json_ld(client, "data-analyst-amsterdam")
    assert hybrid["jobLocationType"] == "TELECOMMUTE"
    assert hybrid["jobLocation"]["address"]["addressLocality"] == "Amsterdam"
    on_site = json_ld(client, "warehouse-team-lead-bratislava")
    assert "jobLocationType" not in on_site and "applicantLocationRequirements" not in on_site
    assert on_site["employmentType"] == ["FULL_TIME"]
    assert json_ld(client, "field-service-technician-lisbon")["employmentType"] == [
        "FULL_TIME",
        "PART_TIME",
    ]


def test_a_remote_job_without_countries_takes_candidates_from_its_own(seeded: Flask) -> None:
    with seeded.app_context():
        position = db.session.scalar(
            db.select(Position).where(Position.slug == "senior-backend-engineer-python")
        )
        position.remote_countries = []
        db.session.commit()
    data = json_ld(seeded.test_client(), "senior-backend-engineer-python")
    assert data["applicantLocationRequirements"] == [{"@type": "Country", "name": "DE"}]


def test_the_published_logo_is_named_by_its_absolute_url(seeded: Flask, marketer: Any) -> None:
    client = seeded.test_client()
    assert "logo" not in json_ld(client, "data-analyst-amsterdam")["hiringOrganization"]
    upload_logo(marketer, png_bytes())
    assert "logo" not in json_ld(client, "data-analyst-amsterdam")["hiringOrganization"]  # a draft
    publish(marketer)
    logo = json_ld(client, "data-analyst-amsterdam")["hiringOrganization"]["logo"]
    assert re.fullmatch(r"http://localhost/brand/logo-[0-9a-f]{64}\.png", logo)
    assert client.get(logo.removeprefix(SITE)).status_code == 200


def test_urls_come_from_site_url_not_the_host_header(seeded: Flask) -> None:
    seeded.config["SITE_URL"] = "https://careers.kestrel.example"
    page = seeded.test_client().get(
        "/jobs/data-analyst-amsterdam", headers={"Host": "localhost", "X-Forwarded-Host": "evil"}
    )
    data = json.loads(
        re.search(r'ld\+json">(.*?)</script>', page.get_data(as_text=True), re.S).group(1)
    )
    assert data["url"] == "https://careers.kestrel.example/jobs/data-analyst-amsterdam"
    assert data["hiringOrganization"]["sameAs"] == "https://careers.kestrel.example/"


@pytest.mark.parametrize(
    ("text", "currency", "value"),
    [
        (
            "€75,000–€92,000 a year",
            "EUR",
            {"minValue": 75000, "maxValue": 92000, "unitText": "YEAR"},
        ),
        (
            "CZK 52,000–60,000 a month",
            "CZK",
            {"minValue": 52000, "maxValue": 60000, "unitText": "MONTH"},
        ),
        ("£40,000 per annum", "GBP", {"value": 40000, "unitText": "YEAR"}),
        ("18.50 EUR an hour", "EUR", {"value": 18.5, "unitText": "HOUR"}),
        (
            "EUR 3,000 to 3,500 per month",
            "EUR",
            {"minValue": 3000, "maxValue": 3500, "unitText": "MONTH"},
        ),
    ],
)
def test_a_salary_that_reads_cleanly_becomes_base_salary(
    text: str, currency: str, value: dict[str, Any]
) -> None:
    salary = base_salary(text)
    assert salary == {
        "@type": "MonetaryAmount",
        "currency": currency,
        "value": {"@type": "QuantitativeValue", **value},
    }


@pytest.mark.parametrize(
    "text",
    [
        "Competitive",
        "$60,000 a year",  # which dollar?
        "€60k a year",
        "€60,000",  # a year? a month?
        "50.000 EUR a year",  # fifty thousand, or fifty?
        "€50,000–£60,000 a year",
        "€90,000–€80,000 a year",
        "XYZ 100 a day",
        "from €50,000 a year",
        "",
        None,
    ],
)
def test_a_salary_in_any_doubt_is_left_out(text: str | None) -> None:
    assert base_salary(text) is None


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("2027-01-31", "2027-01-31T23:59:59+00:00"),
        ("2027-01-31T18:00:00Z", "2027-01-31T18:00:00+00:00"),
        ("2027-01-31T18:00:00+01:00", "2027-01-31T18:00:00+01:00"),
        ("next week", None),
        (None, None),
    ],
)
def test_valid_through_is_an_iso_date_time(stored: str | None, expected: str | None) -> None:
    assert valid_through(stored) == expected
