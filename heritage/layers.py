"""The heritage map layers registered with the layer registry: the walking routes (their line, titles, number of
stops and length), served by the OGC API as the collection `heritage-routes`."""
ROUTE_PROPERTIES = {"slug": "string", "title_el": "string", "title_en": "string", "stops": "integer",
                    "length_m": "integer", "modified": "datetime"}
ROUTE_SOURCES = ("heritage_route", "heritage_routestop")


def register_layers() -> None:
    from layers.registry import Collection, register

    register(Collection(
        id="heritage-routes", title_en="Heritage walking routes", title_el="Διαδρομές πολιτιστικής κληρονομιάς",
        description_en="Curated walking routes past the city's monuments: the line to walk, its stops and length.",
        description_el=("Επιμελημένες διαδρομές με τα πόδια ανάμεσα στα μνημεία της πόλης: η γραμμή, οι στάσεις και "
                        "το μήκος της."),
        table="ogc_heritage_routes", id_column="id", geometry_type="LineString", datetime_column="modified",
        properties=ROUTE_PROPERTIES, sources=ROUTE_SOURCES, themes=("EDUC", "SOCI"), max_age=300,
        keywords_en=("cultural heritage", "walking routes", "monuments"),
        keywords_el=("πολιτιστική κληρονομιά", "διαδρομές", "μνημεία"),
        provenance="Routes drawn by the municipality's heritage editors on the portal.",
        exposure_default=False,
    ))
