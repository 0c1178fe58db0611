# ppbench: make run (suite on this host, then the report), make test.

GO       ?= go
BIN      := bin/ppbench
RESULTS  := results
VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo devel)
LDFLAGS  := -s -w -X main.version=$(VERSION)
QEMU     := qemu-aarch64-static

.PHONY: all build run report test test-native test-race test-purego test-arm64 test-slurm bench dist fuzz clean

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/ppbench

# The main job: the suite on this host into a new results file, then the
# report over every results file.
run: build
	$(BIN) run
	$(BIN) report -o $(RESULTS)/REPORT.md $(RESULTS)/*.txt

report: build
	$(BIN) report -o $(RESULTS)/REPORT.md $(RESULTS)/*.txt

# The suite through go test, for benchstat: make bench > new.txt
bench:
	$(GO) test -run '^$$' -bench . -count 6 ./bench

test: test-native test-race test-purego test-arm64 test-slurm

test-native:
	$(GO) vet ./...
	GOARCH=arm64 $(GO) vet ./...
	$(GO) vet -tags purego ./...
	$(GO) test ./...

test-race:
	$(GO) test -race -short ./...

test-purego:
	$(GO) test -tags purego -short ./...

# arm64 code runs under user-mode emulation; QEMU_CPU=max exposes every
# feature the NEON tier may use.
test-arm64:
	@command -v $(QEMU) >/dev/null || { echo "installing qemu-user-static"; apt-get update -qq && apt-get install -y -qq qemu-user-static; }
	QEMU_CPU=max GOARCH=arm64 $(GO) test -short -exec $(QEMU) ./...

# A real single-node Slurm cluster (munged, slurmctld, slurmd from Debian's
# munge and slurm-wlm, installed when missing) runs a fleet of two types x
# two launches; skipped, saying why, only where they cannot be installed.
# Quiet when it passes (its last line), its whole log when it does not.
test-slurm:
	@log=$$(mktemp); \
	if GO=$(GO) bash bench/fleet/testdata/slurm-test.sh > $$log 2>&1; then \
		grep -E '^test-slurm: (PASS|SKIPPED)' $$log; rm -f $$log; \
	else \
		cat $$log; rm -f $$log; exit 1; \
	fi

# Single binaries for a fresh instance, no Go toolchain needed there.
dist:
	GOOS=linux GOARCH=amd64 CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o dist/ppbench-linux-amd64 ./cmd/ppbench
	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o dist/ppbench-linux-arm64 ./cmd/ppbench

clean:
	rm -rf bin dist
