package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// badInput is a request body that must be refused.
type badInput struct {
	name string
	body string
	// status and code of the answer; zero means the endpoint's default
	// for a bad value (badValue).
	status int
	code   string
}

// jsonString quotes s as a JSON string.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// bodyCases are the malformed bodies every JSON endpoint refuses the same
// way, whatever its fields.
func bodyCases(valid string) []badInput {
	twoMiB := `{"email":` + jsonString(strings.Repeat("a", 2<<20)+"@b.co") + `}`
	return []badInput{
		{"Empty", ``, 400, "invalid_request"},
		{"Whitespace", "  \n ", 400, "invalid_request"},
		{"NotJSON", `email=a@b.co&password=password-1`, 400, "invalid_request"},
		{"Truncated", valid[:len(valid)-5], 400, "invalid_request"},
		{"OpenObject", `{`, 400, "invalid_request"},
		{"TrailingComma", `{"email":"a@b.co",}`, 400, "invalid_request"},
		{"SingleQuotes", `{'email':'a@b.co'}`, 400, "invalid_request"},
		{"Array", `[` + valid + `]`, 400, "invalid_request"},
		{"String", `"a@b.co"`, 400, "invalid_request"},
		{"Number", `42`, 400, "invalid_request"},
		{"Null", `null`, 400, "invalid_request"},
		{"TwoObjects", valid + valid, 400, "invalid_request"},
		{"TrailingGarbage", valid + `x`, 400, "invalid_request"},
		{"UnknownField", valid[:len(valid)-1] + `,"is_admin":true}`, 400, "invalid_request"},
		{"EmailNumber", `{"email":123,"password":"password-1"}`, 400, "invalid_request"},
		{"EmailArray", `{"email":["a@b.co"],"password":"password-1"}`, 400, "invalid_request"},
		{"EmailObject", `{"email":{"$ne":null},"password":"password-1"}`, 400, "invalid_request"},
		{"EmailBool", `{"email":true}`, 400, "invalid_request"},
		{"TwoMiB", twoMiB, 413, "body_too_large"},
	}
}

// valueCases are well-formed bodies whose email or password is not
// acceptable; status 0 means the endpoint's own answer to a bad value.
func valueCases(withPassword bool) []badInput {
	body := func(email string) string {
		if withPassword {
			return `{"email":` + jsonString(email) + `,"password":"password-1"}`
		}
		return `{"email":` + jsonString(email) + `}`
	}
	cases := []badInput{
		{name: "EmptyObject", body: `{}`},
		{name: "EmailNull", body: `{"email":null}`},
		{name: "EmailEmpty", body: body("")},
		{name: "EmailSpaces", body: body("   ")},
		{name: "Email10000", body: body(strings.Repeat("a", 10000) + "@b.co")},
		{name: "Email255", body: body(strings.Repeat("a", 250) + "@b.co")},
		{name: "EmailNoAt", body: body("user.example.com")},
		{name: "EmailNoDomain", body: body("user@")},
		{name: "EmailNoLocal", body: body("@example.com")},
		{name: "EmailNoDot", body: body("user@localhost")},
		{name: "EmailDoubleDot", body: body("user@example..com")},
		{name: "EmailTwoAts", body: body("a@b@example.com")},
		{name: "EmailUnicodeLocal", body: body("jürgen@example.com")},
		{name: "EmailUnicodeDomain", body: body("user@exämple.com")},
		{name: "EmailCyrillic", body: body("аdmin@example.com")},
		{name: "EmailEmoji", body: body("📸@example.com")},
		{name: "EmailInnerSpace", body: body("john doe@example.com")},
		{name: "EmailNBSP", body: body("user\u00a0@example.com")},
		{name: "EmailNUL", body: body("user\x00@example.com")},
		{name: "EmailNewline", body: body("user@example.com\r\nBcc: x@y.co")},
		{name: "EmailDisplayName", body: body("Eve <eve@example.com>")},
		{name: "EmailSQL", body: body("a@b.co'; DROP TABLE users;--")},
		{name: "EmailSQLOr", body: body("' OR '1'='1")},
		{name: "EmailDomainSQL", body: body("a@b.co';--")},
		{name: "EmailHTML", body: body("<script>alert(1)</script>@b.co")},
	}
	if withPassword {
		cases = append(cases,
			badInput{name: "PasswordMissing", body: `{"email":"a@b.co"}`},
			badInput{name: "PasswordNull", body: `{"email":"a@b.co","password":null}`},
			badInput{name: "PasswordEmpty", body: `{"email":"a@b.co","password":""}`},
			badInput{name: "PasswordShort", body: `{"email":"a@b.co","password":"1234567"}`},
			badInput{name: "Password10000", body: `{"email":"a@b.co","password":` + jsonString(strings.Repeat("p", 10000)) + `}`},
			badInput{name: "PasswordNumber", body: `{"email":"a@b.co","password":12345678}`, status: 400, code: "invalid_request"},
		)
	}
	return cases
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	endpoints := []struct {
		name      string
		path      string
		valid     string
		withPw    bool
		badStatus int
		badCode   func(name string) string
	}{
		{
			name: "Register", path: "/api/auth/register",
			valid: `{"email":"a@b.co","password":"password-1"}`, withPw: true,
			badStatus: 400,
			badCode: func(name string) string {
				if strings.HasPrefix(name, "Password") {
					return "weak_password"
				}
				return "invalid_email"
			},
		},
		{
			// Login answers every bad value like wrong credentials, so that
			// it reveals nothing about its rules.
			name: "Login", path: "/api/auth/login",
			valid: `{"email":"a@b.co","password":"password-1"}`, withPw: true,
			badStatus: 401,
			badCode:   func(string) string { return "invalid_credentials" },
		},
		{
			name: "WaitlistSignup", path: "/api/waitlist/signup",
			valid: `{"email":"a@b.co"}`, withPw: false,
			badStatus: 400,
			badCode:   func(string) string { return "invalid_email" },
		},
	}

	for _, ep := range endpoints {
		t.Run(ep.name, func(t *testing.T) {
			api := newTestAPI(t, withLimits(highLimits()))
			// The valid body is accepted: the cases below fail for their own
			// reason, not the template's.
			if ep.name == "Login" {
				api.register(t, "a@b.co", "password-1")
			}
			if res := api.do(t, http.MethodPost, ep.path, ep.valid); res.Status >= 300 {
				t.Fatalf("valid body: status %d, body %s", res.Status, res.Raw)
			}
			usersBefore, waitlistBefore := countRows(t, api.db, "users"), countRows(t, api.db, "waitlist")

			cases := append(bodyCases(ep.valid), valueCases(ep.withPw)...)
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					status, code := tc.status, tc.code
					if status == 0 {
						status, code = ep.badStatus, ep.badCode(tc.name)
					}
					res := api.do(t, http.MethodPost, ep.path, tc.body)
					wantError(t, res, status, code)
					if len(res.Raw) > 1024 {
						t.Errorf("error body is %d bytes; it must not echo the input", len(res.Raw))
					}
				})
			}

			if got, want := countRows(t, api.db, "users"), usersBefore; got != want {
				t.Errorf("users = %d after bad input, want %d", got, want)
			}
			if got, want := countRows(t, api.db, "waitlist"), waitlistBefore; got != want {
				t.Errorf("waitlist = %d after bad input, want %d", got, want)
			}
			if strings.Contains(api.logs.String(), `"level":"ERROR"`) {
				t.Errorf("bad input logged an error:\n%s", api.logs.String())
			}
		})
	}
}
