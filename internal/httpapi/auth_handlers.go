package httpapi

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/postgres"
)

// sessionCookie carries the access token for the web app.
const sessionCookie = "session"

// ctxUser holds the postgres.User of an authenticated request.
const ctxUser = "user"

type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type userJSON struct {
	ID            string    `json:"id"`
	Email         string    `json:"email"`
	CreatedAt     time.Time `json:"created_at"`
	EmailVerified bool      `json:"email_verified"`
	Timezone      string    `json:"timezone"`
	WeeklyDigest  bool      `json:"weekly_digest"`
}

func toUserJSON(u postgres.User) userJSON {
	return userJSON{
		ID: u.ID, Email: u.Email, CreatedAt: u.CreatedAt.UTC(),
		EmailVerified: u.EmailVerifiedAt != nil, Timezone: u.Timezone, WeeklyDigest: u.WeeklyDigest,
	}
}

type sessionJSON struct {
	Token     string   `json:"token"`
	TokenType string   `json:"token_type"`
	ExpiresIn int      `json:"expires_in"`
	User      userJSON `json:"user"`
}

func toSessionJSON(s auth.Session) sessionJSON {
	return sessionJSON{Token: s.Token, TokenType: "bearer", ExpiresIn: int(auth.TokenTTL.Seconds()), User: toUserJSON(s.User)}
}

// writeSession answers with a new session: its login body, the
// Authorization header and the session cookie.
func (a *api) writeSession(c *gin.Context, status int, s auth.Session) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name:     sessionCookie,
		Value:    s.Token,
		Path:     "/",
		MaxAge:   int(auth.TokenTTL.Seconds()),
		HttpOnly: true,
		Secure:   a.cfg.Production(),
		SameSite: http.SameSiteLaxMode,
	})
	c.Header("Authorization", "Bearer "+s.Token)
	c.JSON(status, toSessionJSON(s))
}

func (a *api) clearSessionCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: a.cfg.Production(), SameSite: http.SameSiteLaxMode,
	})
}

func (a *api) register(c *gin.Context) {
	if !a.checkOrigin(c, false) {
		return
	}
	var in credentials
	if err := decodeJSON(c, &in); err != nil {
		writeError(c, a.logger, err)
		return
	}
	s, err := a.auth.Register(c.Request.Context(), in.Email, in.Password)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	a.writeSession(c, http.StatusCreated, s)
}

func (a *api) login(c *gin.Context) {
	if !a.checkOrigin(c, false) {
		return
	}
	var in credentials
	if err := decodeJSON(c, &in); err != nil {
		writeError(c, a.logger, err)
		return
	}
	key := emailKey(in.Email)
	if !a.loginFailures.reserve(c, key) {
		return
	}
	s, err := a.auth.Login(c.Request.Context(), in.Email, in.Password)
	if err != nil {
		if !apperr.Is(err, apperr.CodeInvalidCredentials) {
			a.loginFailures.refund(c, key) // not a wrong guess
		}
		writeError(c, a.logger, err)
		return
	}
	a.loginFailures.refund(c, key)
	a.writeSession(c, http.StatusOK, s)
}

func (a *api) logout(c *gin.Context) {
	if err := a.auth.Logout(c.Request.Context(), c.GetString(ctxUserID), c.GetString(ctxSessionID)); err != nil {
		writeError(c, a.logger, err)
		return
	}
	a.clearSessionCookie(c)
	c.Status(http.StatusNoContent)
}

func (a *api) logoutAll(c *gin.Context) {
	if err := a.auth.LogoutAll(c.Request.Context(), c.GetString(ctxUserID)); err != nil {
		writeError(c, a.logger, err)
		return
	}
	a.clearSessionCookie(c)
	c.Status(http.StatusNoContent)
}

func (a *api) me(c *gin.Context) {
	c.JSON(http.StatusOK, toUserJSON(currentUser(c)))
}

// currentUser is the user of a request that requireUser admitted.
func currentUser(c *gin.Context) postgres.User {
	u, _ := c.Get(ctxUser)
	user, _ := u.(postgres.User)
	return user
}

// requireUser admits requests with a live session, named by a Bearer token
// or, failing that, by the session cookie, and records its user in the
// context. A state-changing request authenticated by the cookie alone must
// come from the server's own or an allowed origin.
func (a *api) requireUser(c *gin.Context) {
	token, fromCookie := "", false
	if h := c.GetHeader("Authorization"); h != "" {
		scheme, t, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(t) == "" {
			writeError(c, a.logger, apperr.New(apperr.CodeUnauthorized, "Log in to continue: send Authorization: Bearer <token>."))
			return
		}
		token = strings.TrimSpace(t)
	} else if ck, err := c.Request.Cookie(sessionCookie); err == nil && ck.Value != "" {
		token, fromCookie = ck.Value, true
	}
	if token == "" {
		writeError(c, a.logger, apperr.New(apperr.CodeUnauthorized, "Log in to continue: send Authorization: Bearer <token>."))
		return
	}
	if fromCookie && !safeMethod(c.Request.Method) && !a.checkOrigin(c, true) {
		return
	}
	// Most protected requests act on an account next: it is read in the
	// session's statement. A malformed account_id reads the latest one,
	// which currentAccount does not use: it answers 400.
	accountID, _ := accountParam(c)
	u, acc, hasAcc, claims, err := a.auth.AuthenticateWithAccount(c.Request.Context(), token, accountID)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.Set(ctxAccount, sessionAccount{forID: accountID, acc: acc, ok: hasAcc})
	c.Set(ctxUser, u)
	c.Set(ctxUserID, u.ID)
	c.Set(ctxEmail, u.Email)
	c.Set(ctxSessionID, claims.SessionID)
	if safeMethod(c.Request.Method) {
		c.Next()
		return
	}
	// A request that may change the user's sessions, row or accounts drops
	// this server's copies of their session reads once it has made the
	// change: when it starts writing its answer, and when it returns.
	forget := func() { a.auth.Forget(u.ID) }
	c.Writer = &forgetOnWrite{ResponseWriter: c.Writer, forget: forget}
	defer forget()
	c.Next()
}

// forgetOnWrite calls forget before the first byte of the answer is
// written, so that no client sees an answer before its change shows.
type forgetOnWrite struct {
	gin.ResponseWriter
	forget func()
	once   sync.Once
}

func (w *forgetOnWrite) WriteHeaderNow() {
	w.once.Do(w.forget)
	w.ResponseWriter.WriteHeaderNow()
}

func (w *forgetOnWrite) Write(b []byte) (int, error) {
	w.once.Do(w.forget)
	return w.ResponseWriter.Write(b)
}

func (w *forgetOnWrite) WriteString(s string) (int, error) {
	w.once.Do(w.forget)
	return w.ResponseWriter.WriteString(s)
}

func (w *forgetOnWrite) Flush() {
	w.once.Do(w.forget)
	w.ResponseWriter.Flush()
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}
