package auth_test

import (
	"strings"
	"testing"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/auth"
)

func TestNormalizeEmail(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for _, tc := range []struct{ in, want string }{
			{"a@b.co", "a@b.co"},
			{"  Jane.Doe@Example.COM\t\n", "jane.doe@example.com"},
			{"first+tag@sub.example.org", "first+tag@sub.example.org"},
			{"o'brien@example.ie", "o'brien@example.ie"},
			{"x@my-domain.io", "x@my-domain.io"},
			{"1@2.de", "1@2.de"},
			{strings.Repeat("a", 248) + "@b.co", strings.Repeat("a", 248) + "@b.co"},
		} {
			got, err := auth.NormalizeEmail(tc.in)
			if err != nil {
				t.Errorf("NormalizeEmail(%q): %v", tc.in, err)
				continue
			}
			if got != tc.want {
				t.Errorf("NormalizeEmail(%q) = %q, want %q", tc.in, got, tc.want)
			}
		}
	})

	t.Run("ErrInvalidEmail", func(t *testing.T) {
		for _, in := range []string{
			"",
			"   ",
			"plain",
			"@example.com",
			"user@",
			"user@localhost",
			"user@.example.com",
			"user@example.com.",
			"user@example..com",
			"a@b@example.com",
			"john doe@example.com",
			"user@exa mple.com",
			"user\x00@example.com",
			"user@example.com\r\nBcc: x@y.co",
			"jürgen@example.com",
			"user@exämple.com",
			"аdmin@example.com", // Cyrillic а
			"user\u00a0@example.com",
			"📸@example.com",
			"Eve <eve@example.com>",
			"<eve@example.com>",
			`"quoted"@example.com`,
			"user@[127.0.0.1]",
			"user@exa_mple.com",
			"a@b.co'; DROP TABLE users;--",
			"' OR '1'='1",
			"a@b.co';--",
			strings.Repeat("a", 250) + "@b.co",
			strings.Repeat("a", 10000) + "@b.co",
		} {
			got, err := auth.NormalizeEmail(in)
			if !apperr.Is(err, apperr.CodeInvalidEmail) {
				t.Errorf("NormalizeEmail(%q) = %q, %v, want invalid_email", in, got, err)
			}
			if got != "" {
				t.Errorf("NormalizeEmail(%q) = %q, want empty on error", in, got)
			}
		}
	})
}
