package fleet

import (
	"fmt"
	"strconv"

	"github.com/ppbench/ppbench/bench/host"
	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/seeds"
)

// Configuration lines a fleet task adds before `ppbench run`'s own, so
// that its results file records both the type the task was sent to (the
// instance line) and what the host says it is.
const (
	// ConfigDetected is the instance type the host gives itself (DMI on
	// AWS Nitro, the metadata service on GCP and Azure), or "unknown"
	// where it gives none (a machine that is no cloud instance).
	ConfigDetected = "instance-detected"
	// ConfigCheck says how the type was checked: "dmi" or "metadata" (the
	// host's own type equals the one asked for), "arch+vcpus" or "arch" (the host
	// names no type; its architecture and, where the catalog has them,
	// its vCPUs match), or "off" (NoTypeCheck).
	ConfigCheck = "instance-check"
)

// EnvNoTypeCheck, set to 1 on the host, turns a task's type check off as
// -no-type-check does.
const EnvNoTypeCheck = "PPBENCH_FLEET_NO_TYPE_CHECK"

// A Verdict is what Check found out about a host.
type Verdict struct {
	Requested string // the type the task was sent to
	Detected  string // the host's own type (DMI or metadata), or schema.Unknown
	Method    string // "dmi", "metadata", "arch+vcpus", "arch" or "off"
}

// ConfigLines returns v as configuration lines, without newlines.
func (v Verdict) ConfigLines() []string {
	return []string{ConfigDetected + ": " + v.Detected, ConfigCheck + ": " + v.Method}
}

// A MismatchError says a host is not the type its task asked for.
type MismatchError struct {
	Requested, Host, Why string
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("host is %s, not %s (%s): refusing to label results %s (-no-type-check or $%s=1 turns this check off)",
		e.Host, e.Requested, e.Why, e.Requested, EnvNoTypeCheck)
}

// Check compares the host fp describes (detected with no instance given,
// so that fp.Instance is the DMI's type or unknown) with the type
// requested, whose architecture and vCPUs the catalog gives; goarch is the
// architecture the task runs as. A host that names its type must name the
// requested one; one that names none must match its architecture and, if
// the catalog knows it, its vCPU count. off skips the comparisons and
// records that it did.
func Check(requested string, fp host.Fingerprint, goarch string, cat *seeds.Catalog, off bool) (Verdict, error) {
	v := Verdict{Requested: requested, Detected: schema.Unknown, Method: "off"}
	if (fp.InstanceSource == host.SourceDMI || fp.InstanceSource == host.SourceMetadata) && fp.Instance != "" {
		v.Detected = fp.Instance
	}
	if off {
		return v, nil
	}
	if v.Detected != schema.Unknown {
		if v.Detected != requested {
			return v, &MismatchError{Requested: requested, Host: v.Detected, Why: "by " + fp.InstanceSource}
		}
		v.Method = fp.InstanceSource
		return v, nil
	}
	if want := Arch(cat, requested); want != goarch {
		return v, &MismatchError{Requested: requested, Host: "an " + goarch + " machine", Why: requested + " is " + want}
	}
	v.Method = "arch"
	if cat != nil {
		if p, ok := cat.Instance(requested); ok && p.VCPUs > 0 && fp.VCPUs > 0 {
			if p.VCPUs != fp.VCPUs {
				return v, &MismatchError{Requested: requested, Host: "a machine with " + strconv.Itoa(fp.VCPUs) + " vCPUs",
					Why: requested + " has " + strconv.Itoa(p.VCPUs)}
			}
			v.Method = "arch+vcpus"
		}
	}
	return v, nil
}
