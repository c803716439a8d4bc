-- The version an attempt item refers to, checked once per statement instead of by a foreign key.
-- The key took a FOR KEY SHARE lock on every version row an insert referenced: the 60 of a start,
-- shared by a cohort starting together, so concurrent starts made a MultiXact for most of them
-- (about two a start in a test of 8 concurrent starts). Versions are history: they are never
-- deleted and their ids never change (refused below), so a reference that held at insert holds
-- for good, and the version of an item never changes either.
ALTER TABLE "attempt_items" DROP CONSTRAINT "attempt_items_questionVersionId_fkey";

-- One refusal for every change the rules below forbid; the trigger names the reason.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER question_versions_kept BEFORE DELETE OR UPDATE OF id ON "question_versions"
  FOR EACH ROW EXECUTE FUNCTION refuse_change(
    'question versions are kept for the attempts that showed them (retire the question instead)');
CREATE TRIGGER question_versions_kept_whole BEFORE TRUNCATE ON "question_versions"
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change(
    'question versions are kept for the attempts that showed them (retire the question instead)');

CREATE FUNCTION attempt_items_versions_exist() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_items i
             WHERE NOT EXISTS (SELECT 1 FROM "question_versions" v WHERE v.id = i."questionVersionId")) THEN
    RAISE EXCEPTION 'an attempt item refers to a question version that does not exist'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER attempt_items_versions_exist AFTER INSERT ON "attempt_items"
  REFERENCING NEW TABLE AS new_items
  FOR EACH STATEMENT EXECUTE FUNCTION attempt_items_versions_exist();

CREATE TRIGGER attempt_items_version_fixed BEFORE UPDATE OF "questionVersionId" ON "attempt_items"
  FOR EACH ROW WHEN (NEW."questionVersionId" IS DISTINCT FROM OLD."questionVersionId")
  EXECUTE FUNCTION refuse_change('an attempt item keeps the question version it was drawn with');
