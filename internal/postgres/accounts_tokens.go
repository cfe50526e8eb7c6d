package postgres

import (
	"context"
	"fmt"
)

// SealedToken is an account's stored token with what it is bound to.
type SealedToken struct {
	AccountID   string
	IGUserID    string // the ciphertext's associated data
	AccessToken string // the ciphertext
}

// SealedTokens returns up to limit accounts' stored tokens, in id order,
// after the account id after ("" for the first page).
func (s *Accounts) SealedTokens(ctx context.Context, after string, limit int) ([]SealedToken, error) {
	const q = `SELECT id::text, ig_user_id, access_token FROM instagram_accounts
		WHERE ($1 = '' OR id > $1::uuid) ORDER BY id LIMIT $2`
	rows, err := s.db.QueryContext(ctx, q, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list sealed tokens: %w", err)
	}
	defer rows.Close()
	var out []SealedToken
	for rows.Next() {
		var t SealedToken
		if err := rows.Scan(&t.AccountID, &t.IGUserID, &t.AccessToken); err != nil {
			return nil, fmt.Errorf("list sealed tokens: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sealed tokens: %w", err)
	}
	return out, nil
}

// ReplaceSealedToken stores next as the account's token if it still holds
// prev, and reports whether it did: a token refreshed meanwhile is kept.
func (s *Accounts) ReplaceSealedToken(ctx context.Context, accountID, prev, next string) (bool, error) {
	const q = `UPDATE instagram_accounts SET access_token = $3 WHERE id = $1 AND access_token = $2`
	res, err := s.db.ExecContext(ctx, q, accountID, prev, next)
	if err != nil {
		return false, fmt.Errorf("replace sealed token: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("replace sealed token: %w", err)
	}
	return n == 1, nil
}
