//go:build !unix

package host

func unameRelease() string { return "" }
