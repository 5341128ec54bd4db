-- 0004_result_writes.sql - cheaper writes per task.
--
-- Every finished task writes one results row and one task_runs row,
-- thousands a minute across workers. Their foreign keys to jobs made each
-- insert look up and lock the job's row (FOR KEY SHARE): about a third of
-- the database's time per task. The coordinator stores a job's row before
-- any of its tasks exist, so these two keys are dropped; a trigger keeps
-- what their ON DELETE CASCADE did.
--
-- A results row is about 4 KB (metrics as JSON and the packed result).
-- Rows up to a page stay inline instead of being compressed with pglz on
-- every insert; larger ones (with validation and test metrics) use lz4.

ALTER TABLE results DROP CONSTRAINT IF EXISTS results_job_id_fkey;
ALTER TABLE task_runs DROP CONSTRAINT IF EXISTS task_runs_job_id_fkey;

CREATE FUNCTION stom_delete_job_results() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM results WHERE job_id = OLD.id;
    DELETE FROM task_runs WHERE job_id = OLD.id;
    RETURN OLD;
END
$$;

CREATE TRIGGER jobs_delete_results AFTER DELETE ON jobs
    FOR EACH ROW EXECUTE FUNCTION stom_delete_job_results();

ALTER TABLE results SET (toast_tuple_target = 8160);
ALTER TABLE results
    ALTER COLUMN metrics SET COMPRESSION lz4,
    ALTER COLUMN valid_metrics SET COMPRESSION lz4,
    ALTER COLUMN test_metrics SET COMPRESSION lz4,
    ALTER COLUMN result SET COMPRESSION lz4;
