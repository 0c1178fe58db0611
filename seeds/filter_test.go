package seeds

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func instances(prices []Price) []string {
	var out []string
	for _, p := range prices {
		out = append(out, p.Instance)
	}
	return out
}

func ids(claims []Claim) string {
	var out []string
	for _, c := range claims {
		out = append(out, c.ID)
	}
	return strings.Join(out, " ")
}

func TestFilterPrices(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.FilterPrices(PriceFilter{}); len(got) != len(c.Prices) {
		t.Errorf("empty filter kept %d of %d prices", len(got), len(c.Prices))
	}
	tests := []struct {
		f         PriceFilter
		want, not []string // instances that must and must not be listed
	}{
		{PriceFilter{Family: "c8g"}, []string{"c8g.xlarge"}, []string{"c7g.xlarge", "c8gd.xlarge"}},
		// Exact families: c4 is not c4a.
		{PriceFilter{Family: "c4"}, []string{"c4-standard-4"}, []string{"c4a-standard-4"}},
		{PriceFilter{Provider: "gcp", PriceType: Spot}, []string{"c4a-standard-4"}, []string{"c7g.xlarge"}},
		{PriceFilter{Family: "c7g", Region: "us-east-1", PriceType: SpotAverage}, []string{"c7g.xlarge"}, []string{"c8g.xlarge"}},
		{PriceFilter{Region: "europe-west4", Family: "c4a"}, []string{"c4a-standard-4"}, []string{"c7g.xlarge"}},
		{PriceFilter{Region: "westeurope", Provider: "azure"}, []string{"Standard_D4ps_v6"}, []string{"c4a-standard-4"}},
		// Azure sizes by their series.
		{PriceFilter{Region: "westeurope", Family: "Dpsv6"}, []string{"Standard_D4ps_v6", "Standard_D96ps_v6"}, []string{"Standard_D4pds_v6", "Standard_D4ps_v5"}},
		{PriceFilter{Family: "Standard_D4ps_v6"}, []string{"Standard_D4ps_v6"}, []string{"Standard_D8ps_v6"}},
		{PriceFilter{Region: "eu-west-1", Family: "c4a"}, nil, []string{"c4a-standard-4"}},
	}
	for _, tt := range tests {
		got := c.FilterPrices(tt.f)
		for _, p := range got {
			if !tt.f.match(p) {
				t.Errorf("%+v: kept %+v", tt.f, p)
			}
		}
		names := instances(got)
		for _, w := range tt.want {
			if !slices.Contains(names, w) {
				t.Errorf("%+v: no %s in %v", tt.f, w, names)
			}
		}
		for _, w := range tt.not {
			if slices.Contains(names, w) {
				t.Errorf("%+v: has %s", tt.f, w)
			}
		}
	}
	// Catalog order is kept.
	got := c.FilterPrices(PriceFilter{Provider: "aws"})
	last := -1
	for _, p := range got {
		i := c.byKey[p.key()]
		if i <= last {
			t.Fatal("FilterPrices does not keep catalog order")
		}
		last = i
	}
}

func TestPriceTypes(t *testing.T) {
	in := priceHeader + priceRow +
		strings.Replace(priceRow, "on_demand", "spot", 1) +
		strings.Replace(priceRow, "us-east-1", "us-west-2", 1) +
		strings.Replace(priceRow, "on_demand", "commit_1y", 1)
	prices, err := ParsePrices(strings.NewReader(in), "p.csv")
	if err != nil {
		t.Fatal(err)
	}
	c := &Catalog{Prices: prices}
	if got, want := c.PriceTypes(), []string{OnDemand, Spot, Commit1Year}; !slices.Equal(got, want) {
		t.Errorf("PriceTypes() = %v, want %v (first-seen order)", got, want)
	}
	if got := (&Catalog{}).PriceTypes(); len(got) != 0 {
		t.Errorf("empty catalog: PriceTypes() = %v", got)
	}
}

func TestFilterClaims(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		f         ClaimFilter
		want, not string // ids that must and must not be listed
	}{
		// Exact families on either side: V17 names c4a and c7g only.
		{ClaimFilter{Family: "c4"}, "V15 V16", "V17"},
		// A family selects claims on its instance types (V6: c8g.24xlarge).
		{ClaimFilter{Family: "c8g"}, "P1 V5 V6 V7", "V1 V15"},
		{ClaimFilter{Family: "c8g.24xlarge"}, "V6", "V7"},
		{ClaimFilter{Family: "Standard_D4ps_v5"}, "V18", "V17"},
		{ClaimFilter{Family: "Dpsv6"}, "V18", "V17"},
		// Bare families belong to the provider that prices them.
		{ClaimFilter{Provider: "gcp"}, "V15 V16 V17", "V5 V18"},
		{ClaimFilter{Provider: "aws"}, "P1 V6 V17", "V15 V16"},
		// Azure types are known by their shape though none is priced.
		{ClaimFilter{Provider: "azure"}, "V18", "V15"},
		{ClaimFilter{Provider: "gcp", Family: "c7g"}, "V17", "V2 V15"},
	}
	for _, tt := range tests {
		got := strings.Fields(ids(c.FilterClaims(tt.f)))
		for _, w := range strings.Fields(tt.want) {
			if !slices.Contains(got, w) {
				t.Errorf("%+v: no %s in %v", tt.f, w, got)
			}
		}
		for _, w := range strings.Fields(tt.not) {
			if slices.Contains(got, w) {
				t.Errorf("%+v: has %s", tt.f, w)
			}
		}
	}
	if got := c.FilterClaims(ClaimFilter{}); len(got) != len(c.Claims) {
		t.Errorf("empty filter kept %d of %d claims", len(got), len(c.Claims))
	}
}

// The provider of a bare family comes from the prices loaded with the
// claims, not from a list in the code.
func TestFilterClaimsProviderFromPrices(t *testing.T) {
	claims, err := ParseClaims(strings.NewReader(claimHeader+"X1,vendor,c7g,c6g,performance,1.3,up_to,,w,s,,proxy,\n"), "c.csv")
	if err != nil {
		t.Fatal(err)
	}
	prices, err := ParsePrices(strings.NewReader(priceHeader+priceRow), "p.csv")
	if err != nil {
		t.Fatal(err)
	}
	c := &Catalog{Claims: claims, Prices: prices}
	if got := ids(c.FilterClaims(ClaimFilter{Provider: "aws"})); got != "X1" {
		t.Errorf("aws: got %q, want X1 (c7g is priced on aws)", got)
	}
	if got := ids(c.FilterClaims(ClaimFilter{Provider: "gcp"})); got != "" {
		t.Errorf("gcp: got %q, want none", got)
	}
	c.Prices = nil
	if got := ids(c.FilterClaims(ClaimFilter{Provider: "aws"})); got != "" {
		t.Errorf("no prices: got %q, want none (a bare family has no shape)", got)
	}
}

func TestColumns(t *testing.T) {
	if got := strings.Join(PriceColumns(), ",") + "\n"; got != priceHeader {
		t.Errorf("PriceColumns() = %s", got)
	}
	// provider is optional, last, and left out of the test files.
	if got := strings.Join(ClaimColumns(), ",") + "\n"; got != strings.TrimSuffix(claimHeader, "\n")+",provider\n" {
		t.Errorf("ClaimColumns() = %s", got)
	}
	// The result is the caller's to change.
	PriceColumns()[0] = "x"
	if PriceColumns()[0] != "provider" {
		t.Error("PriceColumns shares its slice")
	}
}

// writeCSV writes a header and rows as ppbench prices/claims -format csv
// does.
func writeCSV(t testing.TB, header []string, rows [][]string) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(header)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func priceRecords(prices []Price) [][]string {
	rows := make([][]string, len(prices))
	for i, p := range prices {
		rows[i] = p.Record()
	}
	return rows
}

func claimRecords(claims []Claim) [][]string {
	rows := make([][]string, len(claims))
	for i, c := range claims {
		rows[i] = c.Record()
	}
	return rows
}

// sameRows compares parsed rows but for the lines they came from, which
// quoted multi-line fields and blank lines shift.
func sameRows[T any](a, b []T, line func(*T) *int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		*line(&x), *line(&y) = 0, 0
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

func priceLine(p *Price) *int { return &p.Line }
func claimLine(c *Claim) *int { return &c.Line }

// What ppbench writes with -format csv is a seed file again.
func TestRecordRoundTrip(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if testing.Short() {
		// Every 97th row: each provider, price type and shape of name.
		var some []Price
		for i := 0; i < len(c.Prices); i += 97 {
			some = append(some, c.Prices[i])
		}
		c.Prices = some
	}
	prices, err := ParsePrices(bytes.NewReader(writeCSV(t, PriceColumns(), priceRecords(c.Prices))), "p.csv")
	if err != nil {
		t.Fatal(err)
	}
	for i := range prices {
		prices[i].Origin = c.Prices[i].Origin // the file it was read from, not a column
	}
	if !sameRows(prices, c.Prices, priceLine) {
		t.Error("prices differ after Record and ParsePrices")
	}
	claims, err := ParseClaims(bytes.NewReader(writeCSV(t, ClaimColumns(), claimRecords(c.Claims))), "c.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !sameRows(claims, c.Claims, claimLine) {
		t.Error("claims differ after Record and ParseClaims")
	}
}
