package seeds

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/ppbench/ppbench/internal/alloctest"
)

// The catalog parsers allocate a bounded multiple of their input.
func TestParsersAllocateLinearly(t *testing.T) {
	for _, tt := range []struct {
		file  string
		parse func([]byte) error
	}{
		{"prices.csv", func(b []byte) error { _, err := ParsePrices(bytes.NewReader(b), "f.csv"); return err }},
		{"claims.csv", func(b []byte) error { _, err := ParseClaims(bytes.NewReader(b), "f.csv"); return err }},
		{"peaks.csv", func(b []byte) error { _, err := ParsePeaks(bytes.NewReader(b), "f.csv"); return err }},
	} {
		data, err := embedded.ReadFile(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		head, rows, _ := bytes.Cut(data, []byte("\n"))
		// Each row is the file's rows again, its first field (an id, a
		// CPU, a provider) made unique, so that nothing stops early.
		alloctest.Linear(t, tt.file, append(head, '\n'), func(i int) []byte {
			var out []byte
			for j, l := range bytes.SplitAfter(rows, []byte("\n")) {
				switch {
				case len(l) == 0:
				case tt.file == "prices.csv":
					// provider,region,...: a region of its own.
					f := bytes.SplitN(l, []byte(","), 3)
					l = []byte(fmt.Sprintf("%s,%s-%d,%s", f[0], f[1], i, f[2]))
				case tt.file == "peaks.csv":
					// cpu,core,families,...: a CPU and a family of its own.
					f := bytes.SplitN(l, []byte(","), 4)
					l = []byte(fmt.Sprintf("x%d-%d,%s,f%dx%d,%s", i, j, f[1], i, j, f[3]))
				default:
					l = append([]byte(fmt.Sprintf("x%d-%d", i, j)), l[bytes.IndexByte(l, ','):]...)
				}
				out = append(out, l...)
			}
			return out
		}, 64, func(b []byte) {
			if err := tt.parse(b); err != nil {
				t.Fatal(err)
			}
		})
	}
}
