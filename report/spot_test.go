package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ppbench/ppbench/report/results"
	"github.com/ppbench/ppbench/seeds"
)

// TestSpotLaunchAtSpotPrice: a launch whose results say lifecycle: spot is
// priced at the spot price unless a price type is asked for, since that is
// what it cost.
func TestSpotLaunchAtSpotPrice(t *testing.T) {
	src, err := os.ReadFile("testdata/c7g-launch-a.txt")
	if err != nil {
		t.Fatal(err)
	}
	spot := strings.Replace(string(src), "cloud: aws\n", "cloud: aws\nlifecycle: spot\n", 1)
	if spot == string(src) {
		t.Fatal("fixture has no cloud line to follow")
	}
	path := filepath.Join(t.TempDir(), "c7g-spot.txt")
	if err := os.WriteFile(path, []byte(spot), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, err := seeds.Load(seeds.Files{Prices: "testdata/prices.csv", Claims: "testdata/claims.csv"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		priceType, want string
	}{{"", seeds.Spot}, {seeds.OnDemand, seeds.OnDemand}} {
		set, err := results.Read([]results.Input{{Path: path}})
		if err != nil {
			t.Fatal(err)
		}
		r, err := Build(set, Options{Catalog: cat, Now: asOf, PriceType: tt.priceType})
		if err != nil {
			t.Fatal(err)
		}
		h := r.Host("c7g.xlarge")
		if h.Price == nil || h.Price.PriceType != tt.want {
			t.Errorf("-price-type %q: priced at %+v, want %s", tt.priceType, h.Price, tt.want)
		}
	}
}
