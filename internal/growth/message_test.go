package growth

import "testing"

func TestMessage(t *testing.T) {
	const (
		fire   = "🔥 You're on fire! Engagement is way up."
		grow   = "📈 Nice! You're growing steadily."
		steady = "😎 Holding steady - keep doing your thing."
		dip    = "📉 Slight dip, but no worries - it happens."
		down   = "💪 Engagement is down, but consistency is key!"
		none   = "No posts yet in this period. Time to share something! 📸"
		miss   = " Haven't posted this week though - your audience misses you!"
		hustle = " You've been posting a lot - great hustle!"
	)
	tests := []struct {
		name      string
		trend     float64
		total, wk int
		want      string
	}{
		{"NoPosts", 50, 0, 0, none},
		{"NoPostsNegativeTrend", -100, 0, 0, none},
		{"NoPostsIgnoresWeek", 0, 0, 7, none},

		{"Above20", 20.0001, 3, 2, fire},
		{"Exactly20", 20, 3, 2, grow},
		{"Below20", 19.9999, 3, 2, grow},
		{"Hundred", 100, 3, 2, fire},
		{"Above5", 5.0001, 3, 2, grow},
		{"Exactly5", 5, 3, 2, steady},
		{"Below5", 4.9999, 3, 2, steady},
		{"Zero", 0, 3, 2, steady},
		{"AboveMinus5", -4.9999, 3, 2, steady},
		{"ExactlyMinus5", -5, 3, 2, dip},
		{"BelowMinus5", -5.0001, 3, 2, dip},
		{"AboveMinus20", -19.9999, 3, 2, dip},
		{"ExactlyMinus20", -20, 3, 2, down},
		{"BelowMinus20", -20.0001, 3, 2, down},
		{"MinusHundred", -100, 3, 2, down},

		{"WeekNone", 30, 3, 0, fire + miss},
		{"WeekOne", 30, 3, 1, fire},
		{"WeekFour", 30, 9, 4, fire},
		{"WeekFive", 30, 9, 5, fire + hustle},
		{"WeekMany", -30, 20, 12, down + hustle},
		{"WeekNoneSteady", 0, 1, 0, steady + miss},
		{"WeekNoneDip", -10, 1, 0, dip + miss},
		{"WeekFiveGrow", 10, 5, 5, grow + hustle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := Message(tt.trend, tt.total, tt.wk), tt.want; got != want {
				t.Errorf("Message(%v, %d, %d) = %q, want %q", tt.trend, tt.total, tt.wk, got, want)
			}
		})
	}
}
