package fleet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// An Exec runs a command-line tool and returns its standard output; an
// error says what failed in one line (the tool's own stderr when it wrote
// one). Tests replace it with a fake scheduler.
type Exec func(ctx context.Context, name string, args ...string) ([]byte, error)

// ErrNotFound is wrapped by Command's error when the tool is not
// installed.
var ErrNotFound = errors.New("not found in $PATH")

// Command is the Exec that runs the real tools.
func Command(ctx context.Context, name string, args ...string) ([]byte, error) {
	p, err := exec.LookPath(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, ErrNotFound)
	}
	cmd := exec.CommandContext(ctx, p, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.Join(strings.Fields(stderr.String()), " ")
		if msg == "" {
			msg = err.Error()
		}
		msg = strings.TrimPrefix(msg, name+": ") // sbatch: error: ...
		return out, fmt.Errorf("%s: %s", name, msg)
	}
	return out, nil
}
