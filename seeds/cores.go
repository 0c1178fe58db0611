package seeds

import (
	"strings"

	"github.com/ppbench/ppbench/internal/schema"
)

// ThreadsPerCore returns the vCPUs per physical core of instance, the rule
// the catalog derives physical cores from (seeds/README.md, "Physical
// cores"): 1 where each vCPU is a whole core, else 2 (x86 hosts with SMT
// on, the default of every cloud). arch is the instance's architecture
// ("arm64" gives 1 whatever the name).
//
// One vCPU per core:
//   - every Arm instance: AWS Graviton (a1, *g, *gd, *gn, ...), Google Axion
//     (c4a, n4a) and Ampere (t2a), Azure Ampere Altra and Cobalt (the p
//     feature letter: Standard_D4ps_v6) and NVIDIA Grace (ND GB200 v6);
//   - AWS: c7a m7a r7a, c8a m8a r8a (AMD 4th and 5th generation EPYC,
//     SMT off), hpc6a hpc7a hpc6id, x8aedz, and t2 (one thread per core in
//     EC2's CPU options table);
//   - GCP: t2d, h3 and h4d (SMT off per Compute Engine's machine family
//     pages);
//   - Azure: the HPC series (H, HB, HC, HX: SMT off) and the AMD F series
//     v6 and v7 (Fasv6, Falsv6, Famsv6, Fasv7, ...: "no SMT").
//
// Everything else, including c6a/m6a, c5a, the GPU and Trainium hosts and
// every other Intel and AMD family, has two.
func ThreadsPerCore(instance, arch string) int {
	if arch == "arm64" {
		return 1
	}
	switch schema.Provider(instance) {
	case schema.AWS:
		if oneThreadAWS[schema.Family(instance)] {
			return 1
		}
	case schema.GCP:
		if oneThreadGCP[schema.Family(instance)] {
			return 1
		}
	case schema.Azure:
		return azureThreadsPerCore(instance)
	}
	return 2
}

var (
	oneThreadAWS = set("c7a m7a r7a c8a m8a r8a hpc6a hpc7a hpc6id hpc7g x8aedz t2")
	oneThreadGCP = set("c4a n4a t2a t2d h3 h4d")
)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

func azureThreadsPerCore(name string) int {
	s, ok := schema.ParseAzureSize(name)
	if !ok {
		return 2
	}
	switch {
	case strings.Contains(s.Features, "p"), strings.Contains(name, "GB200"):
		return 1 // Ampere Altra, Cobalt 100, Grace
	case s.Series == "H" || s.Series == "HB" || s.Series == "HC" || s.Series == "HX":
		return 1
	case s.Series == "F" && strings.Contains(s.Features, "a") && (s.Version == "6" || s.Version == "7"):
		return 1
	}
	return 2
}

// physicalCores is vcpus over the threads per core, at least one.
func physicalCores(instance, arch string, vcpus int) int {
	c := vcpus / ThreadsPerCore(instance, arch)
	if c < 1 {
		c = 1
	}
	return c
}
