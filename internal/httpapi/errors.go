package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/postgres"
)

// statusOf maps each contract code to its HTTP status. It is the one place
// where application errors become statuses.
var statusOf = map[string]int{
	apperr.CodeInvalidRequest:     http.StatusBadRequest,
	apperr.CodeInvalidEmail:       http.StatusBadRequest,
	apperr.CodeWeakPassword:       http.StatusBadRequest,
	apperr.CodeInvalidPeriod:      http.StatusBadRequest,
	apperr.CodeInvalidToken:       http.StatusBadRequest,
	apperr.CodeBodyTooLarge:       http.StatusRequestEntityTooLarge,
	apperr.CodeUnauthorized:       http.StatusUnauthorized,
	apperr.CodeInvalidCredentials: http.StatusUnauthorized,
	apperr.CodeNotFound:           http.StatusNotFound,
	apperr.CodeNoInstagramAccount: http.StatusNotFound,
	apperr.CodeEmailTaken:         http.StatusConflict,
	apperr.CodeAlreadyLinked:      http.StatusConflict,
	apperr.CodeRateLimited:        http.StatusTooManyRequests,
	apperr.CodeInternal:           http.StatusInternalServerError,
	apperr.CodeUnavailable:        http.StatusServiceUnavailable,
	codeMethodNotAllowed:          http.StatusMethodNotAllowed,
}

const codeMethodNotAllowed = "method_not_allowed"

// errorBody is the contract's error body.
type errorBody struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}

// statusClientClosedRequest is the status recorded, as nginx does, for a
// request whose client went away before the answer. It is not in the
// contract: no client ever receives it.
const statusClientClosedRequest = 499

// writeError answers with the contract's error body for err. Application
// errors keep their code and message; anything else is a 500 whose cause is
// logged and never sent. An error caused by the client going away is
// recorded as 499 with no body, logged at info: it is not a server error.
func writeError(c *gin.Context, logger *slog.Logger, err error) {
	if clientGone(c, err) {
		logger.InfoContext(c.Request.Context(), "client closed request",
			slog.String("request_id", requestID(c)),
			slog.String("error", errString(err)),
		)
		c.Error(err) //nolint:errcheck // recorded for the access log
		c.AbortWithStatus(statusClientClosedRequest)
		return
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		if postgres.IsUnavailable(err) {
			// The database is down or restarting: the contract's 503.
			ae = apperr.Wrap(err, apperr.CodeUnavailable, "The service is briefly unavailable. Please try again in a moment.")
		} else {
			ae = apperr.Wrap(err, apperr.CodeInternal, "Something went wrong on our side. Please try again.")
		}
	}
	status, ok := statusOf[ae.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status >= 500 {
		logger.ErrorContext(c.Request.Context(), "request failed",
			slog.String("request_id", requestID(c)),
			slog.String("code", ae.Code),
			slog.String("error", errString(err)),
		)
	}
	c.Error(err) //nolint:errcheck // recorded for the access log
	c.AbortWithStatusJSON(status, errorBody{Error: ae.Message, Code: ae.Code})
}

// clientGone reports whether err was caused by the request's own context
// being canceled, which net/http does when the client closes the
// connection: the error is context.Canceled, or PostgreSQL's query_canceled
// for a statement lib/pq cancelled on the way. A context that ran out of time
// (the server's request timeout) ends with DeadlineExceeded instead, and
// stays a server error.
func clientGone(c *gin.Context, err error) bool {
	if !errors.Is(c.Request.Context().Err(), context.Canceled) {
		return false
	}
	return errors.Is(err, context.Canceled) || postgres.IsQueryCanceled(err)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// decodeJSON reads the request body into dst strictly: one JSON object, no
// unknown fields, within the body limit. Failures are client errors.
func decodeJSON(c *gin.Context, dst any) error {
	body := bufio.NewReader(c.Request.Body)
	// A body must be an object: null, arrays and scalars are refused here,
	// since json.Decode would take null as an empty object.
	for {
		b, err := body.Peek(1)
		if err != nil {
			return decodeError(err)
		}
		if b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r' {
			body.Discard(1) //nolint:errcheck // the byte was peeked
			continue
		}
		if b[0] != '{' {
			return apperr.New(apperr.CodeInvalidRequest, "The request body must be a JSON object.")
		}
		break
	}
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return decodeError(err)
		}
		return apperr.New(apperr.CodeInvalidRequest, "The request body must hold a single JSON object.")
	}
	return nil
}

func decodeError(err error) error {
	var (
		tooLarge  *http.MaxBytesError
		syntax    *json.SyntaxError
		typeError *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &tooLarge):
		return apperr.New(apperr.CodeBodyTooLarge, "The request body is larger than 1 MiB.")
	case errors.Is(err, io.EOF):
		return apperr.New(apperr.CodeInvalidRequest, "The request body is empty; send a JSON object.")
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.CodeInvalidRequest, "The request body is not valid JSON.")
	case errors.As(err, &typeError):
		if typeError.Field != "" {
			return apperr.Errorf(apperr.CodeInvalidRequest, "Field %q has the wrong type.", typeError.Field)
		}
		return apperr.New(apperr.CodeInvalidRequest, "The request body must be a JSON object.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return apperr.Errorf(apperr.CodeInvalidRequest, "Unknown field %s.", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return apperr.New(apperr.CodeInvalidRequest, "The request body is not valid JSON.")
}
