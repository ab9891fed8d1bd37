"""Makes the demo hazard files at load time (small, deterministic): two GeoTIFFs and five zone files.

Every layer is an illustrative model built from the facts in the project's reference notes, not an
official map; the layer metadata in hazards/demo.py says so.
"""
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
import shapely
from rasterio.transform import from_origin
from shapely.geometry import LineString, Polygon, mapping, shape

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "thessaloniki"
GREEK_GRID = 2100

# The southern boundary fault zone of the Mygdonia basin, north-east of the city (approximate trace).
MYGDONIA_FAULT = LineString([(23.00, 40.690), (23.15, 40.700), (23.35, 40.680)])
# A covered stream corridor in the west, reaching the port lowlands (after the Dendropotamos).
WEST_STREAM = LineString([(22.9140, 40.6560), (22.9170, 40.6470), (22.9210, 40.6400), (22.9250, 40.6355)])
PORT_LOWLANDS = Polygon([(22.9180, 40.6395), (22.9330, 40.6365), (22.9320, 40.6335), (22.9200, 40.6360)])
CITY_CENTRE = (22.9440, 40.6340)


def outline() -> Polygon:
    collection = json.loads((FIXTURES / "municipality.geojson").read_text(encoding="utf-8"))
    return shape(collection["features"][0]["geometry"]).buffer(0)


def _grid(bounds, resolution, crs):
    """Pixel-centre coordinates of a grid covering bounds (in crs units), north-up."""
    minx, miny, maxx, maxy = bounds
    width = int(np.ceil((maxx - minx) / resolution))
    height = int(np.ceil((maxy - miny) / resolution))
    transform = from_origin(minx, maxy, resolution, resolution)
    cols, rows = np.meshgrid(np.arange(width), np.arange(height))
    xs = minx + (cols + 0.5) * resolution
    ys = maxy - (rows + 0.5) * resolution
    return xs, ys, transform, crs


def _write(path: Path, data: np.ndarray, transform, crs, nodata, description: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    profile = {"driver": "GTiff", "width": data.shape[1], "height": data.shape[0], "count": 1, "dtype": "float32",
               "crs": crs, "transform": transform, "nodata": nodata, "compress": "deflate"}
    with rasterio.open(path, "w", **profile) as dataset:
        dataset.write(data.astype("float32"), 1)
        dataset.set_band_description(1, description)
    return path


def pga_raster(folder: Path) -> Path:
    """Peak ground acceleration (g, 475 years) falling off with distance from the Mygdonia fault zone; EPSG:2100, 25 m."""
    area = gpd.GeoSeries([outline().buffer(0.02)], crs=4326).to_crs(GREEK_GRID)
    xs, ys, transform, crs = _grid(area.total_bounds, 25.0, f"EPSG:{GREEK_GRID}")
    fault = gpd.GeoSeries([MYGDONIA_FAULT], crs=4326).to_crs(GREEK_GRID).iloc[0]
    distance_km = shapely.distance(shapely.points(xs, ys), fault) / 1000.0
    pga = 0.05 + 0.36 * np.exp(-distance_km / 20.0)
    return _write(folder / "pga-475.tif", pga, transform, crs, -9999.0, "PGA 475 years (g), illustrative")


def heat_raster(folder: Path) -> Path:
    """Summer night surface temperature (°C), hottest in the dense centre; EPSG:4326, no data over the gulf."""
    city = outline()
    xs, ys, transform, crs = _grid(city.buffer(0.015).bounds, 0.0003, "EPSG:4326")
    centre_km = np.hypot((xs - CITY_CENTRE[0]) * 84.5, (ys - CITY_CENTRE[1]) * 111.0)
    temperature = 30.0 + 9.0 * np.exp(-(centre_km / 2.2) ** 2)
    land = shapely.contains_xy(city.buffer(0.004), xs, ys)
    temperature[~land] = -9999.0
    return _write(folder / "urban-heat.tif", temperature, transform, crs, -9999.0, "Surface temperature (°C), illustrative")


def _zones(path: Path, features: list[tuple[object, float]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"value": value}, "geometry": mapping(shapely.make_valid(geom))}
        for geom, value in features
    ]}
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


def _metres(geom, metres: float):
    """Buffer a WGS84 geometry by metres, through the Greek Grid."""
    return gpd.GeoSeries([geom], crs=4326).to_crs(GREEK_GRID).buffer(metres).to_crs(4326).iloc[0]


def seismic_zone(folder: Path) -> Path:
    """Greek seismic code (EAK 2003): the whole city in Zone II, 0.24 g."""
    return _zones(folder / "seismic-code-zone.geojson", [(outline().buffer(0.01), 0.24)])


def flood_zones(folder: Path) -> dict[int, Path]:
    """Flood extents for T = 50, 100 and 1000 years: a deep corridor along the stream, shallower edges and
    the port lowlands from T = 100 years."""
    city = outline()
    widths = {50: (40, 0), 100: (70, 140), 1000: (120, 260)}
    paths = {}
    for years, (deep_m, shallow_m) in widths.items():
        deep = _metres(WEST_STREAM, deep_m).intersection(city)
        features = [(deep, 0.9)]
        if shallow_m:
            shallow = _metres(WEST_STREAM, shallow_m).union(PORT_LOWLANDS).intersection(city).difference(deep)
            features.append((shallow, 0.35))
        paths[years] = _zones(folder / f"flood-t{years}.geojson", features)
    return paths


def coastal_zones(folder: Path) -> dict[str, Path]:
    """Seafront strips flooded by +0.5 m and +1 m of sea level (inundation depth in metres)."""
    city = outline()
    boundary = city.exterior
    gulf = Polygon([(22.85, 40.55), (22.85, 40.6370), (22.9300, 40.6340), (22.9490, 40.6210), (22.9520, 40.5900),
                    (22.9700, 40.5700), (22.85, 40.55)])
    coast = boundary.intersection(gulf.buffer(0.0015))
    return {
        "0.5": _zones(folder / "coastal-0.5m.geojson", [(_metres(coast, 40).intersection(city), 0.3)]),
        "1.0": _zones(folder / "coastal-1.0m.geojson", [(_metres(coast, 120).intersection(city), 0.7)]),
    }


def vs30_raster(folder: Path) -> Path:
    """Vs30 (m/s) modelled from the city's geology, for the earthquake scenarios' site term; EPSG:2100, 100 m.

    Soft Holocene deposits of the Gallikos-Axios plain and the western port lowlands (about 180-220 m/s), Neogene
    and Pleistocene red clays, sands and marls under the centre and the eastern districts (about 260-400 m/s),
    rising to the Chortiatis metamorphic rocks of the upper town and Seich Sou to the north-east (600-800 m/s).
    A model of the broad pattern, not the microzonation study."""
    area = gpd.GeoSeries([outline().buffer(0.30)], crs=4326).to_crs(GREEK_GRID)  # the municipality and its neighbours
    xs, ys, transform, crs = _grid(area.total_bounds, 100.0, f"EPSG:{GREEK_GRID}")
    centre = gpd.GeoSeries([shapely.Point(CITY_CENTRE)], crs=4326).to_crs(GREEK_GRID).iloc[0]
    inland_km = ((xs - centre.x) * np.sin(np.radians(45)) + (ys - centre.y) * np.cos(np.radians(45))) / 1000.0
    vs30 = 280.0 + 110.0 * inland_km
    west_km = (centre.x - xs) / 1000.0  # the western plain: softer the further west and the nearer the coast
    plain = (west_km > 1.5) & (inland_km < 3.0)
    vs30[plain] = np.minimum(vs30[plain], 230.0 - 8.0 * np.clip(west_km[plain] - 1.5, 0, 6))
    return _write(folder / "vs30-model.tif", np.clip(vs30, 180.0, 800.0), transform, crs, -9999.0, "Vs30 (m/s), modelled")
