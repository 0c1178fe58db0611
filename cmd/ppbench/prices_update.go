package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"sort"
	"sync"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/seeds"
	"github.com/ppbench/ppbench/seeds/update"
)

const pricesUpdateUsage = `Usage: ppbench prices update [flags]

Update fetches current prices from the providers' public price lists (no
account or key needed) into the cache directory, where 'ppbench prices' and
'ppbench report' find them: for each (provider, region, instance, price
type) the newest price of the cache and the built-in catalog is used.

  aws on_demand  the Price List bulk API's offer file of each region
  aws spot       the EC2 Spot pricing page's feed (spot.js)
  azure          the Retail Prices API, pay-as-you-go and spot, per region
  gcp            gcloud-compute.com/machine-types-regions.csv (on demand, spot)

Each price is dated the day it was fetched. A region or price list that
fails is named on one line and the others are still saved; the cache keeps
every price it had (it is rewritten through a temporary file), and the
command exits 1.

Flags:
`

// updateEndpoints replaces the price lists' addresses; tests point it at a
// local server.
var updateEndpoints update.Config

// Bounds of -retries and -parallel: a typo such as -retries 1e9 would
// retry a dead endpoint for ever.
const (
	maxRetries  = 20
	maxParallel = 64
)

func runPricesUpdate(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("prices update", pricesUpdateUsage, stderr)
	provider := fs.String("provider", "", "only this `provider`: aws, azure, gcp")
	region := fs.String("region", "", "only this `region` (eu-west-1, europe-west4, westeurope)")
	dir := fs.String("cache", "", "cache `directory` (default $"+seeds.CacheEnv+", else the user cache directory/ppbench)")
	timeout := fs.Duration("timeout", 10*time.Minute, "give up on one request after this `duration`")
	retries := fs.Int("retries", 3, "retry a failed request this many `times` (network errors, 429, 5xx), at most 20")
	parallel := fs.Int("parallel", 4, "fetch this many `regions` at a time, at most 64")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	switch *provider {
	case "", schema.AWS, schema.Azure, schema.GCP:
	default:
		return usageError{msg: fmt.Sprintf("-provider %s: want aws, azure or gcp", *provider)}
	}
	if *region != "" {
		if err := schema.CheckName(*region); err != nil {
			return usageError{msg: fmt.Sprintf("-region: %v", err)}
		}
	}
	if *timeout <= 0 || *retries < 0 || *parallel < 1 {
		return usageError{msg: "-timeout and -parallel must be positive and -retries not negative"}
	}
	if *retries > maxRetries {
		return usageError{msg: fmt.Sprintf("-retries %d: at most %d (each retry waits longer than the last)", *retries, maxRetries)}
	}
	if *parallel > maxParallel {
		return usageError{msg: fmt.Sprintf("-parallel %d: at most %d", *parallel, maxParallel)}
	}
	if *dir == "" {
		*dir = seeds.DefaultCacheDir()
	}
	if *dir == "" {
		return errors.New("no cache directory: set $" + seeds.CacheEnv + " or -cache")
	}

	cfg := updateEndpoints
	cfg.Timeout, cfg.Retries = *timeout, *retries
	if *retries == 0 {
		cfg.Retries = -1 // Config's zero value means the default
	}
	sources, err := update.Sources(cfg, *provider)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var failed []string
	fail := func(what string, err error) {
		failed = append(failed, what+": "+err.Error())
		fmt.Fprintf(stderr, "ppbench prices update: %s: %v\n", what, err)
	}

	// The regions of every price list first, so the bar knows its length.
	type job struct {
		src    update.Source
		region string
	}
	var jobs []job
	for _, s := range sources {
		if *region != "" && *provider == "" && regionProvider(*region) != s.Provider() {
			continue // eu-west-1 is not a GCP or Azure region
		}
		regions, err := s.Regions(ctx, *region)
		if err != nil {
			if ctx.Err() != nil {
				return errInterrupted
			}
			fail(s.Name(), err)
			continue
		}
		for _, r := range regions {
			jobs = append(jobs, job{s, r})
		}
	}

	var bar *progressbar.ProgressBar
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) && len(jobs) > 0 {
		bar = progressbar.NewOptions(len(jobs), progressbar.OptionSetWriter(stderr), progressbar.OptionSetWidth(20),
			progressbar.OptionShowCount(), progressbar.OptionSetElapsedTime(true), progressbar.OptionSetPredictTime(false),
			progressbar.OptionClearOnFinish())
	}
	// A few regions at a time: the AWS offer files are large, and each
	// provider's servers take several connections well.
	results := make([]update.Result, len(jobs))
	errs := make([]error, len(jobs))
	finished := make([]bool, len(jobs))
	queue := make(chan int, len(jobs))
	for i := range jobs {
		queue <- i
	}
	close(queue)
	var mu sync.Mutex // the bar
	var wg sync.WaitGroup
	for w := 0; w < min(*parallel, len(jobs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range queue {
				if ctx.Err() != nil {
					return // interrupted: leave the rest
				}
				results[i], errs[i] = jobs[i].src.Fetch(ctx, jobs[i].region)
				finished[i] = ctx.Err() == nil || errs[i] == nil
				if bar != nil {
					mu.Lock()
					bar.Describe(jobs[i].src.Name() + " " + jobs[i].region)
					bar.Add(1)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if bar != nil {
		bar.Finish()
	}
	interrupted := ctx.Err() != nil

	fresh := map[string][]seeds.Price{}
	type tally struct{ regions, prices, skipped int }
	tallies := map[string]*tally{}
	for i, j := range jobs {
		if !finished[i] {
			continue
		}
		if errs[i] != nil {
			if !interrupted {
				fail(j.src.Name()+" "+j.region, errs[i])
			}
			continue
		}
		res := results[i]
		fresh[j.src.Provider()] = append(fresh[j.src.Provider()], res.Prices...)
		t := tallies[j.src.Name()]
		if t == nil {
			t = &tally{}
			tallies[j.src.Name()] = t
		}
		t.regions++
		t.prices += len(res.Prices)
		t.skipped += res.Skipped
	}

	providers := make([]string, 0, len(fresh))
	for p := range fresh {
		providers = append(providers, p)
	}
	sort.Strings(providers)
	for _, p := range providers {
		if len(fresh[p]) == 0 {
			continue
		}
		if err := seeds.UpdateCache(*dir, p, fresh[p]); err != nil {
			fail(p, err)
			continue
		}
		fmt.Fprintf(stdout, "%s: %d prices written to %s\n", p, len(fresh[p]), seeds.CacheFile(*dir, p))
	}
	names := make([]string, 0, len(tallies))
	for n := range tallies {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t := tallies[n]
		fmt.Fprintf(stdout, "  %s: %d regions, %d prices", n, t.regions, t.prices)
		if t.skipped > 0 {
			fmt.Fprintf(stdout, " (%d left out: no vCPU count for the instance type)", t.skipped)
		}
		fmt.Fprintln(stdout)
	}
	if interrupted {
		return errInterrupted // what finished is saved
	}
	if len(failed) > 0 {
		return fmt.Errorf("prices update: %d of the price lists failed (named above); the cache keeps their previous prices", len(failed))
	}
	return nil
}

// Region names tell their cloud apart: eu-west-1 (AWS), europe-west4
// (GCP), westeurope (Azure).
var (
	awsRegion = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+$`)
	gcpRegion = regexp.MustCompile(`^[a-z]+-[a-z]+[0-9]+$`)
)

func regionProvider(r string) string {
	switch {
	case awsRegion.MatchString(r):
		return schema.AWS
	case gcpRegion.MatchString(r):
		return schema.GCP
	}
	return schema.Azure
}
