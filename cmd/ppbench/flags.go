package main

import (
	"errors"
	"flag"
	"fmt"
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

// parseFlags parses args into fs, turning flag errors into one-line usage
// errors; the usage text is printed for -h
// only, so a mistyped flag costs one line on the terminal, not a screenful.
func parseFlags(fs *flag.FlagSet, args []string) error {
	out, usage := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.SetOutput(out)
	fs.Usage = usage
	if errors.Is(err, flag.ErrHelp) {
		usage()
		return errHelp
	}
	if err != nil {
		return usageError{msg: fmt.Sprintf("%v (see '%s -h')", err, fs.Name())}
	}
	return nil
}
