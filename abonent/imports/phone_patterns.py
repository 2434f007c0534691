"""Whether a phone number is valid, answered as `phonenumbers.is_valid_number` answers it, from patterns compiled once.

The library walks up to ten number-type descriptions of the region for every number (a possible-lengths check, then
the pattern fetched from its regex cache and matched), which made it the slowest step of an import row. Its rules
(`_number_type_helper`, `_is_number_matching_desc`, `_region_code_for_number_from_list` in phonenumberutil) come
down to this: the number is valid when it matches the general description and at least one type description (mobile
only where its pattern is not fixed line's: the library then never asks it), each description only for the lengths
it lists. So for each length there is one pattern here: the general one as a look-ahead, then the alternation of
the type patterns that allow that length. Regions sharing a calling code (+1, +7, +44) are told apart as the
library does: by their leading digits, or else by being the first whose patterns the number fits. A calling code
whose metadata does not fit these rules (the non-geographic +800 and the like, a description without lengths) is
left to the library itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneMetadata

# The descriptions `_number_type_helper` accepts a number by; mobile is added unless it repeats fixed line's pattern.
_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan", "voicemail",
          "fixed_line")


@dataclass(frozen=True)
class _Region:
    leading_digits: re.Pattern[str] | None
    by_length: dict[int, re.Pattern[str]]

    def accepts(self, national: str) -> bool:
        pattern = self.by_length.get(len(national))
        return pattern is not None and pattern.fullmatch(national) is not None


def _region(metadata: PhoneMetadata) -> _Region | None:
    """The region's patterns by length; None when a description lists no lengths (it would fit any)."""
    general = metadata.general_desc
    descriptions = [getattr(metadata, name) for name in _TYPES]
    if not metadata.same_mobile_and_fixed_line_pattern:
        descriptions.append(metadata.mobile)
    descriptions = [d for d in descriptions if d is not None and d.national_number_pattern]
    if any(not d.possible_length for d in descriptions):
        return None
    by_length = {}
    if general is not None and general.national_number_pattern:
        if not general.possible_length:
            return None
        for length in general.possible_length:
            types = [d.national_number_pattern for d in descriptions if length in d.possible_length]
            if types:
                alternation = "|".join(f"(?:{pattern})" for pattern in types)
                by_length[length] = re.compile(rf"(?=(?:{general.national_number_pattern})\Z)(?:{alternation})")
    leading = re.compile(metadata.leading_digits) if metadata.leading_digits is not None else None
    return _Region(leading_digits=leading, by_length=by_length)


@lru_cache(maxsize=300)
def _regions(code: int) -> tuple[_Region, ...] | None:
    """The regions of a calling code in the library's order; None when the library must answer."""
    names = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code)
    if not names or phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY in names:
        return None
    regions = []
    for name in names:
        metadata = PhoneMetadata.metadata_for_region(name.upper(), None)
        if metadata is None or metadata.country_code != code:
            return None
        region = _region(metadata)
        if region is None:
            return None
        regions.append(region)
    return tuple(regions)


def phone_number_valid(code: int, national: str) -> bool:
    """Return `phonenumbers.is_valid_number` of +`code` `national`, where `national` is ASCII digits not starting
    with 0 (the national significant number as the library writes it)."""
    regions = _regions(code)
    if regions is None:
        number = phonenumbers.PhoneNumber(country_code=code, national_number=int(national))
        return phonenumbers.is_valid_number(number)
    if len(regions) == 1:
        return regions[0].accepts(national)
    for region in regions:
        if region.leading_digits is not None:
            if region.leading_digits.match(national):
                return region.accepts(national)
        elif region.accepts(national):
            return True
    return False
