"""A merged commune read as it was: the names its reports print."""

from dataclasses import dataclass, field

from households.models import Commune, CommuneMerger


@dataclass(frozen=True)
class AsMerged:
    """A merged commune's villages and household codes as they were on its last day (empty for a
    current commune): its reports print these, not what the merger renamed."""

    villages: dict[int, dict] = field(default_factory=dict)
    household_codes: dict[int, str] = field(default_factory=dict)

    def village_name(self, pk: int, name: str) -> str:
        return self.villages.get(pk, {}).get("name", name)

    def household_code(self, pk: int, code: str) -> str:
        return self.household_codes.get(pk, code)


def as_merged(commune: Commune) -> AsMerged:
    """How `commune` named its villages and households when it was merged: no query for a current
    commune, one for a merged one."""
    if commune.valid_until is None:
        return AsMerged()
    found = CommuneMerger.objects.filter(commune=commune).values("villages", "household_codes").first()
    if found is None:  # abolished or ended without a merger recorded here
        return AsMerged()
    return AsMerged(
        villages={int(pk): value for pk, value in found["villages"].items()},
        household_codes={int(pk): code for pk, code in found["household_codes"].items()},
    )
