package sandbox

import (
	"hash/fnv"
	"math"
	"strconv"
	"time"
)

// pacific is the zone of Instagram's account-insights days and hours.
var pacific = func() *time.Location {
	if loc, err := time.LoadLocation("America/Los_Angeles"); err == nil {
		return loc
	}
	return time.FixedZone("PST", -8*60*60)
}()

// The follower ledger covers ledgerPast days before the account's creation day
// and ledgerFuture days after it.
const (
	ledgerPast   = 120
	ledgerFuture = 800
)

// ledger is an account's daily follows and unfollows; index i is day
// i-ledgerPast relative to the creation day (day 0).
type ledger struct {
	day0      time.Time // Pacific midnight of the creation day
	follows   []int
	unfollows []int
}

// pacificMidnight is the start of t's Pacific date.
func pacificMidnight(t time.Time) time.Time {
	p := t.In(pacific)
	return time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, pacific)
}

// dayStart is the Pacific midnight that starts day i (relative to day0).
func (l *ledger) dayStart(i int) time.Time {
	return time.Date(l.day0.Year(), l.day0.Month(), l.day0.Day()+i, 0, 0, 0, 0, pacific)
}

// dayOf is the day index (relative to day0) of t's Pacific date.
func (l *ledger) dayOf(t time.Time) int {
	p := t.In(pacific)
	a := time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, time.UTC)
	b := time.Date(l.day0.Year(), l.day0.Month(), l.day0.Day(), 0, 0, 0, 0, time.UTC)
	return int(a.Sub(b) / (24 * time.Hour))
}

// in reports whether day i is in the ledger.
func (l *ledger) in(i int) bool { return i >= -ledgerPast && i < ledgerFuture }

func (l *ledger) net(i int) int {
	if !l.in(i) {
		return 0
	}
	return l.follows[i+ledgerPast] - l.unfollows[i+ledgerPast]
}

// unit is a deterministic value in [0, 1) for (seed, tag, i).
func unit(seed uint64, tag string, i int) float64 {
	h := fnv.New64a()
	var b [8]byte
	for k := range b {
		b[k] = byte(seed >> (8 * k))
	}
	h.Write(b[:])
	h.Write([]byte(tag))
	h.Write([]byte(strconv.Itoa(i)))
	// FNV alone barely moves its high bits for inputs that differ in the last
	// byte; the splitmix64 finaliser spreads them.
	x := h.Sum64()
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return float64(x>>11) / (1 << 53)
}

// dailyFollows draws a day's follows for an account of level followers.
func dailyFollows(seed uint64, i, level int) (follows, unfollows int) {
	rate := float64(max(level, 20)) * 0.0045
	weekday := 0.8 + 0.4*math.Sin(float64(i)*2*math.Pi/7)
	if unit(seed, "spike", i) < 0.04 {
		weekday *= 4 // a post that travelled
	}
	follows = int(rate*weekday*(0.6+0.8*unit(seed, "f", i)) + unit(seed, "fr", i))
	unfollows = int(float64(follows)*(0.25+0.25*unit(seed, "u", i)) + unit(seed, "ur", i))
	return follows, unfollows
}

// ledgerLocked builds (once) the follower ledger; a.mu must be held.
func (a *Account) ledgerLocked() *ledger {
	if a.ledger != nil {
		return a.ledger
	}
	l := &ledger{day0: pacificMidnight(a.created), follows: make([]int, ledgerPast+ledgerFuture), unfollows: make([]int, ledgerPast+ledgerFuture)}
	level := a.followers
	for i := -1; i >= -ledgerPast; i-- { // backwards: level is the count at the end of day i
		f, u := dailyFollows(a.seed, i, level)
		if level-(f-u) < 0 {
			f, u = 0, 0
		}
		l.follows[i+ledgerPast], l.unfollows[i+ledgerPast] = f, u
		level -= f - u
	}
	level = a.followers
	for i := 0; i < ledgerFuture; i++ {
		f, u := dailyFollows(a.seed, i, level)
		l.follows[i+ledgerPast], l.unfollows[i+ledgerPast] = f, u
		level += f - u
	}
	a.ledger = l
	return l
}

// followersAtLocked is the follower count at t; a.mu must be held (read).
func (a *Account) followersAtLocked(t time.Time) int {
	if !a.live || a.ledger == nil {
		return a.followers
	}
	n := a.followers
	for i := 0; i < a.ledger.dayOf(t) && i < ledgerFuture; i++ {
		n += a.ledger.net(i)
	}
	return max(0, n)
}

// FollowersAt returns the follower count at the end of the Pacific day holding
// t, from the follower ledger (whether or not LiveFollowers is set): the series
// a daily followers_count snapshot would have recorded, for about 120 days back
// and 800 ahead of the account's creation.
func (a *Account) FollowersAt(t time.Time) int {
	h := a.view()
	return h.followersEnd(h.l.dayOf(t))
}

// history is a read-only view of the account's figures per Pacific day.
type history struct {
	l         *ledger
	seed      uint64
	followers int // at the start of day 0
	live      bool
}

// view returns the account's history.
func (a *Account) view() history {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return history{l: a.ledger, seed: a.seed, followers: a.followers, live: a.live}
}

// followersEnd is the follower count at the end of day i.
func (h history) followersEnd(i int) int {
	n := h.followers
	switch {
	case i < 0:
		for j := i + 1; j <= -1; j++ {
			n -= h.l.net(j)
		}
	default:
		for j := 0; j <= i && j < ledgerFuture; j++ {
			n += h.l.net(j)
		}
	}
	return max(0, n)
}

// reach is day i's unique accounts reached.
func (h history) reach(i int) int {
	f := float64(max(h.followersEnd(i), 10))
	return int(f*(0.18+0.17*unit(h.seed, "reach", i))) + 3
}

// views is day i's views (always above reach).
func (h history) views(i int) int {
	return int(float64(h.reach(i))*(1.35+0.7*unit(h.seed, "views", i))) + 1
}

// follows and unfollows of day i.
func (h history) follows(i int) int {
	if !h.l.in(i) {
		return 0
	}
	return h.l.follows[i+ledgerPast]
}

func (h history) unfollows(i int) int {
	if !h.l.in(i) {
		return 0
	}
	return h.l.unfollows[i+ledgerPast]
}

// peakHour is the account's busiest Pacific hour (18–23), late enough that for
// some accounts it falls on the next day in Europe.
func (h history) peakHour() int { return 18 + int(h.seed%6) }

// online is the followers online in Pacific hour hr of day i.
func (h history) online(i, hr int) int {
	d := math.Abs(float64(hr - h.peakHour()))
	d = math.Min(d, 24-d)
	curve := 0.25 + 0.75*math.Exp(-d*d/(2*3.5*3.5))
	return int(float64(h.followersEnd(i)) * 0.09 * curve * (0.85 + 0.3*unit(h.seed, "online", i*24+hr)))
}
