package auth

import (
	"net/mail"
	"strings"
	"unicode"

	"creatorgrowth/internal/apperr"
)

// MaxEmailLength is the longest email address accepted (the column's size).
const MaxEmailLength = 254

// NormalizeEmail trims and lower-cases email and checks that it is a plain
// address (no display name, no spaces or control characters, a dotted
// domain). It returns apperr.CodeInvalidEmail otherwise.
func NormalizeEmail(email string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(email))
	invalid := apperr.New(apperr.CodeInvalidEmail, "Enter a valid email address.")
	if e == "" || len(e) > MaxEmailLength {
		return "", invalid
	}
	for _, r := range e {
		if r > unicode.MaxASCII || unicode.IsSpace(r) || unicode.IsControl(r) {
			return "", invalid
		}
	}
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Address != e || addr.Name != "" {
		return "", invalid
	}
	at := strings.LastIndexByte(e, '@')
	local, domain := e[:at], e[at+1:]
	if local == "" || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") ||
		strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "", invalid
	}
	for _, r := range domain {
		if !(r == '.' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return "", invalid
		}
	}
	return e, nil
}
