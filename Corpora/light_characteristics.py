"""Light characteristics of the Skerrow Isles lights, and the timing of their flashes.

Used by the Skerrow Isles Lighthouse Board's monitoring centre (SKERLINK) to check that each
light shows its proper character: every five minutes the telemetry reports the times at which
the lantern switched on and off, and `check_timing` compares them with the expected pattern.

A character is written in the international (IALA) notation:

    Fl(2) W 15s   a group of two white flashes, repeated every 15 seconds (Gannet Head)
    Oc R 8s       an occulting red light, one eclipse every 8 seconds (Tollan Point)
    Q G           a quick green light, 60 flashes a minute (Port Ellery Pierhead)

Flash lengths are not part of the notation; the Board's standard is a flash of 0.5 seconds with
0.5 seconds between the flashes of a group, and an eclipse of 2 seconds for occulting lights.
"""

from dataclasses import dataclass
import math
import re

FLASH_SECONDS = 0.5          # length of one flash (Board standard since the LED conversion)
GROUP_GAP_SECONDS = 0.5      # dark interval between flashes of one group
ECLIPSE_SECONDS = 2.0        # length of the eclipse of an occulting light
QUICK_PERIOD_SECONDS = 1.0   # "Q": 60 flashes per minute
TOLERANCE_SECONDS = 0.2      # timing error accepted by check_timing before a fault is raised


@dataclass(frozen=True)
class Light:
    name: str
    character: str           # IALA notation, e.g. "Fl(3) W 20s"
    range_nmi: float         # nominal range in nautical miles
    focal_height_m: float    # height of the light above mean high water
    first_lit: int           # year


LIGHTS = [
    Light("Gannet Head", "Fl(2) W 15s", 24, 71, 1794),
    Light("Marrow Rock", "Fl W 5s", 18, 38, 1846),
    Light("Tollan Point", "Oc R 8s", 12, 31, 1862),
    Light("Sula Beg", "Fl(3) W 20s", 22, 84, 1871),
    Light("Port Ellery Pierhead", "Q G", 4, 9, 1882),
    Light("Kittiwake Skerry", "Fl G 3s", 6, 12, 1921),
]

_PATTERN = re.compile(r"^(?P<kind>Fl|Oc|Iso|Q|F)(?:\((?P<group>\d+)\))?\s+(?P<colour>[WRG])(?:\s+(?P<period>\d+(?:\.\d+)?)s)?$")


def parse(character: str):
    """Splits "Fl(2) W 15s" into ("Fl", 2, "W", 15.0). Raises ValueError naming the text."""
    match = _PATTERN.match(character.strip())
    if not match:
        raise ValueError(f"not a light character: {character!r}")
    kind = match["kind"]
    group = int(match["group"] or 1)
    period = float(match["period"]) if match["period"] else (QUICK_PERIOD_SECONDS if kind == "Q" else 0.0)
    return kind, group, match["colour"], period


def schedule(character: str):
    """The (on, off) times in seconds of one period of the light, starting at 0."""
    kind, group, _, period = parse(character)
    if kind in ("Fl", "Q"):
        times, t = [], 0.0
        for _ in range(group):
            times.append((t, t + FLASH_SECONDS))
            t += FLASH_SECONDS + GROUP_GAP_SECONDS
        return times
    if kind == "Oc":
        return [(0.0, period - ECLIPSE_SECONDS)]   # light on except for the eclipse
    return [(0.0, period)]                         # fixed or isophase: treated as always on


def geographic_range_nmi(focal_height_m: float, eye_height_m: float = 5.0) -> float:
    """Distance at which the light rises above the horizon, in nautical miles:
    2.08 * (sqrt(H) + sqrt(h)) with both heights in metres (refraction included).
    For Gannet Head (71 m) seen from a bridge 5 m high this is about 22.2 miles."""
    return 2.08 * (math.sqrt(focal_height_m) + math.sqrt(eye_height_m))


def check_timing(light: Light, observed):
    """Compares observed (on, off) pairs with the schedule; returns a list of fault strings."""
    expected = schedule(light.character)
    faults = []
    if len(observed) != len(expected):
        faults.append(f"{light.name}: {len(observed)} flashes in the period, expected {len(expected)}")
        return faults
    for index, ((on, off), (exp_on, exp_off)) in enumerate(zip(observed, expected)):
        if abs(on - exp_on) > TOLERANCE_SECONDS or abs(off - exp_off) > TOLERANCE_SECONDS:
            faults.append(f"{light.name}: flash {index + 1} at {on:.1f}-{off:.1f}s, "
                          f"expected {exp_on:.1f}-{exp_off:.1f}s")
    return faults


if __name__ == "__main__":
    for light in LIGHTS:
        print(f"{light.name:22} {light.character:12} range {light.range_nmi:>4} nmi, "
              f"geographic {geographic_range_nmi(light.focal_height_m):.1f} nmi, since {light.first_lit}")
