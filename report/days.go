package report

import "time"

// ageDays is the days from then to now, from their Unix seconds:
// time.Time.Sub saturates at about 292 years, so `-asof 9999-12-31`
// came out as 106,752 days.
func ageDays(then, now time.Time) float64 {
	return float64(now.Unix()-then.Unix()) / 86400
}
