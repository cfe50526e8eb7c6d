package httpapi

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/growth"
	"creatorgrowth/internal/postgres"
)

// Share links: a token of shareTokenBytes random bytes, base64url without
// padding, opens a read-only report at {PUBLIC_URL}/r/<token>. Only its
// SHA-256 is stored, so the token is shown once, in the answer that
// creates it; the list never carries it (nor the address, which holds it).
const (
	shareTokenBytes   = 32
	shareTokenLen     = 43 // base64url of 32 bytes, unpadded
	maxShareLinkDays  = 365
	publicReportCache = "public, no-cache"
)

// shareLinkJSON is a share link as listed. The token and the address are
// only in the answer to its creation (createdShareLinkJSON).
type shareLinkJSON struct {
	ID         string    `json:"id"`
	AccountID  string    `json:"account_id"`
	PeriodDays int       `json:"period_days"`
	TZ         string    `json:"tz"`
	ExpiresAt  time.Time `json:"expires_at"`
	CreatedAt  time.Time `json:"created_at"`
}

// createdShareLinkJSON is the contract's 201 body.
type createdShareLinkJSON struct {
	ID         string    `json:"id"`
	Token      string    `json:"token"`
	URL        string    `json:"url"`
	PeriodDays int       `json:"period_days"`
	TZ         string    `json:"tz"`
	ExpiresAt  time.Time `json:"expires_at"`
	CreatedAt  time.Time `json:"created_at"`
}

func toShareLinkJSON(l postgres.ShareLink) shareLinkJSON {
	return shareLinkJSON{ID: l.ID, AccountID: l.AccountID, PeriodDays: l.PeriodDays, TZ: l.TZ,
		ExpiresAt: l.ExpiresAt.UTC(), CreatedAt: l.CreatedAt.UTC()}
}

// hashShareToken returns the stored form of a token, or false when the
// string is not a token this server could have given out.
func hashShareToken(token string) ([]byte, bool) {
	if len(token) != shareTokenLen {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != shareTokenBytes || base64.RawURLEncoding.EncodeToString(raw) != token {
		return nil, false
	}
	sum := sha256.Sum256(raw)
	return sum[:], true
}

// createShareLink answers POST /api/share-links {period, tz,
// expires_in_days}: period defaults to 30 and tz to UTC, as for the
// stats; expires_in_days (1–365) is required. The link is of the account
// ?account_id= names, or of the most recently connected one.
func (a *api) createShareLink(c *gin.Context) {
	var in struct {
		Period        *int    `json:"period"`
		TZ            *string `json:"tz"`
		ExpiresInDays *int    `json:"expires_in_days"`
	}
	if err := decodeJSON(c, &in); err != nil {
		writeError(c, a.logger, err)
		return
	}
	period := growth.DefaultPeriod
	if in.Period != nil {
		if !growth.ValidPeriod(*in.Period) {
			_, err := growth.ParsePeriod("", true)
			writeError(c, a.logger, err)
			return
		}
		period = *in.Period
	}
	tz := "UTC"
	if in.TZ != nil {
		loc, err := a.growth.Location(*in.TZ)
		if err != nil {
			writeError(c, a.logger, err)
			return
		}
		tz = loc.String()
	}
	if in.ExpiresInDays == nil || *in.ExpiresInDays < 1 || *in.ExpiresInDays > maxShareLinkDays {
		writeError(c, a.logger, apperr.Errorf(apperr.CodeInvalidRequest, "expires_in_days must be a whole number from 1 to %d.", maxShareLinkDays))
		return
	}
	acc, err := a.currentAccount(c)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	raw := make([]byte, shareTokenBytes)
	if _, err := rand.Read(raw); err != nil {
		writeError(c, a.logger, fmt.Errorf("share token: %w", err))
		return
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	hash := sha256.Sum256(raw)
	now := a.reportNow()
	l, err := a.shares.Create(c.Request.Context(), postgres.ShareLinkInput{
		UserID: c.GetString(ctxUserID), AccountID: acc.ID, TokenHash: hash[:], PeriodDays: period, TZ: tz,
		ExpiresAt: now.Add(time.Duration(*in.ExpiresInDays) * 24 * time.Hour), CreatedAt: now,
	})
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.JSON(http.StatusCreated, createdShareLinkJSON{
		ID: l.ID, Token: token, URL: a.cfg.PublicURL + "/r/" + token,
		PeriodDays: l.PeriodDays, TZ: l.TZ, ExpiresAt: l.ExpiresAt, CreatedAt: l.CreatedAt,
	})
}

// listShareLinks answers GET /api/share-links: the user's links that are
// not deleted, newest first, expired ones included; with ?account_id=,
// only that account's.
func (a *api) listShareLinks(c *gin.Context) {
	accountID := ""
	if _, ok := c.GetQuery("account_id"); ok {
		acc, err := a.currentAccount(c)
		if err != nil {
			writeError(c, a.logger, err)
			return
		}
		accountID = acc.ID
	}
	list, err := a.shares.ListForUser(c.Request.Context(), c.GetString(ctxUserID))
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	out := make([]shareLinkJSON, 0, len(list))
	for _, l := range list {
		if accountID == "" || l.AccountID == accountID {
			out = append(out, toShareLinkJSON(l))
		}
	}
	c.JSON(http.StatusOK, gin.H{"share_links": out})
}

// deleteShareLink answers DELETE /api/share-links/{id}: 204, and the link
// opens nothing from then on. Another user's link, or one already
// deleted, is 404.
func (a *api) deleteShareLink(c *gin.Context) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		writeError(c, a.logger, apperr.New(apperr.CodeNotFound, "No such share link."))
		return
	}
	if err := a.shares.Revoke(c.Request.Context(), c.GetString(ctxUserID), id.String(), a.now()); err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// publicReportJSON is the contract's public report. It names the account
// by its username only: no email, no user, account or post id, no token.
type publicReportJSON struct {
	Username  string          `json:"username"`
	Followers *int64          `json:"followers"`
	Stats     json.RawMessage `json:"stats"`
}

// openShareLink returns the public report of a token, or not_found.
func (a *api) openShareLink(c *gin.Context, token string) (publicReportJSON, error) {
	hash, ok := hashShareToken(token)
	if !ok {
		return publicReportJSON{}, apperr.New(apperr.CodeNotFound, "This report link does not exist or has expired.")
	}
	ctx := c.Request.Context()
	now := a.reportNow()
	l, err := a.shares.Open(ctx, hash, now)
	if err != nil {
		return publicReportJSON{}, err
	}
	acc, err := a.accounts.ByID(ctx, l.AccountID)
	if err != nil {
		return publicReportJSON{}, err
	}
	tz, err := a.growth.Location(l.TZ)
	if err != nil {
		return publicReportJSON{}, err
	}
	// The growth service reuses a report while its data holds, so a link
	// opened often costs little more than the account row.
	body, err := a.growth.StatsJSON(ctx, acc, l.PeriodDays, tz, now)
	if err != nil {
		return publicReportJSON{}, err
	}
	stats, err := publicStats(body)
	if err != nil {
		return publicReportJSON{}, err
	}
	return publicReportJSON{Username: acc.Username, Followers: acc.Followers, Stats: stats}, nil
}

// publicStats is the stats body without internal ids: the best post
// loses its "id" (the post's UUID here); its ig_post_id and permalink,
// which Instagram itself shows to anyone, stay.
func publicStats(body []byte) (json.RawMessage, error) {
	var stats map[string]json.RawMessage
	if err := json.Unmarshal(body, &stats); err != nil {
		return nil, fmt.Errorf("public stats: %w", err)
	}
	if bp := stats["best_post"]; len(bp) > 0 && string(bp) != "null" {
		var post map[string]json.RawMessage
		if err := json.Unmarshal(bp, &post); err != nil {
			return nil, fmt.Errorf("public stats: %w", err)
		}
		delete(post, "id")
		b, err := json.Marshal(post)
		if err != nil {
			return nil, fmt.Errorf("public stats: %w", err)
		}
		stats["best_post"] = b
	}
	b, err := json.Marshal(stats)
	if err != nil {
		return nil, fmt.Errorf("public stats: %w", err)
	}
	return b, nil
}

// publicReport answers GET /api/public/reports/{token}, without a login:
// 200 with the report, or 404. Caches may keep a report but must ask
// again before each use (no-cache with an ETag, answered 304 while the
// report is the same): a deleted link stops at once, which a max-age would
// delay, and an unchanged report costs no body. The growth service reuses
// reports on the server while the account's data holds.
func (a *api) publicReport(c *gin.Context) {
	c.Header("X-Robots-Tag", "noindex")
	r, err := a.openShareLink(c, c.Param("token"))
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	body, err := json.Marshal(r)
	if err != nil {
		writeError(c, a.logger, fmt.Errorf("public report: %w", err))
		return
	}
	sum := sha256.Sum256(body)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
	c.Header("Cache-Control", publicReportCache)
	c.Header("ETag", etag)
	if etagMatches(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

// etagMatches reports whether an If-None-Match header names etag (weak
// comparison, as RFC 9110 asks for it).
func etagMatches(header, etag string) bool {
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimPrefix(strings.TrimSpace(part), "W/")
		if part == etag || part == "*" {
			return true
		}
	}
	return false
}

// reportPreview gives the OpenGraph title and description of the page
// /r/<token>, and whether the token opens a report. Past the public
// pages' rate limit it looks nothing up and gives no preview.
func (a *api) reportPreview(c *gin.Context, token string) (preview, bool) {
	if !a.publicPages.allow(c) {
		return preview{}, true
	}
	r, err := a.openShareLink(c, token)
	if err != nil {
		return preview{}, false
	}
	var st struct {
		PeriodDays int   `json:"period_days"`
		TotalPosts int64 `json:"total_posts"`
	}
	if err := json.Unmarshal(r.Stats, &st); err != nil {
		return preview{}, true
	}
	name := strings.TrimSpace(r.Username)
	if name == "" {
		name = "Instagram"
	}
	return preview{
		title:       fmt.Sprintf("@%s's growth report — last %d days", name, st.PeriodDays),
		description: fmt.Sprintf("Posts, likes, comments and the best post of @%s over the last %d days (%d posts), from Creator Growth Tool.", name, st.PeriodDays, st.TotalPosts),
	}, true
}
