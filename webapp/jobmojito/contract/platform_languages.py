"""The platform's own list of its languages (``platform-languages-list``)."""

from __future__ import annotations

from pydantic import Field

from webapp.jobmojito.contract.base import ContractRequest, ContractResponse, NonEmptyText


class LanguagesQuery(ContractRequest):
    """The call takes no parameters."""


class PlatformLanguage(ContractResponse):
    """One language: its code, its English and local names, and a flag.

    **Guess**: ``interview_interface`` is documented by name only; we read it as whether the
    interview's own interface is translated into the language.
    """

    code: NonEmptyText
    name_english: NonEmptyText
    name_local: str | None = None
    flag_emoji: str | None = None
    interview_interface: bool | None = None


class PlatformLanguages(ContractResponse):
    """Every language, sorted by English name."""

    languages: list[PlatformLanguage] = Field(default_factory=list)
