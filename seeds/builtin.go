package seeds

import (
	"compress/gzip"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ppbench/ppbench/internal/schema"
)

// A Spec is one instance type's shape, from the instance table
// (seeds/instances.csv.gz): what the report needs for per-vCPU and
// per-core figures whatever the price.
type Spec struct {
	Provider  string
	Instance  string
	VCPUs     int     // 0 when the source does not say (some Azure sizes)
	Cores     int     // physical cores: VCPUs / ThreadsPerCore; 0 with VCPUs
	MemoryGiB float64 // 0 when the source does not say (Azure)
	Arch      string  // arm64, x86_64, unknown
	CPU       string  // processor, or its vendor where the model is not known
	// Accelerators as the source lists them: "8x NVIDIA H100"; "" for none.
	Accelerators string
	Source       string // where the specs were read
	Line         int
}

// builtIn is the parsed embedded price data, read once per process.
type builtIn struct {
	specs    []Spec
	snapshot []Price // seeds/snapshot.csv.gz, specs joined in
	curated  []Price // seeds/prices.csv

	merged  []Price // snapshot and curated, as merge returns them
	origins []Origin
	index   *Catalog // merged's maps, shared by every Load of it
}

var (
	builtInOnce sync.Once
	builtInData builtIn
	builtInErr  error
)

func loadBuiltIn() (builtIn, error) {
	builtInOnce.Do(func() {
		builtInData, builtInErr = parseBuiltIn()
		if builtInErr == nil {
			var c Catalog
			builtInData.merged = merge(&c, [][]Price{builtInData.snapshot, builtInData.curated})
			builtInData.origins = c.Origins
			c.Prices, c.Specs = builtInData.merged, builtInData.specs
			c.index()
			builtInData.index = &c
		}
	})
	return builtInData, builtInErr
}

type source struct {
	text string
	date time.Time // zero for spec sources
}

func parseBuiltIn() (builtIn, error) {
	var b builtIn
	sources := map[int]source{}
	err := parseEmbedded(EmbeddedSources, false, func(r io.Reader) error {
		_, err := parseRows(r, EmbeddedSources, []column{{"id", true}, {"source", true}, {"source_date", true}}, func(t *table) (struct{}, error) {
			id, err := t.count("id")
			if err != nil {
				return struct{}{}, err
			}
			s := source{}
			if s.text, err = t.required("source"); err != nil {
				return struct{}{}, err
			}
			if t.get("source_date") != "" {
				if s.date, err = t.day("source_date"); err != nil {
					return struct{}{}, err
				}
			}
			sources[id] = s
			return struct{}{}, nil
		})
		return err
	})
	if err != nil {
		return b, err
	}
	sourceOf := func(t *table) (source, error) {
		id, err := t.count("source_id")
		if err != nil {
			return source{}, err
		}
		s, ok := sources[id]
		if !ok {
			return source{}, t.errorf("source_id", "%d is not in %s", id, EmbeddedSources)
		}
		return s, nil
	}

	if err := parseEmbedded(EmbeddedInstances, true, func(r io.Reader) error {
		b.specs, err = parseSpecs(r, EmbeddedInstances, sourceOf)
		return err
	}); err != nil {
		return b, err
	}
	specs := map[string]*Spec{}
	for i := range b.specs {
		s := &b.specs[i]
		specs[s.Provider+"/"+s.Instance] = s
	}

	if err := parseEmbedded(EmbeddedSnapshot, true, func(r io.Reader) error {
		cols := []column{{"provider", true}, {"region", true}, {"instance", true}, {"price_usd_hour", true}, {"price_type", true}, {"source_id", true}}
		b.snapshot, err = parseRows(r, EmbeddedSnapshot, cols, func(t *table) (Price, error) {
			p := Price{Line: t.line, Origin: EmbeddedSnapshot}
			var err error
			if p.Provider, err = t.word("provider"); err != nil {
				return p, err
			}
			if p.Region, err = t.word("region"); err != nil {
				return p, err
			}
			p.Instance = t.get("instance")
			s := specs[p.Provider+"/"+p.Instance]
			if s == nil || s.VCPUs == 0 {
				return p, t.errorf("instance", "%q has no vCPU count in %s", p.Instance, EmbeddedInstances)
			}
			p.VCPUs, p.Cores, p.MemoryGiB, p.Arch, p.CPU = s.VCPUs, s.Cores, s.MemoryGiB, s.Arch, s.CPU
			if p.PricePerHour, err = t.positive("price_usd_hour"); err != nil {
				return p, err
			}
			if p.PriceType, err = t.word("price_type"); err != nil {
				return p, err
			}
			src, err := sourceOf(t)
			if err != nil {
				return p, err
			}
			if src.date.IsZero() {
				return p, t.errorf("source_id", "source %q has no date", src.text)
			}
			p.Source, p.SourceDate = src.text, src.date
			return p, nil
		})
		return err
	}); err != nil {
		return b, err
	}

	err = parseEmbedded(EmbeddedPrices, false, func(r io.Reader) error {
		b.curated, err = ParsePrices(r, EmbeddedPrices)
		return err
	})
	return b, err
}

// parseSpecs reads the instance table.
func parseSpecs(r io.Reader, file string, sourceOf func(*table) (source, error)) ([]Spec, error) {
	cols := []column{{"provider", true}, {"instance", true}, {"vcpus", true}, {"memory_gib", true}, {"arch", true},
		{"cpu", true}, {"accelerators", false}, {"source_id", true}}
	seen := map[string]int{}
	return parseRows(r, file, cols, func(t *table) (Spec, error) {
		s := Spec{Line: t.line}
		var err error
		if s.Provider, err = t.word("provider"); err != nil {
			return s, err
		}
		if s.Instance, err = t.required("instance"); err != nil {
			return s, err
		}
		if !validInstanceName(s.Instance) {
			return s, t.errorf("instance", "%q is not an instance type", s.Instance)
		}
		key := s.Provider + "/" + s.Instance
		if line, dup := seen[key]; dup {
			return s, t.errorf("instance", "%q already on line %d", s.Instance, line)
		}
		seen[key] = s.Line
		if t.get("vcpus") != "" {
			if s.VCPUs, err = t.count("vcpus"); err != nil {
				return s, err
			}
		}
		if s.MemoryGiB, err = t.optionalPositive("memory_gib"); err != nil {
			return s, err
		}
		if s.Arch, err = t.word("arch"); err != nil {
			return s, err
		}
		if s.CPU, err = t.required("cpu"); err != nil {
			return s, err
		}
		s.Accelerators = t.get("accelerators")
		src, err := sourceOf(t)
		if err != nil {
			return s, err
		}
		s.Source = src.text
		if s.VCPUs > 0 {
			s.Cores = physicalCores(s.Instance, s.Arch, s.VCPUs)
		}
		return s, nil
	})
}

func parseEmbedded(name string, gz bool, parse func(io.Reader) error) error {
	f, err := embedded.Open(strings.TrimPrefix(name, "seeds/"))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer f.Close()
	var r io.Reader = f
	if gz {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		defer zr.Close()
		r = zr
	}
	return parse(r)
}

// merge joins price layers, later ones over earlier ones: for each
// (provider, region, instance, price type) the price with the newest
// SourceDate is kept, a later layer's on a tie. It records each file's
// share in c.Origins and returns the prices sorted by provider, region,
// family, vCPUs, instance and price type.
func merge(c *Catalog, layers [][]Price) []Price {
	n := 0
	for _, l := range layers {
		n += len(l)
	}
	at := make(map[priceKey]int, n)
	out := make([]Price, 0, n)
	for _, l := range layers {
		for _, p := range l {
			i, ok := at[p.key()]
			switch {
			case !ok:
				at[p.key()] = len(out)
				out = append(out, p)
			case !p.SourceDate.Before(out[i].SourceDate):
				out[i] = p
			}
		}
	}
	fam := make(map[string]string, len(out))
	family := func(name string) string {
		f, ok := fam[name]
		if !ok {
			f = schema.Family(name)
			fam[name] = f
		}
		return f
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		switch {
		case a.Provider != b.Provider:
			return a.Provider < b.Provider
		case a.Region != b.Region:
			return a.Region < b.Region
		case family(a.Instance) != family(b.Instance):
			return family(a.Instance) < family(b.Instance)
		case a.VCPUs != b.VCPUs:
			return a.VCPUs < b.VCPUs
		case a.Instance != b.Instance:
			return a.Instance < b.Instance
		}
		return a.PriceType < b.PriceType
	})
	byOrigin := map[string]int{}
	c.Origins = nil
	for _, p := range out {
		i, ok := byOrigin[p.Origin]
		if !ok {
			i = len(c.Origins)
			byOrigin[p.Origin] = i
			c.Origins = append(c.Origins, Origin{File: p.Origin, Oldest: p.SourceDate, Newest: p.SourceDate})
		}
		o := &c.Origins[i]
		o.Rows++
		if p.SourceDate.Before(o.Oldest) {
			o.Oldest = p.SourceDate
		}
		if p.SourceDate.After(o.Newest) {
			o.Newest = p.SourceDate
		}
	}
	sort.SliceStable(c.Origins, func(i, j int) bool { return originRank(c.Origins[i].File) < originRank(c.Origins[j].File) })
	return out
}

func originRank(file string) int {
	switch file {
	case EmbeddedSnapshot:
		return 0
	case EmbeddedPrices:
		return 1
	}
	return 2
}

// An Origin is one file's share of a catalog's prices.
type Origin struct {
	File           string // EmbeddedSnapshot, EmbeddedPrices, a cache file or a -prices file
	Rows           int    // prices from it that were kept
	Oldest, Newest time.Time
}

func (o Origin) String() string {
	return o.File + ": " + strconv.Itoa(o.Rows) + " prices dated " + o.Oldest.Format(time.DateOnly) + " to " + o.Newest.Format(time.DateOnly)
}
