package httpapi

import (
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/digest"
)

type unsubscribeRequest struct {
	Token string `json:"token"`
}

type unsubscribeJSON struct {
	WeeklyDigest bool   `json:"weekly_digest"`
	Message      string `json:"message"`
}

// unsubscribe serves POST /api/email/unsubscribe: the body {"token"} of
// the unsubscribe page, or a mail client's RFC 8058 one-click POST (form
// body List-Unsubscribe=One-Click, the token in the query of the
// List-Unsubscribe link). Either turns the weekly digest off; doing it
// twice is no error.
func (a *api) unsubscribe(c *gin.Context) {
	var token string
	ct, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	switch ct {
	case "application/x-www-form-urlencoded", "multipart/form-data":
		if c.PostForm("List-Unsubscribe") != "One-Click" {
			writeError(c, a.logger, apperr.New(apperr.CodeInvalidRequest, "A one-click unsubscribe sends List-Unsubscribe=One-Click."))
			return
		}
		token = c.Query("token")
	default:
		var req unsubscribeRequest
		if err := decodeJSON(c, &req); err != nil {
			writeError(c, a.logger, err)
			return
		}
		token = req.Token
	}
	if err := a.digest.Unsubscribe(c.Request.Context(), token); err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.JSON(http.StatusOK, unsubscribeJSON{WeeklyDigest: false, Message: "You will no longer get the weekly digest."})
}

type adminDigestsRequest struct {
	Week string `json:"week"`
}

type adminDigestsJSON struct {
	Queued int `json:"queued"`
}

// adminDigests serves POST /api/admin/digests {"week":"2026-W49"}: that
// week's digest, now, to every recipient who has not had it.
func (a *api) adminDigests(c *gin.Context) {
	if a.digest == nil || !a.mailOn {
		writeError(c, a.logger, apperr.New(apperr.CodeUnavailable, "Mail is not configured (SMTP_URL is unset)."))
		return
	}
	var req adminDigestsRequest
	if err := decodeJSON(c, &req); err != nil {
		writeError(c, a.logger, err)
		return
	}
	w, err := digest.ParseWeek(req.Week)
	if err != nil {
		writeError(c, a.logger, apperr.New(apperr.CodeInvalidRequest, "week must be an ISO week that exists, like 2026-W49."))
		return
	}
	n, err := a.digest.QueueWeek(c.Request.Context(), w)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.JSON(http.StatusAccepted, adminDigestsJSON{Queued: n})
}
