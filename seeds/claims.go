package seeds

import (
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/ppbench/ppbench/internal/schema"
)

// Metrics: what a claim says is better, from the claim-metric table of
// package schema, which also says which kernels judge each. Higher is
// better for all but Cost.
const (
	PricePerformance = schema.MetricPricePerformance
	Performance      = schema.MetricPerformance
	PerformanceFP    = schema.MetricPerformanceFP
	PerformanceML    = schema.MetricPerformanceML
	MemoryBandwidth  = schema.MetricMemoryBandwidth
	LLMInference     = schema.MetricLLMInference
	LLMPerDollar     = schema.MetricLLMPerDollar
	Cost             = schema.MetricCost
)

// Bounds: how a claim states its ratio.
const (
	UpTo   = "up_to"  // a best case
	Approx = "approx" // about equal to the ratio
	Better = "better" // qualitative: a ratio above 1
)

// What can test a claim.
const (
	ByKernels     = "kernels"     // what the kernels measure
	ByProxy       = "proxy"       // the kernels are only an AI-compute proxy
	ByAccelerator = "accelerator" // needs accelerator results
)

var (
	metrics    = metricNames()
	bounds     = []string{UpTo, Approx, Better}
	testables  = []string{ByKernels, ByProxy, ByAccelerator}
	statedBy   = []string{"press", "vendor"}
	claimDates = regexp.MustCompile(`^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$`)
)

// A Claim is one vendor or press statement about price-performance.
type Claim struct {
	ID       string // P1, V5, ...
	StatedBy string // press or vendor

	// Subject and Baseline are exact instance families (c8g) or exact
	// instance types (c8g.24xlarge); never prefixes.
	Subject, Baseline []string

	Metric string // one of the metric constants
	// ClaimedRatio is the stated ratio subject/baseline in Metric's terms
	// (a cost ratio for Cost); 0 when Bound is Better and none is given.
	ClaimedRatio float64
	Bound        string // UpTo, Approx or Better
	TestableBy   string // ByKernels, ByProxy or ByAccelerator

	// SubjectProvider and BaselineProvider are the clouds (schema.AWS,
	// GCP, Azure) whose instances each side names, "" where the names
	// alone say it: GCP's c4 is not AWS's c4. The provider column holds
	// one cloud for both sides, or the subject's then the baseline's.
	SubjectProvider, BaselineProvider string

	Workload, Wording, Source string
	Date                      string // YYYY, YYYY-MM or YYYY-MM-DD; may be empty
	Notes                     string

	Line int
}

// WorkPerDollarRatio returns the claimed ratio in higher-is-better terms:
// a cost ratio c becomes 1/c work per dollar (0.80 cost = 1.25x), every
// other metric is returned as stated. For Better claims without a ratio it
// returns 1, the threshold such a claim is judged against.
func (c Claim) WorkPerDollarRatio() float64 {
	switch {
	case c.ClaimedRatio == 0:
		return 1
	case c.Metric == Cost:
		return 1 / c.ClaimedRatio
	}
	return c.ClaimedRatio
}

// PerDollar reports whether the claim is about work per dollar (price
// performance or cost) rather than about performance.
func (c Claim) PerDollar() bool {
	m, _ := schema.LookupMetric(c.Metric)
	return m.PerDollar
}

var claimColumns = []column{
	{"id", true}, {"stated_by", true}, {"subject", true}, {"baseline", true},
	{"metric", true}, {"claimed_ratio", false}, {"bound", true}, {"workload", false},
	{"wording", true}, {"source", true}, {"date", false}, {"testable_by", true},
	{"notes", false}, {"provider", false},
}

// ParseClaims reads a claims.csv file. file names it in errors. It fails on
// the first unknown column, missing required field, unknown metric, bound,
// testable_by or stated_by, bad ratio, bad date or duplicate id.
func ParseClaims(r io.Reader, file string) ([]Claim, error) {
	seen := map[string]int{}
	r = limitReader(r, MaxClaimsBytes, "claims")
	return parseRows(r, file, claimColumns, func(t *table) (Claim, error) {
		var err error
		c := Claim{Line: t.line}
		if c.ID, err = t.required("id"); err != nil {
			return Claim{}, err
		}
		if line, dup := seen[c.ID]; dup {
			return Claim{}, t.errorf("id", "%q already used on line %d", c.ID, line)
		}
		seen[c.ID] = c.Line
		if c.StatedBy, err = t.oneOf("stated_by", statedBy); err != nil {
			return Claim{}, err
		}
		if c.Subject, err = t.names("subject", true); err != nil {
			return Claim{}, err
		}
		if c.Baseline, err = t.names("baseline", true); err != nil {
			return Claim{}, err
		}
		if c.Metric, err = t.oneOf("metric", metrics); err != nil {
			return Claim{}, err
		}
		if _, err := schema.MetricKernels(c.Metric); err != nil {
			return Claim{}, t.errorf("metric", "%v", err)
		}
		if c.Bound, err = t.oneOf("bound", bounds); err != nil {
			return Claim{}, err
		}
		if c.Bound == Better {
			c.ClaimedRatio, err = t.optionalPositive("claimed_ratio")
		} else if t.get("claimed_ratio") == "" {
			err = t.errorf("claimed_ratio", "required unless bound is %s", Better)
		} else {
			c.ClaimedRatio, err = t.positive("claimed_ratio")
		}
		if err != nil {
			return Claim{}, err
		}
		if c.TestableBy, err = t.oneOf("testable_by", testables); err != nil {
			return Claim{}, err
		}
		if c.Wording, err = t.required("wording"); err != nil {
			return Claim{}, err
		}
		if c.Source, err = t.required("source"); err != nil {
			return Claim{}, err
		}
		c.Workload, c.Notes = t.get("workload"), t.get("notes")
		if c.SubjectProvider, c.BaselineProvider, err = t.providers("provider"); err != nil {
			return Claim{}, err
		}
		if c.Date = t.get("date"); c.Date != "" && !claimDates.MatchString(c.Date) {
			return Claim{}, t.errorf("date", "%q is not a date (want YYYY, YYYY-MM or YYYY-MM-DD)", c.Date)
		}
		return c, nil
	})
}

// metricNames returns the claim metrics' names, in the table's order.
func metricNames() []string {
	var names []string
	for _, m := range schema.Metrics() {
		names = append(names, m.Name)
	}
	return names
}

// providers parses a claim's provider column: empty, one cloud for both
// sides, or the subject's and the baseline's.
func (t *table) providers(name string) (subject, baseline string, err error) {
	f := strings.Fields(t.get(name))
	for _, p := range f {
		if !slices.Contains([]string{schema.AWS, schema.GCP, schema.Azure}, p) {
			return "", "", t.errorf(name, "%q is not %s, %s or %s", p, schema.AWS, schema.GCP, schema.Azure)
		}
	}
	switch len(f) {
	case 0:
		return "", "", nil
	case 1:
		return f[0], f[0], nil
	case 2:
		return f[0], f[1], nil
	}
	return "", "", t.errorf(name, "%q: want one cloud, or the subject's and the baseline's", t.get(name))
}

// MatchesSide reports whether instance, of cloud provider, is one a claim
// side of names and sideProvider ("" for any) selects.
func MatchesSide(instance, provider string, names []string, sideProvider string) bool {
	return (sideProvider == "" || provider == sideProvider) && Matches(instance, names)
}
