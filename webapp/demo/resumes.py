"""Sample résumés of fictional candidates, written as real PDF, DOCX and TXT files."""

from __future__ import annotations

import pathlib
from dataclasses import dataclass
from datetime import UTC, datetime

# Fixed so that regenerating the samples gives the same files.
_CREATED = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class _Job:
    role: str
    employer: str
    dates: str
    achievements: tuple[str, ...]


@dataclass(frozen=True)
class _Resume:
    name: str
    headline: str
    contact: str
    summary: str
    jobs: tuple[_Job, ...]
    skills: tuple[tuple[str, str], ...]
    education: tuple[str, ...]


# Every person, employer and contact detail below is invented. The phone number is in the
# range Ofcom reserves for fiction, and the e-mail domains are reserved for examples.
_AMARA = _Resume(
    name="Amara Okafor",
    headline="Senior Backend Engineer",
    contact="London, UK · amara.okafor@example.com · +44 20 7946 0321",
    summary=(
        "Backend engineer with eight years of experience building payment and logistics "
        "platforms in Python and Go. Enjoys turning slow, fragile systems into boring, "
        "well-measured ones, and mentoring engineers through their first on-call rotations."
    ),
    jobs=(
        _Job(
            "Senior Backend Engineer",
            "Tidewell Payments, London",
            "2021 – present",
            (
                "Led the move of card settlement from nightly batches to an event-driven "
                "pipeline on Kafka, cutting settlement time from 14 hours to 20 minutes.",
                "Designed idempotent payout APIs used by 3,000 merchants; zero duplicate "
                "payouts since launch.",
                "Introduced service-level objectives and error budgets across four teams.",
            ),
        ),
        _Job(
            "Backend Engineer",
            "Kestrel Freight, Manchester",
            "2017 – 2021",
            (
                "Built the shipment-tracking service in Django and PostgreSQL, handling "
                "two million status updates a day.",
                "Reduced p95 API latency by 60% with query tuning and a Redis read cache.",
            ),
        ),
    ),
    skills=(
        ("Languages", "Python, Go, SQL"),
        ("Platforms", "PostgreSQL, Kafka, Redis, AWS, Kubernetes"),
        ("Practices", "API design, observability, incident response, code review"),
    ),
    education=("BSc Computer Science, University of Leeds, 2013 – 2016 (First Class)",),
)

_LUKAS = _Resume(
    name="Lukáš Novák",
    headline="Customer Success Manager",
    contact="Brno, Czech Republic · lukas.novak@example.org",
    summary=(
        "Customer success manager with six years of experience looking after B2B software "
        "customers across Central Europe. Known for calm escalations, clear onboarding plans "
        "and renewal rates well above target."
    ),
    jobs=(
        _Job(
            "Customer Success Manager",
            "Vltava Cloud s.r.o., Prague",
            "2020 – present",
            (
                "Manage a portfolio of 45 mid-market accounts worth €2.1M in annual revenue, "
                "with 96% gross retention.",
                "Created the onboarding playbook now used by the whole team; time to first "
                "value fell from six weeks to three.",
                "Run quarterly business reviews in Czech, English and German.",
            ),
        ),
        _Job(
            "Support Specialist",
            "Morava Software a.s., Brno",
            "2018 – 2020",
            (
                "Resolved 40+ tickets a week with a 4.8/5 satisfaction score.",
                "Wrote 60 knowledge-base articles that reduced repeat tickets by a quarter.",
            ),
        ),
    ),
    skills=(
        ("Languages", "Czech (native), English (C1), German (B2)"),
        ("Tools", "Salesforce, Gainsight, Zendesk, Jira"),
        ("Strengths", "Onboarding, renewals, escalation handling, training"),
    ),
    education=("MA International Business, Masaryk University, Brno, 2016 – 2018",),
)

_SOFIA = _Resume(
    name="Sofía Herrera",
    headline="Product Designer",
    contact="Valencia, Spain · sofia.herrera@example.net",
    summary=(
        "Product designer with five years of experience designing web and mobile products, "
        "from research to shipped interface. Works closely with engineers and cares about "
        "accessibility and plain language."
    ),
    jobs=(
        _Job(
            "Product Designer",
            "Albufera Health, Valencia",
            "2021 – present",
            (
                "Redesigned appointment booking; completion rose from 61% to 83%.",
                "Built and documented the design system used by three product teams.",
            ),
        ),
        _Job(
            "UX Designer",
            "Estudio Turia, Madrid",
            "2019 – 2021",
            ("Ran usability studies with over 120 participants for retail and travel clients.",),
        ),
    ),
    skills=(
        ("Design", "Figma, prototyping, design systems, WCAG 2.2"),
        ("Research", "Interviews, usability testing, survey design"),
    ),
    education=("BA Fine Arts, Universitat Politècnica de València, 2015 – 2019",),
)


def write_sample_resumes(folder: pathlib.Path) -> list[pathlib.Path]:
    """Write one PDF, one DOCX and one TXT résumé into folder and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [
        folder / "amara-okafor.pdf",
        folder / "lukas-novak.docx",
        folder / "sofia-herrera.txt",
    ]
    _write_pdf(_AMARA, paths[0])
    _write_docx(_LUKAS, paths[1])
    paths[2].write_text(_as_text(_SOFIA), encoding="utf-8")
    return paths


def _write_pdf(resume: _Resume, path: pathlib.Path) -> None:
    # Imported here: only the demo needs fpdf2, so the site itself starts without it.
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4")
    # The built-in Helvetica covers Windows-1252, which has the dashes and the middle dot.
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_title(f"{resume.name} - résumé")
    pdf.set_author(resume.name)
    pdf.set_creation_date(_CREATED)
    pdf.set_margins(20, 18, 20)
    pdf.add_page()
    width = pdf.epw

    def line(text: str, size: float, style: str = "", height: float = 6) -> None:
        pdf.set_font("helvetica", style, size)
        pdf.multi_cell(width, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(text: str) -> None:
        pdf.ln(3)
        line(text.upper(), 11, "B")
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
        pdf.ln(2)

    line(resume.name, 22, "B", 10)
    line(resume.headline, 13)
    pdf.set_text_color(90, 90, 90)
    line(resume.contact, 9.5)
    pdf.set_text_color(0, 0, 0)
    heading("Profile")
    line(resume.summary, 10, height=5)
    heading("Experience")
    for job in resume.jobs:
        line(f"{job.role}, {job.employer}", 10.5, "B")
        line(job.dates, 9.5, "I", 5)
        for achievement in job.achievements:
            pdf.set_x(pdf.l_margin + 4)
            pdf.set_font("helvetica", "", 10)
            pdf.multi_cell(width - 4, 5, f"• {achievement}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    heading("Skills")
    for label, items in resume.skills:
        line(f"{label}: {items}", 10, height=5)
    heading("Education")
    for entry in resume.education:
        line(entry, 10, height=5)
    pdf.output(str(path))


def _write_docx(resume: _Resume, path: pathlib.Path) -> None:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.author = resume.name
    document.core_properties.title = f"{resume.name} – résumé"
    document.core_properties.created = _CREATED
    document.styles["Normal"].font.size = Pt(10.5)
    document.add_heading(resume.name, level=0)
    document.add_paragraph(resume.headline).runs[0].bold = True
    document.add_paragraph(resume.contact)
    document.add_heading("Profile", level=1)
    document.add_paragraph(resume.summary)
    document.add_heading("Experience", level=1)
    for job in resume.jobs:
        title = document.add_paragraph()
        title.add_run(f"{job.role}, {job.employer}").bold = True
        title.add_run(f"\t{job.dates}").italic = True
        for achievement in job.achievements:
            document.add_paragraph(achievement, style="List Bullet")
    document.add_heading("Skills", level=1)
    # A two-column table is how many Word résumés lay out skills, so the sample does too.
    table = document.add_table(rows=0, cols=2)
    table.style = "Light List Accent 1"
    for label, items in resume.skills:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = items
    document.add_heading("Education", level=1)
    for entry in resume.education:
        document.add_paragraph(entry)
    document.save(str(path))


def _as_text(resume: _Resume) -> str:
    lines = [resume.name, resume.headline, resume.contact, "", "PROFILE", resume.summary, ""]
    lines.append("EXPERIENCE")
    for job in resume.jobs:
        lines += [f"{job.role}, {job.employer} ({job.dates})"]
        lines += [f"  - {achievement}" for achievement in job.achievements]
        lines.append("")
    lines.append("SKILLS")
    lines += [f"{label}: {items}" for label, items in resume.skills]
    lines += ["", "EDUCATION", *resume.education]
    return "\n".join(lines) + "\n"
