package instagram

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ShortLivedToken is the answer to the code exchange: a one-hour token.
type ShortLivedToken struct {
	// AccessToken is the short-lived Instagram User access token.
	AccessToken string
	// UserID is the app-scoped user id exactly as sent (it can exceed 2^53). Store
	// Profile.UserID from Me instead: that is the professional account id.
	UserID string
	// Permissions are the scopes the user granted.
	Permissions []string
}

// Token is a long-lived (60-day) access token.
type Token struct {
	// AccessToken is the long-lived token.
	AccessToken string
	// TokenType is usually "bearer".
	TokenType string
	// ExpiresIn is the remaining lifetime; 60 days when Instagram omits it.
	ExpiresIn time.Duration
}

// Profile is the account behind a token, from /me.
type Profile struct {
	// UserID is the professional account id (<IG_ID>, equals webhook entry.id): the
	// key to store.
	UserID string
	// ID is the app-scoped id; do not use it as the account key.
	ID string
	// Username is the handle without "@".
	Username string
	// Name is the display name.
	Name string
	// AccountType is e.g. "BUSINESS" or "MEDIA_CREATOR"; compare case-insensitively.
	AccountType string
	// ProfilePictureURL is a CDN URL of the avatar.
	ProfilePictureURL string
	// FollowersCount is the number of followers.
	FollowersCount int
	// FollowsCount is the number of accounts followed.
	FollowsCount int
	// MediaCount is the number of posts.
	MediaCount int
}

// defaultLongLivedLifetime applies when a token answer has no expires_in.
const defaultLongLivedLifetime = 60 * 24 * time.Hour

// flexID decodes an id sent as a JSON string or as a JSON integer of any size,
// keeping the digits exactly.
type flexID string

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*f = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		s, err := unquote(b)
		if err != nil {
			return err
		}
		*f = flexID(strings.TrimSpace(s))
		return nil
	}
	for i, c := range b {
		if (c < '0' || c > '9') && !(i == 0 && c == '-') {
			return fmt.Errorf("id %s is not a string or an integer", b)
		}
	}
	if len(b) == 0 {
		return fmt.Errorf("empty id")
	}
	*f = flexID(b)
	return nil
}

// flexInt decodes a count sent as a JSON number or a numeric string.
type flexInt int

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*f = 0
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		var err error
		if s, err = unquote(b); err != nil {
			return err
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		fl, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || fl != float64(int64(fl)) {
			return fmt.Errorf("%s is not an integer", b)
		}
		n = int64(fl)
	}
	*f = flexInt(n)
	return nil
}

// unquote decodes a JSON string, with a fast path for strings without escapes.
func unquote(b []byte) (string, error) {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && bytes.IndexByte(b, '\\') < 0 {
		return string(b[1 : len(b)-1]), nil
	}
	var s string
	err := json.Unmarshal(b, &s)
	return s, err
}

// permissionList decodes permissions sent as a CSV string or a JSON array.
type permissionList []string

// UnmarshalJSON implements json.Unmarshaler.
func (p *permissionList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*p = nil
		return nil
	}
	var list []string
	if len(b) > 0 && b[0] == '[' {
		if err := json.Unmarshal(b, &list); err != nil {
			return err
		}
	} else {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		list = strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
	}
	out := make([]string, 0, len(list))
	for _, v := range list {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	*p = out
	return nil
}

// unwrapData returns the object that holds key: the body itself when it is flat,
// or the first element of its "data" array (or the "data" object) when wrapped.
func unwrapData(body []byte, key string) (json.RawMessage, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformedResponse, err)
	}
	if _, ok := top[key]; ok {
		return body, nil
	}
	data, ok := top["data"]
	if !ok {
		return nil, fmt.Errorf("%w: no %q field", ErrMalformedResponse, key)
	}
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '{' {
		return data, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		return nil, fmt.Errorf("%w: data: %v", ErrMalformedResponse, err)
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("%w: empty data array", ErrMalformedResponse)
	}
	return items[0], nil
}

type shortTokenJSON struct {
	AccessToken string         `json:"access_token"`
	UserID      flexID         `json:"user_id"`
	Permissions permissionList `json:"permissions"`
}

type tokenJSON struct {
	AccessToken string  `json:"access_token"`
	TokenType   string  `json:"token_type"`
	ExpiresIn   flexInt `json:"expires_in"`
}

type profileJSON struct {
	ID                flexID  `json:"id"`
	UserID            flexID  `json:"user_id"`
	Username          string  `json:"username"`
	Name              string  `json:"name"`
	AccountType       string  `json:"account_type"`
	ProfilePictureURL string  `json:"profile_picture_url"`
	FollowersCount    flexInt `json:"followers_count"`
	FollowsCount      flexInt `json:"follows_count"`
	MediaCount        flexInt `json:"media_count"`
}

func decodeShortToken(body []byte) (ShortLivedToken, error) {
	obj, err := unwrapData(body, "access_token")
	if err != nil {
		return ShortLivedToken{}, err
	}
	var v shortTokenJSON
	if err := json.Unmarshal(obj, &v); err != nil {
		return ShortLivedToken{}, fmt.Errorf("%w: %v", ErrMalformedResponse, err)
	}
	if v.AccessToken == "" {
		return ShortLivedToken{}, fmt.Errorf("%w: empty access_token", ErrMalformedResponse)
	}
	return ShortLivedToken{AccessToken: v.AccessToken, UserID: string(v.UserID), Permissions: v.Permissions}, nil
}

func decodeToken(body []byte) (Token, error) {
	obj, err := unwrapData(body, "access_token")
	if err != nil {
		return Token{}, err
	}
	var v tokenJSON
	if err := json.Unmarshal(obj, &v); err != nil {
		return Token{}, fmt.Errorf("%w: %v", ErrMalformedResponse, err)
	}
	if v.AccessToken == "" {
		return Token{}, fmt.Errorf("%w: empty access_token", ErrMalformedResponse)
	}
	t := Token{AccessToken: v.AccessToken, TokenType: v.TokenType, ExpiresIn: time.Duration(v.ExpiresIn) * time.Second}
	if t.ExpiresIn <= 0 {
		t.ExpiresIn = defaultLongLivedLifetime
	}
	return t, nil
}

func decodeProfile(body []byte) (Profile, error) {
	obj, err := unwrapData(body, "user_id")
	if err != nil {
		return Profile{}, err
	}
	var v profileJSON
	if err := json.Unmarshal(obj, &v); err != nil {
		return Profile{}, fmt.Errorf("%w: %v", ErrMalformedResponse, err)
	}
	if v.UserID == "" {
		return Profile{}, fmt.Errorf("%w: empty user_id", ErrMalformedResponse)
	}
	return Profile{
		UserID: string(v.UserID), ID: string(v.ID), Username: v.Username, Name: v.Name,
		AccountType: v.AccountType, ProfilePictureURL: v.ProfilePictureURL,
		FollowersCount: int(v.FollowersCount), FollowsCount: int(v.FollowsCount), MediaCount: int(v.MediaCount),
	}, nil
}
