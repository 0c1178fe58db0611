package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Numbers for people: every figure the markdown and the charts show goes
// through sigDigits, which rounds the shortest decimal form of a float64
// half away from zero, as a reader rounding by hand would. Rounding the
// binary value instead, as strconv does, prints 178.5 as "178" (half to
// even) and 1.005 as "1.00" (its binary value is just below), which
// readers take for mistakes. Working on the decimal digits also keeps
// every magnitude in range: nothing is converted to an integer type.

// sigDigits returns the first n significant digits of |v|, rounded half
// away from zero, and the decimal exponent of the first: 4513541 with
// n = 3 gives "451", 6 (4.51e6). v must be finite and non-zero.
func sigDigits(v float64, n int) (digits []byte, exp int) {
	s := strconv.FormatFloat(math.Abs(v), 'e', -1, 64) // d.ddde±XX, shortest
	mant, e, _ := strings.Cut(s, "e")
	exp, _ = strconv.Atoi(e)
	digits = []byte(strings.Replace(mant, ".", "", 1))
	if len(digits) <= n {
		for len(digits) < n {
			digits = append(digits, '0')
		}
		return digits, exp
	}
	up := digits[n] >= '5'
	digits = digits[:n]
	if up {
		i := n - 1
		for ; i >= 0 && digits[i] == '9'; i-- {
			digits[i] = '0'
		}
		if i < 0 {
			// 999.5 rounds to 1000: one more digit in front.
			digits = append([]byte{'1'}, digits[:n-1]...)
			exp++
		} else {
			digits[i]++
		}
	}
	return digits, exp
}

// placeDigits writes digits, whose first has decimal exponent exp, as a
// plain decimal: ("451", 1) is "45.1", ("451", -2) is "0.00451", ("451",
// 4) is "45100".
func placeDigits(digits []byte, exp int) string {
	d := string(digits)
	switch {
	case exp < 0:
		return "0." + strings.Repeat("0", -exp-1) + d
	case exp+1 >= len(d):
		return d + strings.Repeat("0", exp+1-len(d))
	}
	return d[:exp+1] + "." + d[exp+1:]
}

// siPrefixes name powers of 1000 from 10³ on.
var siPrefixes = []string{"k", "M", "G", "T", "P", "E", "Z", "Y"}

// formatNumber gives a figure with three significant digits, rounded
// half away from zero. From 1000 on it uses SI prefixes: a work per
// dollar of 4,513,541 GFLOP prints "4.51M". Three digits are all a
// median with a ±2% interval can claim, and "4,510,000" would print
// four zeros that were never measured; the prefixes are also what the
// charts' axes use, so tables and charts read alike. Figures beyond the
// prefixes (1e27 and up) and below 0.001 use exponent notation.
func formatNumber(v float64) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "-∞"
	case v == 0:
		return "0"
	}
	sign := ""
	if v < 0 {
		sign = "-"
	}
	digits, exp := sigDigits(v, 3)
	switch {
	case exp < -3 || exp >= 3*(len(siPrefixes)+1):
		return sign + string(digits[:1]) + "." + string(digits[1:]) + "e" + strconv.Itoa(exp)
	case exp < 3:
		return sign + placeDigits(digits, exp)
	}
	k := exp / 3
	return sign + placeDigits(digits, exp-3*k) + siPrefixes[k-1]
}

// formatSig formats v with up to n significant digits, rounded half away
// from zero, trailing zeros after the point dropped: the price format.
func formatSig(v float64, n int) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case math.IsInf(v, 0) || v == 0:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	sign := ""
	if v < 0 {
		sign = "-"
	}
	digits, exp := sigDigits(v, n)
	if exp < -6 || exp > 15 {
		d := strings.TrimRight(string(digits[1:]), "0")
		if d != "" {
			d = "." + d
		}
		return sign + string(digits[:1]) + d + "e" + strconv.Itoa(exp)
	}
	s := placeDigits(digits, exp)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return sign + s
}

// priceDigits is how many significant digits a price shows, everywhere:
// catalogs quote prices to the hundredth of a cent ($0.20161 of
// $0.201608/h) and per-vCPU prices need as many to tell instances apart.
const priceDigits = 5

// dollars formats a price in dollars, the one price format of the
// report: "$0.20161", and at least whole cents, "$0.20" and "$21.50",
// as prices are written.
func dollars(v float64) string {
	s := formatSig(v, priceDigits)
	if strings.ContainsAny(s, "e∞NaN—") {
		return "$" + s
	}
	whole, frac, _ := strings.Cut(s, ".")
	for len(frac) < 2 {
		frac += "0"
	}
	return "$" + whole + "." + frac
}

// formatPrice formats an hourly price: "$0.20161/h".
func formatPrice(perHour float64) string { return dollars(perHour) + "/h" }

// pct formats a fraction as a percentage: 0.05 as "5%".
func pct(f float64) string { return trimFloat(math.Round(f*1e4)/100) + "%" }

// onePlus formats 1 plus the fraction f: 0.05 as "1.05", 0.025 as
// "1.025", so that a threshold reads as the one applied.
func onePlus(f float64) string { return trimFloat(math.Round((1+f)*1e4) / 1e4) }

// fx formats a ratio as "1.30x".
func fx(v float64) string { return fmt.Sprintf("%.2fx", v) }

func formatRatioInterval(r Ratio) string {
	if math.IsNaN(r.Lo) {
		return fmt.Sprintf("%.2fx", r.Value)
	}
	return fmt.Sprintf("%.2fx [%.2f, %.2f]", r.Value, r.Lo, r.Hi)
}
