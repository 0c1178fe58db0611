//go:build !amd64 || !gc || purego || noasm

package kernels

import "runtime"

// amxDetect: AMX is amd64 only, and its tiers are assembly.
func amxDetect() (bool, string) {
	if runtime.GOARCH != "amd64" {
		return false, "no amx on " + runtime.GOARCH
	}
	return false, "built without assembly"
}
