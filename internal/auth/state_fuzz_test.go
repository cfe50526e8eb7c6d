package auth_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"creatorgrowth/internal/auth"
)

// FuzzParseState checks the OAuth state parser: it never panics on any
// input; a state issued with the secret parses back to its user and nonce;
// a state signed with another secret never parses; and a state with one
// byte changed either fails or parses to exactly the original content.
func FuzzParseState(f *testing.F) {
	tokens := auth.NewTokens([]byte("fuzz-state-secret-0123456789abcdef-0123"))
	other := auth.NewTokens([]byte("another-secret-0123456789abcdef-0123456"))
	seed, _, err := tokens.IssueState("2b7e1516-28ae-4d2a-8f0e-6f1c2f7e8a31")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("2b7e1516-28ae-4d2a-8f0e-6f1c2f7e8a31", seed, 10, byte('A'))
	f.Add("user", "", 0, byte(0))
	f.Add("", "e30.e30.e30", 3, byte('.'))
	f.Add("u", "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJ1aWQiOiJ1In0.", 0, byte('x'))
	f.Add("u", "eyJhbGciOiJIUzI1NiJ9.eyJ1aWQiOiJ1IiwianRpIjoibiIsImF1ZCI6Imluc3RhZ3JhbS1vYXV0aC1zdGF0ZSJ9.", 200, byte('_'))
	f.Add("ü", strings.Repeat(".", 100), -7, byte(0xff))

	f.Fuzz(func(t *testing.T, userID, raw string, pos int, b byte) {
		// Arbitrary input: no panic, and nothing not signed by us parses.
		if st, err := tokens.ParseState(raw); err == nil {
			if _, err := other.ParseState(raw); err == nil {
				t.Fatalf("state %q parses under two secrets", raw)
			}
			if st.UserID == "" || st.Nonce == "" {
				t.Fatalf("parsed state %+v lacks a user or nonce", st)
			}
		}

		state, issued, err := tokens.IssueState(userID)
		if err != nil {
			t.Fatalf("IssueState: %v", err)
		}
		got, err := tokens.ParseState(state)
		switch {
		case userID == "":
			if err == nil {
				t.Fatalf("a state without a user parsed: %+v", got)
			}
			return
		case !utf8.ValidString(userID):
			// JSON cannot carry invalid UTF-8; user ids are UUIDs.
			return
		case err != nil:
			t.Fatalf("ParseState(IssueState(%q)): %v", userID, err)
		case got.UserID != userID || got.Nonce != issued.Nonce || !got.ExpiresAt.Equal(issued.ExpiresAt.Truncate(1e9)):
			t.Fatalf("parsed %+v, issued %+v", got, issued)
		}
		if _, err := other.ParseState(state); err == nil {
			t.Fatal("a state parsed under another secret")
		}

		// One byte changed: refused, or (base64 padding bits) the same state.
		p := pos % len(state)
		if p < 0 {
			p += len(state)
		}
		if state[p] == b {
			return
		}
		mutated := state[:p] + string([]byte{b}) + state[p+1:]
		if m, err := tokens.ParseState(mutated); err == nil && (m.UserID != got.UserID || m.Nonce != got.Nonce) {
			t.Fatalf("mutated state %q parsed to %+v, original %+v", mutated, m, got)
		}
	})
}
