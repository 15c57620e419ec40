-- Every HKD amount above 1亿 (100,000,000), with the company it belongs to: the nearest company named
-- before the amount in the same article. Current records only (an edited article's earlier record is not).
-- Runs on PostgreSQL (mentions.num is an exact NUMERIC).
SELECT company.norm            AS company,
       m.text                  AS amount_text,
       m.num                   AS hkd,
       a.published,
       a.source
FROM mentions AS m
JOIN articles AS a USING (doc_id, pipeline_version)
CROSS JOIN LATERAL (
    SELECT e.norm
    FROM mentions AS e
    WHERE e.doc_id = m.doc_id AND e.pipeline_version = m.pipeline_version
      AND e.family = 'entity' AND e.kind = 'company' AND e."end" <= m.start
    ORDER BY e."end" DESC
    LIMIT 1
) AS company
WHERE a.current AND m.family = 'money' AND m.unit = 'HKD' AND m.num > 100000000
ORDER BY company, hkd DESC;
