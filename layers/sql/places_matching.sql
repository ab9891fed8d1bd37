-- Places whose names are most similar to a search key (pg_trgm); min_score lets the caller ask for
-- close matches only (the GIN index serves the trigram operator) or for loose suggestions.
SELECT n.place_id AS place_id, max(similarity(n.key, %(key)s)) AS score
FROM layers_placename AS n
WHERE (%(strict)s AND n.key %% %(key)s)
   OR (NOT %(strict)s AND similarity(n.key, %(key)s) >= %(min_score)s)
GROUP BY n.place_id
ORDER BY score DESC, n.place_id
LIMIT %(limit)s;
