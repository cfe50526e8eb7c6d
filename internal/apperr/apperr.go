// Package apperr defines the one coded error type that crosses layers. Its
// codes are the machine codes of the HTTP contract; internal/httpapi maps
// each to a status in one place.
package apperr

import (
	"errors"
	"fmt"
)

// Codes of the HTTP contract.
const (
	CodeInvalidRequest     = "invalid_request"
	CodeInvalidEmail       = "invalid_email"
	CodeWeakPassword       = "weak_password"
	CodeInvalidPeriod      = "invalid_period"
	CodeBodyTooLarge       = "body_too_large"
	CodeUnauthorized       = "unauthorized"
	CodeInvalidCredentials = "invalid_credentials"
	CodeNotFound           = "not_found"
	CodeNoInstagramAccount = "no_instagram_account"
	CodeEmailTaken         = "email_taken"
	CodeAlreadyLinked      = "already_linked"
	CodeRateLimited        = "rate_limited"
	CodeInvalidToken       = "invalid_token"
	CodeInternal           = "internal"
	CodeUnavailable        = "unavailable"
)

// Error is an application error with a contract code and a message that is
// safe to show to the client.
type Error struct {
	Code    string
	Message string
	// Err is the underlying cause; it is logged, never sent to the client.
	Err error
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// New returns an Error with the given code and client-facing message.
func New(code, message string) *Error {
	return &Error{Code: code, Message: message}
}

// Errorf returns an Error whose message is formatted.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an Error with the given code and message that keeps err as
// its cause.
func Wrap(err error, code, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// Code returns the contract code of err, or CodeInternal when err is not an
// *Error.
func Code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// Is reports whether err carries the given code.
func Is(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}
