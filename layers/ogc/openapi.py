"""The OpenAPI 3.0 document of the OGC API, with the items' limit default and maximum for QGIS."""


def ogc_openapi(request, collections, default_limit: int, max_limit: int, download_formats: list[str]) -> dict:
    base = request.build_absolute_uri("/ogc")
    parameters = {
        "limit": {"name": "limit", "in": "query", "required": False, "style": "form", "explode": False,
                  "schema": {"type": "integer", "minimum": 1, "maximum": max_limit, "default": default_limit}},
        "offset": {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
        "bbox": {"name": "bbox", "in": "query", "style": "form", "explode": False,
                 "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}}},
        "bbox-crs": {"name": "bbox-crs", "in": "query", "schema": {"type": "string", "format": "uri"}},
        "crs": {"name": "crs", "in": "query", "schema": {"type": "string", "format": "uri"}},
        "datetime": {"name": "datetime", "in": "query", "schema": {"type": "string"}},
        "filter": {"name": "filter", "in": "query", "schema": {"type": "string"}},
        "filter-lang": {"name": "filter-lang", "in": "query", "schema": {"type": "string", "enum": ["cql2-text", "cql2-json"]}},
        "filter-crs": {"name": "filter-crs", "in": "query", "schema": {"type": "string", "format": "uri"}},
        "featureId": {"name": "featureId", "in": "path", "required": True, "schema": {"type": "string"}},
        "format": {"name": "format", "in": "path", "required": True, "schema": {"type": "string", "enum": download_formats}},
    }
    ok = {"200": {"description": "OK"}}
    paths = {
        "/": {"get": {"summary": "Landing page", "operationId": "getLandingPage", "responses": ok}},
        "/conformance": {"get": {"summary": "Conformance classes", "operationId": "getConformance", "responses": ok}},
        "/collections": {"get": {"summary": "Collections", "operationId": "getCollections", "responses": ok}},
        "/catalogue.jsonld": {"get": {"summary": "DCAT-AP catalogue of the datasets (JSON-LD)", "operationId": "getCatalogue",
                                      "responses": {"200": {"description": "JSON-LD",
                                                            "content": {"application/ld+json": {"schema": {"type": "object"}}}}}}},
    }
    for collection in collections:
        prefix = f"/collections/{collection.id}"
        paths[prefix] = {"get": {"summary": collection.title_en, "operationId": f"describe-{collection.id}", "responses": ok}}
        paths[f"{prefix}/items"] = {"get": {
            "summary": f"Features of {collection.title_en}", "operationId": f"items-{collection.id}",
            "parameters": [{"$ref": f"#/components/parameters/{name}"} for name in
                           ("limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "filter", "filter-lang", "filter-crs")],
            "responses": {"200": {"description": "GeoJSON", "content": {"application/geo+json": {"schema": {"type": "object"}}}}},
        }}
        paths[f"{prefix}/items/{{featureId}}"] = {"get": {
            "summary": f"One feature of {collection.title_en}", "operationId": f"item-{collection.id}",
            "parameters": [{"$ref": "#/components/parameters/featureId"}, {"$ref": "#/components/parameters/crs"}],
            "responses": {"200": {"description": "GeoJSON", "content": {"application/geo+json": {"schema": {"type": "object"}}}},
                          "404": {"description": "no such feature"}},
        }}
        paths[f"{prefix}/queryables"] = {"get": {"summary": "Queryables", "operationId": f"queryables-{collection.id}",
                                                 "responses": ok}}
        paths[f"{prefix}/download/{{format}}"] = {"get": {
            "summary": f"{collection.title_en} as a file (public fields only)", "operationId": f"download-{collection.id}",
            "parameters": [{"$ref": "#/components/parameters/format"}],
            "responses": {"200": {"description": "the file, as an attachment"}, "404": {"description": "no such format"}},
        }}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Thessaloniki GIS portal – OGC API Features", "version": "1.0.0"},
        "servers": [{"url": base}],
        "paths": paths,
        "components": {"parameters": parameters},
    }
