"""A result's report (``job-interview-pdf``): what to export, and where to fetch it."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from webapp.jobmojito.contract.base import (
    ContractRequest,
    ContractResponse,
    JsonObject,
    NonEmptyText,
)


class ExportType(StrEnum):
    """The report's format; only ``pdf`` has a documented answer."""

    PDF = "pdf"
    HTML = "html"
    JSON = "json"


class InterviewPdfRequest(ContractRequest):
    """Ask for a report of one result; ``export_features_result`` picks its sections."""

    interview_result_id: NonEmptyText
    export_type: ExportType = Field(default=ExportType.PDF, strict=False)
    # Which sections to include; the documentation does not list the keys, so we send none.
    export_features_result: JsonObject | None = None


class InterviewPdf(ContractResponse):
    """Where the report can be fetched, and until when (the link is signed and short-lived)."""

    pdf_export_url: NonEmptyText = Field(repr=False)
    pdf_export_valid_until: str | None = None
