package httpapi

import (
	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/postgres"
)

// currentAccount returns the Instagram account a protected request acts
// on: the one named by ?account_id= among the user's accounts, or the most
// recently connected one. Another user's account is reported as absent.
// requireUser read it with the session (see sessionAccount); it is looked
// up again only when that read was for another id.
func (a *api) currentAccount(c *gin.Context) (postgres.Account, error) {
	id, err := accountParam(c)
	if err != nil {
		return postgres.Account{}, err
	}
	if v, ok := c.Get(ctxAccount); ok {
		if read, ok := v.(sessionAccount); ok && read.forID == id {
			if !read.ok {
				return postgres.Account{}, postgres.ErrNoAccount()
			}
			return read.acc, nil
		}
	}
	return a.accounts.ForUser(c.Request.Context(), c.GetString(ctxUserID), id)
}

// accountParam is the request's ?account_id= in canonical form, or "".
func accountParam(c *gin.Context) (string, error) {
	id := c.Query("account_id")
	if id == "" {
		return "", nil
	}
	parsed, err := uuid.Parse(id)
	if err != nil {
		return "", apperr.New(apperr.CodeInvalidRequest, "account_id must be a UUID.")
	}
	return parsed.String(), nil
}

// ctxAccount holds the sessionAccount of an authenticated request.
const ctxAccount = "session_account"

// sessionAccount is the account requireUser read with the session: the
// one named forID ("" for the latest), if the user has it.
type sessionAccount struct {
	forID string
	acc   postgres.Account
	ok    bool
}
