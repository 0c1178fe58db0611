package fleet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/ppbench/ppbench/seeds"
)

// The Kubernetes objects a fleet writes: the fields of batch/v1 Job and
// core/v1 Pod it sets, with the API's JSON names, so that the manifests
// are built from types and not from text (kube_test.go checks the names
// against the golden files). JSON is YAML, so kubectl apply -f takes
// them as they are.
type (
	// Job is a batch/v1 Job.
	Job struct {
		APIVersion string     `json:"apiVersion"`
		Kind       string     `json:"kind"`
		Metadata   ObjectMeta `json:"metadata"`
		Spec       JobSpec    `json:"spec"`
	}
	// ObjectMeta is metav1.ObjectMeta's name, namespace and labels.
	ObjectMeta struct {
		Name        string            `json:"name,omitempty"`
		Namespace   string            `json:"namespace,omitempty"`
		Labels      map[string]string `json:"labels,omitempty"`
		Annotations map[string]string `json:"annotations,omitempty"`
	}
	// JobSpec is batchv1.JobSpec.
	JobSpec struct {
		// BackoffLimit 0: a launch that fails is reported, not retried,
		// since a retry may land on another node and be another draw.
		BackoffLimit int             `json:"backoffLimit"`
		Completions  int             `json:"completions"`
		Parallelism  int             `json:"parallelism"`
		Template     PodTemplateSpec `json:"template"`
	}
	// PodTemplateSpec is corev1.PodTemplateSpec.
	PodTemplateSpec struct {
		Metadata ObjectMeta `json:"metadata"`
		Spec     PodSpec    `json:"spec"`
	}
	// PodSpec is the part of corev1.PodSpec a fleet sets.
	PodSpec struct {
		RestartPolicy                 string            `json:"restartPolicy"`
		NodeSelector                  map[string]string `json:"nodeSelector"`
		Affinity                      *Affinity         `json:"affinity,omitempty"`
		TerminationGracePeriodSeconds *int              `json:"terminationGracePeriodSeconds,omitempty"`
		Containers                    []Container       `json:"containers"`
	}
	// Affinity is corev1.Affinity.
	Affinity struct {
		PodAntiAffinity *PodAntiAffinity `json:"podAntiAffinity,omitempty"`
	}
	// PodAntiAffinity is corev1.PodAntiAffinity.
	PodAntiAffinity struct {
		Required []PodAffinityTerm `json:"requiredDuringSchedulingIgnoredDuringExecution"`
	}
	// PodAffinityTerm is corev1.PodAffinityTerm.
	PodAffinityTerm struct {
		LabelSelector *LabelSelector `json:"labelSelector"`
		TopologyKey   string         `json:"topologyKey"`
	}
	// LabelSelector is metav1.LabelSelector's matchLabels.
	LabelSelector struct {
		MatchLabels map[string]string `json:"matchLabels"`
	}
	// Container is the part of corev1.Container a fleet sets.
	Container struct {
		Name      string               `json:"name"`
		Image     string               `json:"image"`
		Args      []string             `json:"args"`
		Env       []EnvVar             `json:"env,omitempty"`
		Resources ResourceRequirements `json:"resources"`
	}
	// EnvVar is corev1.EnvVar with a literal value.
	EnvVar struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	// ResourceRequirements is corev1.ResourceRequirements, quantities as
	// strings ("3670m", "1Gi").
	ResourceRequirements struct {
		Requests map[string]string `json:"requests,omitempty"`
		Limits   map[string]string `json:"limits,omitempty"`
	}
	// List is a v1 List, how several Jobs go to stdout as one document.
	List struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Items      []Job  `json:"items"`
	}
)

// Labels of a fleet's Jobs and pods, and the well-known node labels they
// select on.
const (
	LabelApp          = "app.kubernetes.io/name"
	LabelFleet        = "ppbench.dev/fleet"
	LabelInstanceType = "ppbench.dev/instance-type"
	LabelLaunch       = "ppbench.dev/launch"
	NodeInstanceType  = "node.kubernetes.io/instance-type"
	NodeArch          = "kubernetes.io/arch"
	NodeHostname      = "kubernetes.io/hostname"
)

// DaemonSetCPU is the CPU, in millicores, KubeCPURequest leaves to the
// DaemonSets every node runs (CNI, kube-proxy, log and metrics agents):
// EKS's aws-node and kube-proxy ask 125m, GKE's and AKS's a little more.
const DaemonSetCPU = 250

// KubeReservedCPU is the CPU, in millicores, that EKS, GKE and AKS all
// reserve for the kubelet and system on a node of vcpus CPUs: 6% of the
// first core, 1% of the second, 0.5% of the third and fourth, 0.25% of
// each one after.
func KubeReservedCPU(vcpus int) int {
	m := 0.0
	for i := 1; i <= vcpus; i++ {
		switch {
		case i == 1:
			m += 60
		case i == 2:
			m += 10
		case i <= 4:
			m += 5
		default:
			m += 2.5
		}
	}
	return int(m + 0.5)
}

// KubeCPURequest is the CPU request that takes a whole node of vcpus CPUs:
// its allocatable CPU less what DaemonSets ask for. There is no CPU
// limit, so the benchmark may use every CPU of the node; the request is
// what keeps other pods off it.
func KubeCPURequest(vcpus int) string {
	return strconv.Itoa(vcpus*1000-KubeReservedCPU(vcpus)-DaemonSetCPU) + "m"
}

// KubeName turns an instance type into a DNS-1123 label: lower case, '.'
// and '_' as '-'.
func KubeName(s string) string {
	s = strings.ToLower(s)
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, s)
}

// KubeJobName names the Job of one launch: ppbench-<type>-<id>-<launch>.
func KubeJobName(instance, id string, launch int) string {
	n := "ppbench-" + KubeName(instance) + "-" + KubeName(id) + "-" + strconv.Itoa(launch)
	if len(n) > 63 {
		n = n[:63]
	}
	return strings.TrimRight(n, "-")
}

// KubeJobs returns one Job per type and launch. The catalog gives each
// type's architecture and vCPUs; a type the catalog does not have needs
// s.CPURequest.
func KubeJobs(s Spec, cat *seeds.Catalog) ([]Job, error) {
	if s.ID == "" {
		return nil, errors.New("a Kubernetes fleet needs an id")
	}
	if s.Image == "" {
		return nil, errors.New("a Kubernetes fleet needs an image")
	}
	var jobs []Job
	grace := 30
	for _, t := range s.Types {
		arch := Arch(cat, t)
		cpu := s.CPURequest
		if cpu == "" {
			p, ok := seeds.Price{}, false
			if cat != nil {
				p, ok = cat.Instance(t)
			}
			if !ok || p.VCPUs < 1 {
				return nil, fmt.Errorf("%s: not in the catalog, so its vCPUs are not known: give -cpu-request", t)
			}
			cpu = KubeCPURequest(p.VCPUs)
		}
		args := []string{"fleet", "task", "-type", t}
		if s.NoTypeCheck {
			args = append(args, "-no-type-check")
		}
		args = append(args, "-o", "-")
		if len(s.RunArgs) > 0 {
			args = append(args, "--")
			args = append(args, s.RunArgs...)
		}
		for l := 1; l <= s.Launches; l++ {
			labels := map[string]string{
				LabelApp:          "ppbench",
				LabelFleet:        s.ID,
				LabelInstanceType: t,
				LabelLaunch:       strconv.Itoa(l),
			}
			meta := ObjectMeta{Name: KubeJobName(t, s.ID, l), Namespace: s.Namespace, Labels: labels}
			jobs = append(jobs, Job{
				APIVersion: "batch/v1",
				Kind:       "Job",
				Metadata:   meta,
				Spec: JobSpec{
					BackoffLimit: 0,
					Completions:  1,
					Parallelism:  1,
					Template: PodTemplateSpec{
						Metadata: ObjectMeta{Labels: labels},
						Spec: PodSpec{
							RestartPolicy: "Never",
							NodeSelector:  map[string]string{NodeInstanceType: t, NodeArch: arch},
							Affinity: &Affinity{PodAntiAffinity: &PodAntiAffinity{Required: []PodAffinityTerm{{
								LabelSelector: &LabelSelector{MatchLabels: map[string]string{LabelApp: "ppbench"}},
								TopologyKey:   NodeHostname,
							}}}},
							TerminationGracePeriodSeconds: &grace,
							Containers: []Container{{
								Name:      "ppbench",
								Image:     ForArch(s.Image, arch),
								Args:      args,
								Env:       []EnvVar{{Name: "PPBENCH_FLEET_TASK", Value: strconv.Itoa(l) + " (Job " + meta.Name + ")"}},
								Resources: ResourceRequirements{Requests: map[string]string{"cpu": cpu, "memory": "1Gi"}},
							}},
						},
					},
				},
			})
		}
	}
	return jobs, nil
}

// encode marshals v as indented JSON ending in a newline.
func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// KubeList encodes jobs as one v1 List, for stdout.
func KubeList(jobs []Job) ([]byte, error) {
	return encode(List{APIVersion: "v1", Kind: "List", Items: jobs})
}

// KubeManifest encodes one Job, for its own file (<name>.json).
func KubeManifest(j Job) ([]byte, error) { return encode(j) }

// kubeJobStatus is what collect reads of `kubectl get jobs -o json`.
type kubeJobStatus struct {
	Items []struct {
		Metadata ObjectMeta `json:"metadata"`
		Status   struct {
			Active     int `json:"active"`
			Succeeded  int `json:"succeeded"`
			Failed     int `json:"failed"`
			Conditions []struct {
				Type    string `json:"type"`
				Status  string `json:"status"`
				Reason  string `json:"reason"`
				Message string `json:"message"`
			} `json:"conditions"`
		} `json:"status"`
	} `json:"items"`
}

// LogPrefix starts every line a task writes to stderr when its results go
// to stdout, so that the results can be told from the log in `kubectl
// logs`, which mixes the two: a line that starts with "# " is neither a
// configuration line nor a result.
const LogPrefix = "# "

// ResultsFromLog keeps the results lines of a task's log (drops the
// LogPrefix lines).
func ResultsFromLog(log []byte) []byte {
	var b bytes.Buffer
	for _, l := range strings.SplitAfter(string(log), "\n") {
		if l == "" || strings.HasPrefix(l, LogPrefix) {
			continue
		}
		b.WriteString(l)
	}
	return b.Bytes()
}

// Collected is one results file collect wrote.
type Collected struct {
	Type, Job, Path string
	Launch          int
}

// CollectKube gets the results of fleet id's finished Jobs with kubectl
// logs into dir/<type>-<id>_<launch>.txt. A file that exists already is
// left as it is (collect may be run again as more Jobs finish). It returns
// the files written and a TaskError per Job that failed, has not finished
// or whose log could not be read.
func CollectKube(ctx context.Context, run Exec, id, namespace, dir string) ([]Collected, []error, error) {
	ns := []string{}
	if namespace != "" {
		ns = []string{"-n", namespace}
	}
	out, err := run(ctx, "kubectl", append([]string{"get", "jobs", "-l", LabelFleet + "=" + id, "-o", "json"}, ns...)...)
	if err != nil {
		return nil, nil, err
	}
	var st kubeJobStatus
	if err := json.Unmarshal(out, &st); err != nil {
		return nil, nil, fmt.Errorf("kubectl get jobs: %v", err)
	}
	if len(st.Items) == 0 {
		return nil, nil, fmt.Errorf("no Jobs labelled %s=%s", LabelFleet, id)
	}
	sort.Slice(st.Items, func(i, k int) bool { return st.Items[i].Metadata.Name < st.Items[k].Metadata.Name })
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, err
	}
	var got []Collected
	var errs []error
	for _, it := range st.Items {
		t := it.Metadata.Labels[LabelInstanceType]
		launch, _ := strconv.Atoi(it.Metadata.Labels[LabelLaunch])
		name := it.Metadata.Name
		e := &TaskError{Type: t, Task: strconv.Itoa(launch), Job: name}
		path := filepath.Join(dir, ResultsName(t, id, launch))
		switch {
		case it.Status.Succeeded > 0:
		case it.Status.Failed > 0:
			e.Msg = "failed"
			for _, c := range it.Status.Conditions {
				if c.Type == "Failed" && c.Status == "True" {
					e.Msg += " (" + strings.TrimSpace(c.Reason+" "+c.Message) + ")"
				}
			}
			e.Msg += "; see kubectl logs job/" + name
			errs = append(errs, e)
			continue
		case it.Status.Active > 0:
			e.Msg = "still running"
			errs = append(errs, e)
			continue
		default:
			e.Msg = "not started: no node of the type came up yet (kubectl describe job/" + name + ")"
			errs = append(errs, e)
			continue
		}
		if _, err := os.Stat(path); err == nil {
			continue // collected before
		} else if !errors.Is(err, fs.ErrNotExist) {
			e.Msg = err.Error()
			errs = append(errs, e)
			continue
		}
		log, err := run(ctx, "kubectl", append([]string{"logs", "job/" + name}, ns...)...)
		if err != nil {
			e.Msg = "logs: " + err.Error()
			errs = append(errs, e)
			continue
		}
		res := ResultsFromLog(log)
		if !bytes.Contains(res, []byte("\nBenchmark")) && !bytes.HasPrefix(res, []byte("Benchmark")) {
			e.Msg = "succeeded but its log has no results"
			errs = append(errs, e)
			continue
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, err = f.Write(res)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			e.Msg = err.Error()
			errs = append(errs, e)
			continue
		}
		got = append(got, Collected{Type: t, Job: name, Path: path, Launch: launch})
	}
	return got, errs, nil
}
