"""The rupture of a scenario, as hazardlib's PlanarSurface.from_hypocenter builds it: a rectangle of the median
area of Wells & Coppersmith 1994 for the mechanism, aspect ratio 1.5, centred on the hypocentre, moved down
where it would break through the ground surface. Distances are measured in the Greek Grid (EPSG:2100, metres),
where the scenario's grid lies. A point source has the epicentral distance as its Joyner-Boore distance."""
import math
from dataclasses import dataclass

import numpy as np

ASPECT_RATIO = 1.5


def wells_coppersmith_area_km2(mag: float, rake: float) -> float:
    """Median rupture area (km²), Wells & Coppersmith 1994, by mechanism (hazardlib's WC1994)."""
    if -45 <= rake <= 45 or rake >= 135 or rake <= -135:
        return 10.0 ** (-3.42 + 0.90 * mag)
    if rake > 0:
        return 10.0 ** (-3.99 + 0.98 * mag)
    return 10.0 ** (-2.87 + 0.82 * mag)


@dataclass(frozen=True)
class Rupture:
    x: float  # epicentre, EPSG:2100 metres
    y: float
    depth_km: float
    strike: float
    dip: float
    length_km: float  # 0 for a point source
    width_km: float
    top_km: float

    @property
    def is_point(self) -> bool:
        return self.length_km == 0

    def corners(self) -> list[tuple[float, float, float]]:
        """Top left, top right, bottom right, bottom left: (x, y, depth km); along strike from left to right."""
        s = math.radians(self.strike)
        along = np.array([math.sin(s), math.cos(s)])
        across = np.array([math.cos(s), -math.sin(s)])  # the dip direction, 90° clockwise of the strike
        dip = math.radians(self.dip)
        height = self.width_km * math.sin(dip)
        hdist = self.width_km * math.cos(dip) * 1000.0
        # the hypocentre's position down dip, from the top edge (the rupture may have been moved down)
        down = (self.depth_km - self.top_km) / math.tan(dip) * 1000.0 if self.dip < 90 else 0.0
        top_mid = np.array([self.x, self.y]) - across * down
        half = along * self.length_km * 500.0
        tl, tr = top_mid - half, top_mid + half
        br, bl = tr + across * hdist, tl + across * hdist
        bottom = self.top_km + height
        return [(*tl, self.top_km), (*tr, self.top_km), (*br, bottom), (*bl, bottom)]

    def rjb_km(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        """Joyner-Boore distance (km): to the rupture's surface projection, 0 above it."""
        if self.is_point:
            return np.hypot(xs - self.x, ys - self.y) / 1000.0
        (tlx, tly, _), (trx, try_, _), _, (blx, bly, _) = self.corners()
        s = math.radians(self.strike)
        ux, uy = math.sin(s), math.cos(s)
        vx, vy = math.cos(s), -math.sin(s)
        dx, dy = xs - tlx, ys - tly
        u = dx * ux + dy * uy  # along strike from the top-left corner
        v = dx * vx + dy * vy  # across, in the dip direction, from the top edge
        length = self.length_km * 1000.0
        projected = math.hypot(blx - tlx, bly - tly)
        du = np.maximum(np.maximum(-u, u - length), 0.0)
        dv = np.maximum(np.maximum(-v, v - projected), 0.0)
        return np.hypot(du, dv) / 1000.0


def rupture_for(*, x: float, y: float, depth_km: float, mag: float, rake: float, strike: float, dip: float,
                finite: bool, seismogenic_depth_km: float = 20.0) -> Rupture:
    if not finite:
        return Rupture(x, y, depth_km, strike, dip, 0.0, 0.0, depth_km)
    area = wells_coppersmith_area_km2(mag, rake)
    width = math.sqrt(area / ASPECT_RATIO)
    length = width * ASPECT_RATIO
    height = width * math.sin(math.radians(dip))
    if height > seismogenic_depth_km:  # a wide rupture is as deep as the crust that breaks, and longer
        width = seismogenic_depth_km / math.sin(math.radians(dip))
        length = area / width
        height = seismogenic_depth_km
    top = depth_km - height / 2
    top = min(max(top, 0.0), max(seismogenic_depth_km - height, 0.0))
    return Rupture(x, y, depth_km, strike, dip, length, width, top)
