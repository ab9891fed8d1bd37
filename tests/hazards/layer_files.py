"""Hand-built hazard files and layer descriptions for the hazard tests."""
import rasterio

from hazards.services import LayerSpec


def spec(slug="test-layer", kind="landslide", thresholds=(10, 20, 30, 40), min_share=0.05, coverage=None) -> LayerSpec:
    return LayerSpec(slug=slug, kind=kind, title_el="Δοκιμή", title_en="Test", provenance="hand-built for a test",
                     licence="CC0", units="u", thresholds=thresholds, district_min_share=min_share, coverage=coverage)



def write_raster(path, data, transform, crs="EPSG:2100", nodata=-1.0, count=1):
    with rasterio.open(path, "w", driver="GTiff", width=data.shape[1], height=data.shape[0], count=count,
                       dtype="float32", crs=crs, transform=transform, nodata=nodata) as dataset:
        for band in range(1, count + 1):
            dataset.write(data.astype("float32"), band)
    return path
