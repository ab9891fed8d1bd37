-- Municipal projects of the register and those shaped by a participatory process (or linked to an implementation
-- record), by district ('city' without one) or all; demo projects only with include_demo.
SELECT CASE %(by)s WHEN 'district' THEN coalesce(d.code, 'city') ELSE 'all' END AS key,
       count(*)::integer AS municipal_projects,
       (count(*) FILTER (WHERE mp.process_id IS NOT NULL OR mp.implementation_id IS NOT NULL))::integer AS participatory_municipal_projects
FROM participation_municipalproject mp
LEFT JOIN layers_district d ON d.id = mp.district_id
WHERE %(include_demo)s OR NOT mp.demo
GROUP BY 1
ORDER BY 1
