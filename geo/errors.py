"""What the records stage reports: problems (errors: nothing is drawn) and warnings (drawn, but said),
each naming where and how to fix."""
from __future__ import annotations

from dataclasses import dataclass


class FieldError(ValueError):
    """A value that cannot be read: what is wrong with it and how to fix it."""

    def __init__(self, what: str, fix: str):
        super().__init__(what)
        self.what = what
        self.fix = fix


@dataclass(frozen=True)
class Finding:
    """Something to say about one field of one record (or of a whole file)."""

    file: str
    where: str  # "3" for a line, "feature 2" for a GeoJSON feature, "" for the whole file
    field: str
    what: str
    fix: str

    def __str__(self) -> str:
        place = f"{self.file}:{self.where}" if self.where else self.file
        return f"{place}: {self.field}: {self.what}; {self.fix}"


@dataclass(frozen=True)
class Problem(Finding):
    """One thing wrong with one field of one record (or of a whole file): an error."""


@dataclass(frozen=True)
class RecordWarning(Finding):
    """A record that is valid but falls short of the project's standard (e.g. no source): printed, not fatal."""

    def __str__(self) -> str:
        return f"warning: {super().__str__()}"

    def as_problem(self) -> Problem:
        """The same finding as an error (``check --strict``)."""
        return Problem(self.file, self.where, self.field, self.what, self.fix)


class RecordError(Exception):
    """Raised with every problem found, so a user fixes them all in one pass."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def raise_if(problems: list[Problem]) -> None:
    """Raise RecordError when there is anything to report."""
    if problems:
        raise RecordError(problems)
