package httpapi

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/postgres"
)

// instagramAccounts answers GET /api/instagram/accounts: the user's
// accounts, most recently connected first.
func (a *api) instagramAccounts(c *gin.Context) {
	list, err := a.accounts.ListForUser(c.Request.Context(), c.GetString(ctxUserID))
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	out := make([]accountJSON, len(list))
	for i, acc := range list {
		out[i] = toAccountJSON(acc)
	}
	c.JSON(http.StatusOK, gin.H{"accounts": out})
}

// postCursor is a place in the post list: the last post of a page. On the
// wire it is opaque, the base64url (no padding) of
// "<posted_at in Unix microseconds>.<post id>".
type postCursor struct {
	postedAt time.Time
	id       string
}

func encodeCursor(p postgres.Post) string {
	raw := strconv.FormatInt(p.PostedAt.UnixMicro(), 10) + "." + p.ID
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func errBadCursor() error {
	return apperr.New(apperr.CodeInvalidRequest, "cursor is not one this server gave out: use next_cursor as it was sent.")
}

// decodeCursor reads a cursor of encodeCursor; anything else is
// invalid_request.
func decodeCursor(s string) (postCursor, error) {
	if len(s) > 128 {
		return postCursor{}, errBadCursor()
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return postCursor{}, errBadCursor()
	}
	micros, id, ok := strings.Cut(string(raw), ".")
	if !ok {
		return postCursor{}, errBadCursor()
	}
	n, err := strconv.ParseInt(micros, 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != micros {
		return postCursor{}, errBadCursor()
	}
	parsed, err := uuid.Parse(id)
	if err != nil || parsed.String() != id {
		return postCursor{}, errBadCursor()
	}
	return postCursor{postedAt: time.UnixMicro(n).UTC(), id: id}, nil
}
