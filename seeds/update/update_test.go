package update_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ppbench/ppbench/internal/cachetest"
	"github.com/ppbench/ppbench/seeds"
	"github.com/ppbench/ppbench/seeds/update"
	"github.com/ppbench/ppbench/seeds/update/updatetest"
)

func TestMain(m *testing.M) { cachetest.Main(m, seeds.CacheEnv) }

var now = time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)

func source(t *testing.T, srv *updatetest.Server, name string) update.Source {
	t.Helper()
	cfg := srv.Config()
	cfg.Now = func() time.Time { return now }
	all, err := update.Sources(cfg, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.Name() == name {
			return s
		}
	}
	t.Fatalf("no source %s", name)
	return nil
}

func byKey(prices []seeds.Price) map[string]seeds.Price {
	m := map[string]seeds.Price{}
	for _, p := range prices {
		m[p.Instance+" "+p.PriceType] = p
	}
	return m
}

func fetch(t *testing.T, s update.Source, want string, region string) update.Result {
	t.Helper()
	regions, err := s.Regions(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(regions, " "); want != "" && got != want {
		t.Errorf("%s regions = %s, want %s", s.Name(), got, want)
	}
	res, err := s.Fetch(context.Background(), region)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func check(t *testing.T, got map[string]seeds.Price, key string, price float64, vcpus, cores int) {
	t.Helper()
	p, ok := got[key]
	switch {
	case !ok:
		t.Errorf("no %s in %v", key, got)
	case p.PricePerHour != price || p.VCPUs != vcpus || p.Cores != cores:
		t.Errorf("%s: $%v, %d vCPUs, %d cores; want $%v, %d, %d", key, p.PricePerHour, p.VCPUs, p.Cores, price, vcpus, cores)
	case !p.SourceDate.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) || p.Source == "":
		t.Errorf("%s: source %q dated %v, want the fetch day", key, p.Source, p.SourceDate)
	}
}

func TestAWSOnDemand(t *testing.T) {
	srv := updatetest.NewServer()
	defer srv.Close()
	res := fetch(t, source(t, srv, "aws on_demand"), "eu-west-1 us-east-1", "eu-west-1")
	got := byKey(res.Prices)
	// Linux, shared tenancy only: not the Windows or the dedicated c7g.xlarge.
	if len(got) != 3 {
		t.Errorf("got %d prices, want 3: %v", len(got), got)
	}
	check(t, got, "c7g.xlarge on_demand", 0.1632, 4, 4)
	check(t, got, "m5.large on_demand", 0.107, 2, 1)
	// A type the instance table lacks: the offer file's own specs.
	check(t, got, "c9gx.2xlarge on_demand", 0.3, 8, 8)
	if p := got["c9gx.2xlarge on_demand"]; p.Arch != "arm64" || p.MemoryGiB != 16 || p.CPU != "AWS Graviton6 Processor" {
		t.Errorf("c9gx.2xlarge specs: %+v", p)
	}
	if p := got["c7g.xlarge on_demand"]; p.Region != "eu-west-1" || !strings.Contains(p.Source, updatetest.OfferFile("eu-west-1")) {
		t.Errorf("c7g.xlarge: %+v", p)
	}
}

func TestAWSSpot(t *testing.T) {
	srv := updatetest.NewServer()
	defer srv.Close()
	// The feed's old region names are codes again: us-east, eu-ireland.
	res := fetch(t, source(t, srv, "aws spot"), "eu-central-1 eu-west-1 us-east-1", "eu-west-1")
	got := byKey(res.Prices)
	check(t, got, "c7g.xlarge spot", 0.0655, 4, 4)
	if _, ok := got["m5.large spot"]; ok {
		t.Error("m5.large has N/A* in eu-west-1 and must have no price")
	}
	if res.Skipped != 1 {
		t.Errorf("skipped %d, want 1 (c9gx.2xlarge, unknown to the instance table)", res.Skipped)
	}
}

func TestAzure(t *testing.T) {
	srv := updatetest.NewServer()
	defer srv.Close()
	s := source(t, srv, "azure")
	res := fetch(t, s, "", "westeurope")
	got := byKey(res.Prices)
	check(t, got, "Standard_D4ps_v6 on_demand", 0.2016, 4, 4)
	check(t, got, "Standard_D4ps_v6 spot", 0.04032, 4, 4)
	// Linux pay-as-you-go: not the Windows or the DevTest meter.
	check(t, got, "Standard_D4s_v5 on_demand", 0.1932, 4, 2)
	if len(got) != 3 || res.Skipped != 1 {
		t.Errorf("%d prices, %d skipped; want 3 and 1 (Standard_Z99xs_v9): %v", len(got), res.Skipped, got)
	}
	if n := srv.Hits(updatetest.AzurePrices); n != 2 {
		t.Errorf("%d page requests, want 2 (NextPageLink followed)", n)
	}
	regions, _ := s.Regions(context.Background(), "")
	if len(regions) != 57 {
		t.Errorf("%d Azure regions, want the catalog's 57", len(regions))
	}
}

func TestGCP(t *testing.T) {
	srv := updatetest.NewServer()
	defer srv.Close()
	s := source(t, srv, "gcp")
	res := fetch(t, s, "asia-south2 europe-west4 us-central1", "europe-west4")
	got := byKey(res.Prices)
	check(t, got, "c4a-standard-4 on_demand", 0.19776, 4, 4)
	check(t, got, "c4a-standard-4 spot", 0.0791, 4, 4)
	check(t, got, "n2-standard-4 spot", 0.0616, 4, 2)
	// Unknown to the instance table: the CSV's vCPUs; no spot price (0).
	check(t, got, "n9x-standard-8 on_demand", 0.5, 8, 4)
	if _, ok := got["n9x-standard-8 spot"]; ok {
		t.Error("hourSpot 0 gave a spot price")
	}
	if res, _ := s.Fetch(context.Background(), "asia-south2"); len(res.Prices) != 0 {
		t.Errorf("prices of 0 kept: %v", res.Prices)
	}
}

// Bad answers: each fails with an error that says what and where; the
// command puts the provider and region in front.
func TestBadResponses(t *testing.T) {
	tests := []struct {
		name, source, region string
		path                 string
		body                 string // served instead of the recording
		status               int    // or this status
		want                 string
		hits                 int // requests made for path (retries)
	}{
		{name: "truncated offer file", source: "aws on_demand", region: "eu-west-1", path: updatetest.OfferFile("eu-west-1"),
			body: "{\"products\": {\"X\": {\"sku\": \"X\", \"attributes\": {", want: "index.json: product X: unexpected EOF", hits: 1},
		{name: "offer file of another shape", source: "aws on_demand", region: "eu-west-1", path: updatetest.OfferFile("eu-west-1"),
			body: `{"products": [], "terms": {}}`, want: "the price list changed shape", hits: 1},
		{name: "offer file without terms", source: "aws on_demand", region: "eu-west-1", path: updatetest.OfferFile("eu-west-1"),
			body: `{"products": {}}`, want: "no products or no terms", hits: 1},
		{name: "bad price", source: "aws on_demand", region: "us-east-1", path: updatetest.OfferFile("us-east-1"),
			body: strings.Replace(string(readFixture(t, "aws/us-east-1.json")), "0.1450000000", "free", 1), want: `price "free" is not a number`, hits: 1},
		{name: "server error, retried", source: "aws on_demand", region: "eu-west-1", path: updatetest.OfferFile("eu-west-1"),
			status: http.StatusServiceUnavailable, want: "HTTP 503 Service Unavailable", hits: 4},
		{name: "not found, not retried", source: "aws on_demand", region: "eu-west-1", path: updatetest.OfferFile("eu-west-1"),
			status: http.StatusNotFound, want: "HTTP 404 Not Found", hits: 1},
		{name: "region index", source: "aws on_demand", path: updatetest.RegionIndex,
			body: `{"regions": {}}`, want: "no regions", hits: 1},
		{name: "spot feed not JSONP", source: "aws spot", path: updatetest.SpotJS,
			body: "<html>Access Denied</html>", want: "not a callback(...) document", hits: 1},
		{name: "spot feed truncated", source: "aws spot", path: updatetest.SpotJS,
			body: `callback({"vers":0.01,"config":{"regions":[{"region":"us-east"`, want: "not a callback", hits: 1},
		{name: "azure page without items", source: "azure", region: "westeurope", path: updatetest.AzurePrices,
			body: `{"BillingCurrency": "USD"}`, want: "the price list changed shape: no Items", hits: 1},
		{name: "azure page truncated", source: "azure", region: "westeurope", path: updatetest.AzurePrices,
			body: `{"Items": [{"retailPrice": 0.2`, want: "page 1: ", hits: 1},
		{name: "azure rate limit", source: "azure", region: "westeurope", path: updatetest.AzurePrices,
			status: http.StatusTooManyRequests, want: "HTTP 429", hits: 4},
		{name: "gcp column gone", source: "gcp", path: updatetest.GCPCSV,
			body: "name,region,hour\nc4a-standard-4,europe-west4,0.2\n", want: `no "hourspot" column`, hits: 1},
		{name: "gcp bad price", source: "gcp", path: updatetest.GCPCSV,
			body: "name,region,hour,hourSpot\nc4a-standard-4,europe-west4,0.2,0.1\nc4a-standard-8,europe-west4,cheap,0.1\n", want: `line 3: hour: "cheap" is not a price`, hits: 1},
		{name: "gcp short row", source: "gcp", path: updatetest.GCPCSV,
			body: "name,region,hour,hourSpot\nc4a-standard-4,europe-west4\n", want: "record on line 2: wrong number of fields", hits: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := updatetest.NewServer()
			defer srv.Close()
			if tt.status != 0 {
				srv.Fail(tt.path, tt.status)
			} else {
				srv.Serve(tt.path, []byte(tt.body))
			}
			s := source(t, srv, tt.source)
			_, err := s.Regions(context.Background(), tt.region)
			if err == nil {
				_, err = s.Fetch(context.Background(), tt.region)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
			if got := srv.Hits(tt.path); got != tt.hits {
				t.Errorf("%d requests for %s, want %d", got, tt.path, tt.hits)
			}
		})
	}
}

func readFixture(t *testing.T, name string) []byte {
	srv := updatetest.NewServer()
	defer srv.Close()
	return srv.Fixture(name)
}

// A server that never answers is given up on after the timeout.
func TestTimeout(t *testing.T) {
	srv := updatetest.NewServer()
	defer srv.Close()
	block := make(chan struct{})
	defer close(block)
	srv.Set(updatetest.SpotJS, func(w http.ResponseWriter) { <-block })
	cfg := srv.Config()
	cfg.Timeout, cfg.Retries = 50*time.Millisecond, -1
	all, err := update.Sources(cfg, "aws")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = all[1].Regions(context.Background(), "")
	if err == nil || !strings.Contains(err.Error(), "deadline exceeded") || time.Since(start) > 5*time.Second {
		t.Errorf("err = %v after %v", err, time.Since(start))
	}
}

func TestSourcesProvider(t *testing.T) {
	srv := updatetest.NewServer()
	defer srv.Close()
	for provider, want := range map[string]string{"aws": "aws on_demand,aws spot", "azure": "azure", "gcp": "gcp", "": "aws on_demand,aws spot,azure,gcp"} {
		all, err := update.Sources(srv.Config(), provider)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, s := range all {
			names = append(names, s.Name())
		}
		if got := strings.Join(names, ","); got != want {
			t.Errorf("Sources(%q) = %s, want %s", provider, got, want)
		}
	}
	if _, err := update.Sources(srv.Config(), "oracle"); err == nil {
		t.Error("oracle accepted")
	}
}
