package advice

import "slices"

// attr is what the comparisons and best times read of a post, packed so
// that a population's members sit side by side in memory.
type attr struct {
	format  uint8 // index in formats, or noGroup
	band    uint8 // index in timeBands
	weekday uint8 // 0 = Sunday, in the user's zone
	hour    uint8 // in the user's zone
	flags   uint8 // flagWeekend | flagLongCaption | flagHashtags
	week    int16 // full weeks before now, -1 in a partial week
}

const (
	flagWeekend = 1 << iota
	flagLongCaption
	flagHashtags
)

// noGroup is the code of a member in none of a dimension's groups.
const noGroup = 255

// population is a set of considered posts with the value one metric gives
// each, held in ascending order of that value with its mid-ranks and tie
// term Σ(t³ − t) computed once, so that any number of comparisons that
// split it cost a few sequential passes each.
type population struct {
	metric string
	vals   []float64 // ascending
	rank   []float64 // mid-ranks, by sorted position
	post   []int32   // index into the considered posts, by sorted position
	attr   []attr    // by sorted position
	ties   float64
}

// list is the members of a population before sorting: values, indices
// into the considered posts, attributes.
type list struct {
	vals  []float64
	idx   []int32
	attrs []attr
}

// newList makes a list with room for n members.
func newList(n int) list {
	return list{vals: make([]float64, 0, n), idx: make([]int32, 0, n), attrs: make([]attr, 0, n)}
}

// add appends a member.
func (l *list) add(v float64, i int32, a attr) {
	l.vals = append(l.vals, v)
	l.idx = append(l.idx, i)
	l.attrs = append(l.attrs, a)
}

// lists are the members of each population, gathered while the posts are
// read: reach, engagement, sends per reach, and Reels with a skip rate and
// views (by views).
type lists struct {
	reach, eng, shares, hook list
}

// builder builds the populations of one Recommend call, reusing its sort
// buffers from one to the next.
type builder struct {
	ps    []post
	lists lists
	sort  sortBuf
}

// population sorts the members of l by value.
func (b *builder) population(metric string, l *list) *population {
	order := sortByValue(l.vals, &b.sort)
	n := len(order)
	pop := &population{metric: metric, vals: make([]float64, n), post: make([]int32, n), attr: make([]attr, n)}
	for k, o := range order {
		pop.vals[k] = l.vals[o]
		pop.post[k] = l.idx[o]
		pop.attr[k] = l.attrs[o]
	}
	pop.tieTerm()
	return pop
}

// filter is the population of the members keep accepts, in the same order.
func (pop *population) filter(keep func(attr) bool) *population {
	f := &population{metric: pop.metric}
	n := 0
	for _, a := range pop.attr {
		if keep(a) {
			n++
		}
	}
	f.vals, f.post, f.attr = make([]float64, 0, n), make([]int32, 0, n), make([]attr, 0, n)
	for k, a := range pop.attr {
		if keep(a) {
			f.vals = append(f.vals, pop.vals[k])
			f.post = append(f.post, pop.post[k])
			f.attr = append(f.attr, a)
		}
	}
	f.tieTerm()
	return f
}

// tieTerm computes the mid-ranks (1-based, ties averaged) and Σ(t³ − t)
// over the runs of tied values.
func (pop *population) tieTerm() {
	n := len(pop.vals)
	pop.rank = make([]float64, n)
	pop.ties = 0
	for i := 0; i < n; {
		j := i + 1
		for j < n && pop.vals[j] == pop.vals[i] {
			j++
		}
		mid := float64(i+j+1) / 2 // mean of ranks i+1 … j
		for k := i; k < j; k++ {
			pop.rank[k] = mid
		}
		if t := float64(j - i); t > 1 {
			pop.ties += t*t*t - t
		}
		i = j
	}
}

// splits compares, for each code c < groups, the members coded c (codes
// by sorted position) with all the other members. A pass sums the groups'
// mid-ranks and lists each group's sorted positions; the medians are then
// read off those lists, the baseline's by binary search.
func (pop *population) splits(codes []uint8, groups int) []split {
	n := len(codes)
	out := make([]split, groups)
	rankSum := make([]float64, groups)
	start := make([]int, groups+1) // group c's positions are pos[start[c]:start[c+1]]
	for _, c := range codes {
		if int(c) < groups {
			start[c+1]++
		}
	}
	for c := range groups {
		start[c+1] += start[c]
	}
	pos := make([]int32, start[groups])
	fill := slices.Clone(start[:groups])
	for k, c := range codes {
		if int(c) < groups {
			rankSum[c] += pop.rank[k]
			pos[fill[c]] = int32(k)
			fill[c]++
		}
	}
	for c := range out {
		s := &out[c]
		in := pos[start[c]:start[c+1]]
		s.n, s.baseN = len(in), n-len(in)
		if s.n == 0 || s.baseN == 0 {
			s.p = 1
			if s.n > 0 {
				s.median = (pop.vals[in[(s.n-1)/2]] + pop.vals[in[s.n/2]]) / 2
			} else if s.baseN > 0 {
				s.baseMedian = medianSorted(pop.vals)
			}
			continue
		}
		s.median = (pop.vals[in[(s.n-1)/2]] + pop.vals[in[s.n/2]]) / 2
		s.baseMedian = (pop.vals[outside(in, (s.baseN-1)/2)] + pop.vals[outside(in, s.baseN/2)]) / 2
		u1 := rankSum[c] - float64(s.n*(s.n+1))/2
		s.p = mannWhitneyP(u1, s.n, s.baseN, pop.ties)
	}
	return out
}

// outside is the sorted position of the j-th (0-based) member that is not
// at one of the ascending positions in: the least p with p + 1 − |in ≤ p|
// = j + 1.
func outside(in []int32, j int) int {
	lo, hi := j, j+len(in) // the answer lies in [j, j + |in|]
	for lo < hi {
		m := (lo + hi) / 2
		inUpTo, _ := slices.BinarySearch(in, int32(m)+1) // members of in at or before m
		if m+1-inUpTo >= j+1 {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}
