package update

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/seeds"
)

// awsOnDemand reads the Price List bulk API: region_index.json names
// each region's offer file, whose "products" map SKUs to attributes and
// whose "terms"."OnDemand" map SKUs to their hourly price:
//
//	{"formatVersion": "v1.0", "offerCode": "AmazonEC2", "publicationDate": "...",
//	 "products": {"SKU": {"sku": "SKU", "productFamily": "Compute Instance",
//	   "attributes": {"instanceType": "c7g.xlarge", "regionCode": "eu-west-1",
//	     "operatingSystem": "Linux", "tenancy": "Shared", "preInstalledSw": "NA",
//	     "capacitystatus": "Used", "vcpu": "4", "memory": "8 GiB",
//	     "physicalProcessor": "AWS Graviton3 Processor", ...}}},
//	 "terms": {"OnDemand": {"SKU": {"SKU.JRTCKXETXF": {"priceDimensions":
//	   {"SKU.JRTCKXETXF.6YS6EN2CT7": {"unit": "Hrs", "pricePerUnit": {"USD": "0.1540000000"}}}}}},
//	   "Reserved": {...}}}
//
// The offer files are large (hundreds of MB), so they are decoded as a
// stream, one product and one term at a time.
type awsOnDemand struct {
	f     *fetcher
	files map[string]string // region -> offer file URL
}

func (*awsOnDemand) Provider() string { return schema.AWS }
func (*awsOnDemand) Name() string     { return "aws on_demand" }

func (a *awsOnDemand) Regions(ctx context.Context, want string) ([]string, error) {
	url := a.f.cfg.AWSPricingURL + "/offers/v1.0/aws/AmazonEC2/current/region_index.json"
	var index struct {
		Regions map[string]struct {
			RegionCode        string `json:"regionCode"`
			CurrentVersionURL string `json:"currentVersionUrl"`
		} `json:"regions"`
	}
	err := a.f.get(ctx, url, nil, func(r io.Reader) error { return json.NewDecoder(r).Decode(&index) })
	if err != nil {
		return nil, err
	}
	if len(index.Regions) == 0 {
		return nil, fmt.Errorf("%s: %w", url, errShape("no regions"))
	}
	a.files = map[string]string{}
	var regions []string
	for code, r := range index.Regions {
		if r.CurrentVersionURL == "" {
			return nil, fmt.Errorf("%s: %w", url, errShape("region %s has no currentVersionUrl", code))
		}
		a.files[code] = a.f.cfg.AWSPricingURL + r.CurrentVersionURL
		regions = append(regions, code)
	}
	sort.Strings(regions)
	return narrow(regions, want, "the AWS price list")
}

type awsProduct struct {
	SKU           string `json:"sku"`
	ProductFamily string `json:"productFamily"`
	Attributes    struct {
		InstanceType      string `json:"instanceType"`
		RegionCode        string `json:"regionCode"`
		OperatingSystem   string `json:"operatingSystem"`
		Tenancy           string `json:"tenancy"`
		PreInstalledSw    string `json:"preInstalledSw"`
		CapacityStatus    string `json:"capacitystatus"`
		MarketOption      string `json:"marketoption"`
		VCPU              string `json:"vcpu"`
		Memory            string `json:"memory"`
		PhysicalProcessor string `json:"physicalProcessor"`
	} `json:"attributes"`
}

type awsTerm struct {
	PriceDimensions map[string]struct {
		Unit         string            `json:"unit"`
		PricePerUnit map[string]string `json:"pricePerUnit"`
	} `json:"priceDimensions"`
}

func (a *awsOnDemand) Fetch(ctx context.Context, region string) (Result, error) {
	url, ok := a.files[region]
	if !ok {
		return Result{}, fmt.Errorf("no offer file for region %s in the region index", region)
	}
	var res Result
	err := a.f.get(ctx, url, nil, func(r io.Reader) error {
		products := map[string]*awsProduct{}
		var sawProducts, sawTerms bool
		d := json.NewDecoder(r)
		err := objectEntries(d, func(key string) error {
			switch key {
			case "products":
				sawProducts = true
				return objectEntries(d, func(sku string) error {
					var p awsProduct
					if err := d.Decode(&p); err != nil {
						return fmt.Errorf("product %s: %w", sku, err)
					}
					at := p.Attributes
					if (p.ProductFamily == "Compute Instance" || p.ProductFamily == "Compute Instance (bare metal)") &&
						at.OperatingSystem == "Linux" && at.Tenancy == "Shared" && at.PreInstalledSw == "NA" &&
						at.CapacityStatus == "Used" && (at.MarketOption == "" || at.MarketOption == "OnDemand") &&
						(at.RegionCode == "" || at.RegionCode == region) {
						products[sku] = &p
					}
					return nil
				})
			case "terms":
				sawTerms = true
				return objectEntries(d, func(kind string) error {
					if kind != "OnDemand" {
						return skipValue(d)
					}
					return objectEntries(d, func(sku string) error {
						var terms map[string]awsTerm
						if err := d.Decode(&terms); err != nil {
							return fmt.Errorf("term of %s: %w", sku, err)
						}
						p, ok := products[sku]
						if !ok {
							return nil
						}
						price, err := hourly(terms)
						if err != nil {
							return fmt.Errorf("term of %s (%s): %w", sku, p.Attributes.InstanceType, err)
						}
						if price > 0 {
							a.add(&res, p, price, region, url)
						}
						return nil
					})
				})
			}
			return skipValue(d)
		})
		if err != nil {
			return err
		}
		if !sawProducts || !sawTerms {
			return errShape("no products or no terms")
		}
		if len(res.Prices) == 0 && len(products) > 0 {
			return errShape("%d Linux instance products and no on-demand price", len(products))
		}
		return nil
	})
	return res, err
}

func (a *awsOnDemand) add(res *Result, prod *awsProduct, price float64, region, url string) {
	at := prod.Attributes
	p := seeds.Price{Provider: schema.AWS, Region: region, Instance: at.InstanceType, PricePerHour: price,
		PriceType: seeds.OnDemand, Source: "AWS Price List API " + url, SourceDate: a.f.today()}
	if !a.f.spec(&p) {
		// A type newer than the instance table: the offer file's own specs.
		v, err := strconv.Atoi(at.VCPU)
		if err != nil || v <= 0 {
			res.Skipped++
			return
		}
		p.VCPUs = v
		p.MemoryGiB, _ = strconv.ParseFloat(strings.TrimSuffix(strings.ReplaceAll(at.Memory, ",", ""), " GiB"), 64)
		if p.MemoryGiB < 0 || math.IsNaN(p.MemoryGiB) || math.IsInf(p.MemoryGiB, 0) {
			p.MemoryGiB = 0
		}
		p.Arch = "x86_64"
		if strings.Contains(at.PhysicalProcessor, "Graviton") {
			p.Arch = "arm64"
		}
		p.CPU = at.PhysicalProcessor
		if p.CPU == "" {
			p.CPU = "unknown"
		}
		p.Cores = max(1, v/seeds.ThreadsPerCore(p.Instance, p.Arch))
	}
	if schema.CheckName(p.Instance) != nil || schema.Provider(p.Instance) != schema.AWS {
		res.Skipped++
		return
	}
	res.Prices = append(res.Prices, p)
}

// hourly returns the USD per hour of an on-demand term (one offer term,
// one price dimension per hour).
func hourly(terms map[string]awsTerm) (float64, error) {
	for _, t := range terms {
		for _, dim := range t.PriceDimensions {
			if dim.Unit != "Hrs" {
				continue
			}
			s, ok := dim.PricePerUnit["USD"]
			if !ok {
				return 0, errShape("no USD price")
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
				return 0, fmt.Errorf("price %q is not a number", s)
			}
			return v, nil
		}
	}
	return 0, nil
}

// objectEntries reads a JSON object from d, calling entry with each key
// while d is at the key's value; entry must consume the value.
func objectEntries(d *json.Decoder, entry func(key string) error) error {
	tok, err := d.Token()
	if err != nil {
		return err
	}
	if delim, ok := tok.(json.Delim); !ok || delim != '{' {
		return errShape("want an object, found %v", tok)
	}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		key, ok := tok.(string)
		if !ok {
			return errShape("want a key, found %v", tok)
		}
		if err := entry(key); err != nil {
			return err
		}
	}
	_, err = d.Token() // '}'
	return err
}

// skipValue consumes one JSON value without keeping it.
func skipValue(d *json.Decoder) error {
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		if delim, ok := tok.(json.Delim); ok {
			switch delim {
			case '{', '[':
				depth++
			default:
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
	}
}

// awsSpot reads the Spot pricing page's feed, JSONP around
//
//	{"vers": 0.01, "config": {"rate": "perhr", "valueColumns": ["linux", "mswin"],
//	 "currencies": ["USD"], "regions": [{"region": "us-east", "instanceTypes": [
//	   {"type": "generalCurrentGen", "sizes": [{"size": "m5.large", "valueColumns": [
//	     {"name": "linux", "prices": {"USD": "0.0343"}}, {"name": "mswin", "prices": {"USD": "0.1263"}}]}]}]}]}}
//
// Region names are region codes, except a few old ones (us-east is
// us-east-1, eu-ireland eu-west-1, apac-sin ap-southeast-1, ...). A size
// without a Linux price ("N/A*") is left out.
type awsSpot struct {
	f      *fetcher
	url    string
	prices map[string]Result
}

func (*awsSpot) Provider() string { return schema.AWS }
func (*awsSpot) Name() string     { return "aws spot" }

var oldSpotRegions = map[string]string{
	"us-east": "us-east-1", "us-west": "us-west-1", "eu-ireland": "eu-west-1",
	"apac-sin": "ap-southeast-1", "apac-syd": "ap-southeast-2", "apac-tokyo": "ap-northeast-1",
}

type spotFeed struct {
	Config struct {
		Regions []struct {
			Region        string `json:"region"`
			InstanceTypes []struct {
				Sizes []struct {
					Size         string `json:"size"`
					ValueColumns []struct {
						Name   string            `json:"name"`
						Prices map[string]string `json:"prices"`
					} `json:"valueColumns"`
				} `json:"sizes"`
			} `json:"instanceTypes"`
		} `json:"regions"`
	} `json:"config"`
}

func (s *awsSpot) Regions(ctx context.Context, want string) ([]string, error) {
	s.url = s.f.cfg.AWSSpotURL
	var feed spotFeed
	err := s.f.get(ctx, s.url, nil, func(r io.Reader) error {
		b, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		b = bytes.TrimSpace(b)
		// callback({...}); with or without the semicolon.
		start, end := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
		if !bytes.HasPrefix(b, []byte("callback(")) || end < start {
			return errShape("not a callback(...) document")
		}
		if err := json.Unmarshal(b[start+1:end], &feed); err != nil {
			return err
		}
		if len(feed.Config.Regions) == 0 {
			return errShape("no regions")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.prices = map[string]Result{}
	var regions []string
	for _, reg := range feed.Config.Regions {
		code := reg.Region
		if c, ok := oldSpotRegions[code]; ok {
			code = c
		}
		var res Result
		for _, it := range reg.InstanceTypes {
			for _, size := range it.Sizes {
				for _, col := range size.ValueColumns {
					if col.Name != "linux" {
						continue
					}
					v, err := strconv.ParseFloat(col.Prices["USD"], 64)
					if err != nil || v <= 0 || math.IsInf(v, 0) {
						continue // "N/A*": not offered
					}
					p := seeds.Price{Provider: schema.AWS, Region: code, Instance: size.Size, PricePerHour: v,
						PriceType: seeds.Spot, Source: "AWS Spot price feed " + s.url, SourceDate: s.f.today()}
					if !s.f.spec(&p) {
						res.Skipped++
						continue
					}
					res.Prices = append(res.Prices, p)
				}
			}
		}
		if _, dup := s.prices[code]; !dup {
			regions = append(regions, code)
		}
		s.prices[code] = res
	}
	sort.Strings(regions)
	return narrow(regions, want, "the AWS spot feed")
}

func (s *awsSpot) Fetch(_ context.Context, region string) (Result, error) {
	return s.prices[region], nil
}
