package seeds

import (
	"io"
	"time"

	"github.com/ppbench/ppbench/internal/schema"
)

// Price types found in prices.csv. Others are accepted (any lower-case
// word), so a new kind of price needs no code change.
const (
	OnDemand           = "on_demand"
	OnDemandSuperseded = "on_demand_superseded"
	SpotAverage        = "spot_avg"
	Spot               = "spot"
	Commit1Year        = "commit_1y"
	CapacityBlock      = "capacity_block"
)

// A Price is one published hourly price of one instance type.
type Price struct {
	Provider  string // aws, gcp, azure
	Region    string // us-east-1, us-central1, ...
	Instance  string // c8g.xlarge, c4a-standard-4
	VCPUs     int
	Cores     int     // physical cores: VCPUs / threads per core
	MemoryGiB float64 // GiB; 0 when the source does not say (Azure)
	Arch      string  // arm64, x86_64
	CPU       string  // processor as the source names it

	// PricePerHour is the price in US dollars per instance-hour; always
	// positive and finite.
	PricePerHour float64
	PriceType    string // OnDemand, Spot, ...

	Source     string    // where the price was read, verbatim
	SourceDate time.Time // when it was read or fetched (a day, UTC)

	// Origin is the file the row came from: EmbeddedSnapshot or
	// EmbeddedPrices for the built-in catalog, a cache file's path for a
	// price `ppbench prices update` fetched, or the -prices file.
	Origin string
	Line   int // line in Origin
}

// PricePerVCPUHour is the price of one vCPU for one hour in US dollars.
func (p Price) PricePerVCPUHour() float64 { return p.PricePerHour / float64(p.VCPUs) }

// PricePerCoreHour is the price of one physical core for one hour in US
// dollars; on SMT hosts it is twice the vCPU-hour price.
func (p Price) PricePerCoreHour() float64 { return p.PricePerHour / float64(p.Cores) }

type priceKey struct{ provider, region, instance, priceType string }

func (p Price) key() priceKey { return priceKey{p.Provider, p.Region, p.Instance, p.PriceType} }

// Price columns: all required (seeds/README.md).
var priceColumns = []column{
	{"provider", true}, {"region", true}, {"instance", true}, {"vcpus", true},
	{"physical_cores", true}, {"memory_gib", true}, {"arch", true}, {"cpu", true},
	{"price_usd_hour", true}, {"price_type", true}, {"source", true}, {"source_date", true},
}

// ParsePrices reads a prices.csv file. file names it in errors. It fails on
// the first unknown column, missing or empty field, non-numeric or
// non-positive number, bad date or duplicate (provider, region, instance,
// price_type) row.
func ParsePrices(r io.Reader, file string) ([]Price, error) {
	seen := map[priceKey]int{} // key -> line
	r = limitReader(r, MaxPricesBytes, "prices")
	return parseRows(r, file, priceColumns, func(t *table) (Price, error) {
		var err error
		p := Price{Line: t.line, Origin: file}
		if p.Provider, err = t.word("provider"); err != nil {
			return Price{}, err
		}
		if p.Region, err = t.word("region"); err != nil {
			return Price{}, err
		}
		if p.Instance, err = t.required("instance"); err != nil {
			return Price{}, err
		}
		if !validInstanceName(p.Instance) {
			return Price{}, t.errorf("instance", "%q is not an instance type", p.Instance)
		}
		// Lookups and filters take a bare name's provider from its shape;
		// a row that says otherwise would be found under two clouds. Names
		// of no known shape (another cloud) are taken as the row says.
		if named := schema.Provider(p.Instance); named != "" && named != p.Provider {
			return Price{}, t.errorf("instance", "%q is named as on %s, not %s", p.Instance, named, p.Provider)
		}
		if p.VCPUs, err = t.count("vcpus"); err != nil {
			return Price{}, err
		}
		if p.Cores, err = t.count("physical_cores"); err != nil {
			return Price{}, err
		}
		if p.Cores > p.VCPUs {
			return Price{}, t.errorf("physical_cores", "%d cores is more than %d vCPUs", p.Cores, p.VCPUs)
		}
		if p.MemoryGiB, err = t.optionalPositive("memory_gib"); err != nil {
			return Price{}, err
		}
		if p.Arch, err = t.word("arch"); err != nil {
			return Price{}, err
		}
		if p.CPU, err = t.required("cpu"); err != nil {
			return Price{}, err
		}
		if p.PricePerHour, err = t.positive("price_usd_hour"); err != nil {
			return Price{}, err
		}
		if p.PriceType, err = t.word("price_type"); err != nil {
			return Price{}, err
		}
		if p.Source, err = t.required("source"); err != nil {
			return Price{}, err
		}
		if p.SourceDate, err = t.day("source_date"); err != nil {
			return Price{}, err
		}
		if line, dup := seen[p.key()]; dup {
			return Price{}, t.errorf("price_type", "duplicate of line %d (same provider, region, instance and price type)", line)
		}
		seen[p.key()] = p.Line
		return p, nil
	})
}

// GoArch returns the goarch of a catalog arch column ("x86_64" is
// "amd64", "aarch64" is "arm64"), or "" for one it does not know: the one
// place the catalog's architecture names meet the results'.
func GoArch(arch string) string {
	switch arch {
	case "x86_64", "amd64":
		return "amd64"
	case "arm64", "aarch64":
		return "arm64"
	}
	return ""
}
