package growth

// Messages of the contract's encouragement rule, exact.
const (
	MessageNoPosts  = "No posts yet in this period. Time to share something! 📸"
	MessageOnFire   = "🔥 You're on fire! Engagement is way up."
	MessageGrowing  = "📈 Nice! You're growing steadily."
	MessageSteady   = "😎 Holding steady - keep doing your thing."
	MessageDip      = "📉 Slight dip, but no worries - it happens."
	MessageDown     = "💪 Engagement is down, but consistency is key!"
	MessageNoPostWk = " Haven't posted this week though - your audience misses you!"
	MessageHustle   = " You've been posting a lot - great hustle!"
)

// Message returns the dashboard's encouragement for a period: a sentence
// chosen by likesTrend (the rounded percentage that the response reports),
// followed by a remark on postsThisWeek. A period without posts gets its own
// sentence and no remark.
func Message(likesTrend float64, totalPosts, postsThisWeek int) string {
	if totalPosts == 0 {
		return MessageNoPosts
	}
	var m string
	switch {
	case likesTrend > 20:
		m = MessageOnFire
	case likesTrend > 5:
		m = MessageGrowing
	case likesTrend > -5:
		m = MessageSteady
	case likesTrend > -20:
		m = MessageDip
	default:
		m = MessageDown
	}
	switch {
	case postsThisWeek == 0:
		m += MessageNoPostWk
	case postsThisWeek >= 5:
		m += MessageHustle
	}
	return m
}
