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
func (a *api) currentAccount(c *gin.Context) (postgres.Account, error) {
	id := c.Query("account_id")
	if id != "" {
		parsed, err := uuid.Parse(id)
		if err != nil {
			return postgres.Account{}, apperr.New(apperr.CodeInvalidRequest, "account_id must be a UUID.")
		}
		id = parsed.String()
	}
	return a.accounts.ForUser(c.Request.Context(), c.GetString(ctxUserID), id)
}
