package main

import (
	"fmt"
	"io"

	"github.com/ppbench/ppbench/bench"
	"github.com/ppbench/ppbench/bench/host"
	"github.com/ppbench/ppbench/internal/schema"
)

func init() {
	register(command{
		name:    "host",
		summary: "print this host's fingerprint (the config lines results carry)",
		run:     runHost,
	})
}

const hostUsage = `Usage: ppbench host [-instance TYPE] [-region REGION]

Host prints the configuration lines that ppbench results start with: the
instance type, CPU model and features, topology, kernel tier and versions.
Without -instance the type comes from $PPBENCH_INSTANCE, else from DMI on
AWS; without -region the region from $PPBENCH_REGION, else none.

Flags:
`

func runHost(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("host", hostUsage, stderr)
	instance := fs.String("instance", "", "instance `type`, e.g. c7g.xlarge or c4a-standard-4")
	region := fs.String("region", "", "cloud `region`, e.g. us-east-1")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if err := checkName("-instance", *instance); err != nil {
		return err
	}
	if err := checkName("-region", *region); err != nil {
		return err
	}
	if err := checkEnvNames(); err != nil {
		return err
	}
	tiers, err := bench.TiersFromEnv()
	if err != nil {
		return usageError{msg: err.Error()}
	}
	f := bench.Fingerprint(host.Options{Instance: *instance, Region: *region, Version: ppbenchVersion()}, tiers)
	_, err = f.WriteTo(stdout)
	return err
}

// checkName rejects an instance or region name that would not survive as
// one word in a config line (schema.CheckName, the rule for every way a
// name is given).
func checkName(flag, value string) error {
	if value == "" {
		return nil // not given: detected or from the environment
	}
	if err := schema.CheckName(value); err != nil {
		return usageError{msg: fmt.Sprintf("%s: %v", flag, err)}
	}
	return nil
}

// checkEnvNames checks $PPBENCH_INSTANCE and $PPBENCH_REGION
// (host.CheckEnv) as a usage error.
func checkEnvNames() error {
	if err := host.CheckEnv(); err != nil {
		return usageError{msg: err.Error()}
	}
	return nil
}
