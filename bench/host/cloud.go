package host

import (
	"io/fs"
	"regexp"
	"strings"

	"github.com/ppbench/ppbench/internal/schema"
)

// dmi holds the DMI (SMBIOS) strings that identify a cloud machine.
type dmi struct {
	sysVendor, productName, biosVersion, assetTag string
}

func readDMI(fsys fs.FS) dmi {
	const dir = "sys/class/dmi/id/"
	return dmi{
		sysVendor:   readLine(fsys, dir+"sys_vendor"),
		productName: readLine(fsys, dir+"product_name"),
		biosVersion: readLine(fsys, dir+"bios_version"),
		assetTag:    readLine(fsys, dir+"chassis_asset_tag"),
	}
}

// isAWS reports a Nitro instance, whose DMI names the instance type, or an
// older Xen one, whose BIOS version ends in ".amazon" but which names only
// "HVM domU".
func (d dmi) isAWS() bool {
	return d.sysVendor == "Amazon EC2" ||
		d.sysVendor == "Xen" && strings.HasSuffix(strings.ToLower(d.biosVersion), "amazon")
}

// isGCP reports a Compute Engine VM. Its DMI does not name the machine
// type; only the metadata server, which Detect does not ask, knows it.
func (d dmi) isGCP() bool {
	return d.sysVendor == "Google" || d.productName == "Google Compute Engine"
}

// resolveInstance picks the instance type: the flag, else the environment,
// else DMI on AWS Nitro. It returns the type and where it came from.
func resolveInstance(flag, env string, d dmi) (instance, source string) {
	if s := sanitize(flag); s != "" {
		return s, SourceFlag
	}
	if s := sanitize(env); s != "" {
		return s, SourceEnv
	}
	if d.sysVendor == "Amazon EC2" && dmiType.MatchString(d.productName) {
		return d.productName, SourceDMI
	}
	return schema.Unknown, schema.Unknown
}

// resolveCloud names the cloud from DMI, which cannot be mistyped, and
// otherwise from the shape of the instance name (schema.Provider), so that
// a result from a container without /sys/class/dmi, run with -instance
// c7g.xlarge, is still joined with AWS prices.
func resolveCloud(d dmi, instance string) string {
	switch {
	case d.isAWS():
		return schema.AWS
	case d.isGCP():
		return schema.GCP
	case isAzureDMI(d, d.assetTag):
		return schema.Azure
	}
	if p := schema.Provider(instance); p != "" {
		return p
	}
	return schema.Unknown
}

// dmiType is looser than schema's AWS names, so that a size or family AWS
// adds later is still taken from DMI, but still keeps out anything that is
// not a "family.size" word (a placeholder like "Not Specified").
var dmiType = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*\.[a-z0-9-]+$`)
