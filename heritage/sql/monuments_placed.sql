-- Every monument with its site's point, the district covering it (the smallest code on an edge, as
-- layers.selectors.district_for_point) and the building class its structure record gives, if any.
SELECT m.id AS monument_id, s.id AS site_id, s.slug, s.name_el, s.name_en, s.kind, s.unesco_component,
       ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat,
       (SELECT d.code FROM layers_districtpiece AS piece JOIN layers_district AS d ON d.id = piece.district_id
         WHERE ST_Covers(piece.geom, s.geom) ORDER BY d.code LIMIT 1) AS district,
       st.building_class
FROM heritage_monument AS m
JOIN layers_heritagesite AS s ON s.id = m.site_id
LEFT JOIN heritage_monumentstructure AS st ON st.monument_id = m.id
ORDER BY s.slug;
