-- The roadmap's outcome indicator per year of completion: implemented (done) projects and those a participatory
-- process shaped. The projects are the register's municipal projects done (participatory: shaped by a process or
-- linked to an implementation record) and the done implementation records of published processes that no register
-- entry names (a participatory project is a municipal project too, counted once). Demo records only when asked.
WITH implemented AS (
    SELECT EXTRACT(YEAR FROM mp.completed_on)::integer AS year,
           (mp.process_id IS NOT NULL OR mp.implementation_id IS NOT NULL) AS participatory, mp.demo
    FROM participation_municipalproject mp
    WHERE mp.status = 'done' AND mp.completed_on IS NOT NULL
    UNION ALL
    SELECT EXTRACT(YEAR FROM i.ends_on)::integer, true, i.demo OR pr.demo
    FROM participation_implementation i
    JOIN participation_process pr ON pr.id = i.process_id AND pr.published
    WHERE i.status = 'done' AND i.ends_on IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM participation_municipalproject mp WHERE mp.implementation_id = i.id)
)
SELECT year,
       count(*)::integer AS implemented_projects,
       (count(*) FILTER (WHERE participatory))::integer AS participatory_projects,
       (count(*) FILTER (WHERE demo))::integer AS demo_projects
FROM implemented
WHERE %(include_demo)s OR NOT demo
GROUP BY year
ORDER BY year
