-- One running job per account, held by the database rather than by the
-- claim's own check: two claimers whose snapshots both predate the other's
-- commit could otherwise each start a job of the same account. Jobs of no
-- account (mail) are not limited.
--
-- Rows that already break the rule go back to the queue, keeping the one
-- whose lease runs longest; their worker's finish no longer matches and
-- the job runs again, as after a lost lease.
UPDATE jobs SET state = 'queued', locked_by = NULL, locked_until = NULL,
    attempts = GREATEST(attempts - 1, 0), run_at = now(), updated_at = now()
WHERE state = 'running' AND account_id IS NOT NULL
  AND id NOT IN (
    SELECT DISTINCT ON (account_id) id FROM jobs
    WHERE state = 'running' AND account_id IS NOT NULL
    ORDER BY account_id, locked_until DESC NULLS LAST, id);

CREATE UNIQUE INDEX IF NOT EXISTS jobs_one_running_per_account
    ON jobs (account_id) WHERE state = 'running';
