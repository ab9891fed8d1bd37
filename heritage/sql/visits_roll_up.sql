-- Count the visitors of every day before today and delete their hashes, in one statement: the hashes a run deletes
-- are the ones it counts, so two runs at once never count a visitor twice. Then the days' salts go too.
WITH gone AS (
    DELETE FROM heritage_visithash WHERE day < %(today)s RETURNING day
), counted AS (
    SELECT day, count(*) AS visitors FROM gone GROUP BY day
), added AS (
    INSERT INTO heritage_usagecount (day, kind, count)
    SELECT day, 'visitors', visitors FROM counted
    ON CONFLICT (day, kind) DO UPDATE SET count = heritage_usagecount.count + EXCLUDED.count
    RETURNING day
), salts AS (
    DELETE FROM heritage_visitsalt WHERE day < %(today)s RETURNING day
)
SELECT (SELECT count(*) FROM added) AS days, (SELECT count(*) FROM salts) AS salts;
