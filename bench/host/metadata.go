package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/ppbench/ppbench/internal/schema"
)

// Metadata is what a cloud's instance metadata service says about the
// host: what DMI does not (the machine type on GCP and Azure, the region
// everywhere).
type Metadata struct {
	Cloud    string // schema.AWS, GCP or Azure
	Instance string // c7g.xlarge, c4a-standard-4, Standard_D4ps_v6
	Zone     string // us-east-1a, europe-west4-a, "1" (Azure's zone number; "" when not zonal)
	Region   string // us-east-1, europe-west4, westeurope
	Spot     bool   // a spot (or preemptible) instance
	// ID is the instance's own id (i-0abc…, GCP's numeric id, Azure's
	// vmId); "" when the service did not say. It tells two results files
	// from one host apart from two launches.
	ID string
}

// MetadataEndpoints are the metadata services' base addresses; tests
// point them at a local server. The zero value selects the real ones.
type MetadataEndpoints struct {
	AWS   string // http://169.254.169.254
	GCP   string // http://metadata.google.internal
	Azure string // http://169.254.169.254
	// Timeout bounds the whole query; default 2 seconds. A service on a
	// link-local address answers in milliseconds or not at all.
	Timeout time.Duration
	Client  *http.Client
}

// ErrNoCloud is returned when DMI does not identify the host as a cloud
// instance: the metadata address is never asked then, since on another
// network 169.254.169.254 may be anyone.
var ErrNoCloud = errors.New("DMI does not name a cloud; metadata service not asked")

// QueryMetadata asks the instance metadata service of the cloud DMI (read
// from fsys, the root of /sys) names: AWS with an IMDSv2 session token
// first (falling back to IMDSv1 only when the token call is refused with
// 403/404/405, as on hosts that predate v2), GCP with `Metadata-Flavor:
// Google`, Azure with `Metadata: true`. On a host DMI does not identify it
// returns ErrNoCloud without a request.
func QueryMetadata(ctx context.Context, fsys fs.FS, ep MetadataEndpoints) (Metadata, error) {
	cloud := dmiCloud(fsys)
	if cloud == "" {
		return Metadata{}, ErrNoCloud
	}
	if ep.Timeout <= 0 {
		ep.Timeout = 2 * time.Second
	}
	if ep.Client == nil {
		// No proxy: the metadata service is on the host's own link.
		ep.Client = &http.Client{Transport: &http.Transport{Proxy: nil}}
	}
	ctx, cancel := context.WithTimeout(ctx, ep.Timeout)
	defer cancel()
	var md Metadata
	var err error
	switch cloud {
	case schema.AWS:
		md, err = awsMetadata(ctx, ep)
	case schema.GCP:
		md, err = gcpMetadata(ctx, ep)
	case schema.Azure:
		md, err = azureMetadata(ctx, ep)
	}
	if err != nil {
		return Metadata{}, fmt.Errorf("%s metadata: %w", cloud, err)
	}
	md.Cloud = cloud
	for _, v := range []*string{&md.Instance, &md.Region} {
		if *v != "" && schema.CheckName(*v) != nil {
			return Metadata{}, fmt.Errorf("%s metadata: %q is not a name", cloud, *v)
		}
	}
	if md.Instance == "" {
		return Metadata{}, fmt.Errorf("%s metadata: no instance type", cloud)
	}
	return md, nil
}

// dmiCloud names the cloud DMI identifies, or "".
func dmiCloud(fsys fs.FS) string {
	d := readDMI(fsys)
	switch {
	case d.isAWS():
		return schema.AWS
	case d.isGCP():
		return schema.GCP
	case isAzureDMI(d, readLine(fsys, "sys/class/dmi/id/chassis_asset_tag")):
		return schema.Azure
	}
	return ""
}

// azureAssetTag is the chassis asset tag of every Azure VM (Hyper-V's
// product name alone is any Hyper-V guest).
const azureAssetTag = "7783-7084-3265-9085-8269-3286-77"

func isAzureDMI(d dmi, assetTag string) bool {
	return d.sysVendor == "Microsoft Corporation" && d.productName == "Virtual Machine" && assetTag == azureAssetTag
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return strings.TrimRight(s, "/")
}

// metaGet fetches url with header; the body is capped at 1 MiB.
func metaGet(ctx context.Context, c *http.Client, method, url string, header map[string]string) (string, int, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		return "", 0, err
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", resp.StatusCode, err
	}
	if resp.StatusCode != http.StatusOK {
		return "", resp.StatusCode, fmt.Errorf("%s: HTTP %s", url, resp.Status)
	}
	return strings.TrimSpace(string(b)), resp.StatusCode, nil
}

func awsMetadata(ctx context.Context, ep MetadataEndpoints) (Metadata, error) {
	base := orDefault(ep.AWS, "http://169.254.169.254")
	header := map[string]string{}
	token, status, err := metaGet(ctx, ep.Client, http.MethodPut, base+"/latest/api/token",
		map[string]string{"X-aws-ec2-metadata-token-ttl-seconds": "60"})
	switch {
	case err == nil:
		header["X-aws-ec2-metadata-token"] = token
	case status == http.StatusForbidden || status == http.StatusNotFound || status == http.StatusMethodNotAllowed:
		// IMDSv1 only.
	default:
		return Metadata{}, err
	}
	get := func(path string) (string, error) {
		v, _, err := metaGet(ctx, ep.Client, http.MethodGet, base+"/latest/meta-data/"+path, header)
		return v, err
	}
	var md Metadata
	if md.Instance, err = get("instance-type"); err != nil {
		return Metadata{}, err
	}
	if md.Zone, err = get("placement/availability-zone"); err != nil {
		return Metadata{}, err
	}
	// placement/region exists since 2019; the zone less its letter
	// otherwise (us-east-1a is in us-east-1).
	if md.Region, err = get("placement/region"); err != nil || md.Region == "" {
		md.Region = strings.TrimRight(md.Zone, "abcdefghijklmnopqrstuvwxyz")
	}
	life, err := get("instance-life-cycle")
	if err != nil {
		return Metadata{}, err
	}
	md.Spot = life == "spot"
	md.ID, _ = get("instance-id") // optional: the rest stands without it
	return md, nil
}

func gcpMetadata(ctx context.Context, ep MetadataEndpoints) (Metadata, error) {
	base := orDefault(ep.GCP, "http://metadata.google.internal") + "/computeMetadata/v1/instance/"
	header := map[string]string{"Metadata-Flavor": "Google"}
	get := func(path string) (string, error) {
		v, _, err := metaGet(ctx, ep.Client, http.MethodGet, base+path, header)
		return v, err
	}
	// projects/123456/machineTypes/c4a-standard-4
	mt, err := get("machine-type")
	if err != nil {
		return Metadata{}, err
	}
	// projects/123456/zones/europe-west4-a
	zone, err := get("zone")
	if err != nil {
		return Metadata{}, err
	}
	md := Metadata{Instance: lastPart(mt), Zone: lastPart(zone)}
	if i := strings.LastIndexByte(md.Zone, '-'); i > 0 {
		md.Region = md.Zone[:i]
	}
	// SPOT or STANDARD; older VMs say preemptible TRUE instead.
	if model, err := get("scheduling/provisioning-model"); err == nil {
		md.Spot = model == "SPOT"
	}
	if !md.Spot {
		if pre, err := get("scheduling/preemptible"); err == nil {
			md.Spot = pre == "TRUE"
		}
	}
	md.ID, _ = get("id")
	return md, nil
}

func lastPart(s string) string { return s[strings.LastIndexByte(s, '/')+1:] }

func azureMetadata(ctx context.Context, ep MetadataEndpoints) (Metadata, error) {
	url := orDefault(ep.Azure, "http://169.254.169.254") + "/metadata/instance/compute?api-version=2021-02-01"
	body, _, err := metaGet(ctx, ep.Client, http.MethodGet, url, map[string]string{"Metadata": "true"})
	if err != nil {
		return Metadata{}, err
	}
	var c struct {
		VMSize   string `json:"vmSize"`
		Location string `json:"location"`
		Zone     string `json:"zone"`
		Priority string `json:"priority"` // Regular, Spot, Low
		VMID     string `json:"vmId"`
	}
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		return Metadata{}, fmt.Errorf("%s: %w", url, err)
	}
	return Metadata{Instance: c.VMSize, Region: c.Location, Zone: c.Zone,
		Spot: c.Priority == "Spot" || c.Priority == "Low", ID: c.VMID}, nil
}
