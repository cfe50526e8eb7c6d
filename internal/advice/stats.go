package advice

import (
	"math"
)

// round rounds x to the given number of decimals, halves away from zero.
func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	r := math.Round(x*p) / p
	if r == 0 {
		return 0 // no -0 in the JSON
	}
	return r
}

// finite reports whether x is neither NaN nor ±Inf.
func finite(x float64) bool {
	return !math.IsNaN(x) && !math.IsInf(x, 0)
}

// medianSorted is the median of ascending values: the mean of the two
// middle values of an even count. It is 0 for no values.
func medianSorted(v []float64) float64 {
	n := len(v)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// sortKey maps a float64 to a uint64 whose unsigned order is the float
// order (-0 and +0 alike; NaN never reaches here).
func sortKey(v float64) uint64 {
	if v == 0 {
		v = 0
	}
	b := math.Float64bits(v)
	if b&(1<<63) != 0 {
		return ^b
	}
	return b | 1<<63
}

// sortBuf holds the buffers of sortByValue, reused from call to call.
type sortBuf struct {
	keys, tk []uint64
	idx, ti  []int32
}

// grow makes every buffer n long.
func (b *sortBuf) grow(n int) {
	if cap(b.keys) < n {
		b.keys, b.tk = make([]uint64, n), make([]uint64, n)
		b.idx, b.ti = make([]int32, n), make([]int32, n)
	}
	b.keys, b.tk, b.idx, b.ti = b.keys[:n], b.tk[:n], b.idx[:n], b.ti[:n]
}

// sortByValue returns the positions 0..len(v)-1 ordered by v ascending,
// equal values in position order, in a slice of buf valid until its next
// use. It is an LSD radix sort on 11-bit digits that skips the digits all
// keys share, so integer-valued counts take a few passes: this is what
// keeps 100,000 posts within milliseconds.
func sortByValue(v []float64, buf *sortBuf) []int32 {
	n := len(v)
	buf.grow(n)
	keys, idx, tk, ti := buf.keys, buf.idx, buf.tk, buf.ti
	var or, and uint64 = 0, ^uint64(0)
	for i, x := range v {
		k := sortKey(x)
		keys[i], idx[i] = k, int32(i)
		or |= k
		and &= k
	}
	const bits = 11 // 6 passes for keys that differ in every digit
	var count [1 << bits]int
	for shift := uint(0); shift < 64; shift += bits {
		if (or>>shift)&(1<<bits-1) == (and>>shift)&(1<<bits-1) {
			continue // every key has the same digit here
		}
		count = [1 << bits]int{}
		for _, k := range keys {
			count[(k>>shift)&(1<<bits-1)]++
		}
		pos := 0
		for d := range count {
			c := count[d]
			count[d] = pos
			pos += c
		}
		for j, k := range keys {
			d := (k >> shift) & (1<<bits - 1)
			tk[count[d]], ti[count[d]] = k, idx[j]
			count[d]++
		}
		keys, tk = tk, keys
		idx, ti = ti, idx
	}
	buf.keys, buf.tk, buf.idx, buf.ti = keys, tk, idx, ti
	return idx
}

// split is the outcome of comparing a group of a population with the
// rest of it (the baseline).
type split struct {
	n, baseN           int
	median, baseMedian float64
	p                  float64 // two-sided Mann–Whitney U p-value
}

// exactLimit is the largest population for which the U distribution is
// counted exactly (when it has no ties).
const exactLimit = 30

// mannWhitneyP is the two-sided p-value of the U statistic u1 of a group
// of n1 against n2 others: exact when n1 + n2 ≤ 30 and no value is tied,
// otherwise the normal approximation with tie and continuity corrections.
func mannWhitneyP(u1 float64, n1, n2 int, ties float64) float64 {
	n := n1 + n2
	if n <= exactLimit && ties == 0 {
		return exactP(u1, n1, n2)
	}
	nf := float64(n)
	mu := float64(n1) * float64(n2) / 2
	v := float64(n1) * float64(n2) / 12 * ((nf + 1) - ties/(nf*(nf-1)))
	if !(v > 0) {
		return 1 // every value tied: no evidence of a difference
	}
	z := (math.Abs(u1-mu) - 0.5) / math.Sqrt(v)
	if z <= 0 {
		return 1
	}
	return math.Min(1, math.Erfc(z/math.Sqrt2))
}

// exactP is the exact two-sided p-value of U = u1 (an integer without
// ties): 2 × the smaller tail, at most 1.
func exactP(u1 float64, n1, n2 int) float64 {
	dist := uDistribution(n1, n2)
	var total, le, ge float64
	u := int(math.Round(u1))
	for k, c := range dist {
		total += c
		if k <= u {
			le += c
		}
		if k >= u {
			ge += c
		}
	}
	return math.Min(1, 2*math.Min(le, ge)/total)
}

// uDistribution counts, for each u, the arrangements of n1 + n2 distinct
// values whose group of n1 has U = u (Mann and Whitney's recursion
// f(n1, n2, u) = f(n1−1, n2, u−n2) + f(n1, n2−1, u)).
func uDistribution(n1, n2 int) []float64 {
	// f[a][b] is the distribution for sizes a and b, built up in b.
	prev := make([][]float64, n1+1) // prev[a] = f(a, b-1)
	for a := 0; a <= n1; a++ {
		prev[a] = []float64{1} // f(a, 0): U = 0 once
	}
	for b := 1; b <= n2; b++ {
		cur := make([][]float64, n1+1)
		cur[0] = []float64{1}
		for a := 1; a <= n1; a++ {
			d := make([]float64, a*b+1)
			for u, c := range cur[a-1] { // f(a−1, b, u−b): the largest is in the group
				d[u+b] += c
			}
			for u, c := range prev[a] { // f(a, b−1, u): the largest is a baseline value
				d[u] += c
			}
			cur[a] = d
		}
		prev = cur
	}
	return prev[n1]
}

// median is the median of v (the mean of the two middle values of an even
// count), by selection in O(len(v)); v is reordered. It is 0 for no values.
func median(v []float64) float64 {
	m := len(v)
	if m == 0 {
		return 0
	}
	hi := selectNth(v, m/2)
	if m%2 == 1 {
		return hi
	}
	lo := v[0] // the largest of v[:m/2], all ≤ hi
	for _, x := range v[1 : m/2] {
		lo = max(lo, x)
	}
	return (lo + hi) / 2
}

// selectNth reorders v so that v[k] is the k-th smallest, everything
// before it no larger and everything after no smaller, and returns v[k].
func selectNth(v []float64, k int) float64 {
	lo, hi := 0, len(v)-1
	for lo < hi {
		// Median of three as the pivot, then Hoare's partition.
		mid := lo + (hi-lo)/2
		if v[mid] < v[lo] {
			v[mid], v[lo] = v[lo], v[mid]
		}
		if v[hi] < v[lo] {
			v[hi], v[lo] = v[lo], v[hi]
		}
		if v[hi] < v[mid] {
			v[hi], v[mid] = v[mid], v[hi]
		}
		pivot := v[mid]
		i, j := lo, hi
		for i <= j {
			for v[i] < pivot {
				i++
			}
			for v[j] > pivot {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return v[k] // between j and i: equal to the pivot
		}
	}
	return v[k]
}
