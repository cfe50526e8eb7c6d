package httpapi

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/growth"
	"creatorgrowth/internal/postgres"
)

// exportTimeout bounds the queries of one export, below the server's
// write timeout so that a slow one ends as an aborted answer, not a hung one.
const exportTimeout = 50 * time.Second

// exportFlushEvery is how many rows are written between flushes.
const exportFlushEvery = 200

// exportHeader is the contract's CSV header row.
var exportHeader = []string{"posted_at", "ig_post_id", "media_type", "media_product_type", "permalink", "caption",
	"like_count", "comments_count", "views", "reach", "saved", "shares", "total_interactions"}

// reportNow is the end of a report's window: whole seconds, so that
// period_start and period_end read as in the contract.
func (a *api) reportNow() time.Time { return a.now().UTC().Truncate(time.Second) }

// growthExport answers GET /api/growth/export?period=30&tz=UTC&format=csv|json:
// the posts of the stats' current window, newest first, as a download.
// The JSON form carries the stats body of the same instant beside them.
// Rows are written as they are read, so a window of thousands of posts is
// never held in memory; a failure once rows are out aborts the answer, so
// a client never takes a cut file for a whole one.
func (a *api) growthExport(c *gin.Context) {
	format := c.DefaultQuery("format", "csv")
	if format != "csv" && format != "json" {
		writeError(c, a.logger, apperr.New(apperr.CodeInvalidRequest, "format must be csv or json."))
		return
	}
	period, tz, ok := a.growthQuery(c, growth.DefaultPeriod)
	if !ok {
		return
	}
	acc, err := a.currentAccount(c)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), exportTimeout)
	defer cancel()
	now := a.reportNow()
	from := now.Add(-time.Duration(period) * 24 * time.Hour)
	var stats []byte
	if format == "json" {
		// The same service and instant as GET /api/growth/stats.
		if stats, err = a.growth.StatsJSON(ctx, acc, period, tz, now); err != nil {
			writeError(c, a.logger, err)
			return
		}
	}
	name := exportFileName(acc.Username, period, now.In(tz), format)
	h := c.Writer.Header()
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	if format == "csv" {
		h.Set("Content-Type", "text/csv; charset=utf-8")
		err = a.writeExportCSV(ctx, c, acc.ID, from, now)
	} else {
		h.Set("Content-Type", "application/json; charset=utf-8")
		err = a.writeExportJSON(ctx, c, acc.ID, from, now, stats)
	}
	if err != nil {
		a.exportFailed(c, err)
	}
}

// exportFailed ends an export that failed: with the error body when
// nothing is written yet, else by aborting the connection.
func (a *api) exportFailed(c *gin.Context, err error) {
	if !c.Writer.Written() {
		c.Writer.Header().Del("Content-Disposition")
		writeError(c, a.logger, err)
		return
	}
	a.logger.ErrorContext(c.Request.Context(), "export cut short",
		slog.String("request_id", requestID(c)), slog.String("error", err.Error()))
	panic(http.ErrAbortHandler)
}

func (a *api) writeExportCSV(ctx context.Context, c *gin.Context, accountID string, from, to time.Time) error {
	// Records end in LF, as the waitlist export's do; fields are quoted
	// as RFC 4180 says (quotes, commas, CR and LF inside them).
	w := csv.NewWriter(c.Writer)
	c.Status(http.StatusOK)
	if err := w.Write(exportHeader); err != nil {
		return err
	}
	n := 0
	err := a.posts.EachInWindow(ctx, accountID, from, to, func(p postgres.Post) error {
		if err := w.Write(exportRow(p)); err != nil {
			return err
		}
		if n++; n%exportFlushEvery == 0 {
			w.Flush()
			c.Writer.Flush()
		}
		return w.Error()
	})
	w.Flush()
	if err == nil {
		err = w.Error()
	}
	return err
}

func (a *api) writeExportJSON(ctx context.Context, c *gin.Context, accountID string, from, to time.Time, stats []byte) error {
	c.Status(http.StatusOK)
	buf := make([]byte, 0, 4096)
	buf = append(append(append(buf, `{"stats":`...), stats...), `,"posts":[`...)
	n := 0
	err := a.posts.EachInWindow(ctx, accountID, from, to, func(p postgres.Post) error {
		b, err := json.Marshal(toPostJSON(p))
		if err != nil {
			return err
		}
		if n > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, b...)
		if n++; len(buf) >= 32<<10 {
			if _, err := c.Writer.Write(buf); err != nil {
				return err
			}
			c.Writer.Flush()
			buf = buf[:0]
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = c.Writer.Write(append(buf, "]}"...))
	return err
}

// exportRow is a post's CSV record, in the order of exportHeader. An
// unknown number (a hidden like count, a metric Instagram did not report,
// insights not read yet) is an empty cell, never 0.
func exportRow(p postgres.Post) []string {
	var ins postgres.PostInsights
	if p.Insights != nil {
		ins = *p.Insights
	}
	row := []string{
		p.PostedAt.UTC().Format(time.RFC3339),
		p.IGPostID,
		p.MediaType,
		p.MediaProductType,
		p.Permalink,
		p.Caption,
		optInt(p.LikeCount),
		strconv.FormatInt(p.CommentsCount, 10),
		optInt(ins.Views),
		optInt(ins.Reach),
		optInt(ins.Saved),
		optInt(ins.Shares),
		optInt(ins.TotalInteractions),
	}
	for i, cell := range row {
		row[i] = neutraliseCell(cell)
	}
	return row
}

func optInt(v *int64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatInt(*v, 10)
}

// neutraliseCell keeps a spreadsheet from running a cell as a formula: a
// cell that starts with =, +, -, @, a tab or a carriage return gets a
// leading apostrophe, which spreadsheets show as text (OWASP's advice for
// CSV injection). The numbers this export writes never start so.
func neutraliseCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// exportFileName is growth-<username>-<period>d-<date>.<ext>, with the
// date of the report's end in its zone and the username reduced to
// letters, digits, dots, dashes and underscores.
func exportFileName(username string, period int, end time.Time, ext string) string {
	var b strings.Builder
	for _, r := range username {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	user := strings.Trim(b.String(), ".")
	if user == "" {
		user = "account"
	}
	if len(user) > 64 {
		user = user[:64]
	}
	return "growth-" + user + "-" + strconv.Itoa(period) + "d-" + end.Format(time.DateOnly) + "." + ext
}
