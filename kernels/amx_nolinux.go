//go:build !linux && amd64 && gc && !purego && !noasm

package kernels

import "runtime"

// amxRequest: only Linux's way of granting the tile state is known here,
// so other systems do not run the AMX tiers.
func amxRequest() string { return "no tile permission request on " + runtime.GOOS }
