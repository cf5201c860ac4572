from .assessment import Assessment
from .audit import ExportRecord
from .household import Household, Member
from .imports import ImportJob
from .mergers import CommuneMerger
from .reference import Ethnicity, PovertyCause, SupportNeed
from .reviews import ReviewRound, RoundCandidate, RoundResult, VillageMeeting
from .standards import Indicator, PovertyStandard
from .units import Commune, District, Province, Village

__all__ = [
    "Assessment",
    "Commune",
    "CommuneMerger",
    "District",
    "Ethnicity",
    "ExportRecord",
    "Household",
    "ImportJob",
    "Indicator",
    "Member",
    "PovertyCause",
    "PovertyStandard",
    "Province",
    "ReviewRound",
    "RoundCandidate",
    "RoundResult",
    "SupportNeed",
    "Village",
    "VillageMeeting",
]
