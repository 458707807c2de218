package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, on a registry of its own (so several
// servers can live in one process, as in tests).
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	prompt    prometheus.Counter
	generated prometheus.Counter
	cancelled prometheus.Counter
	rejected  prometheus.Counter
	queued    prometheus.Gauge
	busy      prometheus.Gauge
	slotsG    prometheus.Gauge
	ttft      prometheus.Histogram
	perToken  prometheus.Histogram
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pgedge_requests_total",
			Help: "HTTP requests by endpoint (route pattern) and status code."}, []string{"endpoint", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "pgedge_request_duration_seconds",
			Help: "Time from a request's arrival to its last byte.", Buckets: prometheus.ExponentialBuckets(0.005, 2.5, 12)},
			[]string{"endpoint"}),
		prompt: prometheus.NewCounter(prometheus.CounterOpts{Name: "pgedge_prompt_tokens_total",
			Help: "Prompt tokens prefilled, image tokens included."}),
		generated: prometheus.NewCounter(prometheus.CounterOpts{Name: "pgedge_generated_tokens_total",
			Help: "Tokens generated."}),
		cancelled: prometheus.NewCounter(prometheus.CounterOpts{Name: "pgedge_generations_cancelled_total",
			Help: "Generations stopped before their end: client gone, timeout or shutdown."}),
		rejected: prometheus.NewCounter(prometheus.CounterOpts{Name: "pgedge_queue_rejected_total",
			Help: "Requests answered 503 because every slot was busy and the queue full."}),
		queued: prometheus.NewGauge(prometheus.GaugeOpts{Name: "pgedge_queue_depth",
			Help: "Requests waiting for a slot."}),
		busy: prometheus.NewGauge(prometheus.GaugeOpts{Name: "pgedge_slots_busy",
			Help: "Slots generating."}),
		slotsG: prometheus.NewGauge(prometheus.GaugeOpts{Name: "pgedge_slots",
			Help: "Slots (--parallel)."}),
		ttft: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "pgedge_time_to_first_token_seconds",
			Help: "Time from a request's arrival to its first generated text.", Buckets: prometheus.ExponentialBuckets(0.005, 2, 14)}),
		perToken: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "pgedge_token_latency_seconds",
			Help:    "Time between successive pieces of generated text (one per token but where a character spans tokens).",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14)}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.prompt, m.generated, m.cancelled, m.rejected, m.queued, m.busy, m.slotsG,
		m.ttft, m.perToken, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

func (m *metrics) request(endpoint string, status int, d time.Duration) {
	m.requests.WithLabelValues(endpoint, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(endpoint).Observe(d.Seconds())
}
