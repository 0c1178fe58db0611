// Package update fetches current prices from the providers' public,
// unauthenticated price lists, for `ppbench prices update`:
//
//   - AWS on demand: the Price List bulk API's offer files, one per region
//     (https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/region_index.json
//     names each region's file); Linux, shared tenancy, no pre-installed
//     software, capacity status Used: the filters Karpenter's price table
//     uses, so the prices compare with the snapshot's.
//   - AWS spot: the feed behind the EC2 Spot pricing page
//     (https://spot-price.s3.amazonaws.com/spot.js, JSONP): one Linux price
//     per region and instance type.
//   - Azure: the Retail Prices API (https://prices.azure.com/api/retail/prices),
//     paged, per region: Consumption (pay-as-you-go) Linux prices of
//     Virtual Machines, Spot meters as spot, Low Priority and Windows
//     left out.
//   - GCP: https://gcloud-compute.com/machine-types-regions.csv, a public
//     CSV built from the Cloud Billing catalog (the Billing API itself
//     needs a key); its hour and hourSpot columns, per machine type and
//     region.
//
// Every price is dated the day it was fetched. Specs (vCPUs, cores,
// memory, arch, CPU) come from the built-in instance table, else from the
// price list where it gives them (AWS, GCP); a price of an instance type
// with no vCPU count anywhere is left out and counted.
package update

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/ppbench/ppbench/seeds"
)

// Default endpoints.
const (
	AWSPricingURL = "https://pricing.us-east-1.amazonaws.com"
	AWSSpotURL    = "https://spot-price.s3.amazonaws.com/spot.js"
	AzureURL      = "https://prices.azure.com/api/retail/prices"
	GCPURL        = "https://gcloud-compute.com/machine-types-regions.csv"
)

// Config says where to fetch from and how hard to try. The zero value of
// every field selects its default.
type Config struct {
	Client  *http.Client
	Timeout time.Duration // per request, body included; default 10 minutes (AWS offer files are large)
	Retries int           // further attempts after a network error, 429 or 5xx; default 3
	Backoff time.Duration // before the first retry, doubled after each; default 2s

	AWSPricingURL, AWSSpotURL, AzureURL, GCPURL string

	Now func() time.Time

	// Catalog gives the specs of instance types; nil means seeds.Default().
	Catalog *seeds.Catalog
}

func (c *Config) defaults() error {
	if c.Client == nil {
		c.Client = &http.Client{Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			ResponseHeaderTimeout: 60 * time.Second,
			TLSHandshakeTimeout:   15 * time.Second,
			IdleConnTimeout:       30 * time.Second,
		}}
	}
	if c.Timeout == 0 {
		c.Timeout = 10 * time.Minute
	}
	if c.Retries == 0 {
		c.Retries = 3
	}
	if c.Backoff == 0 {
		c.Backoff = 2 * time.Second
	}
	set := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	set(&c.AWSPricingURL, AWSPricingURL)
	set(&c.AWSSpotURL, AWSSpotURL)
	set(&c.AzureURL, AzureURL)
	set(&c.GCPURL, GCPURL)
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Catalog == nil {
		cat, err := seeds.Load(seeds.Files{NoCache: true})
		if err != nil {
			return err
		}
		c.Catalog = cat
	}
	return nil
}

// A Source is one price list: it names the regions it has and fetches
// the prices of one.
type Source interface {
	Provider() string
	Name() string // "aws on_demand", "aws spot", "azure", "gcp"
	// Regions lists the regions to fetch; want, when not empty, narrows
	// them to one.
	Regions(ctx context.Context, want string) ([]string, error)
	Fetch(ctx context.Context, region string) (Result, error)
}

// A Result is the prices of one region of one source.
type Result struct {
	Prices []seeds.Price
	// Skipped counts prices of instance types with no vCPU count.
	Skipped int
}

// Sources returns the price lists of provider ("" for all of them).
func Sources(cfg Config, provider string) ([]Source, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	f := &fetcher{cfg: cfg}
	all := []Source{&awsOnDemand{f: f}, &awsSpot{f: f}, &azure{f: f}, &gcp{f: f}}
	if provider == "" {
		return all, nil
	}
	var out []Source
	for _, s := range all {
		if s.Provider() == provider {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("unknown provider %q (want aws, azure or gcp)", provider)
	}
	return out, nil
}

type fetcher struct{ cfg Config }

func (f *fetcher) today() time.Time {
	y, m, d := f.cfg.Now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// An HTTPError is a response that was not 200 OK.
type HTTPError struct {
	URL    string
	Status string
}

func (e *HTTPError) Error() string { return e.URL + ": HTTP " + e.Status }

// get fetches url and hands the body to read, retrying network errors,
// 429 and 5xx responses with backoff. A read that fails in the middle is
// not retried (the body may have been half consumed): its error says
// where it stopped.
func (f *fetcher) get(ctx context.Context, url string, header http.Header, read func(io.Reader) error) error {
	backoff := f.cfg.Backoff
	for attempt := 0; ; attempt++ {
		err, retry := f.try(ctx, url, header, read)
		if err == nil || !retry || attempt >= f.cfg.Retries {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff *= 2
	}
}

func (f *fetcher) try(ctx context.Context, url string, header http.Header, read func(io.Reader) error) (err error, retry bool) {
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err, false
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", "ppbench-prices-update")
	resp, err := f.cfg.Client.Do(req)
	if err != nil {
		return err, ctx.Err() == nil || !errors.Is(err, context.Canceled)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return &HTTPError{URL: url, Status: resp.Status}, resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	}
	if err := read(resp.Body); err != nil {
		return fmt.Errorf("%s: %w", url, err), false
	}
	return nil, false
}

// spec fills the specs of a price from the catalog; ok is false when the
// catalog has no vCPU count for the instance.
func (f *fetcher) spec(p *seeds.Price) bool {
	s, ok := f.cfg.Catalog.Spec(p.Instance)
	if !ok || s.VCPUs == 0 || s.Provider != p.Provider {
		return false
	}
	p.VCPUs, p.Cores, p.MemoryGiB, p.Arch, p.CPU = s.VCPUs, s.Cores, s.MemoryGiB, s.Arch, s.CPU
	return true
}

// catalogRegions lists the regions the catalog prices provider in.
func (f *fetcher) catalogRegions(provider string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range f.cfg.Catalog.Prices {
		if p.Provider == provider && !seen[p.Region] {
			seen[p.Region] = true
			out = append(out, p.Region)
		}
	}
	return out
}

func narrow(regions []string, want, name string) ([]string, error) {
	if want == "" {
		return regions, nil
	}
	for _, r := range regions {
		if r == want {
			return []string{r}, nil
		}
	}
	return nil, fmt.Errorf("%s has no region %q", name, want)
}

// errShape reports a price list that parsed but does not look like one.
func errShape(format string, args ...any) error {
	return fmt.Errorf("the price list changed shape: "+format, args...)
}
