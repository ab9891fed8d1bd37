"""OGC API – Features at /ogc/: any registered collection as GeoJSON built in SQL, with CRS and CQL2 filters."""
