package sandbox

import (
	"math"
)

var (
	ageBuckets = []string{"13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"}
	ageWeights = []float64{0.03, 0.22, 0.38, 0.2, 0.1, 0.05, 0.02}
	genders    = []string{"F", "M", "U"}
	genderW    = []float64{0.56, 0.41, 0.03}
	countries  = []string{"US", "DE", "GB", "BR", "IN", "FR", "IT", "ES", "CA", "MX", "NL", "GR", "PL", "TR", "AU",
		"SE", "PT", "AR", "CO", "JP", "KR", "ID", "PH", "NG", "ZA", "EG", "AT", "CH", "BE", "DK", "NO", "FI", "IE",
		"CZ", "RO", "HU", "UA", "CL", "PE", "VN", "TH", "MY", "SG", "NZ", "IL", "AE", "SA", "MA", "KE", "PK"}
	cities = []string{"Los Angeles, California", "Berlin, Germany", "London, England", "São Paulo, Brazil",
		"New York, New York", "Paris, France", "Madrid, Spain", "Rome, Italy", "Toronto, Ontario", "Mexico City, Mexico",
		"Amsterdam, Netherlands", "Athens, Greece", "Warsaw, Poland", "Istanbul, Turkey", "Sydney, New South Wales",
		"Hamburg, Germany", "Munich, Germany", "Chicago, Illinois", "Lisbon, Portugal", "Buenos Aires, Argentina",
		"Bogotá, Colombia", "Tokyo, Japan", "Seoul, South Korea", "Jakarta, Indonesia", "Manila, Philippines",
		"Lagos, Nigeria", "Cape Town, South Africa", "Cairo, Egypt", "Vienna, Austria", "Zürich, Switzerland",
		"Brussels, Belgium", "Copenhagen, Denmark", "Oslo, Norway", "Helsinki, Finland", "Dublin, Ireland",
		"Prague, Czech Republic", "Bucharest, Romania", "Budapest, Hungary", "Kyiv, Ukraine", "Santiago, Chile",
		"Lima, Peru", "Hanoi, Vietnam", "Bangkok, Thailand", "Kuala Lumpur, Malaysia", "Singapore, Singapore",
		"Auckland, New Zealand", "Tel Aviv, Israel", "Dubai, United Arab Emirates", "Riyadh, Saudi Arabia", "Nairobi, Kenya"}
)

// maxDemographicRows is how many rows Instagram returns per breakdown.
const maxDemographicRows = 45

// demographics splits total accounts over a breakdown's values,
// deterministically per account and metric; at most the top 45 rows, no zeros.
func demographics(seed uint64, metric, breakdown string, total int) map[string]int64 {
	var keys []string
	var weights []float64
	switch breakdown {
	case "age":
		keys, weights = ageBuckets, ageWeights
	case "gender":
		keys, weights = genders, genderW
	default:
		keys = countries
		if breakdown == "city" {
			keys = cities
		}
		for k := range keys {
			weights = append(weights, 1/math.Pow(float64(k+1), 1.1))
		}
	}
	var sum float64
	w := make([]float64, len(keys))
	for k := range keys {
		w[k] = weights[k] * (0.7 + 0.6*unit(seed, metric+breakdown, k))
		sum += w[k]
	}
	out := map[string]int64{}
	for k := range keys {
		if k >= maxDemographicRows {
			break
		}
		if v := int64(math.Round(float64(total) * w[k] / sum)); v > 0 {
			out[keys[k]] = v
		}
	}
	return out
}
