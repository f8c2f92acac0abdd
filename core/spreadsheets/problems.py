"""What is wrong with an upload: one problem, the bounded list of them, and the error that refuses a whole file."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy


@dataclass
class Problem:
    """One thing wrong with an upload. `row` is the spreadsheet's row number (header = 1), None for the file."""

    row: int | None
    column: str
    message: str
    position: int = 0  # the column's place in the sheet's columns, to list a row's problems left to right

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


MAX_PROBLEMS = 200  # kept per file; the rest are only counted


class ProblemList(list):
    """The problems found in one file: the first MAX_PROBLEMS of them, and how many more there are.

    Collecting stops there, so a file with 50,000 bad rows costs no more than one with 200.
    """

    def __init__(self):
        super().__init__()
        self.more = 0

    def keep(self, problem: Problem) -> None:
        if len(self) < MAX_PROBLEMS:
            self.append(problem)
        else:
            self.more += 1


EMPTY_FILE_MESSAGE = gettext_lazy(
    "The file is empty (0 bytes): nothing was saved in it. Save the spreadsheet again and upload that file."
)


class SpreadsheetError(Exception):
    """The file as a whole cannot be used; `problem` says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.problem = Problem(row=None, column="", message=message)
