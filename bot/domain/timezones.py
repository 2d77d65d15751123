"""Turn what a user types ("Berlin", "new york", "UTC+5:30") into an IANA zone name."""

from __future__ import annotations

import re
import zoneinfo
from functools import cache

# Regions whose zones are the canonical city names (not legacy aliases like "US/...").
_CITY_REGIONS = (
    "Europe",
    "America",
    "Asia",
    "Africa",
    "Australia",
    "Pacific",
    "Atlantic",
    "Indian",
    "Antarctica",
)

# Names people type that are not the last part of an IANA zone.
_ALIASES: dict[str, str] = {
    "utc": "UTC",
    "gmt": "UTC",
    "z": "UTC",
    "zulu": "UTC",
    "uk": "Europe/London",
    "england": "Europe/London",
    "britain": "Europe/London",
    "bst": "Europe/London",
    "ireland": "Europe/Dublin",
    "germany": "Europe/Berlin",
    "munich": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "cologne": "Europe/Berlin",
    "cet": "Europe/Berlin",
    "cest": "Europe/Berlin",
    "france": "Europe/Paris",
    "spain": "Europe/Madrid",
    "barcelona": "Europe/Madrid",
    "italy": "Europe/Rome",
    "milan": "Europe/Rome",
    "netherlands": "Europe/Amsterdam",
    "holland": "Europe/Amsterdam",
    "switzerland": "Europe/Zurich",
    "geneva": "Europe/Zurich",
    "austria": "Europe/Vienna",
    "poland": "Europe/Warsaw",
    "krakow": "Europe/Warsaw",
    "portugal": "Europe/Lisbon",
    "sweden": "Europe/Stockholm",
    "norway": "Europe/Oslo",
    "denmark": "Europe/Copenhagen",
    "finland": "Europe/Helsinki",
    "greece": "Europe/Athens",
    "ukraine": "Europe/Kyiv",
    "kiev": "Europe/Kyiv",
    "turkey": "Europe/Istanbul",
    "eet": "Europe/Athens",
    "wet": "Europe/Lisbon",
    "new york city": "America/New_York",
    "nyc": "America/New_York",
    "boston": "America/New_York",
    "washington": "America/New_York",
    "washington dc": "America/New_York",
    "miami": "America/New_York",
    "atlanta": "America/New_York",
    "philadelphia": "America/New_York",
    "est": "America/New_York",
    "edt": "America/New_York",
    "eastern": "America/New_York",
    "chicago": "America/Chicago",
    "dallas": "America/Chicago",
    "houston": "America/Chicago",
    "austin": "America/Chicago",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "central": "America/Chicago",
    "denver": "America/Denver",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "mountain": "America/Denver",
    "san francisco": "America/Los_Angeles",
    "sf": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "portland": "America/Los_Angeles",
    "san diego": "America/Los_Angeles",
    "la": "America/Los_Angeles",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles",
    "montreal": "America/Toronto",
    "ottawa": "America/Toronto",
    "brazil": "America/Sao_Paulo",
    "rio de janeiro": "America/Sao_Paulo",
    "india": "Asia/Kolkata",
    "ist": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "bengaluru": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "chennai": "Asia/Kolkata",
    "hyderabad": "Asia/Kolkata",
    "pune": "Asia/Kolkata",
    "china": "Asia/Shanghai",
    "beijing": "Asia/Shanghai",
    "shenzhen": "Asia/Shanghai",
    "japan": "Asia/Tokyo",
    "jst": "Asia/Tokyo",
    "osaka": "Asia/Tokyo",
    "korea": "Asia/Seoul",
    "south korea": "Asia/Seoul",
    "israel": "Asia/Jerusalem",
    "tel aviv": "Asia/Jerusalem",
    "uae": "Asia/Dubai",
    "abu dhabi": "Asia/Dubai",
    "vietnam": "Asia/Ho_Chi_Minh",
    "saigon": "Asia/Ho_Chi_Minh",
    "australia": "Australia/Sydney",
    "canberra": "Australia/Sydney",
    "aest": "Australia/Sydney",
    "new zealand": "Pacific/Auckland",
    "nz": "Pacific/Auckland",
    "wellington": "Pacific/Auckland",
    "south africa": "Africa/Johannesburg",
    "cape town": "Africa/Johannesburg",
    "kenya": "Africa/Nairobi",
    "nigeria": "Africa/Lagos",
    "egypt": "Africa/Cairo",
}

# Etc/GMT zones exist only for whole hours; these zones stand for the other offsets
# (chosen without daylight saving where one exists, so the offset stays what was typed).
_FRACTIONAL_OFFSETS: dict[tuple[int, int], str] = {
    (-9, 30): "Pacific/Marquesas",
    (-3, 30): "America/St_Johns",
    (3, 30): "Asia/Tehran",
    (4, 30): "Asia/Kabul",
    (5, 30): "Asia/Kolkata",
    (5, 45): "Asia/Kathmandu",
    (6, 30): "Asia/Yangon",
    (8, 45): "Australia/Eucla",
    (9, 30): "Australia/Darwin",
    (10, 30): "Australia/Lord_Howe",
    (12, 45): "Pacific/Chatham",
}

_ETC_OFFSET = re.compile(r"^Etc/GMT([+-])(\d{1,2})$")
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?:(?::|\.|h)?(\d{2}))?$")


def parse_timezone(text: str) -> str | None:
    """Return the IANA zone `text` names, or None if it names none.

    Accepts IANA names in any case ("europe/berlin"), city and a few country
    names ("New York", "Bangalore", "Germany"), and UTC offsets ("+2",
    "UTC+5:30", "GMT-3"); whole-hour offsets map to Etc/GMT zones.
    """
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned or len(cleaned) > 60:
        return None
    offset = _offset_zone(cleaned.replace(" ", ""))
    if offset is not None:
        return offset
    for candidate in (cleaned, *(part.strip() for part in cleaned.split(","))):
        zone = _named_zone(candidate)
        if zone is not None:
            return zone
    return None


def zone_label(zone: str) -> str:
    """How to show a zone: offsets as people write them ("UTC-5", not POSIX's "Etc/GMT+5")."""
    match = _ETC_OFFSET.match(zone)
    if match is None:
        return "UTC" if zone in ("Etc/UTC", "Etc/GMT", "GMT") else zone
    # POSIX sign convention: Etc/GMT+5 is five hours *behind* UTC.
    sign = "-" if match.group(1) == "+" else "+"
    return f"UTC{sign}{int(match.group(2))}"


def _named_zone(name: str) -> str | None:
    if name in _ALIASES:
        return _ALIASES[name]
    key = name.replace(" / ", "/").replace(" ", "_")
    return _zone_index().get(key)


def _offset_zone(text: str) -> str | None:
    match = _OFFSET.match(text)
    if match is None:
        return None
    sign = 1 if match.group(1) == "+" else -1
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if minutes == 0:
        if not -12 <= sign * hours <= 14:
            return None
        if hours == 0:
            return "UTC"
        # POSIX sign convention: Etc/GMT-2 is two hours *ahead* of UTC.
        return f"Etc/GMT{'-' if sign > 0 else '+'}{hours}"
    return _FRACTIONAL_OFFSETS.get((sign * hours, minutes))


@cache
def _zone_index() -> dict[str, str]:
    """Map lower-case full names and city parts ("new_york") to zone names."""
    zones = zoneinfo.available_timezones() - {"localtime", "Factory"}
    index: dict[str, str] = {}
    # Canonical regions first and shorter paths first, so "indianapolis" picks
    # America/Indianapolis-style names deterministically and legacy aliases lose.
    ranked = sorted(
        zones,
        key=lambda z: (z.split("/")[0] not in _CITY_REGIONS, z.count("/"), z),
    )
    for zone in ranked:
        index.setdefault(zone.lower(), zone)
        index.setdefault(zone.rsplit("/", 1)[-1].lower(), zone)
    return index
