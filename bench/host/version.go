package host

import (
	"runtime/debug"
)

// Version returns the ppbench version this binary was built from, as the
// go command recorded it: the module version when built from a tagged
// module or stamped from version control (Go 1.24 and later), else the
// version-control revision, with "+dirty" for uncommitted changes, else
// "devel". Test binaries carry no stamp and report "devel".
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	return versionFrom(bi)
}

func versionFrom(bi *debug.BuildInfo) string {
	if v := sanitize(bi.Main.Version); v != "" && v != "(devel)" {
		return v
	}
	var rev string
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = sanitize(s.Value)
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty"
	}
	return rev
}
