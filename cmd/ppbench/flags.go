package main

import (
	"errors"
	"flag"
	"io"
)

// errHelp is returned when -h was asked for; the usage is already printed.
var errHelp = flag.ErrHelp

// newFlagSet returns a FlagSet that reports errors instead of exiting, so
// that mainExit alone decides the exit status.
func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("ppbench "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		io.WriteString(stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args into fs, turning flag errors into usage errors.
// The flag package has already printed the error and the usage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return errHelp
	}
	if err != nil {
		return usageError{msg: err.Error()}
	}
	return nil
}
