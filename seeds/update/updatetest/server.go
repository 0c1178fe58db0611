// Package updatetest serves recorded price lists in each provider's format
// from a local server, for the tests of package update and of `ppbench
// prices update`. The fixtures in testdata are written from the formats'
// documentation (AWS Price List bulk API offer and region index files,
// the Spot pricing page's spot.js feed, Azure's Retail Prices API pages,
// gcloud-compute.com's machine-types-regions.csv), cut to a few rows.
package updatetest

import (
	"bytes"
	"embed"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"sync"

	"github.com/ppbench/ppbench/seeds/update"
)

//go:embed testdata
var fixtures embed.FS

// A Server is a local stand-in for every provider's price list.
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	override map[string]func(w http.ResponseWriter) // by URL path
	hits     map[string]int
}

// NewServer starts a server; Close it when done.
func NewServer() *Server {
	s := &Server{override: map[string]func(http.ResponseWriter){}, hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Config points every source at the server, with no waiting between
// retries.
func (s *Server) Config() update.Config {
	return update.Config{
		Client:        s.Client(),
		AWSPricingURL: s.URL,
		AWSSpotURL:    s.URL + "/spot.js",
		AzureURL:      s.URL + "/api/retail/prices",
		GCPURL:        s.URL + "/machine-types-regions.csv",
		Backoff:       1,
	}
}

// Paths of the recorded files.
const (
	RegionIndex = "/offers/v1.0/aws/AmazonEC2/current/region_index.json"
	OfferPrefix = "/offers/v1.0/aws/AmazonEC2/20261120180257/"
	SpotJS      = "/spot.js"
	AzurePrices = "/api/retail/prices"
	GCPCSV      = "/machine-types-regions.csv"
)

// OfferFile is the path of one region's AWS offer file.
func OfferFile(region string) string { return OfferPrefix + region + "/index.json" }

// Fail makes requests for path answer status.
func (s *Server) Fail(path string, status int) {
	s.Set(path, func(w http.ResponseWriter) { http.Error(w, http.StatusText(status), status) })
}

// Serve makes requests for path answer body.
func (s *Server) Serve(path string, body []byte) {
	s.Set(path, func(w http.ResponseWriter) { w.Write(body) })
}

// Set makes requests for path answer with f; nil restores the recording.
func (s *Server) Set(path string, f func(w http.ResponseWriter)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f == nil {
		delete(s.override, path)
		return
	}
	s.override[path] = f
}

// Hits counts the requests for path.
func (s *Server) Hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// Fixture returns a recorded file, with {{URL}} replaced by the server's
// address.
func (s *Server) Fixture(name string) []byte {
	b, err := fixtures.ReadFile(path.Join("testdata", name))
	if err != nil {
		panic(err)
	}
	return bytes.ReplaceAll(b, []byte("{{URL}}"), []byte(s.URL))
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	s.mu.Lock()
	s.hits[p]++
	f := s.override[p]
	s.mu.Unlock()
	if f != nil {
		f(w)
		return
	}
	switch {
	case p == RegionIndex:
		w.Write(s.Fixture("aws/region_index.json"))
	case strings.HasPrefix(p, OfferPrefix) && strings.HasSuffix(p, "/index.json"):
		region := strings.TrimSuffix(strings.TrimPrefix(p, OfferPrefix), "/index.json")
		b, err := fixtures.ReadFile("testdata/aws/" + region + ".json")
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	case p == SpotJS:
		w.Write(s.Fixture("spot.js"))
	case p == AzurePrices:
		filter := r.URL.Query().Get("$filter")
		if !strings.Contains(filter, "serviceName eq 'Virtual Machines'") || !strings.Contains(filter, "priceType eq 'Consumption'") {
			http.Error(w, `{"Error":{"Code":"BadRequest"}}`, http.StatusBadRequest)
			return
		}
		switch {
		case !strings.Contains(filter, "armRegionName eq 'westeurope'"):
			w.Write([]byte(`{"BillingCurrency":"USD","CustomerEntityId":"Default","CustomerEntityType":"Retail","Items":[],"NextPageLink":null,"Count":0}`))
		case r.URL.Query().Get("$skip") == "":
			w.Write(s.Fixture("azure/westeurope-1.json"))
		default:
			w.Write(s.Fixture("azure/westeurope-2.json"))
		}
	case p == GCPCSV:
		w.Write(s.Fixture("gcp.csv"))
	default:
		http.NotFound(w, r)
	}
}
