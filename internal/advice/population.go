package advice

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
// each, held in ascending order of that value with the tie term Σ(t³ − t)
// computed once, so that any number of comparisons that split it cost a
// few sequential passes each.
type population struct {
	metric string
	value  func(*post) (float64, bool)
	vals   []float64 // ascending
	post   []int32   // index into the considered posts, by sorted position
	attr   []attr    // by sorted position
	ties   float64
}

// builder builds the populations of one Recommend call, reusing its
// buffers from one to the next.
type builder struct {
	ps    []post
	sort  sortBuf
	raw   []float64
	idx   []int32
	attrs []attr
}

// population gathers the posts for which value is known and finite.
func (b *builder) population(metric string, value func(*post) (float64, bool)) *population {
	raw, idx, attrs := b.raw[:0], b.idx[:0], b.attrs[:0]
	for i := range b.ps {
		if v, ok := value(&b.ps[i]); ok && finite(v) {
			raw = append(raw, v)
			idx = append(idx, int32(i))
			attrs = append(attrs, b.ps[i].attr) // in order: compact for the shuffle below
		}
	}
	b.raw, b.idx, b.attrs = raw, idx, attrs
	order := sortByValue(raw, &b.sort)
	pop := &population{metric: metric, value: value,
		vals: make([]float64, len(raw)), post: make([]int32, len(raw)), attr: make([]attr, len(raw))}
	for k, o := range order {
		pop.vals[k] = raw[o]
		pop.post[k] = idx[o]
		pop.attr[k] = attrs[o]
	}
	pop.tieTerm()
	return pop
}

// filter is the population of the members keep accepts, in the same order.
func (pop *population) filter(keep func(attr) bool) *population {
	f := &population{metric: pop.metric, value: pop.value}
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

// tieTerm computes Σ(t³ − t) over the runs of tied values.
func (pop *population) tieTerm() {
	pop.ties = 0
	for i, n := 0, len(pop.vals); i < n; {
		j := i + 1
		for j < n && pop.vals[j] == pop.vals[i] {
			j++
		}
		if t := float64(j - i); t > 1 {
			pop.ties += t*t*t - t
		}
		i = j
	}
}

// splits compares, for each code c < groups, the members coded c (codes
// by sorted position) with all the other members.
func (pop *population) splits(codes []uint8, groups int) []split {
	n := len(codes)
	out := make([]split, groups)
	rankSum := make([]float64, groups)
	for i := 0; i < n; { // a run of tied values shares its mid-rank
		j := i + 1
		for j < n && pop.vals[j] == pop.vals[i] {
			j++
		}
		mid := float64(i+j+1) / 2 // mean of ranks i+1 … j
		for _, c := range codes[i:j] {
			if int(c) < groups {
				out[c].n++
				rankSum[c] += mid
			}
		}
		i = j
	}
	for c := range out {
		out[c].baseN = n - out[c].n
		out[c].median, out[c].baseMedian = pop.medians(codes, uint8(c), out[c].n, out[c].baseN)
	}
	for c := range out {
		s := &out[c]
		if s.n == 0 || s.baseN == 0 {
			s.p = 1
			continue
		}
		u1 := rankSum[c] - float64(s.n*(s.n+1))/2
		s.p = mannWhitneyP(u1, s.n, s.baseN, pop.ties)
	}
	return out
}

// medians reads off the sorted order the median of the members coded c
// (n of them) and of the others (baseN), stopping once both are found.
func (pop *population) medians(codes []uint8, c uint8, n, baseN int) (float64, float64) {
	lo, hi := (n-1)/2, n/2
	blo, bhi := (baseN-1)/2, baseN/2
	var a, b, med, baseMed float64
	in, out := 0, 0 // members of each side seen so far
	doneIn, doneOut := n == 0, baseN == 0
	for k, code := range codes {
		v := pop.vals[k]
		if code == c {
			if in == lo {
				a = v
			}
			if in == hi {
				med, doneIn = (a+v)/2, true
				if doneOut {
					break
				}
			}
			in++
			continue
		}
		if out == blo {
			b = v
		}
		if out == bhi {
			baseMed, doneOut = (b+v)/2, true
			if doneIn {
				break
			}
		}
		out++
	}
	return med, baseMed
}
