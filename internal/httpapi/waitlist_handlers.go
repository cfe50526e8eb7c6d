package httpapi

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/waitlist"
)

// waitlistPageJSON is a page of the admin waitlist.
type waitlistPageJSON struct {
	Entries    []waitlistEntryJSON `json:"entries"`
	Page       int                 `json:"page"`
	Limit      int                 `json:"limit"`
	Total      int                 `json:"total"`
	TotalPages int                 `json:"total_pages"`
}

type waitlistEntryJSON struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	CreatedAt time.Time `json:"created_at"`
}

func toWaitlistPageJSON(p waitlist.Page) waitlistPageJSON {
	out := waitlistPageJSON{Entries: make([]waitlistEntryJSON, len(p.Entries)), Page: p.Page, Limit: p.Limit,
		Total: p.Total, TotalPages: p.TotalPages}
	for i, e := range p.Entries {
		out.Entries[i] = waitlistEntryJSON{ID: e.ID, Email: e.Email, CreatedAt: e.CreatedAt.UTC()}
	}
	return out
}

type messageJSON struct {
	Message string `json:"message"`
}

func (a *api) waitlistSignup(c *gin.Context) {
	var in struct {
		Email string `json:"email"`
	}
	if err := decodeJSON(c, &in); err != nil {
		writeError(c, a.logger, err)
		return
	}
	created, err := a.waitlist.Signup(c.Request.Context(), in.Email)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	if created {
		c.JSON(http.StatusCreated, messageJSON{Message: "Signed up successfully"})
		return
	}
	c.JSON(http.StatusOK, messageJSON{Message: "Already on the waitlist"})
}

// requireAdmin admits requests that carry the admin password, in the
// X-Admin-Password header or the password query parameter, compared in
// constant time. Failures are counted per client IP and rate limited.
func (a *api) requireAdmin(c *gin.Context) {
	if a.cfg.AdminPassword == "" {
		writeError(c, a.logger, apperr.New(apperr.CodeUnavailable, "The admin area is not configured (ADMIN_PASSWORD is unset)."))
		return
	}
	// The failure is counted before the comparison, atomically with the
	// check of the limit, so that parallel guesses get no more comparisons
	// than the limit allows; a success hands it back.
	key := clientKey(c)
	if !a.adminFailures.reserve(c, key) {
		return
	}
	given := c.GetHeader("X-Admin-Password")
	if given == "" {
		given = c.Query("password")
	}
	if given == "" || !sameSecret(a.cfg.AdminPassword, given) {
		writeError(c, a.logger, apperr.New(apperr.CodeUnauthorized, "Wrong admin password."))
		return
	}
	a.adminFailures.refund(c, key)
	c.Next()
}

func (a *api) adminWaitlist(c *gin.Context) {
	ctx := c.Request.Context()
	if c.Query("format") == "csv" {
		a.adminWaitlistCSV(c)
		return
	}
	if f := c.Query("format"); f != "" && f != "json" {
		writeError(c, a.logger, apperr.New(apperr.CodeInvalidRequest, "format must be json or csv."))
		return
	}
	page, err := intQuery(c, "page", 1)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	limit, err := intQuery(c, "limit", waitlist.DefaultLimit)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	p, err := a.waitlist.List(ctx, page, limit)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, toWaitlistPageJSON(p))
}

func (a *api) adminWaitlistCSV(c *gin.Context) {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="waitlist.csv"`)
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	w := csv.NewWriter(c.Writer)
	w.Write([]string{"id", "email", "created_at"}) //nolint:errcheck // flushed and checked below
	err := a.waitlist.Each(c.Request.Context(), func(e postgres.WaitlistEntry) error {
		return w.Write([]string{e.ID, csvSafe(e.Email), e.CreatedAt.UTC().Format(time.RFC3339)})
	})
	w.Flush()
	if err == nil {
		err = w.Error()
	}
	if err != nil {
		// The status is sent; all that is left is to log and cut the body.
		a.logger.ErrorContext(c.Request.Context(), "waitlist csv export", "request_id", requestID(c), "error", err.Error())
		c.Abort()
	}
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}

// intQuery reads an integer query parameter, def when absent.
func intQuery(c *gin.Context, name string, def int) (int, error) {
	raw, ok := c.GetQuery(name)
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, apperr.Errorf(apperr.CodeInvalidRequest, "%s must be a whole number.", name)
	}
	return n, nil
}
