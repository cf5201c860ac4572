from .assessment import Assessment
from .household import Household, Member
from .reference import Ethnicity, PovertyCause, SupportNeed
from .standards import Indicator, PovertyStandard
from .units import Commune, District, Province, Village

__all__ = [
    "Assessment",
    "Commune",
    "District",
    "Ethnicity",
    "Household",
    "Indicator",
    "Member",
    "PovertyCause",
    "PovertyStandard",
    "Province",
    "SupportNeed",
    "Village",
]
