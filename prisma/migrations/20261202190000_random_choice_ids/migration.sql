-- Option and item ids were positional (a, b, c ... in the file's order), so a page told its
-- key: ordering items are stored in the correct order, and sorting their ids gave it. New
-- versions get six random letters (src/modules/banks/choice-ids.ts). This gives the versions
-- stored before that random ids too, and maps every stored use of the old ids with them: the
-- version's body, and each attempt item's display order and response. Data only; a version
-- whose ids are already random is left alone, so running it again changes nothing.

-- Six letters from PostgreSQL's CSPRNG (gen_random_uuid draws from pg_strong_random).
CREATE OR REPLACE FUNCTION pg_temp.new_choice_id() RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT string_agg(chr(97 + get_byte(b, i) % 26), '' ORDER BY i)
  FROM (SELECT uuid_send(gen_random_uuid()) AS b) r, generate_series(0, 5) AS i
$$;

CREATE TEMP TABLE choice_id_map ON COMMIT DROP AS
SELECT v.id AS "versionId", c.elem ->> 'id' AS old, pg_temp.new_choice_id() AS new
FROM question_versions v
CROSS JOIN LATERAL jsonb_array_elements(coalesce(v.body -> 'options', v.body -> 'items')) AS c(elem)
WHERE v.type IN ('single', 'multiple', 'ordering')
  AND NOT EXISTS (
    SELECT 1 FROM jsonb_array_elements(coalesce(v.body -> 'options', v.body -> 'items')) AS o(elem)
    WHERE NOT (o.elem ->> 'id') ~ '^[a-z]{1,2}$'
  );

-- Ids must be distinct within a version: draw again where two met (26^6 ids: very rare).
DO $$
BEGIN
  LOOP
    UPDATE choice_id_map m SET new = pg_temp.new_choice_id()
    WHERE EXISTS (
      SELECT 1 FROM choice_id_map d
      WHERE d."versionId" = m."versionId" AND d.new = m.new AND d.old < m.old
    );
    EXIT WHEN NOT FOUND;
  END LOOP;
END $$;

CREATE INDEX ON choice_id_map ("versionId", old);

UPDATE question_versions v
SET body = jsonb_set(v.body, ARRAY[k.key], (
  SELECT jsonb_agg(jsonb_set(x.elem, '{id}', to_jsonb(coalesce(m.new, x.elem ->> 'id'))) ORDER BY x.ord)
  FROM jsonb_array_elements(v.body -> k.key) WITH ORDINALITY AS x(elem, ord)
  LEFT JOIN choice_id_map m ON m."versionId" = v.id AND m.old = x.elem ->> 'id'
))
FROM (VALUES ('options'), ('items')) AS k(key)
WHERE v.body ? k.key AND EXISTS (SELECT 1 FROM choice_id_map m WHERE m."versionId" = v.id);

UPDATE attempt_items i
SET "displayOrder" = (
  SELECT array_agg(coalesce(m.new, x.old) ORDER BY x.ord)
  FROM unnest(i."displayOrder") WITH ORDINALITY AS x(old, ord)
  LEFT JOIN choice_id_map m ON m."versionId" = i."questionVersionId" AND m.old = x.old
)
WHERE cardinality(i."displayOrder") > 0
  AND EXISTS (SELECT 1 FROM choice_id_map m WHERE m."versionId" = i."questionVersionId");

UPDATE attempt_items i
SET response = jsonb_set(i.response, '{optionId}', to_jsonb(m.new))
FROM choice_id_map m
WHERE i.response ->> 'type' = 'single' AND m."versionId" = i."questionVersionId"
  AND m.old = i.response ->> 'optionId';

UPDATE attempt_items i
SET response = jsonb_set(i.response, ARRAY[k.key], (
  SELECT jsonb_agg(coalesce(m.new, x.old) ORDER BY x.ord)
  FROM jsonb_array_elements_text(i.response -> k.key) WITH ORDINALITY AS x(old, ord)
  LEFT JOIN choice_id_map m ON m."versionId" = i."questionVersionId" AND m.old = x.old
))
FROM (VALUES ('multiple', 'optionIds'), ('ordering', 'itemIds')) AS k(type, key)
WHERE i.response ->> 'type' = k.type AND jsonb_array_length(i.response -> k.key) > 0
  AND EXISTS (SELECT 1 FROM choice_id_map m WHERE m."versionId" = i."questionVersionId");

DROP FUNCTION pg_temp.new_choice_id();
