-- Municipal projects and those shaped by a participatory process, by district ('city' without one) or all.
SELECT CASE %(by)s WHEN 'district' THEN coalesce(d.code, 'city') ELSE 'all' END AS key,
       count(*)::integer AS municipal_projects,
       (count(*) FILTER (WHERE mp.process_id IS NOT NULL))::integer AS participatory_municipal_projects
FROM participation_municipalproject mp
LEFT JOIN layers_district d ON d.id = mp.district_id
GROUP BY 1
ORDER BY 1
