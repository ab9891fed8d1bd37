-- The reports of the given categories inside a place or within a distance of it (true metres, on the geography).
SELECT i.id
FROM issues_issue AS i
JOIN issues_category AS c ON c.id = i.category_id
WHERE c.service_code = ANY(%(service_codes)s::text[])
  AND ST_DWithin(i.location::geography, ST_GeomFromEWKB(%(place)s)::geography, %(within_m)s);
