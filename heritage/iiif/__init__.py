"""IIIF for the heritage records: static level-0 image pyramids (Image API 3.0) and manifests and collections
(Presentation API 3.0)."""
