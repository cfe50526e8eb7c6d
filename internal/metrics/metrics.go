// Package metrics exposes the server's Prometheus metrics on a registry of
// its own: HTTP requests by route template, background job outcomes and
// queue depth, Instagram calls, the database pool, and the Go runtime and
// process.
package metrics

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"creatorgrowth/internal/postgres"
)

// queueDepthTimeout bounds the database query a scrape makes.
const queueDepthTimeout = time.Second

// QueueStatser reports the job queue's depth by kind and state and its
// lag; postgres.Jobs is one.
type QueueStatser interface {
	QueueStats(ctx context.Context) (postgres.QueueStats, error)
}

// Options are the sources of the metrics; nil ones are left out.
type Options struct {
	// DB is reported through its pool statistics (db.Stats()).
	DB *sql.DB
	// Jobs is asked for the queue's depth and lag at every scrape.
	Jobs QueueStatser
	// Reports counts growth reports reused and computed since start-up;
	// growth.Service.CacheCounts is one.
	Reports func() (reused, computed uint64)
	// InsightsBudget, when set, reports at scrape time how many accounts'
	// insights work is parked and the highest Instagram usage percent last
	// seen for an account.
	InsightsBudget func(ctx context.Context) (parked, maxUsagePct int, err error)
	// Advice counts recommendations and forecasts reused and computed;
	// guidance.Service.CacheCounts is one.
	Advice func() (reused, computed uint64)
	// Logger receives scrape-time failures; default discards.
	Logger *slog.Logger
}

// Metrics holds the collectors. Its methods are safe for concurrent use.
type Metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	jobs      *prometheus.CounterVec
	instagram *prometheus.CounterVec
	limiter   *prometheus.CounterVec
	streams   prometheus.Gauge

	// series caches each route, method and status's request series, so
	// that a request does not hash its labels into both vectors again.
	series sync.Map // requestKey → requestSeries
}

type requestKey struct {
	route, method string
	status        int
}

type requestSeries struct {
	count    prometheus.Counter
	duration prometheus.Observer
}

// New returns the metrics registered on a fresh registry.
func New(o Options) *Metrics {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total",
			Help: "HTTP requests answered, by route template, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route template and method.",
			Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15},
		}, []string{"route", "method"}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "jobs_total",
			Help: "Background job runs, by kind and outcome (done, retry, failed, released).",
		}, []string{"kind", "outcome"}),
		instagram: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "instagram_requests_total",
			Help: "Requests sent to Instagram, retries included, by endpoint and outcome.",
		}, []string{"endpoint", "outcome"}),
		limiter: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ratelimit_store_errors_total",
			Help: "Rate-limit store failures, by limit; the limits in front of a password check refuse requests meanwhile.",
		}, []string{"limit"}),
		streams: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "event_streams_open",
			Help: "Live-update streams (GET /api/events) open on this server.",
		}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.jobs, m.instagram, m.limiter, m.streams,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	if o.DB != nil {
		m.reg.MustRegister(collectors.NewDBStatsCollector(o.DB, "main"))
	}
	if o.Reports != nil {
		for i, source := range []string{"reused", "computed"} {
			m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name:        "growth_reports_total",
				Help:        "Growth reports answered, by source: reused (still valid, from memory) or computed (by PostgreSQL).",
				ConstLabels: prometheus.Labels{"source": source},
			}, func() float64 {
				reused, computed := o.Reports()
				return float64([]uint64{reused, computed}[i])
			}))
		}
	}
	if o.Advice != nil {
		for i, source := range []string{"reused", "computed"} {
			m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name:        "advice_reports_total",
				Help:        "Recommendations and forecasts answered, by source: reused (still valid, from memory) or computed.",
				ConstLabels: prometheus.Labels{"source": source},
			}, func() float64 {
				reused, computed := o.Advice()
				return float64([]uint64{reused, computed}[i])
			}))
		}
	}
	if o.Jobs != nil {
		m.reg.MustRegister(&queueCollector{jobs: o.Jobs, logger: o.Logger,
			depth: prometheus.NewDesc("job_queue_depth",
				"Jobs in the queue, by state (queued, running), counted at scrape time.", []string{"state"}, nil),
			byKind: prometheus.NewDesc("job_queue_jobs",
				"Jobs in the queue, by kind and state (queued, running), counted at scrape time.", []string{"kind", "state"}, nil),
			lag: prometheus.NewDesc("job_queue_oldest_due_seconds",
				"How long the longest-waiting due job has been due (0 when none is): the queue's lag.", nil, nil),
		})
	}
	if o.InsightsBudget != nil {
		m.reg.MustRegister(&budgetCollector{read: o.InsightsBudget, logger: o.Logger,
			accounts: prometheus.NewDesc("instagram_insights_accounts",
				"Accounts by the state of their insights budget (parked: waiting for Instagram to regain access), at scrape time.",
				[]string{"state"}, nil),
			usage: prometheus.NewDesc("instagram_insights_usage_max_percent",
				"The highest Instagram usage percent last reported for an account's insights calls.", nil, nil)})
	}
	return m
}

// ObserveRequest records one answered HTTP request. route must be the
// route template (never the raw path), so that the label set stays small.
func (m *Metrics) ObserveRequest(route, method string, status int, d time.Duration) {
	method = knownMethod(method)
	k := requestKey{route: route, method: method, status: status}
	v, ok := m.series.Load(k)
	if !ok {
		v, _ = m.series.LoadOrStore(k, requestSeries{
			count:    m.requests.WithLabelValues(route, method, strconv.Itoa(status)),
			duration: m.duration.WithLabelValues(route, method),
		})
	}
	s := v.(requestSeries)
	s.count.Inc()
	s.duration.Observe(d.Seconds())
}

// JobOutcome records how a background job run ended.
func (m *Metrics) JobOutcome(kind, outcome string) {
	m.jobs.WithLabelValues(kind, outcome).Inc()
}

// InstagramCall records one request to Instagram.
func (m *Metrics) InstagramCall(endpoint, outcome string) {
	m.instagram.WithLabelValues(endpoint, outcome).Inc()
}

// LimiterFailed records one failure of the rate-limit store.
func (m *Metrics) LimiterFailed(limit string) {
	m.limiter.WithLabelValues(limit).Inc()
}

// EventStreams records the number of open live-update streams.
func (m *Metrics) EventStreams(open int) {
	m.streams.Set(float64(open))
}

// Gatherer returns the registry, for tests and for other exporters.
func (m *Metrics) Gatherer() prometheus.Gatherer { return m.reg }

// Handler serves the metrics in the Prometheus text format. It does no
// access control: the router decides who may scrape.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorHandling:       promhttp.ContinueOnError,
		MaxRequestsInFlight: 4,
		Timeout:             10 * time.Second,
	})
}

// knownMethod keeps client-chosen method names out of the label values.
func knownMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

// queueCollector asks the database for the queue's depth and lag at each
// scrape.
type queueCollector struct {
	jobs               QueueStatser
	logger             *slog.Logger
	depth, byKind, lag *prometheus.Desc
}

// Describe implements prometheus.Collector.
func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.depth
	ch <- c.byKind
	ch <- c.lag
}

// Collect implements prometheus.Collector. When the database does not
// answer within a second the gauges are left out of this scrape, so that a
// slow database never stalls the rest of the metrics.
func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), queueDepthTimeout)
	defer cancel()
	st, err := c.jobs.QueueStats(ctx)
	if err != nil {
		c.logger.Warn("metrics: queue stats", slog.String("error", err.Error()))
		return
	}
	byState := map[string]int{postgres.JobQueued: 0, postgres.JobRunning: 0}
	for _, q := range st.Depth {
		byState[q.State] += q.N
		ch <- prometheus.MustNewConstMetric(c.byKind, prometheus.GaugeValue, float64(q.N), q.Kind, q.State)
	}
	for state, n := range byState {
		ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(n), state)
	}
	ch <- prometheus.MustNewConstMetric(c.lag, prometheus.GaugeValue, st.OldestDue.Seconds())
}

// budgetCollector reads the insights budget state at scrape time.
type budgetCollector struct {
	read            func(ctx context.Context) (parked, maxUsagePct int, err error)
	logger          *slog.Logger
	accounts, usage *prometheus.Desc
}

func (c *budgetCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.accounts; ch <- c.usage }

func (c *budgetCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), queueDepthTimeout)
	defer cancel()
	parked, usage, err := c.read(ctx)
	if err != nil {
		c.logger.Warn("metrics: insights budget", slog.String("error", err.Error()))
		return
	}
	ch <- prometheus.MustNewConstMetric(c.accounts, prometheus.GaugeValue, float64(parked), "parked")
	ch <- prometheus.MustNewConstMetric(c.usage, prometheus.GaugeValue, float64(usage))
}
