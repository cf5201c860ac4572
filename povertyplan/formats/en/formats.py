# The commune works in dd/mm/yyyy and VND with dot separators whatever the interface language.
from povertyplan.formats.vi.formats import *  # noqa: F403
