// Package seeds is ppbench's dated reference catalog: published per-hour
// prices, vendor price-performance claims and per-core FP32 peaks.
//
// The three CSV files in this directory are embedded in the binary as
// defaults (see Default); Load reads replacements from disk. Every row keeps
// the source and date it came from, because a price or a claim without its
// date cannot be checked. Loading validates each file against the columns
// documented in README.md and fails on the first bad field with an *Error
// naming the file, the line and the column.
package seeds

import (
	"embed"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/ppbench/ppbench/internal/schema"
)

//go:embed prices.csv claims.csv peaks.csv sources.csv instances.csv.gz snapshot.csv.gz
var embedded embed.FS

// Names under which the embedded files appear in error messages.
const (
	EmbeddedPrices = "seeds/prices.csv"
	EmbeddedClaims = "seeds/claims.csv"
	EmbeddedPeaks  = "seeds/peaks.csv"

	EmbeddedSources   = "seeds/sources.csv"
	EmbeddedInstances = "seeds/instances.csv.gz"
	EmbeddedSnapshot  = "seeds/snapshot.csv.gz"
)

// A Catalog is the joined content of the three seed files.
//
// Invariants after Load: every Price has a positive, finite PricePerHour and
// a valid SourceDate; no two Prices share (Provider, Region, Instance,
// PriceType); every Claim has a known Metric, Bound and TestableBy and, unless
// its Bound is Better, a positive ClaimedRatio; no two Claims share an ID;
// no family appears in two Peaks.
type Catalog struct {
	Prices []Price
	Claims []Claim
	Peaks  []Peak

	// Specs are the instance types the catalog knows the shape of
	// (vCPUs, physical cores, memory, arch, CPU), priced or not.
	Specs []Spec

	// Files the catalog was read from, as given to Load (or the Embedded*
	// names), for the report's method section. PricesFile is
	// EmbeddedPrices for the built-in prices (the snapshot and the
	// curated rows), with " and the cache DIR" when cached prices were
	// merged in.
	PricesFile, ClaimsFile, PeaksFile string

	// Origins says where the prices came from: one entry per file that
	// gave at least one row of Prices, in the order they were merged.
	Origins []Origin

	byKey      map[priceKey]int    // index into Prices
	byInstance map[string][]string // instance -> providers pricing it
	bySpec     map[string]int      // instance -> index into Specs
	byFamily   map[string]int      // index into Peaks
}

// Files names the seed files to load. An empty field selects the embedded
// default for that file.
type Files struct {
	Prices, Claims, Peaks string

	// CacheDir is where `ppbench prices update` keeps the prices it
	// fetched; "" selects DefaultCacheDir. Cached prices are merged with
	// the built-in ones (the newest price per key wins) unless NoCache is
	// set or Prices names a file, which then replaces both.
	CacheDir string
	NoCache  bool
}

// Default returns the catalog built into the binary.
func Default() (*Catalog, error) { return Load(Files{}) }

// Load reads and validates the three catalogs. Each empty field of files
// selects the embedded default.
func Load(files Files) (*Catalog, error) {
	c := &Catalog{}
	b, err := loadBuiltIn()
	if err != nil {
		return nil, err
	}
	c.Specs = slices.Clone(b.specs)
	if files.Prices != "" {
		var prices []Price
		if c.PricesFile, err = parseFile(files.Prices, "", "", func(r io.Reader, name string) error {
			prices, err = ParsePrices(r, name)
			return err
		}); err != nil {
			return nil, err
		}
		c.Prices = merge(c, [][]Price{prices})
	} else {
		layers := [][]Price{b.snapshot, b.curated}
		c.PricesFile = EmbeddedPrices
		if !files.NoCache {
			dir := files.CacheDir
			if dir == "" {
				dir = DefaultCacheDir()
			}
			cached, err := ReadCache(dir)
			if err != nil {
				return nil, err
			}
			if len(cached) > 0 {
				layers = append(layers, cached...)
				c.PricesFile += " and the cache " + dir
			}
		}
		if len(layers) == 2 {
			// The built-in prices alone: merged and indexed once per
			// process; the maps are only read, so Loads share them.
			c.Prices = slices.Clone(b.merged)
			c.Origins = slices.Clone(b.origins)
			c.byKey, c.byInstance, c.bySpec = b.index.byKey, b.index.byInstance, b.index.bySpec
		} else {
			c.Prices = merge(c, layers)
		}
	}
	if c.ClaimsFile, err = parseFile(files.Claims, "claims.csv", EmbeddedClaims, func(r io.Reader, name string) error {
		c.Claims, err = ParseClaims(r, name)
		return err
	}); err != nil {
		return nil, err
	}
	if c.PeaksFile, err = parseFile(files.Peaks, "peaks.csv", EmbeddedPeaks, func(r io.Reader, name string) error {
		c.Peaks, err = ParsePeaks(r, name)
		return err
	}); err != nil {
		return nil, err
	}
	if c.byKey == nil {
		c.index()
	}
	c.indexPeaks()
	return c, nil
}

// parseFile opens path (or the embedded file when path is empty) and hands
// it to parse; it returns the name used in messages.
func parseFile(path, embeddedName, displayName string, parse func(io.Reader, string) error) (string, error) {
	if path == "" {
		f, err := embedded.Open(embeddedName)
		if err != nil {
			return displayName, fmt.Errorf("%s: %w", displayName, err)
		}
		defer f.Close()
		return displayName, parse(f, displayName)
	}
	f, err := os.Open(path)
	if err != nil {
		// os.PathError already names the file.
		return path, err
	}
	defer f.Close()
	return path, parse(f, path)
}

func (c *Catalog) index() {
	c.byKey = make(map[priceKey]int, len(c.Prices))
	c.byInstance = map[string][]string{}
	for i, p := range c.Prices {
		c.byKey[p.key()] = i
		if ps := c.byInstance[p.Instance]; !contains(ps, p.Provider) {
			c.byInstance[p.Instance] = append(ps, p.Provider)
		}
	}
	c.bySpec = make(map[string]int, len(c.Specs))
	for i, s := range c.Specs {
		if _, dup := c.bySpec[s.Instance]; !dup {
			c.bySpec[s.Instance] = i
		}
	}
}

func (c *Catalog) indexPeaks() {
	c.byFamily = map[string]int{}
	for i, p := range c.Peaks {
		for _, f := range p.Families {
			c.byFamily[f] = i
		}
	}
}

// Price returns the catalog row for instance in region at priceType. The
// provider is taken from the catalog row, so that instance names need not
// carry it; an empty region means the provider's default region
// (DefaultRegion). An empty priceType means OnDemand.
func (c *Catalog) Price(instance, region, priceType string) (Price, bool) {
	if priceType == "" {
		priceType = OnDemand
	}
	for _, provider := range c.providersOf(instance) {
		r := region
		if r == "" {
			r = DefaultRegion(provider)
		}
		if i, ok := c.byKey[priceKey{provider, r, instance, priceType}]; ok {
			return c.Prices[i], true
		}
	}
	return Price{}, false
}

// OnDemandPrice returns the on-demand price in US dollars per hour of
// instance in region, or in the provider's default region when region is
// empty. The provider is inferred from the catalog (or, failing that, from
// the instance name). ok is false when the catalog has no such price.
func (c *Catalog) OnDemandPrice(instance, region string) (pricePerHour float64, ok bool) {
	p, ok := c.Price(instance, region, OnDemand)
	return p.PricePerHour, ok
}

// Instance returns any catalog row for instance, preferring the on-demand
// price in the default region; it is how callers learn the vCPU and core
// counts of an instance type that has no price of the wanted type. An
// instance type the instance table knows but no price row names is
// returned with its specs and a PricePerHour of 0.
func (c *Catalog) Instance(instance string) (Price, bool) {
	if p, ok := c.Price(instance, "", OnDemand); ok {
		return p, true
	}
	for _, provider := range c.byInstance[instance] {
		for _, p := range c.Prices {
			if p.Instance == instance && p.Provider == provider {
				return p, true
			}
		}
	}
	if s, ok := c.Spec(instance); ok {
		return Price{Provider: s.Provider, Instance: s.Instance, VCPUs: s.VCPUs, Cores: s.Cores, MemoryGiB: s.MemoryGiB,
			Arch: s.Arch, CPU: s.CPU, Source: s.Source, Origin: EmbeddedInstances, Line: s.Line}, true
	}
	return Price{}, false
}

// Spec returns the instance table's row for instance.
func (c *Catalog) Spec(instance string) (Spec, bool) {
	i, ok := c.bySpec[instance]
	if !ok {
		return Spec{}, false
	}
	return c.Specs[i], true
}

// providersOf lists the providers that price instance, falling back to the
// provider its name implies.
func (c *Catalog) providersOf(instance string) []string {
	if out := c.byInstance[instance]; len(out) > 0 {
		return out
	}
	if p := schema.Provider(instance); p != "" {
		return []string{p}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Peak returns the peaks row whose families include family.
func (c *Catalog) Peak(family string) (Peak, bool) {
	i, ok := c.byFamily[family]
	if !ok {
		return Peak{}, false
	}
	return c.Peaks[i], true
}
