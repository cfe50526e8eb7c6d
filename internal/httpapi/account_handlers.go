package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/growth"
	"creatorgrowth/internal/postgres"
)

// resetAccepted is the one answer to a reset request, whatever the address.
const resetAccepted = "If that address has an account, a reset link is on its way."

type settingsJSON struct {
	Timezone     *string `json:"timezone"`
	WeeklyDigest *bool   `json:"weekly_digest"`
}

func (a *api) updateMe(c *gin.Context) {
	var in settingsJSON
	if err := decodeJSON(c, &in); err != nil {
		writeError(c, a.logger, err)
		return
	}
	if in.Timezone != nil {
		loc, err := growth.LoadZone(*in.Timezone)
		if err != nil {
			writeError(c, a.logger, apperr.Wrap(err, apperr.CodeInvalidRequest, "timezone must be an IANA time zone such as Europe/Berlin."))
			return
		}
		name := loc.String()
		in.Timezone = &name
	}
	u, err := a.auth.UpdateSettings(c.Request.Context(), c.GetString(ctxUserID), postgres.Settings{Timezone: in.Timezone, WeeklyDigest: in.WeeklyDigest})
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.JSON(http.StatusOK, toUserJSON(u))
}

// passwordGuard counts a password check of the signed-in user against the
// login failure limit of their address, so that a stolen session cannot
// guess the password faster than a login could. It reports whether the
// check may go on; done tells it the outcome.
func (a *api) passwordGuard(c *gin.Context) (ok bool, done func(err error)) {
	key := emailKey(c.GetString(ctxEmail))
	if !a.loginFailures.reserve(c, key) {
		return false, nil
	}
	return true, func(err error) {
		if !apperr.Is(err, apperr.CodeInvalidCredentials) {
			a.loginFailures.refund(c, key)
		}
	}
}

func (a *api) deleteMe(c *gin.Context) {
	var in struct {
		Password string `json:"password"`
	}
	if err := decodeJSON(c, &in); err != nil {
		writeError(c, a.logger, err)
		return
	}
	ok, done := a.passwordGuard(c)
	if !ok {
		return
	}
	err := a.auth.DeleteAccount(c.Request.Context(), currentUser(c), in.Password)
	done(err)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	a.clearSessionCookie(c)
	c.Status(http.StatusNoContent)
}

func (a *api) changePassword(c *gin.Context) {
	var in struct {
		CurrentPassword string `json:"current_password"`
		NewPassword     string `json:"new_password"`
	}
	if err := decodeJSON(c, &in); err != nil {
		writeError(c, a.logger, err)
		return
	}
	ok, done := a.passwordGuard(c)
	if !ok {
		return
	}
	s, err := a.auth.ChangePassword(c.Request.Context(), currentUser(c), in.CurrentPassword, in.NewPassword)
	done(err)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	a.writeSession(c, http.StatusOK, s)
}

type tokenJSON struct {
	Token string `json:"token"`
}

func (a *api) verifyEmail(c *gin.Context) {
	var in tokenJSON
	if err := decodeJSON(c, &in); err != nil {
		writeError(c, a.logger, err)
		return
	}
	u, err := a.auth.VerifyEmail(c.Request.Context(), in.Token)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.JSON(http.StatusOK, toUserJSON(u))
}

func (a *api) passwordReset(c *gin.Context) {
	var in struct {
		Email string `json:"email"`
	}
	if err := decodeJSON(c, &in); err != nil {
		writeError(c, a.logger, err)
		return
	}
	if !a.resetLimit.takeKey(c, emailKey(in.Email)) {
		return
	}
	if err := a.auth.RequestPasswordReset(c.Request.Context(), in.Email); err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"message": resetAccepted})
}

func (a *api) passwordResetConfirm(c *gin.Context) {
	var in struct {
		Token    string `json:"token"`
		Password string `json:"password"`
	}
	if err := decodeJSON(c, &in); err != nil {
		writeError(c, a.logger, err)
		return
	}
	s, err := a.auth.ConfirmPasswordReset(c.Request.Context(), in.Token, in.Password)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	a.writeSession(c, http.StatusOK, s)
}
