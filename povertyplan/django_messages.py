"""Django's own messages that its Vietnamese catalogue leaves untranslated.

Listed here so that makemessages keeps them in ours (which Django reads first).
"""

from django.utils.translation import gettext_noop

DJANGO_MESSAGES = (
    gettext_noop("Enter a valid UUID."),
    gettext_noop("Null characters are not allowed."),
)
