"""Recruiters' positions: every upstream option, validated as the platform would, with stable slugs."""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.admin_fixtures import (  # noqa: F401  (fixtures, requested by parameter name)
    field_errors,
    flashes,
    make_application,
    make_position,
    recruiter,
    staff,
)
from webapp.admin.recruiting_forms import PositionForm
from webapp.extensions import db
from webapp.jobmojito.contract import (
    ConversationSpeed,
    PositionSettings,
    RequestInvalid,
    ResultView,
    SeniorityLevel,
    VideoIntroduction,
)
from webapp.models import Position
from webapp.services.position_admin import slugify

# As a browser sends the new form untouched: "Full time" comes checked.
BASICS = {
    "title": "Barista",
    "location": "Zagreb",
    "country": "HR",
    "language": "en",
    "employment_types": "FULL_TIME",
}


def form(**values: Any) -> dict[str, Any]:
    """A position form submission: the basics plus ``values``."""
    return {**BASICS, **values}


def stored(app: Flask, position_id: int | None = None) -> Position:
    """A position as stored (the newest when no id is given), detached from the session."""
    with app.app_context():
        query = db.select(Position).order_by(Position.id.desc())
        position = (
            db.session.get(Position, position_id)
            if position_id
            else db.session.scalars(query).first()
        )
        assert position is not None
        db.session.expunge(position)
        db.session.remove()
        return position


def create(client: FlaskClient, **values: Any) -> int:
    """Create a position through the form and return its id."""
    response = client.post("/admin/positions/new", data=form(**values))
    assert response.status_code == 303, field_errors(response.get_data(as_text=True))
    return int(response.location.rsplit("/", 1)[1])


def test_every_option_is_stored_under_its_upstream_name_and_only_when_set(
    app: Flask, recruiter: FlaskClient
) -> None:
    position_id = create(
        recruiter,
        title="Senior Backend Engineer",
        location="Remote",
        country="DE",
        language="br",
        seniority="senior",
        department="Engineering",
        salary="€80,000 a year",
        summary="Build our services.",
        description="## What you will do\n\n- Python",
        interview_template_id="5d8ea38b-eec4",
        interview_attempts="3",
        max_duration="15",
        result_view="none",
        candidate_video_introduction="required",
        include_rapport_question="yes",
        include_closing_prompt="no",
        instructional_video="",
        instructional_video_custom_text="Watch this first.",
        welcome_message="Welcome!",
        thank_you_message="Thank you!",
        max_followups="0",
        questions_random_subset="50",
        interview_conversation_speed="slower",
        interview_available_till="2031-03-01",
        tags="backend, remote, backend, ",
        hiring_name="Acme",
        hiring_sector="Retail",
    )
    position = stored(app, position_id)
    assert (position.title, position.location, position.country_code, position.language_code) == (
        "Senior Backend Engineer",
        "Remote",
        "DE",
        "br",
    )
    assert (position.seniority, position.department, position.salary) == (
        "senior",
        "Engineering",
        "€80,000 a year",
    )
    assert position.summary == "Build our services." and position.description.startswith("## What")
    assert position.interview == {
        "interview_template_id": "5d8ea38b-eec4",
        "interview_attempts": 3,
        "max_duration": 900,
        "result_view": "none",
        "candidate_video_introduction": "required",
        "include_rapport_question": True,
        "include_closing_prompt": False,
        "instructional_video_custom_text": "Watch this first.",
        "welcome_message": "Welcome!",
        "thank_you_message": "Thank you!",
        "max_followups": 0,
        "questions_random_subset": 0.5,
        "interview_conversation_speed": "slower",
        "interview_available_till": "2031-03-01",
        "tags": ["backend", "remote"],
        "hiring_for_company": {"name": "Acme", "sector": "Retail"},
    }
    assert position.state == "draft" and position.slug == "senior-backend-engineer"
    assert position.external_id.startswith("CF-")


def test_a_minimal_position_stores_no_interview_options(app: Flask, recruiter: FlaskClient) -> None:
    position = stored(app, create(recruiter))
    assert position.interview == {}
    assert position.seniority is None and position.department is None


def test_the_edit_form_shows_what_was_stored(app: Flask, recruiter: FlaskClient) -> None:
    position_id = create(
        recruiter,
        max_duration="15",
        questions_random_subset="25",
        include_closing_prompt="no",
        tags="a, b",
    )
    page = recruiter.get(f"/admin/positions/{position_id}").get_data(as_text=True)
    assert 'name="max_duration" type="number" value="15"' in page
    assert 'name="questions_random_subset" type="number" value="25"' in page
    assert '<option selected value="no">No</option>' in page
    assert 'value="a, b"' in page


def test_languages_are_offered_by_name_and_stored_by_code(recruiter: FlaskClient) -> None:
    page = recruiter.get("/admin/positions/new").get_data(as_text=True)
    assert '<option value="br">Portuguese (Brazil)</option>' in page
    assert '<option value="no">Norwegian</option>' in page
    assert '<option value="HR">Croatia</option>' in page
    assert 'min="1" name="interview_attempts"' in page and 'max="20"' in page


def test_platform_default_leaves_a_boolean_unset(app: Flask, recruiter: FlaskClient) -> None:
    position_id = create(recruiter, include_closing_prompt="yes", include_rapport_question="")
    assert stored(app, position_id).interview == {"include_closing_prompt": True}
    page = recruiter.get("/admin/positions/new").get_data(as_text=True)
    assert "Platform default (yes)" in page and "Platform default (no)" in page


def schema_message(**fields: Any) -> str:
    """The upstream contract's own message for a request with these fields."""
    basics = {
        "position_name": "Barista",
        "position_location": "Zagreb",
        "position_country_code": "HR",
        "mojito_language_code": "en",
    }
    with pytest.raises(RequestInvalid) as raised:
        PositionSettings.parse({**basics, **fields})
    return raised.value.message


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("interview_attempts", "0", schema_message(interview_attempts=0)),
        ("interview_attempts", "21", schema_message(interview_attempts=21)),
        ("max_followups", "1000", schema_message(max_followups=1000)),
        ("result_view", "everything", schema_message(result_view="everything")),
        (
            "candidate_video_introduction",
            "maybe",
            schema_message(candidate_video_introduction="maybe"),
        ),
        (
            "interview_conversation_speed",
            "warp",
            schema_message(interview_conversation_speed="warp"),
        ),
        ("seniority", "boss", schema_message(seniority_level="boss")),
    ],
)
def test_the_platforms_own_rules_put_their_message_next_to_the_field(
    recruiter: FlaskClient, field: str, value: str, message: str
) -> None:
    response = recruiter.post("/admin/positions/new", data=form(**{field: value}))
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert errors == {field: message[:1].upper() + message[1:] + "."}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("questions_random_subset", "95", "Enter a share between 1 and 90 %."),
        ("questions_random_subset", "0", "Enter a share between 1 and 90 %."),
        ("max_duration", "0", "Enter between 1 and 240 minutes."),
        ("interview_available_till", "31/12/2030", "Not a valid date value."),
        ("title", "", "Enter the job title."),
        ("country", "", "Choose the country of the position."),
    ],
)
def test_fields_in_our_units_explain_themselves(
    recruiter: FlaskClient, field: str, value: str, message: str
) -> None:
    response = recruiter.post("/admin/positions/new", data=form(**{field: value}))
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True))[field] == message


def test_errors_are_announced_and_tied_to_their_fields(recruiter: FlaskClient) -> None:
    page = recruiter.post(
        "/admin/positions/new", data=form(title="", interview_attempts="99")
    ).get_data(as_text=True)
    assert 'role="alert"' in page and 'id="error-summary"' in page
    assert '<a href="#title">Job title: Enter the job title.</a>' in page
    assert 'href="#interview_attempts"' in page  # the form's and the platform's errors at once
    title_input = re.search(r'<input[^>]*id="title"[^>]*>', page)
    assert title_input is not None
    assert 'aria-invalid="true"' in title_input.group(0)
    assert 'aria-describedby="title-hint title-error"' in title_input.group(0)
    assert '<p class="field-error" id="title-error"><span>Enter the job title.</span></p>' in page


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("result_view", ResultView),
        ("seniority", SeniorityLevel),
        ("interview_conversation_speed", ConversationSpeed),
        ("candidate_video_introduction", VideoIntroduction),
    ],
)
def test_the_forms_choices_are_the_contracts_values(app: Flask, field: str, values: Any) -> None:
    with app.test_request_context():
        choices = PositionForm(meta={"csrf": False})[field].choices
    assert isinstance(choices, dict)
    assert list(choices) == ["", *(value.value for value in values)]
    assert all(choices.values())  # every value has words a recruiter reads


def test_the_forms_bounds_are_the_contracts(recruiter: FlaskClient) -> None:
    page = recruiter.get("/admin/positions/new").get_data(as_text=True)

    def rendered(name: str) -> tuple[str, str]:
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
        assert tag is not None, name
        low = re.search(r'min="([^"]+)"', tag.group(0))
        high = re.search(r'max="([^"]+)"', tag.group(0))
        assert low and high
        return low.group(1), high.group(1)

    assert rendered("interview_attempts") == ("1", "20")
    assert rendered("max_followups") == ("0", "999")
    assert rendered("questions_random_subset") == ("1", "90")  # percent of 0.01–0.9
    assert rendered("max_duration") == ("1", "240")  # minutes of 1–14 400 seconds


@pytest.mark.parametrize(("minutes", "saved"), [("240", True), ("241", False)])
def test_the_longest_interview_is_the_same_in_the_form_and_the_contract(
    app: Flask, recruiter: FlaskClient, minutes: str, saved: bool
) -> None:
    response = recruiter.post("/admin/positions/new", data=form(max_duration=minutes))
    assert (response.status_code == 303) is saved
    seconds = int(minutes) * 60
    if saved:
        PositionSettings.parse({"position_def_set_id": "p", "max_duration": seconds})
    else:
        with pytest.raises(RequestInvalid):
            PositionSettings.parse({"position_def_set_id": "p", "max_duration": seconds})


@pytest.mark.parametrize(
    ("interview", "field"),
    [
        ({"interview_attempts": 2.5}, "interview_attempts"),
        ({"max_duration": 86_400}, "max_duration"),
        ({"hiring_for_company": {"name": 3}}, "hiring_for_company.name"),
        ({"surprise_option": True}, "surprise_option"),
        ({"position_name": "Another title"}, "position_name"),
    ],
)
def test_a_stored_option_outside_the_contract_keeps_the_position_closed(
    app: Flask, recruiter: FlaskClient, interview: dict[str, Any], field: str
) -> None:
    position_id = make_position(app, state="draft", opened_at=None, interview=interview)
    response = recruiter.post(f"/admin/positions/{position_id}/open", data={})
    assert response.status_code in (302, 303)
    [message] = flashes(recruiter.get(f"/admin/positions/{position_id}").get_data(as_text=True))
    assert "cannot be opened" in message and field in message
    assert stored(app, position_id).state == "draft"


def test_a_position_the_platform_would_refuse_is_not_saved(
    app: Flask, recruiter: FlaskClient
) -> None:
    recruiter.post("/admin/positions/new", data=form(interview_attempts="50"))
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Position)) == 0


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Senior Backend Engineer (Python)", "senior-backend-engineer-python"),
        ("Café Straße — Ølstykke", "cafe-strasse-olstykke"),
        ("Řidič/řidička VZV", "ridic-ridicka-vzv"),
        ("R&D Lead", "r-and-d-lead"),
        ("  --  ", "position"),
        ("软件工程师", "position"),
        ("x" * 200, "x" * 80),
    ],
)
def test_slugs_are_plain_ascii_words(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_slugs_are_unique(app: Flask, recruiter: FlaskClient) -> None:
    slugs = [stored(app, create(recruiter, title="Barista")).slug for _ in range(3)]
    assert slugs == ["barista", "barista-2", "barista-3"]


def test_the_slug_follows_the_title_until_first_opened_then_never_changes(
    app: Flask, recruiter: FlaskClient
) -> None:
    position_id = create(recruiter, title="Barista")
    recruiter.post(f"/admin/positions/{position_id}", data=form(title="Head Barista"))
    assert stored(app, position_id).slug == "head-barista"
    recruiter.post(f"/admin/positions/{position_id}/open")
    recruiter.post(f"/admin/positions/{position_id}/close")
    recruiter.post(f"/admin/positions/{position_id}", data=form(title="Chief Coffee Officer"))
    position = stored(app, position_id)
    assert (position.title, position.slug) == ("Chief Coffee Officer", "head-barista")


def test_the_external_id_cannot_be_edited(app: Flask, recruiter: FlaskClient) -> None:
    position_id = create(recruiter, external_id="HACKED")
    original = stored(app, position_id).external_id
    recruiter.post(
        f"/admin/positions/{position_id}", data=form(external_id="HACKED", slug="hacked")
    )
    assert stored(app, position_id).external_id == original != "HACKED"


def test_opening_and_closing_shows_and_hides_it_for_candidates(
    app: Flask, recruiter: FlaskClient
) -> None:
    position_id = create(recruiter, title="Night Baker")
    assert "Night Baker" not in recruiter.get("/").get_data(as_text=True)
    recruiter.post(f"/admin/positions/{position_id}/open")
    assert "Night Baker" in recruiter.get("/").get_data(as_text=True)
    assert stored(app, position_id).opened_at is not None
    recruiter.post(f"/admin/positions/{position_id}/close")
    assert "Night Baker" not in recruiter.get("/").get_data(as_text=True)
    assert recruiter.get("/jobs/night-baker/apply").status_code == 410
    recruiter.post(f"/admin/positions/{position_id}/open")
    assert stored(app, position_id).state == "open"


def test_the_list_shows_states_and_application_counts(app: Flask, recruiter: FlaskClient) -> None:
    open_id = make_position(app, title="Open One")
    make_position(app, title="Draft One", state="draft", opened_at=None)
    make_position(app, title="Closed One", state="closed")
    for _ in range(3):
        make_application(app, open_id)
    page = recruiter.get("/admin/positions").get_data(as_text=True)
    assert '<span class="badge badge-state-open">Open</span>' in page
    assert '<span class="badge badge-state-draft">Draft</span>' in page
    assert '<span class="badge badge-state-closed">Closed</span>' in page
    assert (
        f'href="/admin/applications?position={open_id}" aria-label="3 applications to Open One">3</a>'
        in page
    )
    assert page.count('name="csrf_token"') >= 4  # every open/close button is a POST form
    drafts = recruiter.get("/admin/positions?state=draft").get_data(as_text=True)
    assert "Draft One" in drafts and "Open One" not in drafts


def test_editing_a_position_the_platform_already_has_says_what_will_not_change_there(
    app: Flask, recruiter: FlaskClient
) -> None:
    position_id = make_position(
        app, title="Barista", upstream_position_id="pos-123", interview={"interview_attempts": 2}
    )
    page = recruiter.get(f"/admin/positions/{position_id}").get_data(as_text=True)
    assert (
        "JobMojito already has this position" in page and "duplicate it as a new position" in page
    )
    response = recruiter.post(
        f"/admin/positions/{position_id}",
        data=form(title="Head Barista", interview_attempts="3"),
        follow_redirects=True,
    )
    [message] = flashes(response.get_data(as_text=True))
    assert "Job title, Attempts the candidate gets" in message
    assert (
        "apply on the platform only to a new position" in message
        and "change it in JobMojito" in message
    )
    unchanged = recruiter.post(
        f"/admin/positions/{position_id}",
        data=form(title="Head Barista", interview_attempts="3"),
        follow_redirects=True,
    )
    assert flashes(unchanged.get_data(as_text=True)) == ["Position saved."]


def test_a_position_not_yet_on_the_platform_saves_without_a_warning(
    app: Flask, recruiter: FlaskClient
) -> None:
    position_id = create(recruiter)
    recruiter.get(f"/admin/positions/{position_id}")  # shows the "saved as a draft" message
    response = recruiter.post(
        f"/admin/positions/{position_id}", data=form(title="Head Barista"), follow_redirects=True
    )
    assert flashes(response.get_data(as_text=True)) == ["Position saved."]


def test_duplicating_makes_a_new_draft_with_its_own_code(
    app: Flask, recruiter: FlaskClient
) -> None:
    interview = {"max_duration": 600, "required_pronunciation": True}
    position_id = make_position(
        app, title="Barista", slug="barista", upstream_position_id="pos-123", interview=interview
    )
    response = recruiter.post(f"/admin/positions/{position_id}/duplicate")
    copy = stored(app, int(response.location.rsplit("/", 1)[1]))
    original = stored(app, position_id)
    assert (copy.title, copy.interview, copy.state, copy.slug) == (
        "Barista",
        interview,
        "draft",
        "barista-2",
    )
    assert copy.external_id != original.external_id and copy.upstream_position_id is None


def test_options_set_elsewhere_are_kept_on_save(app: Flask, recruiter: FlaskClient) -> None:
    position_id = make_position(
        app, interview={"required_pronunciation": True, "max_duration": 600}
    )
    page = recruiter.get(f"/admin/positions/{position_id}").get_data(as_text=True)
    assert "required_pronunciation" in page
    recruiter.post(f"/admin/positions/{position_id}", data=form(max_duration=""))
    assert stored(app, position_id).interview == {"required_pronunciation": True}


def test_line_breaks_sent_by_a_browser_are_not_taken_for_a_change(
    app: Flask, recruiter: FlaskClient
) -> None:
    position_id = make_position(app, upstream_position_id="pos-1", description="## Role\n\n- Bake")
    response = recruiter.post(
        f"/admin/positions/{position_id}",
        data=form(title="Backend Engineer", description="## Role\r\n\r\n- Bake\r\n"),
        follow_redirects=True,
    )
    assert flashes(response.get_data(as_text=True)) == ["Position saved."]
    assert stored(app, position_id).description == "## Role\n\n- Bake"


# ---------------------------------------------------------------- contract and workplace


def test_contract_and_workplace_are_stored_as_chosen(app: Flask, recruiter: FlaskClient) -> None:
    position_id = create(
        recruiter,
        employment_types=["PART_TIME", "TEMPORARY"],
        workplace="remote",
        remote_countries=["HR", "SI"],
    )
    position = stored(app, position_id)
    assert position.employment_types == ["PART_TIME", "TEMPORARY"]
    assert position.workplace == "remote"
    assert position.remote_countries == ["HR", "SI"]
    assert "employment_types" not in position.interview  # ours, never an upstream option
    page = recruiter.get(f"/admin/positions/{position_id}").get_data(as_text=True)
    assert re.search(r'<input checked id="employment_types-1"[^>]*value="PART_TIME"', page)
    assert not re.search(r'<input checked[^>]*value="FULL_TIME"', page)
    assert re.search(r'<input checked id="workplace-2"[^>]*value="remote"', page)
    assert '<option selected value="SI">Slovenia</option>' in page


def test_a_new_position_is_full_time_on_site_unless_told_otherwise(
    app: Flask, recruiter: FlaskClient
) -> None:
    page = recruiter.get("/admin/positions/new").get_data(as_text=True)
    assert re.search(r'<input checked id="employment_types-0"[^>]*value="FULL_TIME"', page)
    assert re.search(r'<input checked id="workplace-0"[^>]*value="on-site"', page)
    position = stored(app, create(recruiter, employment_types="FULL_TIME"))
    assert position.employment_types == ["FULL_TIME"]
    assert position.workplace == "on-site" and position.remote_countries == []


def test_the_checkboxes_are_a_fieldset_with_a_legend(recruiter: FlaskClient) -> None:
    page = recruiter.get("/admin/positions/new").get_data(as_text=True)
    for legend, name in (
        ("Employment type", "employment_types"),
        ("Where the work is done", "workplace"),
    ):
        group = re.search(
            rf'<fieldset class="field choice-group"[^>]*>\s*<legend>{legend} .*?</fieldset>',
            page,
            re.S,
        )
        assert group, legend
        assert len(re.findall(rf'name="{name}"', group.group(0))) >= 3
        for box in re.findall(r'id="(' + name + r'-\d+)"', group.group(0)):
            assert f'<label for="{box}">' in group.group(0)
    assert '<label for="remote_countries">Countries candidates may work from</label>' in page


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"employment_types": []}, "employment_types", "Choose at least one employment type."),
        ({"employment_types": ["SOMETIMES"]}, "employment_types", "Unknown employment type"),
        ({"workplace": "moon"}, "workplace", "Choose on-site, hybrid or remote."),
        (
            {"workplace": "remote", "remote_countries": ["ZZ"]},
            "remote_countries",
            "Unknown country",
        ),
    ],
)
def test_contract_and_workplace_outside_the_choices_are_refused(
    app: Flask, recruiter: FlaskClient, values: dict[str, Any], field: str, message: str
) -> None:
    response = recruiter.post("/admin/positions/new", data=form(**values))
    assert response.status_code == 422 or response.status_code == 400 or response.status_code == 200
    assert field_errors(response.get_data(as_text=True))[field].startswith(message)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Position)) == 0


def test_an_on_site_job_keeps_no_remote_countries(app: Flask, recruiter: FlaskClient) -> None:
    position_id = create(recruiter, workplace="hybrid", remote_countries=["HR"])
    assert stored(app, position_id).remote_countries == ["HR"]
    data = {**form(workplace="on-site", remote_countries=["HR"]), "employment_types": "FULL_TIME"}
    assert recruiter.post(f"/admin/positions/{position_id}", data=data).status_code == 303
    assert stored(app, position_id).remote_countries == []


def test_existing_positions_get_full_time_and_their_workplace_from_the_migration(
    app: Flask,
) -> None:
    from flask_migrate import downgrade, upgrade

    with app.app_context():
        downgrade(revision="0009_result_checks")
        for slug, location in (("in-town", "Zagreb"), ("from-home", " remote ")):
            db.session.execute(
                db.text(
                    "INSERT INTO positions (slug, external_id, title, location, country_code,"
                    " language_code, summary, description, state, interview, created_at, updated_at)"
                    " VALUES (:slug, :slug, 'T', :location, 'HR', 'en', '', '', 'open', '{}',"
                    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {"slug": slug, "location": location},
            )
        db.session.commit()
        upgrade()
        rows = {p.slug: p for p in db.session.scalars(db.select(Position))}
        assert rows["in-town"].employment_types == ["FULL_TIME"]
        assert rows["in-town"].workplace == "on-site"
        assert rows["from-home"].workplace == "remote"
        assert rows["from-home"].applicant_countries == ["HR"]
        db.session.remove()


@pytest.mark.browser
def test_the_contract_and_workplace_fields_pass_axe_and_work_by_keyboard(site, page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from tests.studio_fixtures import PASSWORD, make_account

    email = make_account(site.app, "rita@kestrel.example", role="recruiter")
    page.goto(f"{site.url}/admin/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site.url}/admin/")
    page.goto(f"{site.url}/admin/positions/new")
    group = page.get_by_role("group", name="Employment type")
    part_time = group.get_by_label("Part time")
    part_time.focus()
    page.keyboard.press("Space")
    assert part_time.is_checked()
    page.get_by_role("group", name="Where the work is done").get_by_label("Remote").check()
    page.get_by_label("Countries candidates may work from").select_option(["HR", "SI"])
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    result = Axe().run(page, options={**options, "resultTypes": ["violations"]})
    fieldsets = [
        v
        for v in result.response["violations"]
        if any(
            "choice-group" in str(n["target"]) or "remote_countries" in str(n["target"])
            for n in v["nodes"]
        )
    ]
    assert fieldsets == []
