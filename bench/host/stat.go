package host

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// ReadStealTicks returns the host-wide steal time and total CPU time since
// boot, in clock ticks (USER_HZ, normally 1/100 s), from the aggregate
// "cpu" line of /proc/stat. Steal is time a vCPU was ready to run but the
// hypervisor ran something else: a noisy neighbour. Sample it before and
// after a measurement and pass the differences to StealPercent.
//
// Total is the sum of user, nice, system, idle, iowait, irq, softirq and
// steal; guest and guest_nice are left out because Linux already counts
// them in user and nice.
func ReadStealTicks() (steal, total uint64, err error) {
	return readStealTicks(os.DirFS("/"))
}

func readStealTicks(fsys fs.FS) (steal, total uint64, err error) {
	data, err := fs.ReadFile(fsys, "proc/stat")
	if err != nil {
		return 0, 0, err
	}
	return parseStealTicks(data)
}

var errNoCPULine = errors.New("/proc/stat: no aggregate cpu line with steal time")

func parseStealTicks(data []byte) (steal, total uint64, err error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || fields[0] != "cpu" {
			continue
		}
		// user nice system idle iowait irq softirq steal: steal, the
		// eighth, appeared in Linux 2.6.11; older lines are too short.
		if len(fields) < 9 {
			return 0, 0, errNoCPULine
		}
		for i, f := range fields[1:9] {
			n, err := strconv.ParseUint(f, 10, 64)
			if err != nil {
				return 0, 0, fmt.Errorf("/proc/stat: cpu field %d: %w", i+1, err)
			}
			total += n
			if i == 7 {
				steal = n
			}
		}
		return steal, total, nil
	}
	return 0, 0, errNoCPULine
}

// StealPercent returns the share of CPU time stolen between two readings
// of ReadStealTicks, in percent; 0 when no time passed or the counters
// went backwards.
func StealPercent(steal0, total0, steal1, total1 uint64) float64 {
	if total1 <= total0 || steal1 < steal0 {
		return 0
	}
	return 100 * float64(steal1-steal0) / float64(total1-total0)
}
