package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/postgres"
)

type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type userJSON struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	CreatedAt time.Time `json:"created_at"`
}

func toUserJSON(u postgres.User) userJSON {
	return userJSON{ID: u.ID, Email: u.Email, CreatedAt: u.CreatedAt.UTC()}
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

func (a *api) register(c *gin.Context) {
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
	c.JSON(http.StatusCreated, toSessionJSON(s))
}

func (a *api) login(c *gin.Context) {
	var in credentials
	if err := decodeJSON(c, &in); err != nil {
		writeError(c, a.logger, err)
		return
	}
	s, err := a.auth.Login(c.Request.Context(), in.Email, in.Password)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.Header("Authorization", "Bearer "+s.Token)
	c.JSON(http.StatusOK, toSessionJSON(s))
}

func (a *api) me(c *gin.Context) {
	u, err := a.auth.User(c.Request.Context(), c.GetString(ctxUserID))
	if apperr.Is(err, apperr.CodeNotFound) {
		// The token is valid but its user is gone.
		writeError(c, a.logger, apperr.New(apperr.CodeUnauthorized, "Your session is no longer valid. Log in again."))
		return
	}
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.JSON(http.StatusOK, toUserJSON(u))
}

// requireUser admits requests with a valid Bearer token and records its
// user in the context.
func (a *api) requireUser(c *gin.Context) {
	h := c.GetHeader("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		writeError(c, a.logger, apperr.New(apperr.CodeUnauthorized, "Log in to continue: send Authorization: Bearer <token>."))
		return
	}
	claims, err := a.tokens.Parse(strings.TrimSpace(token))
	if err != nil {
		writeError(c, a.logger, apperr.New(apperr.CodeUnauthorized, "Your session is invalid or has expired. Log in again."))
		return
	}
	c.Set(ctxUserID, claims.UserID)
	c.Set(ctxEmail, claims.Email)
	c.Next()
}
