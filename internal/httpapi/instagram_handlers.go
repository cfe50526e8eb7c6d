package httpapi

import (
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/growth"
	"creatorgrowth/internal/igsync"
	"creatorgrowth/internal/instagram"
	"creatorgrowth/internal/postgres"
)

// stateCookie binds an OAuth flow to the browser that started it.
const stateCookie = "cgt_oauth_state"

// Post list limits.
const (
	defaultPostsLimit = 50
	maxPostsLimit     = 200
)

// accountJSON is the contract's account object; it never carries a token.
type accountJSON struct {
	ID             string     `json:"id"`
	IGUserID       string     `json:"ig_user_id"`
	Username       string     `json:"username"`
	Followers      *int64     `json:"followers"`
	TokenExpiresAt *time.Time `json:"token_expires_at"`
	Status         string     `json:"status"`
	LastSyncedAt   *time.Time `json:"last_synced_at"`
	CreatedAt      time.Time  `json:"created_at"`
}

func toAccountJSON(a postgres.Account) accountJSON {
	return accountJSON{
		ID:             a.ID,
		IGUserID:       a.IGUserID,
		Username:       a.Username,
		Followers:      a.Followers,
		TokenExpiresAt: utc(a.TokenExpiresAt),
		Status:         a.Status,
		LastSyncedAt:   utc(a.LastSyncedAt),
		CreatedAt:      a.CreatedAt.UTC(),
	}
}

// postJSON is the contract's post object; the growth report writes the
// same object for its best post, so both come from growth.PostOf.
type postJSON = growth.Post

func toPostJSON(p postgres.Post) postJSON { return growth.PostOf(p) }

func toPostsJSON(posts []postgres.Post) []postJSON {
	out := make([]postJSON, len(posts))
	for i, p := range posts {
		out[i] = toPostJSON(p)
	}
	return out
}

// syncJSON is the contract's sync status.
type syncJSON struct {
	State        string     `json:"state"`
	PostsFetched int        `json:"posts_fetched"`
	LastSyncedAt *time.Time `json:"last_synced_at"`
	Error        *string    `json:"error"`
}

func toSyncJSON(s igsync.SyncStatus) syncJSON {
	return syncJSON{State: s.State, PostsFetched: s.PostsFetched, LastSyncedAt: utc(s.LastSyncedAt), Error: s.Error}
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// ticketTTL is how long the address GET /api/instagram/connect returns
// stays good: the browser opens it at once.
const ticketTTL = 5 * time.Minute

// instagramConnect returns the address of instagramStart with a fresh
// single-use ticket bound to the user. The browser opens it as a top-level
// navigation on this server's origin, which is what lets the binding
// cookie be set even when the web app is served from another origin.
func (a *api) instagramConnect(c *gin.Context) {
	ticket, err := a.userTokens.Issue(c.Request.Context(), c.GetString(ctxUserID), postgres.PurposeOAuthTicket, ticketTTL)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"url": a.cfg.PublicURL + "/auth/instagram/start?" + url.Values{"ticket": {ticket}}.Encode()})
}

// instagramStart spends a connect ticket, sets the cookie that binds the
// OAuth flow to this browser and redirects to Instagram's authorize page
// with a state bound to the user and to that cookie. It needs no other
// authentication; a browser signed in as someone else than the ticket's
// user is refused, so that a ticket cannot be planted in a victim's
// browser to link their Instagram account to an attacker's user.
func (a *api) instagramStart(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Header("Referrer-Policy", "no-referrer") // the URL holds a ticket
	ctx := c.Request.Context()
	refuse := func(why, userID string) {
		a.logger.WarnContext(ctx, "security: oauth start refused",
			slog.String("user_id", userID),
			slog.String("reason", igsync.ReasonInvalidState),
			slog.String("why", why),
			slog.String("client_ip", c.ClientIP()),
		)
		c.Redirect(http.StatusFound, a.cfg.FrontendURL+"/dashboard?"+url.Values{"instagram": {"error"}, "reason": {igsync.ReasonInvalidState}}.Encode())
	}
	userID, err := a.userTokens.Consume(ctx, c.Query("ticket"), postgres.PurposeOAuthTicket)
	if apperr.Is(err, apperr.CodeInvalidToken) {
		refuse("ticket invalid, used or expired", "")
		return
	}
	if err != nil {
		a.logger.ErrorContext(ctx, "oauth start: ticket", slog.String("error", err.Error()))
		c.Redirect(http.StatusFound, a.cfg.FrontendURL+"/dashboard?"+url.Values{"instagram": {"error"}, "reason": {igsync.ReasonInternal}}.Encode())
		return
	}
	if ck, err := c.Request.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if u, _, err := a.auth.Authenticate(ctx, ck.Value); err == nil && u.ID != userID {
			refuse("ticket of another user than the browser's session", userID)
			return
		}
	}
	authURL, nonce, err := a.igsync.ConnectURL(ctx, userID)
	if err != nil {
		a.logger.ErrorContext(ctx, "oauth start: state", slog.String("error", err.Error()))
		c.Redirect(http.StatusFound, a.cfg.FrontendURL+"/dashboard?"+url.Values{"instagram": {"error"}, "reason": {igsync.ReasonInternal}}.Encode())
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name:     stateCookie,
		Value:    nonce,
		Path:     "/auth/instagram",
		MaxAge:   int(auth.StateTTL.Seconds()),
		HttpOnly: true,
		Secure:   a.cfg.Production(),
		SameSite: http.SameSiteLaxMode,
	})
	c.Redirect(http.StatusFound, authURL)
}

// instagramCallback finishes the OAuth flow and always redirects to the
// dashboard, with the outcome in the query string.
func (a *api) instagramCallback(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Header("Referrer-Policy", "no-referrer") // the URL holds a code
	var browserNonce string
	if ck, err := c.Request.Cookie(stateCookie); err == nil {
		browserNonce = ck.Value
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: stateCookie, Value: "", Path: "/auth/instagram", MaxAge: -1, HttpOnly: true})

	acc, reason := a.igsync.Callback(c.Request.Context(), igsync.CallbackInput{
		Code:         c.Query("code"),
		State:        c.Query("state"),
		Error:        c.Query("error"),
		BrowserNonce: browserNonce,
		ClientIP:     c.ClientIP(),
	})
	q := url.Values{}
	if reason == "" {
		a.auth.Forget(acc.UserID) // its newest account is this one now
		q.Set("instagram", "connected")
	} else {
		q.Set("instagram", "error")
		q.Set("reason", reason)
	}
	c.Redirect(http.StatusFound, a.cfg.FrontendURL+"/dashboard?"+q.Encode())
}

func (a *api) instagramRefresh(c *gin.Context) {
	acc, err := a.currentAccount(c)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	if _, err := a.igsync.Refresh(c.Request.Context(), acc.ID); err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"status": "fetch scheduled", "account": toAccountJSON(acc)})
}

func (a *api) instagramSync(c *gin.Context) {
	acc, err := a.currentAccount(c)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	st, err := a.igsync.Status(c.Request.Context(), acc)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.JSON(http.StatusOK, toSyncJSON(st))
}

func (a *api) instagramPosts(c *gin.Context) {
	acc, err := a.currentAccount(c)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	limit, err := intQuery(c, "limit", defaultPostsLimit)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	if limit < 1 || limit > maxPostsLimit {
		writeError(c, a.logger, apperr.Errorf(apperr.CodeInvalidRequest, "limit must be between 1 and %d.", maxPostsLimit))
		return
	}
	rawCursor, hasCursor := c.GetQuery("cursor")
	rawBefore, hasBefore := c.GetQuery("before")
	if hasCursor && hasBefore {
		writeError(c, a.logger, apperr.New(apperr.CodeInvalidRequest, "Give cursor or before, not both."))
		return
	}
	// One post more than the page tells whether another page follows.
	var posts []postgres.Post
	switch {
	case hasCursor:
		cur, cerr := decodeCursor(rawCursor)
		if cerr != nil {
			writeError(c, a.logger, cerr)
			return
		}
		posts, err = a.posts.ListAfter(c.Request.Context(), acc.ID, cur.postedAt, cur.id, limit+1)
	case hasBefore:
		before, perr := instagram.ParseTimestamp(rawBefore)
		if perr != nil {
			writeError(c, a.logger, apperr.New(apperr.CodeInvalidRequest, "before must be an RFC 3339 time such as 2026-11-25T20:37:24Z."))
			return
		}
		posts, err = a.igsync.Posts(c.Request.Context(), acc.ID, before, limit+1)
	default:
		posts, err = a.igsync.Posts(c.Request.Context(), acc.ID, time.Time{}, limit+1)
	}
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	var next *string
	if len(posts) > limit {
		posts = posts[:limit]
		s := encodeCursor(posts[limit-1])
		next = &s
	}
	c.JSON(http.StatusOK, gin.H{"account": toAccountJSON(acc), "posts_count": acc.PostsCount, "next_cursor": next, "posts": toPostsJSON(posts)})
}

// readingJSON is an entry of a post's insights history.
type readingJSON struct {
	CapturedAt        time.Time `json:"captured_at"`
	LikeCount         *int64    `json:"like_count"`
	CommentsCount     *int64    `json:"comments_count"`
	Views             *int64    `json:"views"`
	Reach             *int64    `json:"reach"`
	Saved             *int64    `json:"saved"`
	Shares            *int64    `json:"shares"`
	TotalInteractions *int64    `json:"total_interactions"`
}

func (a *api) instagramPost(c *gin.Context) {
	acc, err := a.currentAccount(c)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	post, history, err := a.igsync.Post(c.Request.Context(), acc.ID, c.Param("id"))
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	out := make([]readingJSON, len(history))
	for i, r := range history {
		out[i] = readingJSON{CapturedAt: r.CapturedAt.UTC(), LikeCount: r.LikeCount, CommentsCount: r.CommentsCount,
			Views: r.Views, Reach: r.Reach, Saved: r.Saved, Shares: r.Shares, TotalInteractions: r.TotalInteractions}
	}
	c.JSON(http.StatusOK, gin.H{"post": toPostJSON(post), "history": out})
}

func (a *api) instagramDisconnect(c *gin.Context) {
	acc, err := a.currentAccount(c)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	if err := a.igsync.Disconnect(c.Request.Context(), c.GetString(ctxUserID), acc.ID); err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.JSON(http.StatusOK, messageJSON{Message: "Instagram account disconnected"})
}
