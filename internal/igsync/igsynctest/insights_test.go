package igsynctest

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"testing"
	"time"

	"creatorgrowth/internal/instagram"
	"creatorgrowth/internal/instagram/sandbox"
)

const (
	creatorID = "17841400000000001"
	studioID  = "17841400000000002"
)

// graphClient is an Instagram client on the harness's sandbox.
func graphClient(h *Harness) *instagram.Client {
	return instagram.NewClient(instagram.Config{GraphURL: h.SBServer.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second},
		BaseBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})
}

func TestHarness_InsightsFaultsAndCounters(t *testing.T) {
	h := New(t, Options{NoPool: true})
	c := graphClient(h)
	ctx := context.Background()
	creator, studio := h.Sandbox.IssueToken(creatorID), h.Sandbox.IssueToken(studioID)
	post := h.Sandbox.Account(creatorID).Posts()[3]
	m := instagram.Media{ID: post.ID, MediaType: post.MediaType, MediaProductType: post.MediaProductType}

	// A throttled account is answered 80002 with its regain time; the other is not.
	h.Throttle(creatorID, sandbox.EndpointInsights, 0, 100, 12*time.Minute, 0)
	_, err := c.MediaInsights(ctx, creator, post.ID, []string{"views"})
	if !errors.Is(err, instagram.ErrThrottled) || instagram.ThrottleWait(err, 1) != 12*time.Minute {
		t.Fatalf("throttled account: %v", err)
	}
	if _, err := c.OnlineFollowers(ctx, studio, studioID); err != nil {
		t.Errorf("other account: %v", err)
	}
	if got := h.InsightsCalls(creatorID); got != 1 {
		t.Errorf("creator insights calls = %d, want 1", got)
	}
	if got := h.InsightsCalls(studioID); got != 1 {
		t.Errorf("studio insights calls = %d, want 1", got)
	}
	h.ClearFaults()

	h.RefuseMetric(creatorID, "saved")
	rd, err := c.ReadPostInsights(ctx, creator, m, nil)
	if err != nil || rd.Insights.Saved != nil || rd.Insights.Views == nil {
		t.Errorf("refused saved: %+v, %v", rd, err)
	}
	if got := h.MetricCalls(sandbox.EndpointMediaInsights, "saved"); got != 2 { // the core call, then saved alone
		t.Errorf("saved sent %d times, want 2", got)
	}
	h.ClearFaults()

	h.InsightsNotAvailable(creatorID, 1)
	if rd, err := c.ReadPostInsights(ctx, creator, m, nil); err != nil || !rd.NotAvailable {
		t.Errorf("#10: %+v, %v", rd, err)
	}
	h.InsightsEmpty("", 1)
	if _, err := c.OnlineFollowers(ctx, studio, studioID); !errors.Is(err, instagram.ErrNotAvailable) {
		t.Errorf("empty: %v", err)
	}
	if got := h.AccountCalls(studioID, sandbox.EndpointAccountInsights); got != 2 {
		t.Errorf("studio account insights calls = %d, want 2", got)
	}
}

func TestHarness_SecondPersonGetsAnUnlinkedAccount(t *testing.T) {
	var db *sql.DB
	isLinked := func(ctx context.Context, igUserID string) bool {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		var linked bool
		err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM instagram_accounts WHERE ig_user_id = $1)`, igUserID).Scan(&linked)
		return err == nil && linked
	}
	h := New(t, Options{NoPool: true, Sandbox: func(o *sandbox.Options) { o.IsLinked = isLinked }})
	db = h.DB

	first := h.Register()
	if got := h.ConsentAccount(first); got != creatorID {
		t.Fatalf("first person is offered %s, want %s", got, creatorID)
	}
	h.MustConnect(first, creatorID)

	second := h.Register()
	got := h.ConsentAccount(second)
	if got == creatorID {
		t.Fatalf("second person is offered the first person's account %s", got)
	}
	h.MustConnect(second, got)
	if n := h.Int(`SELECT count(*) FROM instagram_accounts`); n != 2 {
		t.Errorf("%d linked accounts, want 2", n)
	}
}
