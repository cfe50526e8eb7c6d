package postgres

import (
	"context"
	"fmt"
)

// SealedPayload is a queued job's sealed payload.
type SealedPayload struct {
	JobID   string
	Payload string
}

// SealedPayloads returns up to limit payloads of jobs of kind that still
// hold one, in id order, after the job id after ("" for the first page).
func (s *Jobs) SealedPayloads(ctx context.Context, kind, after string, limit int) ([]SealedPayload, error) {
	const q = `SELECT id::text, payload FROM jobs
		WHERE kind = $1 AND payload IS NOT NULL AND payload <> '' AND ($2 = '' OR id > $2::uuid)
		ORDER BY id LIMIT $3`
	rows, err := s.db.QueryContext(ctx, q, kind, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list sealed payloads: %w", err)
	}
	defer rows.Close()
	var out []SealedPayload
	for rows.Next() {
		var p SealedPayload
		if err := rows.Scan(&p.JobID, &p.Payload); err != nil {
			return nil, fmt.Errorf("list sealed payloads: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sealed payloads: %w", err)
	}
	return out, nil
}

// ReplacePayload stores next as the job's payload if it still holds prev,
// and reports whether it did: a payload sent and dropped meanwhile is left.
func (s *Jobs) ReplacePayload(ctx context.Context, jobID, prev, next string) (bool, error) {
	const q = `UPDATE jobs SET payload = $3 WHERE id = $1 AND payload = $2`
	res, err := s.db.ExecContext(ctx, q, jobID, prev, next)
	if err != nil {
		return false, fmt.Errorf("replace payload: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("replace payload: %w", err)
	}
	return n == 1, nil
}
