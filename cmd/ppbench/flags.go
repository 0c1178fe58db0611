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

// parseInterleaved parses args into fs like parseFlags, but takes flags
// after the file arguments too, as `ppbench report results/*.txt -o
// FILE` has them, and returns the file arguments in order. "--" ends
// the flags: every argument after it is a file, even one that starts with
// '-'.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return files, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(files, rest...), nil
		}
		files = append(files, rest[0])
		args = rest[1:]
	}
}

// parseNoArgs is parseFlags for a command that takes flags only: an
// argument left after them is a usage error.
func parseNoArgs(fs *flag.FlagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{msg: fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}
