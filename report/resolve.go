package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ppbench/ppbench/internal/drift"
	"github.com/ppbench/ppbench/internal/isa"
	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/report/results"
	"github.com/ppbench/ppbench/seeds"
)

// The first stage resolves every measured instance once against the
// catalog and the results' configuration: the later stages read what a
// host is and costs from its Host, and what the claims stage needs of
// prices beyond the hosts' from a priceBook, never from the catalog
// again. This is the one file of the package that reads a seeds.Catalog.

// Sources names where the catalog's facts came from, for the method
// section: all that the writers see of the catalog.
type Sources struct {
	PricesFile, ClaimsFile, PeaksFile string
	// Origins says how many prices each source gave, when prices from
	// `ppbench prices update` were merged in; empty otherwise.
	Origins []seeds.Origin
}

func sourcesOf(cat *seeds.Catalog) Sources {
	return Sources{cat.PricesFile, cat.ClaimsFile, cat.PeaksFile, cat.Origins}
}

// A priceBook is what the claims stage may ask of the catalog: its
// claims, and prices of instances a claim names that were not measured,
// to suggest them. It is built once, here.
type priceBook struct {
	priceType string
	cat       *seeds.Catalog
	claims    []seeds.Claim
	// priced are the catalog's instances with a price of priceType in
	// their provider's default region, in catalog order: what a claim
	// without results is suggested to run.
	priced []pricedInstance
}

type pricedInstance struct {
	price seeds.Price
	name  schema.InstanceName
}

func newPriceBook(cat *seeds.Catalog, priceType string) *priceBook {
	b := &priceBook{priceType: priceType, cat: cat, claims: cat.Claims}
	for _, p := range cat.Prices {
		if p.PriceType == priceType && p.Region == seeds.DefaultRegion(p.Provider) {
			b.priced = append(b.priced, pricedInstance{p, schema.ParseInstance(p.Instance)})
		}
	}
	return b
}

// price returns the price of instance type n in its provider's default
// region.
func (b *priceBook) price(n string) (seeds.Price, bool) { return b.cat.Price(n, "", b.priceType) }

// whyNoPrice says what the catalog lacks for h: a price of the type in
// h's region, with the regions and types it does have for h.
func (b *priceBook) whyNoPrice(h *Host) NoPrice {
	np := NoPrice{Instance: h.Instance, Region: h.Region, PriceType: b.priceType, File: b.cat.PricesFile}
	for _, p := range b.cat.Prices {
		if p.Instance != h.Instance {
			continue
		}
		if p.PriceType == b.priceType && !slices.Contains(np.Regions, p.Region) {
			np.Regions = append(np.Regions, p.Region)
		}
		if p.PriceType != b.priceType && !slices.Contains(np.Types, p.PriceType) {
			np.Types = append(np.Types, p.PriceType)
		}
	}
	slices.Sort(np.Types)
	return np
}

// otherPriceTypes returns the price types other than the book's that the
// catalog has for n, an instance type or a family, in its default region.
func (b *priceBook) otherPriceTypes(n string) []string {
	var types []string
	exact := schema.Provider(n) != ""
	for _, p := range b.cat.Prices {
		if p.PriceType == b.priceType || p.Region != seeds.DefaultRegion(p.Provider) || slices.Contains(types, p.PriceType) {
			continue
		}
		if exact && p.Instance == n || !exact && schema.ParseInstance(p.Instance).Family == n {
			types = append(types, p.PriceType)
		}
	}
	slices.Sort(types)
	return types
}

// A Host is one instance type as measured and priced.
type Host struct {
	Instance string
	Provider string
	// Family, Class and Size split the instance name
	// (schema.ParseInstance); claims pair hosts by size and class.
	Family, Class, Size string
	Region              string // the region its price is for
	Arch                string // goarch
	CPU                 string // cpu-model
	VCPUs               int
	Cores               int      // physical cores
	Tiers               []string // kernel-impl of its launches, distinct
	// TypeTiers are, for each data type other than fp32 (by name), the
	// tiers its launches' configuration names, distinct; a type is
	// absent for results without its kernels.
	TypeTiers  map[string][]string
	SIMDWidest string
	// AMXUnused holds, for launches on a CPU with AMX tiles that could not
	// use them, why not (their amx lines), distinct.
	AMXUnused  []string
	GoVersions []string // distinct
	Launches   int
	// StealPercent is the most steal time recorded in any launch; -1 when
	// none was recorded.
	StealPercent float64

	// Price is the catalog row the tables use, nil when there is none:
	// at the report's price type, or for a launch that ran on spot with
	// no -price-type, at spot (what it really cost), falling back on the
	// spot average where the catalog has no spot price.
	Price *seeds.Price
	// ListPrice is the row at the report's price type alone: every
	// verdict prices both sides of a claim alike. It is Price unless the
	// launch ran on spot with no -price-type.
	ListPrice *seeds.Price
	// Peak is the catalog's FP32 peak of the family, nil when there is
	// none.
	Peak *seeds.Peak
	// TierBelowChip is set when the chip's widest SIMD is wider than the
	// tier the kernels ran with (an AVX-512 chip measured with AVX2).
	TierBelowChip bool

	// m is the instance's results as the statistics read them.
	m *measured
	// files are the launches' results files; minSamples and maxSamples
	// bound the samples per benchmark. The method section shows them.
	files                  []string
	minSamples, maxSamples int
}

// PricePerHour returns the hourly price in dollars, NaN without a price.
func (h *Host) PricePerHour() float64 {
	if h.Price == nil {
		return math.NaN()
	}
	return h.Price.PricePerHour
}

// PricePerVCPUHour returns the price of a vCPU-hour, NaN without a price.
func (h *Host) PricePerVCPUHour() float64 { return h.PricePerHour() / float64(h.VCPUs) }

// PricePerCoreHour returns the price of a physical-core-hour, NaN without
// a price.
func (h *Host) PricePerCoreHour() float64 { return h.PricePerHour() / float64(h.Cores) }

// resolveHosts resolves the instances of set, in input order. It fails
// when the launches of one instance type disagree on what its price
// depends on (see agreeOnPrice).
func resolveHosts(set *results.Set, cat *seeds.Catalog, priceType string, spotByLifecycle bool, warn *warnings) ([]*Host, error) {
	hosts := make([]*Host, len(set.Instances))
	for i, in := range set.Instances {
		if err := agreeOnPrice(in); err != nil {
			return nil, err
		}
		h, err := resolveHost(in, cat, priceType, warn)
		if err != nil {
			return nil, err
		}
		if spotByLifecycle && in.Config(schema.ConfigLifecycle) == schema.LifecycleSpot {
			warn.add(in.Name, "ran as a spot instance: its tables show the spot price, while claims are judged at %s prices on both sides (-price-type spot prices them all at spot)", priceType)
			spot := &Host{}
			resolvePrice(spot, in, cat, seeds.Spot) // the spot average where there is no spot price
			h.Price = spot.Price
		}
		hosts[i] = h
	}
	return hosts, nil
}

// agreeOnPrice checks that the launches of in agree on the cloud, the
// region and the vCPUs, which the price and the per-vCPU figures depend
// on. Pooled, the first file's values would price them all, so that the
// report would depend on the order of the files; the launches are
// better reported under names of their own. A launch that leaves a
// value out (a go test file has no region) agrees with any.
func agreeOnPrice(in *results.Instance) error {
	for _, key := range []string{schema.ConfigCloud, schema.ConfigRegion, schema.ConfigVCPUs, schema.ConfigLifecycle} {
		first := ""
		firstFile := ""
		for _, l := range in.Launches {
			v := l.Config[key]
			if v == "" || v == schema.Unknown {
				continue
			}
			if first == "" {
				first, firstFile = v, l.File
				continue
			}
			if v != first {
				return fmt.Errorf("%s: launches disagree on %s (%s in %s, %s in %s), which its price depends on: report them apart, or name each with NAME=FILE",
					in.Name, key, first, firstFile, v, l.File)
			}
		}
	}
	return nil
}

func resolveHost(in *results.Instance, cat *seeds.Catalog, priceType string, warn *warnings) (*Host, error) {
	name := schema.ParseInstance(in.Name)
	h := &Host{Instance: in.Name, Family: name.Family, Class: name.Class, Size: name.Size,
		Launches: len(in.Launches), StealPercent: -1, m: measuredOf(in)}
	h.Arch = in.Config(schema.ConfigGOARCH)
	h.CPU = in.Config(schema.ConfigCPUModel)
	if h.CPU == "" {
		h.CPU = in.Config(schema.ConfigCPU)
	}
	h.SIMDWidest = in.Config(schema.ConfigSIMDWidest)
	h.Provider = in.Config(schema.ConfigCloud)
	if h.Provider == "" {
		h.Provider = name.Provider
	}
	resolveLaunches(h, in)
	resolvePrice(h, in, cat, priceType)
	// vCPUs and cores: what the price buys, from the catalog; the
	// results' own count when the catalog does not know the instance.
	h.VCPUs, _ = strconv.Atoi(in.Config(schema.ConfigVCPUs))
	h.Cores, _ = strconv.Atoi(in.Config(schema.ConfigPhysicalCores))
	if c, ok := cat.Instance(in.Name); ok {
		// The label is checked against what the catalog says the type
		// is: another architecture cannot be it; another vendor, vCPU
		// or core count is most likely a wrong name.
		if want := seeds.GoArch(c.Arch); want != "" && h.Arch != "" && h.Arch != want {
			return nil, fmt.Errorf("%s: the results ran on %s but the catalog lists %s as %s: it is not that type; name the file with the type it ran on (NAME=FILE)",
				in.Name, h.Arch, in.Name, c.Arch)
		}
		if v := in.Config(schema.ConfigCPUVendor); v != "" && c.CPU != "" && vendorOf(c.CPU) != "" && vendorOf(v) != "" && vendorOf(v) != vendorOf(c.CPU) {
			warn.add(in.Name, "the results ran on %s (%s) but the catalog lists %s as %s: is the instance name right? Its price and claims are those of %s",
				v, h.CPU, in.Name, c.CPU, in.Name)
		}
		if h.VCPUs != 0 && h.VCPUs != c.VCPUs {
			warn.add(in.Name, "the results report %d vCPUs, the catalog %d; using the catalog's", h.VCPUs, c.VCPUs)
		}
		if h.Cores != 0 && c.Cores != 0 && h.Cores != c.Cores {
			warn.add(in.Name, "the results see %d physical cores, the catalog lists %d (a hypervisor may hide SMT); using the catalog's", h.Cores, c.Cores)
		}
		h.VCPUs, h.Cores = c.VCPUs, c.Cores
	}
	if h.Cores == 0 {
		h.Cores = h.VCPUs
	}
	if p, ok := cat.Peak(h.Family); ok {
		h.Peak = &p
	}
	quotaWarnings(h, in, warn)
	for _, t := range h.Tiers {
		below := tierRank(h.SIMDWidest) > tierRank(t)
		if below && h.Peak != nil && tierRank(t) > 0 {
			// A wider unit that does no more FP32 work per cycle
			// (Graviton3's SVE, say) takes nothing from the figures.
			below = h.Peak.FlopsPerCycleWidest > h.Peak.FlopsPerCycleNarrow
		}
		h.TierBelowChip = h.TierBelowChip || below
	}
	return h, nil
}

// resolveLaunches gathers what the launches of in say about the host:
// tiers, Go versions, steal time, files, benchmarks and sample counts.
func resolveLaunches(h *Host, in *results.Instance) {
	for _, l := range in.Launches {
		for _, d := range schema.DataTypes() {
			t := l.Config[d.ConfigKey]
			if t == "" || t == schema.Unknown {
				continue
			}
			if d.Name == schema.FP32 {
				if !slices.Contains(h.Tiers, t) {
					h.Tiers = append(h.Tiers, t)
				}
				continue
			}
			if h.TypeTiers == nil {
				h.TypeTiers = map[string][]string{}
			}
			if !slices.Contains(h.TypeTiers[d.Name], t) {
				h.TypeTiers[d.Name] = append(h.TypeTiers[d.Name], t)
			}
		}
		if a := l.Config[schema.ConfigAMX]; a != "" && a != schema.AMXUsable && !slices.Contains(h.AMXUnused, a) {
			h.AMXUnused = append(h.AMXUnused, a)
		}
		if g := l.Config[schema.ConfigGoVersion]; g != "" && !slices.Contains(h.GoVersions, g) {
			h.GoVersions = append(h.GoVersions, g)
		}
		h.StealPercent = max(h.StealPercent, l.StealPercent)
		h.files = append(h.files, l.File)
	}
	h.minSamples, h.maxSamples = math.MaxInt, 0
	for _, s := range in.Samples {
		h.minSamples, h.maxSamples = min(h.minSamples, len(s)), max(h.maxSamples, len(s))
	}
}

// resolvePrice finds the host's price and the region it is for: a region
// line in the results wins over the provider's default. The price row's
// provider wins over the one the results or the name gave.
//
// AWS publishes no current spot price per type, only its spot average
// (the catalog's spot_avg): asked for spot, an instance without a spot
// price is priced at that, and its price row says so.
func resolvePrice(h *Host, in *results.Instance, cat *seeds.Catalog, priceType string) {
	h.Region = regionOf(in)
	p, ok := cat.Price(in.Name, h.Region, priceType)
	if !ok && priceType == seeds.Spot {
		p, ok = cat.Price(in.Name, h.Region, seeds.SpotAverage)
	}
	if ok {
		h.Price, h.ListPrice = &p, &p
		h.Provider, h.Region = p.Provider, p.Region
	} else if h.Region == "" {
		h.Region = seeds.DefaultRegion(h.Provider)
	}
}

// regionOf returns the region the launches of in name: agreeOnPrice has
// checked that those that name one agree, so the first that does.
func regionOf(in *results.Instance) string {
	for _, l := range in.Launches {
		if r := l.Config[schema.ConfigRegion]; r != "" && r != schema.Unknown {
			return r
		}
	}
	return ""
}

// quotaWarnings warns of launches that ran on fewer CPUs than the
// instance has (a CPU quota, a container, GOMAXPROCS set low): their
// threads=all ran one copy per CPU they had, while the price is for
// every vCPU, so their work per dollar is understated and a claim may
// turn contradicted for no fault of the chip.
func quotaWarnings(h *Host, in *results.Instance, warn *warnings) {
	for _, l := range in.Launches {
		warn.check(warnQuota)
		procs, err := strconv.Atoi(l.Config[schema.ConfigGOMAXPROCS])
		if err != nil || h.VCPUs == 0 || procs >= h.VCPUs {
			continue
		}
		warn.addKind(warnQuota, float64(h.VCPUs-procs)/float64(h.VCPUs), fmt.Sprintf("%s (%s) %d of %d", l.File, h.Instance, procs, h.VCPUs),
			h.Instance, "%s: gomaxprocs %d is below the instance's %d vCPUs (a CPU quota or container?): threads=all ran %d copies, and is priced for all %d vCPUs, so its work per dollar is understated",
			l.File, procs, h.VCPUs, procs, h.VCPUs)
	}
}

// The portable tier is pure Go: its results are never compared with
// those of SIMD tiers (docs/design.md, "Kernel tiers").
const portableTier = isa.Portable

// tierRank orders SIMD tiers and levels by width within an architecture
// (isa.Width), so that a chip's widest SIMD can be compared with the
// kernel tier used.
func tierRank(t string) int { return isa.Width(t) }

// hostWarnings warns of what makes a host's figures doubtful (its price,
// steal time, tier) and of differences between the hosts compared.
func hostWarnings(hosts []*Host, priceType, pricesFile string, now time.Time, warn *warnings) {
	goVersions := map[string][]string{}
	tiers := map[string][]string{}
	for _, h := range hosts {
		warn.check(warnNoPrice)
		warn.check(warnSteal)
		warn.check(warnTierBelow)
		if h.Price == nil {
			worst := fmt.Sprintf("%s (no %s price in %s; `ppbench prices update` fetches the providers' current lists)", h.Instance, priceType, orNone(h.Region))
			if strings.HasPrefix(h.Instance, schema.Unknown+" (") {
				worst = h.Instance + " (its type is unknown: name it with NAME=FILE)"
			}
			warn.addKind(warnNoPrice, 0, worst,
				h.Instance, "no %s price in %s for region %s: no per-dollar figures (run `ppbench prices update` to fetch the providers' current price lists)", priceType, pricesFile, orNone(h.Region))
		} else {
			warn.check(warnPriceAge)
			if age := ageDays(h.Price.SourceDate, now); age > MaxPriceAgeDays {
				warn.addKind(warnPriceAge, age, fmt.Sprintf("%s's (%.0f days)", h.Instance, age),
					h.Instance, "price dated %s is %.0f days old (over %d)", h.Price.SourceDate.Format(time.DateOnly), age, MaxPriceAgeDays)
			}
		}
		if named, none := regionNamedBy(h); len(named) > 0 && len(none) > 0 {
			warn.add(h.Instance, "%s name region %s and %s none: all are priced in %s", strings.Join(named, ", "), h.Region, strings.Join(none, ", "), h.Region)
		}
		if h.StealPercent > MaxStealPct {
			warn.addKind(warnSteal, h.StealPercent, fmt.Sprintf("%s %.1f%%", h.Instance, h.StealPercent),
				h.Instance, "CPU steal time reached %.1f%% (over %.0f%%): a noisy neighbour may have slowed it", h.StealPercent, MaxStealPct)
		}
		if h.TierBelowChip {
			warn.addKind(warnTierBelow, 0, fmt.Sprintf("%s (%s; the chip has %s)", h.Instance, strings.Join(h.Tiers, ", "), h.SIMDWidest),
				h.Instance, "the chip's widest SIMD is %s but the kernels ran at tier %s: its FP32 capability is understated", h.SIMDWidest, strings.Join(h.Tiers, ", "))
		}
		if len(h.Tiers) > 1 {
			warn.add(h.Instance, "launches used different kernel tiers (%s)", strings.Join(h.Tiers, ", "))
		}
		for _, t := range h.TypeTiers[schema.BF16] {
			if _, widened := isa.WidenedFrom(t); widened {
				// Not a defect: the chip is measured doing what it
				// really can, and the reader must know it.
				warn.add(h.Instance, "no bf16 instruction: %s ran the fp32 path (%s)", andList(kernelsOf(schema.BF16)), t)
			}
		}
		for _, why := range h.AMXUnused {
			// The chip has a matrix engine the run could not use: its
			// bf16 and int8 figures are the vector units', far below
			// what frameworks get from it.
			warn.add(h.Instance, "the CPU has AMX tiles but the run could not use them (%s): %s ran on the vector units", why, andList(slices.Concat(kernelsOf(schema.BF16), kernelsOf(schema.Int8))))
		}
		for _, g := range h.GoVersions {
			goVersions[g] = append(goVersions[g], h.Instance)
		}
		for _, t := range h.Tiers {
			tiers[t] = append(tiers[t], h.Instance)
		}
	}
	if len(goVersions) > 1 {
		warn.add("", "different Go versions across compared instances: %s", groupList(goVersions))
	}
	// One machine under two names is one instance type measured twice,
	// not two types: any difference between them is noise.
	byHostID := map[string][]string{}
	for _, h := range hosts {
		for _, l := range h.m.launches {
			if id := l.Config[schema.ConfigHostID]; id != "" && !slices.Contains(byHostID[id], h.Instance) {
				byHostID[id] = append(byHostID[id], h.Instance)
			}
		}
	}
	for id, names := range byHostID {
		if len(names) > 1 {
			warn.add("", "%s ran on one machine (host-id %s): one host under two names, whose differences are noise", strings.Join(names, " and "), id)
		}
	}
	// Different SIMD tiers are the normal case (an Arm host against an
	// x86 one): only portable results beside SIMD ones are never
	// compared, and worth a warning.
	simd := false
	for t := range tiers {
		simd = simd || tierClass(t) != portableTier
	}
	if _, portable := tiers[portableTier]; portable && simd {
		warn.add("", "different kernel tiers across compared instances: %s; portable results are never compared with SIMD ones", groupList(tiers))
	}
}

// driftWarnings tests each launch for drift during its run: a host that
// sped up or slowed down from the first round to the last (a neighbour
// arriving, clocks settling) moves every benchmark the same way, which
// no interval made from the run's samples accounts for. A launch's
// samples are in file order, one per round in a file from ppbench run.
// The permutation tests are independent and, with many launches, much of
// a report's time: they run on all CPUs, and warn in input order. It
// returns the hosts with a launch that drifted, whose verdicts stay
// provisional.
func driftWarnings(hosts []*Host, warn *warnings) map[*Host]bool {
	type launch struct {
		h *Host
		l *results.Launch
	}
	var ls []launch
	for _, h := range hosts {
		for _, l := range h.m.launches {
			ls = append(ls, launch{h, l})
		}
	}
	found := make([]drift.Result, len(ls))
	onAllCPUs(len(ls), func(i int) {
		var series [][]float64
		for _, b := range ls[i].h.m.benches {
			if s := ls[i].l.Samples[b]; len(s) > 0 {
				series = append(series, s)
			}
		}
		found[i] = drift.Test(series)
	})
	drifted := map[*Host]bool{}
	for i, d := range found {
		warn.check(warnDrift)
		if d.Drifted() {
			drifted[ls[i].h] = true
			warn.addKind(warnDrift, math.Abs(d.Percent), fmt.Sprintf("%s (%s) %+.1f%%", ls[i].l.File, ls[i].h.Instance, d.Percent),
				ls[i].h.Instance, "%s: %s: results drifted during the run; run again", ls[i].l.File, d)
		}
	}
	return drifted
}

// groupList formats {"go1.26.0": [c7a.xlarge]} as "go1.26.0 (c7a.xlarge); ...".
func groupList(m map[string][]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " (" + strings.Join(m[k], ", ") + ")"
	}
	return strings.Join(parts, "; ")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// kernelsOf returns the suite's kernels of data type dt, in suite order.
func kernelsOf(dt string) []string {
	var out []string
	for _, k := range schema.Kernels() {
		if k.DataType == dt {
			out = append(out, k.Name)
		}
	}
	return out
}

// vendorOf names the x86 vendor of a CPU name or vendor string, "" for
// others: the one check a label's CPU can fail without a model table.
func vendorOf(cpu string) string {
	switch c := strings.ToLower(cpu); {
	case strings.Contains(c, "intel"):
		return "Intel"
	case strings.Contains(c, "amd"):
		return "AMD"
	}
	return ""
}

// regionNamedBy splits h's launch files into those that name a region and
// those that do not.
func regionNamedBy(h *Host) (named, none []string) {
	for _, l := range h.m.launches {
		if r := l.Config[schema.ConfigRegion]; r != "" && r != schema.Unknown {
			named = append(named, l.File)
		} else {
			none = append(none, l.File)
		}
	}
	return named, none
}
