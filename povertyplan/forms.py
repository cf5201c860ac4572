"""Form pieces every app's forms and the admin build on."""

from django import forms

from povertyplan.text import clean_text


class CleanTextField(forms.CharField):
    """Text typed by a person, stored as povertyplan.text.clean_text leaves it: NFC, without
    invisible or direction-changing characters, spaces folded (line breaks kept when multiline)."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value, multiline=self.multiline) if value not in self.empty_values else value
