package bench

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ppbench/ppbench/bench/host"
	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/kernels"
)

// Tiers are the kernel tiers a run uses, one per data type of
// schema.DataTypes. A zero field means the widest tier of its type.
type Tiers struct {
	FP32 kernels.Tier
	BF16 kernels.BF16Tier
	Int8 kernels.Int8Tier
	Q8   kernels.Q8Tier
}

// A tierField binds one data type to its field of Tiers and to its
// tier API in package kernels.
type tierField struct {
	name      func(Tiers) string // "" for a zero field
	fillIn    func(*Tiers)       // sets a zero field to the widest tier
	lookup    func(*Tiers, string) error
	selfCheck func(Tiers) error
}

// tierFields binds every row of schema.DataTypes to a field of Tiers:
// the one place a new data type is wired into the suite
// (TestEveryDataTypeHasTiers checks that none is missing).
var tierFields = map[string]tierField{
	schema.FP32: bind(func(t *Tiers) *kernels.Tier { return &t.FP32 }, kernels.Widest, kernels.LookupTier, kernels.SelfCheck),
	schema.BF16: bind(func(t *Tiers) *kernels.BF16Tier { return &t.BF16 }, kernels.WidestBF16, kernels.LookupBF16Tier, kernels.SelfCheckBF16),
	schema.Int8: bind(func(t *Tiers) *kernels.Int8Tier { return &t.Int8 }, kernels.WidestInt8, kernels.LookupInt8Tier, kernels.SelfCheckInt8),
	schema.Q8:   bind(func(t *Tiers) *kernels.Q8Tier { return &t.Q8 }, kernels.WidestQ8, kernels.LookupQ8Tier, kernels.SelfCheckQ8),
}

// bind makes the tierField of a tier type T from its field in Tiers and
// its functions in package kernels.
func bind[T interface {
	comparable
	Name() string
}](field func(*Tiers) *T, widest func() T, lookup func(string) (T, error), check func(T) error) tierField {
	var zero T
	return tierField{
		name: func(t Tiers) string {
			if v := *field(&t); v != zero {
				return v.Name()
			}
			return ""
		},
		fillIn: func(t *Tiers) {
			if *field(t) == zero {
				*field(t) = widest()
			}
		},
		lookup: func(t *Tiers, name string) (err error) {
			*field(t), err = lookup(name)
			return err
		},
		selfCheck: func(t Tiers) error { return check(*field(&t)) },
	}
}

// fieldOf returns the binding of data type dt; a data type the suite
// does not know is a programming error, never a silent fp32 label.
func fieldOf(dt string) tierField {
	f, ok := tierFields[dt]
	if !ok {
		panic(fmt.Sprintf("bench: data type %q has no tier in bench.Tiers", dt))
	}
	return f
}

// WidestTiers returns the widest tier of each type this CPU has.
func WidestTiers() Tiers { return Tiers{}.orWidest() }

// orWidest fills t's zero fields with the widest tiers.
func (t Tiers) orWidest() Tiers {
	for _, d := range schema.DataTypes() {
		fieldOf(d.Name).fillIn(&t)
	}
	return t
}

// Name returns the name of the tier of data type dt (a schema.Kernel's
// DataType), the widest where t leaves it zero. It panics on a data type
// schema does not list.
func (t Tiers) Name(dt string) string { return fieldOf(dt).name(t.orWidest()) }

// Names returns the tier of every data type, by data type name.
func (t Tiers) Names() map[string]string {
	t = t.orWidest()
	m := map[string]string{}
	for _, d := range schema.DataTypes() {
		m[d.Name] = fieldOf(d.Name).name(t)
	}
	return m
}

// SelfCheck checks every tier of t against the portable one on this host
// (kernels.SelfCheck, SelfCheckBF16, SelfCheckInt8).
func (t Tiers) SelfCheck() error {
	t = t.orWidest()
	for _, d := range schema.DataTypes() {
		if err := fieldOf(d.Name).selfCheck(t); err != nil {
			return err
		}
	}
	// The LLM passes put the tiers together: check the whole forward
	// pass too, once a launch.
	return checkLLM(t)
}

// label names every tier of t: "fp32 avx512, bf16 amx, ...".
func (t Tiers) label() string {
	var parts []string
	for _, d := range schema.DataTypes() {
		parts = append(parts, d.Name+" "+fieldOf(d.Name).name(t))
	}
	return strings.Join(parts, ", ")
}

// TiersFromEnv returns the tiers that each data type's environment
// variable (schema.DataType.Env: $PPBENCH_IMPL, $PPBENCH_IMPL_BF16, ...)
// names, the widest of each type where unset. A name this CPU cannot run
// is an error: a benchmark must never silently run another tier than
// asked.
func TiersFromEnv() (Tiers, error) {
	var t Tiers
	for _, d := range schema.DataTypes() {
		if err := fieldOf(d.Name).lookup(&t, os.Getenv(d.Env)); err != nil {
			return Tiers{}, fmt.Errorf("%s=%s: %w", d.Env, os.Getenv(d.Env), err)
		}
	}
	return t, nil
}

// Fingerprint describes this host for the results header, with the tiers
// in use.
func Fingerprint(opts host.Options, t Tiers) host.Fingerprint {
	opts.Tiers = t.Names()
	opts.AMX = schema.AMXUsable
	if ok, why := kernels.AMXStatus(); !ok {
		opts.AMX = why
	}
	return host.Detect(opts)
}

// WriteHeader writes what precedes the results: the host fingerprint as
// config lines and the unit lines that tell benchstat higher is better.
// `go test` writes goos, goarch, pkg and cpu itself; ppbench run writes them
// too, so pass withGoLines to add them.
func WriteHeader(w io.Writer, f host.Fingerprint, withGoLines bool) error {
	if withGoLines {
		if _, err := fmt.Fprint(w, GoLines()); err != nil {
			return err
		}
	}
	for _, l := range append(f.ConfigLines(), schema.UnitLines()...) {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}
