package advice

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestMannWhitneyP(t *testing.T) {
	cases := []struct {
		name   string
		u1     float64
		n1, n2 int
		ties   float64
		want   float64
	}{
		// Exact: of the C(6,3) = 20 orders, one has U = 0: p = 2·1/20.
		{"exact 3 vs 3, U=0", 0, 3, 3, 0, 2.0 / 20},
		// Exact: C(8,4) = 70 orders, one with U = 0.
		{"exact 4 vs 4, U=0", 0, 4, 4, 0, 2.0 / 70},
		// Exact: C(10,5) = 252; U = 0, 1, 2 in 1, 1, 2 orders: p = 2·4/252.
		{"exact 5 vs 5, U=2", 2, 5, 5, 0, 8.0 / 252},
		// The upper tail mirrors the lower: U = 25 − 2.
		{"exact 5 vs 5, U=23", 23, 5, 5, 0, 8.0 / 252},
		{"exact centre", 12.5, 5, 5, 0, 1},
		// Normal, 5 vs 35 with U = 0: μ = 87.5, σ² = 5·35/12·41.
		{"normal 5 vs 35", 0, 5, 35, 0, math.Erfc((87.5 - 0.5) / math.Sqrt(5*35.0/12*41) / math.Sqrt2)},
		// Ties force the normal form: [1 1 2] vs [2 3 3], U = 0.5, ties 18:
		// σ² = 9/12·(7 − 18/30) = 4.8, z = (4.5 − 0.5 − 0.5)/√4.8.
		{"ties 3 vs 3", 0.5, 3, 3, 18, math.Erfc(3.5 / math.Sqrt(4.8) / math.Sqrt2)},
		// Every value tied: no evidence.
		{"all tied", 4.5, 3, 3, 6*6*6 - 6, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := mannWhitneyP(c.u1, c.n1, c.n2, c.ties); !near(got, c.want, 1e-12) {
				t.Errorf("p = %v, want %v", got, c.want)
			}
		})
	}
	if got := math.Erfc(3.5 / math.Sqrt(4.8) / math.Sqrt2); !near(got, 0.11015, 1e-4) {
		t.Errorf("tie case p = %v, want about 0.11015", got)
	}
}

// naiveSplit compares two samples the slow way: medians by sorting,
// U by counting pairs (ties count a half).
func naiveSplit(group, base []float64) split {
	g, b := slices.Sorted(slices.Values(group)), slices.Sorted(slices.Values(base))
	var u float64
	for _, x := range g {
		for _, y := range b {
			switch {
			case x > y:
				u++
			case x == y:
				u += 0.5
			}
		}
	}
	all := append(slices.Clone(g), b...)
	slices.Sort(all)
	var ties float64
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j] == all[i] {
			j++
		}
		ties += math.Pow(float64(j-i), 3) - float64(j-i)
		i = j
	}
	return split{n: len(g), baseN: len(b), median: medianSorted(g), baseMedian: medianSorted(b),
		p: mannWhitneyP(u, len(g), len(b), ties)}
}

func TestPopulation_SplitsMatchNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for round := range 300 {
		n := 2 + rng.IntN(80)
		ps := make([]post, n)
		spread := []int{3, 20, 1000}[round%3] // few distinct values → many ties
		for i := range ps {
			ps[i].eng = float64(rng.IntN(spread))
			ps[i].known = knownEng
			ps[i].format = uint8(rng.IntN(len(formats) + 1)) // some in no group
			if ps[i].format == uint8(len(formats)) {
				ps[i].format = noGroup
			}
		}
		b := &builder{ps: ps}
		var l list
		for i := range ps {
			l.add(ps[i].eng, int32(i), ps[i].attr)
		}
		pop := b.population(MetricEngagement, &l)
		codes := make([]uint8, len(pop.attr))
		for k, a := range pop.attr {
			codes[k] = a.format
		}
		got := pop.splits(codes, len(formats))
		for c := range formats {
			var g, rest []float64
			for i := range ps {
				if int(ps[i].format) == c {
					g = append(g, ps[i].eng)
				} else {
					rest = append(rest, ps[i].eng)
				}
			}
			want := naiveSplit(g, rest)
			if len(g) == 0 || len(rest) == 0 {
				want.p, want.median, want.baseMedian = 1, got[c].median, got[c].baseMedian
				if len(rest) > 0 {
					want.baseMedian = medianSorted(slices.Sorted(slices.Values(rest)))
				}
			}
			gc := got[c]
			if gc.n != want.n || gc.baseN != want.baseN || gc.median != want.median || gc.baseMedian != want.baseMedian || !near(gc.p, want.p, 1e-9) {
				t.Fatalf("round %d code %d: got %+v, want %+v", round, c, gc, want)
			}
		}
	}
}

func TestSortByValue(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var buf sortBuf
	for round := range 50 {
		n := rng.IntN(3000)
		v := make([]float64, n)
		for i := range v {
			switch round % 4 {
			case 0:
				v[i] = float64(rng.IntN(100))
			case 1:
				v[i] = rng.NormFloat64() * 1e6
			case 2:
				v[i] = rng.Float64()
			default:
				v[i] = []float64{0, math.Copysign(0, -1), -1, 1, 1e300, -1e300}[rng.IntN(6)]
			}
		}
		order := sortByValue(v, &buf)
		for k := 1; k < len(order); k++ {
			a, b := v[order[k-1]], v[order[k]]
			if a > b || a == b && order[k-1] > order[k] {
				t.Fatalf("round %d: position %d out of order: %v (%d) then %v (%d)", round, k, a, order[k-1], b, order[k])
			}
		}
		seen := make([]bool, n)
		for _, o := range order {
			seen[o] = true
		}
		if slices.Contains(seen, false) {
			t.Fatalf("round %d: not a permutation", round)
		}
	}
}

func TestMedian_Select(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for round := range 500 {
		n := rng.IntN(200)
		v := make([]float64, n)
		for i := range v {
			v[i] = float64(rng.IntN([]int{2, 10, 1 << 30}[round%3]))
		}
		want := medianSorted(slices.Sorted(slices.Values(v)))
		if got := median(slices.Clone(v)); got != want {
			t.Fatalf("median(%v) = %v, want %v", v, got, want)
		}
	}
}

func TestMedianSorted(t *testing.T) {
	for _, c := range []struct {
		v    []float64
		want float64
	}{{nil, 0}, {[]float64{4}, 4}, {[]float64{1, 4}, 2.5}, {[]float64{1, 2, 9}, 2}, {[]float64{1, 2, 3, 100}, 2.5}} {
		if got := medianSorted(c.v); got != c.want {
			t.Errorf("median %v = %v, want %v", c.v, got, c.want)
		}
	}
}

func TestZoneCache_MatchesTimeIn(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, name := range []string{"UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham", "America/St_Johns"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		z := zoneCache{loc: loc}
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
		for range 20000 {
			at := time.Unix(base+rng.Int64N(3*365*86400), 0)
			wd, h := z.local(at)
			lt := at.In(loc)
			if wd != int(lt.Weekday()) || h != lt.Hour() {
				t.Fatalf("%s %v: got %d %d, want %d %d", name, at.UTC(), wd, h, lt.Weekday(), lt.Hour())
			}
		}
	}
	if wd, h := civil(-1); wd != 3 || h != 23 { // 1969-12-31 23:59:59 was a Wednesday
		t.Errorf("civil(-1) = %d %d", wd, h)
	}
}

func TestLongText(t *testing.T) {
	ascii := func(n int) string { return string(slices.Repeat([]byte{'a'}, n)) }
	cases := []struct {
		s    string
		want bool
	}{
		{"", false}, {ascii(125), false}, {ascii(126), true}, {ascii(127), true}, {ascii(600), true},
		{ascii(124) + "é", false}, {ascii(124) + "éé", true}, {ascii(100) + string(slices.Repeat([]rune("東"), 25)), false},
		{ascii(100) + string(slices.Repeat([]rune("東"), 26)), true}, {string(slices.Repeat([]rune("😀"), 125)), false},
		{string(slices.Repeat([]rune("😀"), 126)), true}, {ascii(123) + "😀😀", false}, {ascii(123) + "😀😀😀", true},
	}
	for _, c := range cases {
		if got := longText(c.s); got != c.want {
			t.Errorf("longText(%d bytes, %d runes) = %v, want %v", len(c.s), len([]rune(c.s)), got, c.want)
		}
	}
}
