"""Form widgets shared by the modules."""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. ``<input type=date>`` takes its value as yyyy-mm-dd whatever the
    language (and shows dd/mm/yyyy itself): a date given in the Vietnamese input format,
    01/01/2026, left the field empty and the form unsendable."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
