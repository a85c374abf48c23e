"""The demo company's open positions: realistic roles in several countries and languages."""

from __future__ import annotations

from typing import Any

DEMO_POSITIONS: list[dict[str, Any]] = [
    {
        "slug": "senior-backend-engineer-python",
        "employment_types": ["FULL_TIME"],
        "workplace": "remote",
        "remote_countries": ["DE", "AT", "CZ", "NL", "PT", "SK"],
        "title": "Senior Backend Engineer (Python)",
        "location": "Remote",
        "country_code": "DE",
        "language_code": "en",
        "seniority": "senior",
        "department": "Engineering",
        "salary": "€75,000–€92,000 a year",
        "summary": "Build the services that keep 40,000 e-bikes charged, located and repaired on time.",
        "description": (
            "## What you will do\n\n"
            "- Design and run the Python services behind our fleet: telemetry intake, repair scheduling and billing.\n"
            "- Shape our data model in PostgreSQL and keep it fast as the fleet grows.\n"
            "- Work with product and field teams, and take your turn on call (two weeks a quarter).\n\n"
            "## What you bring\n\n"
            "- Five or more years building web services, three of them in Python.\n"
            "- Solid SQL, and experience running services in production.\n"
            "- Clear writing: we work across four time zones.\n\n"
            "## What we offer\n\n"
            "A remote-first team, a yearly meet-up in Lisbon, a company e-bike and 30 days of holiday."
        ),
        "interview": {
            "interview_attempts": 2,
            "max_duration": 1200,
            "result_view": "none",
            "include_closing_prompt": True,
        },
    },
    {
        "slug": "customer-success-specialist-prague",
        "employment_types": ["FULL_TIME"],
        "workplace": "hybrid",
        "remote_countries": ["CZ"],
        "title": "Customer Success Specialist",
        "location": "Prague",
        "country_code": "CZ",
        "language_code": "cs",
        "seniority": "intermediate",
        "department": "Customer Success",
        "salary": "CZK 52,000–60,000 a month",
        "summary": "Help Prague's businesses run their e-bike fleets smoothly, from first ride to renewal.",
        "description": (
            "## Your role\n\n"
            "- Own the relationship with 60 business customers in Prague and Brno.\n"
            "- Run onboarding sessions and quarterly reviews, in Czech and English.\n"
            "- Turn customer feedback into clear requests for our product team.\n\n"
            "## You are\n\n"
            "- Fluent in Czech, comfortable in English.\n"
            "- Organised, calm under pressure and genuinely curious about people."
        ),
        "interview": {
            "interview_attempts": 3,
            "max_duration": 900,
            "include_rapport_question": True,
        },
    },
    {
        "slug": "field-service-technician-lisbon",
        "employment_types": ["FULL_TIME", "PART_TIME"],
        "workplace": "on-site",
        "remote_countries": [],
        "title": "Field Service Technician",
        "location": "Lisbon",
        "country_code": "PT",
        "language_code": "pt",
        "seniority": "entry-level",
        "department": "Operations",
        "salary": "€1,350–€1,600 a month",
        "summary": "Keep our Lisbon fleet on the road: diagnose, repair and service e-bikes in the workshop and on the street.",
        "description": (
            "## The job\n\n"
            "- Service and repair e-bikes: brakes, drivetrains, batteries and electronics.\n"
            "- Plan your daily route with our repair app.\n\n"
            "## Good to have\n\n"
            "- Experience with bicycles or electrical work. We train you on the rest.\n"
            "- A driving licence (category B)."
        ),
        "interview": {"interview_attempts": 3, "max_duration": 600, "instructional_video": True},
    },
    {
        "slug": "product-designer-berlin",
        "employment_types": ["FULL_TIME", "CONTRACTOR"],
        "workplace": "hybrid",
        "remote_countries": ["DE"],
        "title": "Product Designer",
        "location": "Berlin",
        "country_code": "DE",
        "language_code": "de",
        "seniority": "senior",
        "department": "Product",
        "salary": "€68,000–€80,000 a year",
        "summary": "Design the rider and fleet-manager apps used every day by half a million people.",
        "description": (
            "## Aufgaben\n\n"
            "- Own the design of our rider app, from research to polished screens.\n"
            "- Build and care for our design system together with engineering.\n\n"
            "## Profil\n\n"
            "- A portfolio showing shipped mobile products.\n"
            "- Fluent German and English."
        ),
        "interview": {"interview_attempts": 2, "max_duration": 1200},
    },
    {
        "slug": "warehouse-team-lead-bratislava",
        "employment_types": ["FULL_TIME"],
        "workplace": "on-site",
        "remote_countries": [],
        "title": "Warehouse Team Lead",
        "location": "Bratislava",
        "country_code": "SK",
        "language_code": "sk",
        "seniority": "managerial",
        "department": "Operations",
        "salary": None,
        "summary": "Lead a team of twelve in our central parts warehouse serving six cities.",
        "description": (
            "## Responsibilities\n\n"
            "- Lead shift planning, safety and training for a team of twelve.\n"
            "- Keep spare-part stock accurate and orders leaving on time.\n\n"
            "## Requirements\n\n"
            "- Two or more years leading a warehouse or logistics team.\n"
            "- Slovak and basic English."
        ),
        "interview": {"interview_attempts": 2, "max_duration": 900},
    },
    {
        "slug": "data-analyst-amsterdam",
        "employment_types": ["FULL_TIME"],
        "workplace": "hybrid",
        "remote_countries": ["NL"],
        "title": "Data Analyst",
        "location": "Amsterdam",
        "country_code": "NL",
        "language_code": "en",
        "seniority": "intermediate",
        "department": "Data",
        "salary": "€55,000–€65,000 a year",
        "summary": "Turn ride and repair data into decisions about where our bikes and technicians should be.",
        "description": (
            "## What you will do\n\n"
            "- Build dashboards and analyses for operations and city teams.\n"
            "- Forecast demand per neighbourhood and hour.\n\n"
            "## What you bring\n\n"
            "- Strong SQL and Python (pandas or polars).\n"
            "- The habit of explaining numbers in plain words."
        ),
        "interview": {"interview_attempts": 2, "max_duration": 1200, "result_view": "minimal"},
    },
]
