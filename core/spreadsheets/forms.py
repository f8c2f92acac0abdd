"""The upload form every spreadsheet import uses: one file, .xlsx or .csv, its size checked first."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from core.spreadsheets.problems import EMPTY_FILE_MESSAGE, SpreadsheetError
from core.spreadsheets.safety import check_upload_size


class SpreadsheetUploadForm(forms.Form):
    """One spreadsheet to upload. An import may say what an empty file should tell its reader
    (`empty_message`); a file over the upload limit is refused before a byte of it is read."""

    empty_message = EMPTY_FILE_MESSAGE

    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
        error_messages={"required": gettext_lazy("Choose the spreadsheet to upload.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages["empty"] = self.empty_message

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload_size(upload.size)  # before reading a byte of it
        except SpreadsheetError as exc:
            raise forms.ValidationError(exc.problem.message) from exc
        return upload
