-- Places whose names are most similar to a search key (pg_trgm). A name's score is its similarity to
-- the whole key, but no more than its worst match for any one word of the key, so that "Vasilissis
-- Sofias" does not pass for "Vasilissis Olgas". strict asks the GIN index for close names only (the
-- trigram operator); otherwise min_score applies, for suggestions.
WITH words AS (
    SELECT string_to_array(%(key)s, ' ') AS list
)
SELECT n.place_id AS place_id,
       max(least(
           similarity(n.key, %(key)s),
           (SELECT min(word_similarity(w, n.key)) FROM unnest(words.list) AS w)
       )) AS score
FROM layers_placename AS n, words
WHERE (%(strict)s AND n.key %% %(key)s)
   OR (NOT %(strict)s AND similarity(n.key, %(key)s) >= %(min_score)s)
GROUP BY n.place_id
ORDER BY score DESC, n.place_id
LIMIT %(limit)s;
