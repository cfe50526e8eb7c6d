package advice

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Metrics a recommendation compares.
const (
	MetricReach          = "reach"            // people reached (insights reach)
	MetricEngagement     = "engagement"       // likes + comments (+ saved + shares)
	MetricViews          = "views"            // insights views
	MetricSharesPerReach = "shares_per_reach" // sends (shares) per person reached
)

// comparison says how a group compares, in the title: "reach 2.3× more
// people than", "get 40% fewer interactions than".
func comparison(metric string, effect float64) string {
	more := effect >= 1
	times := strconv.FormatFloat(round(effect, 1), 'f', 1, 64) + "×"
	less := strconv.Itoa(int(math.Round((1-effect)*100))) + "%"
	switch metric {
	case MetricReach:
		if more {
			return "reach " + times + " more people than"
		}
		return "reach " + less + " fewer people than"
	case MetricViews:
		if more {
			return "get " + times + " more views than"
		}
		return "get " + less + " fewer views than"
	case MetricSharesPerReach:
		if more {
			return "are sent to friends " + times + " as often per person reached as"
		}
		return "are sent to friends " + less + " less often per person reached than"
	}
	if more {
		return "get " + times + " more likes, comments, saves and shares than"
	}
	return "get " + less + " fewer likes, comments, saves and shares than"
}

// detail names the medians and the sample: "Reels reached a median of
// 2,300 people vs 1,000 for your other posts (14 Reels vs 38 other posts)."
func detail(l label, metric string, s split) string {
	var what string
	switch metric {
	case MetricReach:
		what = fmt.Sprintf("reached a median of %s people vs %s", number(s.median), number(s.baseMedian))
	case MetricViews:
		what = fmt.Sprintf("got a median of %s views vs %s", number(s.median), number(s.baseMedian))
	case MetricSharesPerReach:
		times := "times"
		if number(s.median*100) == "1" {
			times = "time"
		}
		what = fmt.Sprintf("were sent to friends a median of %s %s per 100 people reached vs %s",
			number(s.median*100), times, number(s.baseMedian*100))
	default:
		what = fmt.Sprintf("got a median of %s likes, comments, saves and shares vs %s",
			number(s.median), number(s.baseMedian))
	}
	return fmt.Sprintf("%s %s for %s (%d %s vs %d %s).",
		l.group, what, l.base, s.n, l.groupNoun, s.baseN, l.baseNoun)
}

// number writes x for people: thousands separated by commas, at most one
// decimal ("2,300", "1,250.5", "0.8").
func number(x float64) string {
	r := round(x, 1)
	s := strconv.FormatFloat(math.Abs(r), 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if r < 0 {
		b.WriteByte('-')
	}
	for i, ch := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}
