package host

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"
)

func dmiFS(vendor, product, bios, assetTag string) fstest.MapFS {
	const dir = "sys/class/dmi/id/"
	return fstest.MapFS{
		dir + "sys_vendor":        {Data: []byte(vendor + "\n")},
		dir + "product_name":      {Data: []byte(product + "\n")},
		dir + "bios_version":      {Data: []byte(bios + "\n")},
		dir + "chassis_asset_tag": {Data: []byte(assetTag + "\n")},
	}
}

var (
	awsDMI   = dmiFS("Amazon EC2", "c7g.xlarge", "1.0", "Amazon EC2")
	gcpDMI   = dmiFS("Google", "Google Compute Engine", "Google", "")
	azureDMI = dmiFS("Microsoft Corporation", "Virtual Machine", "Hyper-V UEFI Release v4.1", azureAssetTag)
)

// metadataServer plays the three metadata services, each insisting on its
// header, and counts requests.
type metadataServer struct {
	*httptest.Server
	hits  atomic.Int32
	files map[string]string // path -> body; absent: 404
	// tokenStatus, when set, is the answer to the IMDSv2 token PUT.
	tokenStatus int
	hang        chan struct{}
}

func newMetadataServer(t *testing.T, files map[string]string) *metadataServer {
	s := &metadataServer{files: files}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		if s.hang != nil {
			<-s.hang
			return
		}
		p := r.URL.Path
		switch {
		case p == "/latest/api/token":
			if s.tokenStatus != 0 {
				http.Error(w, "no", s.tokenStatus)
				return
			}
			if r.Method != http.MethodPut || r.Header.Get("X-aws-ec2-metadata-token-ttl-seconds") == "" {
				http.Error(w, "bad token request", http.StatusBadRequest)
				return
			}
			w.Write([]byte("AQAEAFAKE=="))
			return
		case strings.HasPrefix(p, "/latest/"):
			if s.tokenStatus == 0 && r.Header.Get("X-aws-ec2-metadata-token") != "AQAEAFAKE==" {
				http.Error(w, "Unauthorized", http.StatusUnauthorized)
				return
			}
		case strings.HasPrefix(p, "/computeMetadata/"):
			if r.Header.Get("Metadata-Flavor") != "Google" {
				http.Error(w, "Missing Metadata-Flavor:Google header.", http.StatusForbidden)
				return
			}
			w.Header().Set("Metadata-Flavor", "Google")
		case strings.HasPrefix(p, "/metadata/"):
			if r.Header.Get("Metadata") != "true" || r.URL.Query().Get("api-version") == "" {
				http.Error(w, `{"error":"Bad request. Required metadata header not specified"}`, http.StatusBadRequest)
				return
			}
		}
		body, ok := s.files[p]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(body))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *metadataServer) endpoints() MetadataEndpoints {
	return MetadataEndpoints{AWS: s.URL, GCP: s.URL, Azure: s.URL, Client: s.Client()}
}

var awsFiles = map[string]string{
	"/latest/meta-data/instance-type":               "c7g.xlarge",
	"/latest/meta-data/placement/availability-zone": "eu-west-1b",
	"/latest/meta-data/placement/region":            "eu-west-1",
	"/latest/meta-data/instance-life-cycle":         "spot",
	"/latest/meta-data/instance-id":                 "i-0123456789abcdef0",
}

func TestMetadataAWS(t *testing.T) {
	s := newMetadataServer(t, awsFiles)
	md, err := QueryMetadata(context.Background(), awsDMI, s.endpoints())
	want := Metadata{Cloud: "aws", Instance: "c7g.xlarge", Zone: "eu-west-1b", Region: "eu-west-1", Spot: true, ID: "i-0123456789abcdef0"}
	if err != nil || md != want {
		t.Errorf("got %+v, %v; want %+v", md, err, want)
	}
}

func TestMetadataAWSv1AndNoRegion(t *testing.T) {
	files := map[string]string{
		"/latest/meta-data/instance-type":               "m5.large",
		"/latest/meta-data/placement/availability-zone": "us-west-2c",
		"/latest/meta-data/instance-life-cycle":         "on-demand",
	}
	s := newMetadataServer(t, files)
	s.tokenStatus = http.StatusMethodNotAllowed // IMDSv1 only
	md, err := QueryMetadata(context.Background(), awsDMI, s.endpoints())
	want := Metadata{Cloud: "aws", Instance: "m5.large", Zone: "us-west-2c", Region: "us-west-2"}
	if err != nil || md != want {
		t.Errorf("got %+v, %v; want %+v", md, err, want)
	}
	s.tokenStatus = http.StatusInternalServerError
	if _, err := QueryMetadata(context.Background(), awsDMI, s.endpoints()); err == nil || !strings.Contains(err.Error(), "aws metadata: ") {
		t.Errorf("token error: %v", err)
	}
}

func TestMetadataGCP(t *testing.T) {
	files := map[string]string{
		"/computeMetadata/v1/instance/machine-type":                   "projects/123456789/machineTypes/c4a-standard-4",
		"/computeMetadata/v1/instance/zone":                           "projects/123456789/zones/europe-west4-a",
		"/computeMetadata/v1/instance/scheduling/provisioning-model":  "SPOT",
		"/computeMetadata/v1/instance/scheduling/preemptible":         "TRUE",
		"/computeMetadata/v1/instance/scheduling/automatic-restart":   "FALSE",
		"/computeMetadata/v1/instance/scheduling/on-host-maintenance": "TERMINATE",
		"/computeMetadata/v1/instance/id":                             "4567890123456789012",
	}
	s := newMetadataServer(t, files)
	md, err := QueryMetadata(context.Background(), gcpDMI, s.endpoints())
	want := Metadata{Cloud: "gcp", Instance: "c4a-standard-4", Zone: "europe-west4-a", Region: "europe-west4", Spot: true, ID: "4567890123456789012"}
	if err != nil || md != want {
		t.Errorf("got %+v, %v; want %+v", md, err, want)
	}
	// A preemptible VM from before Spot: no provisioning model.
	delete(files, "/computeMetadata/v1/instance/scheduling/provisioning-model")
	if md, err := QueryMetadata(context.Background(), gcpDMI, s.endpoints()); err != nil || !md.Spot {
		t.Errorf("preemptible: %+v, %v", md, err)
	}
	files["/computeMetadata/v1/instance/scheduling/preemptible"] = "FALSE"
	if md, err := QueryMetadata(context.Background(), gcpDMI, s.endpoints()); err != nil || md.Spot {
		t.Errorf("standard: %+v, %v", md, err)
	}
}

func TestMetadataAzure(t *testing.T) {
	files := map[string]string{
		"/metadata/instance/compute": `{"azEnvironment":"AzurePublicCloud","location":"westeurope","name":"bench1",` +
			`"offer":"0001-com-ubuntu-server-jammy","osType":"Linux","priority":"Spot","provider":"Microsoft.Compute",` +
			`"resourceGroupName":"rg","sku":"22_04-lts-arm64","vmId":"02aab8a4-74ef-476e-8182-f6d2ba4166a6",` +
			`"vmSize":"Standard_D4ps_v6","zone":"2"}`,
	}
	s := newMetadataServer(t, files)
	md, err := QueryMetadata(context.Background(), azureDMI, s.endpoints())
	want := Metadata{Cloud: "azure", Instance: "Standard_D4ps_v6", Zone: "2", Region: "westeurope", Spot: true, ID: "02aab8a4-74ef-476e-8182-f6d2ba4166a6"}
	if err != nil || md != want {
		t.Errorf("got %+v, %v; want %+v", md, err, want)
	}
	files["/metadata/instance/compute"] = `{"location":"eastus","priority":"Regular","vmSize":"Standard_D4ps_v5","zone":""}`
	if md, err := QueryMetadata(context.Background(), azureDMI, s.endpoints()); err != nil || md.Spot || md.Region != "eastus" {
		t.Errorf("regular: %+v, %v", md, err)
	}
	files["/metadata/instance/compute"] = `{"location":"eastus","vmSize":"Standard D4"}`
	if _, err := QueryMetadata(context.Background(), azureDMI, s.endpoints()); err == nil {
		t.Error("a vmSize with a space was taken")
	}
	files["/metadata/instance/compute"] = `{"location":`
	if _, err := QueryMetadata(context.Background(), azureDMI, s.endpoints()); err == nil || !strings.HasPrefix(err.Error(), "azure metadata: ") {
		t.Errorf("truncated: %v", err)
	}
}

// Never on a host DMI does not identify as a cloud: no request at all.
func TestMetadataNotACloud(t *testing.T) {
	s := newMetadataServer(t, awsFiles)
	for name, fsys := range map[string]fstest.MapFS{
		"kvm":                dmiFS("QEMU", "Standard PC (Q35 + ICH9, 2009)", "1.16.0", ""),
		"hyper-v, not azure": dmiFS("Microsoft Corporation", "Virtual Machine", "Hyper-V UEFI Release v4.1", "0000-0000"),
		"no dmi":             {},
	} {
		if _, err := QueryMetadata(context.Background(), fsys, s.endpoints()); !errors.Is(err, ErrNoCloud) {
			t.Errorf("%s: err = %v, want ErrNoCloud", name, err)
		}
	}
	if n := s.hits.Load(); n != 0 {
		t.Errorf("%d requests on hosts that are no cloud", n)
	}
}

func TestMetadataTimeout(t *testing.T) {
	s := newMetadataServer(t, awsFiles)
	s.hang = make(chan struct{})
	defer close(s.hang)
	ep := s.endpoints()
	ep.Timeout = 50 * time.Millisecond
	start := time.Now()
	_, err := QueryMetadata(context.Background(), gcpDMI, ep)
	if err == nil || time.Since(start) > 3*time.Second {
		t.Errorf("err = %v after %v", err, time.Since(start))
	}
}
