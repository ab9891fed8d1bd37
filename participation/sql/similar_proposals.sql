-- Proposals of a process like a new one, before it is published: published ones within %(metres)s metres of
-- its place, or whose title or text reads alike with case and Greek accents ignored (pg_trgm on
-- participation_fold, the title's trigram test answered by its index).
WITH q AS (
    SELECT participation_fold(%(text)s) AS text,
           CASE WHEN %(geojson)s::text IS NULL THEN NULL
                ELSE ST_SetSRID(ST_GeomFromGeoJSON(%(geojson)s::text), 4326) END AS geom
)
SELECT p.id, p.title, p.state, p.support_count,
       CASE WHEN q.geom IS NOT NULL AND p.geom IS NOT NULL
            THEN round(ST_Distance(p.geom::geography, q.geom::geography)::numeric, 1)::float END AS metres,
       round(greatest(similarity(participation_fold(p.title), q.text),
                      word_similarity(q.text, participation_fold(p.body)))::numeric, 3)::float AS wording
FROM participation_proposal p, q
WHERE p.process_id = %(process)s
  AND p.state NOT IN ('draft', 'withdrawn')
  AND (p.id <> %(exclude)s)
  AND ((q.geom IS NOT NULL AND p.geom IS NOT NULL AND p.geom && ST_Expand(q.geom, %(pad)s)
        AND ST_DWithin(p.geom::geography, q.geom::geography, %(metres)s))
       OR participation_fold(p.title) %% q.text
       OR similarity(participation_fold(p.title), q.text) >= %(min_wording)s
       OR word_similarity(q.text, participation_fold(p.body)) >= 0.6)
ORDER BY wording DESC, metres ASC NULLS LAST, p.id
LIMIT %(limit)s
