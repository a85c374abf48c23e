"""Where candidates come from: cleaned on landing, carried in links, stored, shown, exported."""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import csv
import io
import re

import pytest
from flask import Flask

from tests.admin_fixtures import make_application, recruiter  # noqa: F401
from tests.helpers import position_id, seed
from webapp.services.funnel.sources import Source, clean_host, clean_value, referring_host

JOB = "/jobs/data-analyst-amsterdam"
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0.0.0 Safari/537.36"
FORM = {
    "full_name": "Amara Okafor",
    "email": "amara@example.com",
    "country": "NG",
    "resume_text": (
        "Data analyst with four years of SQL, Python and dashboard work for a logistics company; "
        "built demand forecasts per region and explained them to operations managers."
    ),
    "consent": "y",
    "website": "",
}


@pytest.fixture
def seeded(app: Flask) -> Flask:
    seed(app)
    return app


def apply_links(html: str) -> list[str]:
    return re.findall(r'href="([^"]*/jobs/data-analyst-amsterdam/apply[^"]*)"', html)


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("  LinkedIn ", "linkedin"),
        ("Spring   Hiring  2027", "spring hiring 2027"),
        ("tab\there", ""),
        ("x" * 300, "x" * 100),
        ("news\r\nSet-Cookie: a=b", ""),
        ("bad\x1b[31m", ""),
        ("line\u2028break", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_campaign_values_are_trimmed_lower_cased_clamped_and_control_characters_refused(
    raw: str | None, cleaned: str
) -> None:
    assert clean_value(raw) == cleaned


@pytest.mark.parametrize(
    "referer, host",
    [
        ("https://www.LinkedIn.com/feed/?trk=abc", "linkedin.com"),
        ("https://news.example.org:8443/item?id=1#top", "news.example.org"),
        ("https://careers.example.com/jobs/x", ""),  # our own site
        ("http://localhost/jobs/x", ""),  # the host the request came to
        ("javascript:alert(1)", ""),
        ("https://exa mple.com/", ""),
        ("https://[::1/", ""),
        ("not a url", ""),
        ("", ""),
    ],
)
def test_the_referring_host_is_only_a_host_and_never_our_own(referer: str, host: str) -> None:
    assert referring_host(referer, ["careers.example.com", "localhost"]) == host


def test_a_carried_host_is_checked_like_a_referer() -> None:
    assert clean_host("News.Example.org") == "news.example.org"
    assert clean_host("evil.example/<script>") == ""
    assert Source("linkedin", "", "", "x.example").as_params() == {
        "utm_source": "linkedin",
        "ref": "x.example",
    }


def test_every_link_to_the_application_carries_the_landing_source(seeded: Flask, client) -> None:
    html = client.get(
        JOB + "?utm_source=LinkedIn&utm_medium=Social&utm_campaign=spring",
        headers={"User-Agent": CHROME, "Referer": "https://www.linkedin.com/feed/"},
    ).get_data(as_text=True)
    links = apply_links(html)
    assert links and all(
        "utm_source=linkedin" in link
        and "utm_medium=social" in link
        and "utm_campaign=spring" in link
        and "ref=linkedin.com" in link
        for link in links
    ), links
    back = client.get(JOB + "/apply?utm_source=linkedin&ref=linkedin.com").get_data(as_text=True)
    assert re.search(r'href="/jobs/data-analyst-amsterdam\?[^"]*utm_source=linkedin', back)


def test_searching_the_careers_list_keeps_the_landing_source(seeded: Flask, client) -> None:
    html = client.get(
        "/?utm_source=linkedin&utm_campaign=spring", headers={"User-Agent": CHROME}
    ).get_data(as_text=True)
    form = re.search(r'<form class="filters".*?</form>', html, re.S)
    assert form is not None
    hidden = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(0))
    )
    assert hidden == {"utm_source": "linkedin", "utm_campaign": "spring"}
    searched = client.get("/?utm_source=linkedin&utm_campaign=spring&q=analyst").get_data(
        as_text=True
    )
    assert re.search(r'href="/jobs/data-analyst-amsterdam\?[^"]*utm_source=linkedin', searched)
    plain = client.get("/", headers={"User-Agent": CHROME}).get_data(as_text=True)
    assert 'type="hidden" name="utm_' not in plain


def test_without_a_source_links_stay_plain(seeded: Flask, client) -> None:
    html = client.get(JOB, headers={"User-Agent": CHROME}).get_data(as_text=True)
    assert apply_links(html) == ["/jobs/data-analyst-amsterdam/apply"] * len(apply_links(html))
    assert "utm_" not in html
    assert not re.search(r"[?&;]ref=", html)


def test_the_application_stores_its_source_and_the_candidate_link_stays_clean(
    seeded: Flask, client
) -> None:
    response = client.post(
        JOB + "/apply?utm_source=linkedin&utm_campaign=spring&ref=linkedin.com", data=FORM
    )
    assert response.status_code == 303
    assert "utm_" not in response.headers["Location"]
    assert not re.search(r"[?&]ref=", response.headers["Location"])
    with seeded.app_context():
        from webapp.extensions import db
        from webapp.models import Application

        row = db.session.scalars(db.select(Application)).one()
        assert (row.utm_source, row.utm_medium, row.utm_campaign, row.referrer_host) == (
            "linkedin",
            None,
            "spring",
            "linkedin.com",
        )
        db.session.remove()


def test_an_application_without_a_source_stores_none(seeded: Flask, client) -> None:
    assert client.post(JOB + "/apply", data=FORM).status_code == 303
    with seeded.app_context():
        from webapp.extensions import db
        from webapp.models import Application

        row = db.session.scalars(db.select(Application)).one()
        assert (row.utm_source, row.referrer_host) == (None, None)
        db.session.remove()


def test_a_cached_page_never_gives_one_visitor_another_visitors_source(seeded: Flask) -> None:
    seeded.config["PAGE_CACHE_SECONDS"] = 60
    first, second, third = (seeded.test_client() for _ in range(3))
    from_news = first.get(
        JOB, headers={"User-Agent": CHROME, "Referer": "https://news.example.org/item?id=7"}
    ).get_data(as_text=True)
    assert all("ref=news.example.org" in link for link in apply_links(from_news))
    plain = second.get(JOB, headers={"User-Agent": CHROME}).get_data(as_text=True)
    assert "news.example.org" not in plain
    from_mail = third.get(
        JOB, headers={"User-Agent": CHROME, "Referer": "https://mail.example.net/"}
    ).get_data(as_text=True)
    assert "mail.example.net" in from_mail and "news.example.org" not in from_mail
    again = first.get(
        JOB, headers={"User-Agent": CHROME, "Referer": "https://news.example.org/other"}
    ).get_data(as_text=True)
    assert "ref=news.example.org" in again  # the same source may share its cached copy


def test_recruiters_see_the_source_on_the_application(seeded: Flask, recruiter) -> None:
    position = position_id(seeded, "data-analyst-amsterdam")
    tagged = make_application(
        seeded, position, utm_source="linkedin", utm_campaign="spring", referrer_host="t.co"
    )
    plain = make_application(seeded, position)
    page = recruiter.get(f"/admin/applications/{tagged}").get_data(as_text=True)
    assert re.search(r'id="application-source">linkedin / spring \(via t\.co\)<', page)
    page = recruiter.get(f"/admin/applications/{plain}").get_data(as_text=True)
    assert 'id="application-source">Direct or unknown<' in page


def test_the_csv_export_has_the_sources_and_cannot_be_turned_into_formulas(
    seeded: Flask, recruiter
) -> None:
    position = position_id(seeded, "data-analyst-amsterdam")
    make_application(
        seeded,
        position,
        utm_source='=hyperlink("https://evil.example")',
        utm_medium="+social",
        utm_campaign="@spring",
        referrer_host="news.example.org",
    )
    response = recruiter.get("/admin/applications/export.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header, row = rows[0], rows[1]
    record = dict(zip(header, row, strict=True))
    assert record["UTM source"] == '\'=hyperlink("https://evil.example")'
    assert record["UTM medium"] == "'+social"
    assert record["UTM campaign"] == "'@spring"
    assert record["Referring site"] == "news.example.org"


def test_a_hostile_host_is_refused_at_once() -> None:
    import time

    started = time.perf_counter()
    for hostile in ("a" * 24 + "!", "a." * 49 + "-", "-" * 100, "a" * 64 + ".example"):
        assert clean_host(hostile) == ""
    assert time.perf_counter() - started < 0.2  # no backtracking blow-up on long labels


def test_a_crawler_verdict_is_remembered_per_user_agent(seeded: Flask) -> None:
    from webapp.services.funnel import counters
    from webapp.services.funnel.counters import MAX_VERDICTS

    mine = counters(seeded)
    assert mine.is_crawler("Googlebot/2.1") and not mine.is_crawler(CHROME)
    for n in range(MAX_VERDICTS + 10):  # a flood of made-up user agents stays bounded
        mine.is_crawler(f"Agent {n}")
    assert len(mine._verdicts) <= MAX_VERDICTS
    assert mine.is_crawler("Googlebot/2.1")
