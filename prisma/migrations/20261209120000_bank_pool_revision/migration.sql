-- A bank's pool revision: bumped, in the same transaction, by every statement that inserts,
-- changes or deletes its questions. A process may keep an exam's pool (its questions' current
-- versions, topics and types) in memory while the revisions it read the pool under are still
-- the revisions in the table; the start of an exam checks that inside its insert.
-- Statement-level triggers: a 100,000-question import bumps each bank once per statement.
-- An integer that wraps to 1 after 2^31 - 1 (a revision is only ever compared for equality
-- with one read moments before).
ALTER TABLE "banks" ADD COLUMN "poolRevision" INTEGER NOT NULL DEFAULT 0;

CREATE FUNCTION bump_bank_pool_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE banks SET "poolRevision" = "poolRevision" % 2147483647 + 1
    WHERE id IN (SELECT DISTINCT "bankId" FROM pool_new);
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE banks SET "poolRevision" = "poolRevision" % 2147483647 + 1
    WHERE id IN (SELECT DISTINCT "bankId" FROM pool_old);
  ELSE
    -- A question that moves between banks changes both.
    UPDATE banks SET "poolRevision" = "poolRevision" % 2147483647 + 1
    WHERE id IN (SELECT "bankId" FROM pool_new UNION SELECT "bankId" FROM pool_old);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER questions_pool_insert AFTER INSERT ON "questions"
  REFERENCING NEW TABLE AS pool_new FOR EACH STATEMENT EXECUTE FUNCTION bump_bank_pool_revision();
CREATE TRIGGER questions_pool_update AFTER UPDATE ON "questions"
  REFERENCING OLD TABLE AS pool_old NEW TABLE AS pool_new FOR EACH STATEMENT EXECUTE FUNCTION bump_bank_pool_revision();
CREATE TRIGGER questions_pool_delete AFTER DELETE ON "questions"
  REFERENCING OLD TABLE AS pool_old FOR EACH STATEMENT EXECUTE FUNCTION bump_bank_pool_revision();
