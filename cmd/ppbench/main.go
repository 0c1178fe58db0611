// Command ppbench measures a cloud CPU on AI-style kernels and turns the
// results into performance per dollar.
//
// Usage:
//
//	ppbench <command> [flags] [args]
//	ppbench help <command>
//
// Each command lives in its own file and registers itself in init; this file
// only dispatches. Exit status: 0 on success, 2 for usage errors, 1 for bad
// input data or a failed run, 130 when interrupted.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
)

// A command is one ppbench subcommand.
type command struct {
	name    string
	summary string
	// run parses args (without the command name) and does the work. It
	// returns a usageError for bad flags, errInterrupted when stopped by a
	// signal, and any other error for bad data or a failed run.
	run func(args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("ppbench: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// usageError marks an error in the command line (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// errInterrupted is returned by a command stopped by SIGINT or SIGTERM
// after it has saved what it finished (exit status 130).
var errInterrupted = errors.New("interrupted")

func main() {
	os.Exit(mainExit(os.Args[1:], os.Stdout, os.Stderr))
}

func mainExit(args []string, stdout, stderr io.Writer) int {
	if len(args) == 2 && args[0] == "help" {
		// "help run" is "run -h": the command's own usage, in one
		// place, with its flags.
		args = []string{args[1], "-h"}
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		printUsage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "ppbench: unknown command %q (run 'ppbench -h' for the list)\n", args[0])
		return 2
	}
	err := c.run(args[1:], stdout, stderr)
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelp):
		return 0
	case errors.As(err, &ue):
		// Naming the command tells which -h to read.
		fmt.Fprintf(stderr, "ppbench %s: %v\n", c.name, err)
		return 2
	case errors.Is(err, errInterrupted):
		fmt.Fprintf(stderr, "ppbench %s: %v\n", c.name, err)
		return 130
	default:
		fmt.Fprintf(stderr, "ppbench: %v\n", err)
		return 1
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "ppbench measures what a cloud CPU delivers on AI-style kernels (SGEMM,")
	fmt.Fprintln(w, "attention, memory triad, FMA peak) and turns it into performance per dollar.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: ppbench <command> [flags] [args]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'ppbench <command> -h' or 'ppbench help <command>' for a command's flags.")
}
