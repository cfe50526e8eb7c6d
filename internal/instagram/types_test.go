package instagram

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"creatorgrowth/internal/instagram/sandbox"
)

func TestDecodeShortToken(t *testing.T) {
	perms := []string{"instagram_business_basic", "instagram_business_manage_insights"}
	tests := []struct {
		name    string
		body    string
		want    ShortLivedToken
		wantErr error
	}{
		{"FlatHugeNumber", `{"access_token":"IGQ","user_id":17841405793187218,"permissions":"instagram_business_basic,instagram_business_manage_insights"}`,
			ShortLivedToken{AccessToken: "IGQ", UserID: "17841405793187218", Permissions: perms}, nil},
		{"FlatStringArray", `{"access_token":"IGQ","user_id":"17841405793187218","permissions":["instagram_business_basic","instagram_business_manage_insights"]}`,
			ShortLivedToken{AccessToken: "IGQ", UserID: "17841405793187218", Permissions: perms}, nil},
		{"Wrapped", `{"data":[{"access_token":"EAAC","user_id":"1020","permissions":"instagram_business_basic, instagram_business_manage_insights"}]}`,
			ShortLivedToken{AccessToken: "EAAC", UserID: "1020", Permissions: perms}, nil},
		{"ErrNotJSON", `<html>`, ShortLivedToken{}, ErrMalformedResponse},
		{"ErrNoToken", `{"user_id":1}`, ShortLivedToken{}, ErrMalformedResponse},
		{"ErrEmptyData", `{"data":[]}`, ShortLivedToken{}, ErrMalformedResponse},
		{"ErrFloatID", `{"access_token":"x","user_id":1.5e16}`, ShortLivedToken{}, ErrMalformedResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeShortToken([]byte(tt.body))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if got.AccessToken != tt.want.AccessToken || got.UserID != tt.want.UserID || !slices.Equal(got.Permissions, tt.want.Permissions) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDecodeProfile(t *testing.T) {
	want := Profile{UserID: "17841405822304914", ID: "2591", Username: "acme", Name: "Acme", AccountType: "BUSINESS",
		ProfilePictureURL: "https://scontent/x.jpg", FollowersCount: 1200, FollowsCount: 80, MediaCount: 42}
	tests := []struct {
		name    string
		body    string
		wantErr error
	}{
		{"Flat", `{"id":"2591","user_id":"17841405822304914","username":"acme","name":"Acme","account_type":"BUSINESS",
			"profile_picture_url":"https://scontent/x.jpg","followers_count":1200,"follows_count":80,"media_count":42}`, nil},
		{"WrappedNumbers", `{"data":[{"id":2591,"user_id":17841405822304914,"username":"acme","name":"Acme","account_type":"BUSINESS",
			"profile_picture_url":"https://scontent/x.jpg","followers_count":"1200","follows_count":80,"media_count":42}]}`, nil},
		{"ErrNoUserID", `{"id":"2591","username":"acme"}`, ErrMalformedResponse},
		{"ErrTruncated", `{"data":[`, ErrMalformedResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeProfile([]byte(tt.body))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err == nil && got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

func TestDecodeToken(t *testing.T) {
	tests := []struct {
		body string
		want Token
	}{
		{`{"access_token":"A","token_type":"bearer","expires_in":5183944}`, Token{"A", "bearer", 5183944 * time.Second}},
		{`{"access_token":"A","expires_in":"3600"}`, Token{"A", "", time.Hour}},
		{`{"data":[{"access_token":"A"}]}`, Token{"A", "", defaultLongLivedLifetime}},
	}
	for _, tt := range tests {
		got, err := decodeToken([]byte(tt.body))
		if err != nil || got != tt.want {
			t.Errorf("decodeToken(%s) = %+v, %v; want %+v", tt.body, got, err, tt.want)
		}
	}
}

// BenchmarkMediaSync10k pages 10,000 sandbox posts through the client, as a full
// sync of the largest account Instagram serves.
func BenchmarkMediaSync10k(b *testing.B) {
	e := newEnv(b, []sandbox.AccountSpec{{UserID: "17841400000000010", Posts: 10000}}, nil)
	tok := e.longToken(b, "17841400000000010")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		err := e.client.Media(ctx, tok, 0, func(p MediaPage) error { n += len(p.Items); return nil })
		if err != nil || n != 10000 {
			b.Fatalf("Media: %d items, err %v", n, err)
		}
	}
}
