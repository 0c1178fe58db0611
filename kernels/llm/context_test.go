package llm

import (
	"slices"
	"testing"
)

// TestFillContextRewind: a step decoded after FillContext(n), rewound to
// n and decoded again gives the same logits; so does a second model
// filled from the same seed; and both panic outside their ranges.
func TestFillContextRewind(t *testing.T) {
	m := newModel(t, Tiny, FormatQ8, WithMaxContext(64))
	m.FillContext(40, 9)
	if m.Pos() != 40 {
		t.Fatalf("Pos after FillContext(40) = %d", m.Pos())
	}
	first := slices.Clone(m.Decode(5, 1))
	m.Rewind(40)
	if again := m.Decode(5, 2); !slices.Equal(first, again) {
		t.Error("decoding the same step after Rewind gave other logits")
	}
	other := newModel(t, Tiny, FormatQ8, WithMaxContext(64))
	other.FillContext(40, 9)
	if got := other.Decode(5, 1); !slices.Equal(first, got) {
		t.Error("FillContext with one seed gave two caches")
	}
	other.FillContext(40, 10)
	if got := other.Decode(5, 1); slices.Equal(first, got) {
		t.Error("FillContext ignores its seed")
	}
	mustPanic(t, "llm: FillContext: n = 64 outside [0, 64)", func() { m.FillContext(64, 1) })
	mustPanic(t, "llm: Rewind: n = 42 outside [0, 41]", func() { m.Rewind(42) })
}

// TestFork: a fork decodes as its parent does, and its cache is its own.
func TestFork(t *testing.T) {
	m := newModel(t, Tiny, FormatBF16, WithMaxContext(64))
	f := m.Fork()
	want := slices.Clone(m.Prefill(testPrompt, 1))
	if got := f.Prefill(testPrompt, 2); !slices.Equal(got, want) {
		t.Error("a fork's prefill differs from its parent's")
	}
	f.Reset()
	if m.Pos() != len(testPrompt) {
		t.Errorf("resetting the fork moved its parent to %d", m.Pos())
	}
}

func TestGreedy(t *testing.T) {
	for _, tt := range []struct {
		logits []float32
		want   int
	}{{[]float32{-3, -1, -2}, 1}, {[]float32{0.5, 2, 2, 1}, 1}, {[]float32{7}, 0}} {
		if got := Greedy(tt.logits); got != tt.want {
			t.Errorf("Greedy(%v) = %d, want %d", tt.logits, got, tt.want)
		}
	}
	if got := Greedy([]float64{1, 3, 2}); got != 1 {
		t.Errorf("Greedy of float64 = %d, want 1", got)
	}
}
