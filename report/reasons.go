package report

// Reasons: why a verdict is what it is, as the stages found it. Every
// stage hands values forward; a Reason is one of them, and the writers
// alone word it (words.go, one method per type). The types are a closed
// set: Reason's method is unexported.

// A Reason is one fact a verdict, a comparison or a ranking row rests
// on beyond its ratio: what is missing, what keeps it provisional.
type Reason interface {
	// words states the reason as a clause for a report's detail cell.
	words() string
}

// QuotaShort: sides that ran on fewer CPUs than their instance has (a
// CPU quota, a container, GOMAXPROCS set low), so their whole-instance
// figures are not what the price buys.
type QuotaShort struct{ Sides []QuotaSide }

// A QuotaSide is one instance that ran with Procs of its VCPUs.
type QuotaSide struct {
	Instance     string
	Procs, VCPUs int
}

// NoPrice: the catalog has no price of PriceType for Instance in Region.
// Regions are the regions it does price the instance in at PriceType,
// Types the other price types it has for it.
type NoPrice struct {
	Instance, Region, PriceType, File string
	Regions, Types                    []string
}

// NoPrices: the sides of a pair without a price, each with what the
// catalog lacks.
type NoPrices []NoPrice

// Unpriced: the instances named have no price (in the comparisons and
// the ranking, where the verdicts' details are not needed; none named in
// a ranking row, which is the instance's own).
type Unpriced struct{ Instances []string }

// TiersApart: sizes measured on both sides only at tiers of different
// classes, portable against SIMD, which are never compared.
type TiersApart struct {
	Sizes []TierMismatch
}

// A TierMismatch is one kernel size that two instances ran at tiers of
// different classes.
type TierMismatch struct {
	Bench             string // kernel and size, as the tables name it
	Subject, Baseline string
	SubjectTiers      []string
	BaselineTiers     []string
}

// NoCommonResults: neither side has whole-instance results of Kernels
// (nil: accelerator benchmarks) that the other has.
type NoCommonResults struct {
	Kernels           []string
	Subject, Baseline string // "" in the comparisons, which name no pair
}

// AcceleratorNeeded: an accelerator claim whose sides in Missing (the
// claim's names of each) have no accelerator results; Given are the
// instances of the other side that do.
type AcceleratorNeeded struct {
	Missing [][]string
	Given   []string
}

// NoResults: a side of a claim, its Names, has no results; Run are the
// instances that would settle it, one per name.
type NoResults struct {
	Names []string
	Run   []Suggestion
}

// A Suggestion is an instance to run for a claim's name: Instance with
// its Price when Priced, or else the other price types the catalog has
// for it (none: nothing in the catalog).
type Suggestion struct {
	Instance   string
	Priced     bool
	Price      float64 // dollars per hour, of PriceType
	PriceType  string
	OtherTypes []string
}

// SameInstances: the two sides of a claim select the same measured
// instances, and an instance is never compared with itself.
type SameInstances struct {
	Measured []string
	Baseline []string // the claim's baseline names
}

// Drifted: a launch of Instance drifted during its run.
type Drifted struct{ Instance string }

// FamilyCoverage: Measured of the claim's Of subject-baseline family
// pairs were measured.
type FamilyCoverage struct{ Measured, Of int }

// FewLaunches: a side with fewer than three launches cannot settle a
// ratio near the claim's edge. Launches are per side; the side with
// three or more is not named.
type FewLaunches struct {
	Subject, Baseline   string
	SubjectL, BaselineL int
}

// NearEdge: both sides have three or more launches, yet the interval
// straddles the claim's edge.
type NearEdge struct{}

// PairExceeds: for an approx claim that falls short on its least
// favourable pair, a pair that lies above the band instead.
type PairExceeds struct{ Subject, Baseline string }

// Selection: the claim's verdict is the best (up_to) or the least
// favourable of Pairs instance pairs.
type Selection struct {
	Best  bool
	Pairs int
}

// BaselineAlone: the baseline of a ranking, with nothing else to compare.
type BaselineAlone struct{}

// NoComparableKernel: no whole-instance kernel of an instance is
// comparable with the baseline's.
type NoComparableKernel struct{}
