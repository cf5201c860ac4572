"""The importers of the household registry's lists (the plans' and assignments' live in their apps)."""

from .assessments import AssessmentImporter
from .households import HouseholdImporter
from .members import MemberImporter

__all__ = ["AssessmentImporter", "HouseholdImporter", "MemberImporter"]
