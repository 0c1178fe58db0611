package update

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/url"
	"strings"

	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/seeds"
)

// azure reads the Retail Prices API, one region at a time, following
// NextPageLink:
//
//	{"BillingCurrency": "USD", "CustomerEntityId": "Default", "CustomerEntityType": "Retail",
//	 "Items": [{"currencyCode": "USD", "retailPrice": 0.154, "unitPrice": 0.154,
//	   "armRegionName": "westeurope", "location": "EU West", "meterName": "D4ps v6",
//	   "productName": "Virtual Machines Dpsv6 Series", "skuName": "D4ps v6",
//	   "serviceName": "Virtual Machines", "unitOfMeasure": "1 Hour", "type": "Consumption",
//	   "armSkuName": "Standard_D4ps_v6", "isPrimaryMeterRegion": true, ...}],
//	 "NextPageLink": "https://prices.azure.com:443/api/retail/prices?...&$skip=1000", "Count": 1000}
//
// Kept: type Consumption, unit "1 Hour", armSkuName a VM size; skuName
// ending " Spot" is the spot price, " Low Priority" and products ending
// " Windows" are left out (the Karpenter generator's rules, so that the
// prices compare with the snapshot's).
type azure struct{ f *fetcher }

func (*azure) Provider() string { return schema.Azure }
func (*azure) Name() string     { return "azure" }

// Regions are those the built-in catalog prices Azure in: the Retail API
// has no list of regions of its own.
func (a *azure) Regions(_ context.Context, want string) ([]string, error) {
	if want != "" {
		return []string{want}, nil
	}
	return a.f.catalogRegions(schema.Azure), nil
}

type azurePage struct {
	Items *[]struct {
		CurrencyCode  string   `json:"currencyCode"`
		RetailPrice   *float64 `json:"retailPrice"`
		ArmRegionName string   `json:"armRegionName"`
		MeterName     string   `json:"meterName"`
		ProductName   string   `json:"productName"`
		SkuName       string   `json:"skuName"`
		ServiceName   string   `json:"serviceName"`
		UnitOfMeasure string   `json:"unitOfMeasure"`
		Type          string   `json:"type"`
		ArmSkuName    string   `json:"armSkuName"`
	} `json:"Items"`
	NextPageLink *string `json:"NextPageLink"`
}

// maxAzurePages bounds a paged fetch: a region has a few thousand VM
// meters, 1,000 to a page.
const maxAzurePages = 200

func (a *azure) Fetch(ctx context.Context, region string) (Result, error) {
	q := url.Values{}
	q.Set("api-version", "2023-01-01-preview")
	q.Set("currencyCode", "USD")
	q.Set("$filter", fmt.Sprintf("serviceName eq 'Virtual Machines' and priceType eq 'Consumption' and armRegionName eq '%s'", region))
	next := a.f.cfg.AzureURL + "?" + q.Encode()
	var res Result
	seen := map[string]bool{} // instance/price type: the first meter wins
	for page := 0; next != ""; page++ {
		if page == maxAzurePages {
			return Result{}, fmt.Errorf("more than %d pages from %s", maxAzurePages, a.f.cfg.AzureURL)
		}
		var p azurePage
		err := a.f.get(ctx, next, nil, func(r io.Reader) error {
			if err := json.NewDecoder(r).Decode(&p); err != nil {
				return err
			}
			if p.Items == nil {
				return errShape("no Items")
			}
			return nil
		})
		if err != nil {
			return Result{}, fmt.Errorf("page %d: %w", page+1, err)
		}
		for i, it := range *p.Items {
			if it.ServiceName != "Virtual Machines" || it.Type != "Consumption" || it.ArmRegionName != region ||
				it.UnitOfMeasure != "1 Hour" || strings.HasSuffix(it.ProductName, " Windows") ||
				strings.HasSuffix(it.SkuName, " Low Priority") || strings.HasSuffix(it.MeterName, " Low Priority") {
				continue
			}
			name := strings.TrimSpace(it.ArmSkuName)
			if !strings.HasPrefix(name, "Standard_") && !strings.HasPrefix(name, "Basic_") || schema.CheckName(name) != nil {
				continue // dedicated hosts and placeholders
			}
			if it.RetailPrice == nil || math.IsNaN(*it.RetailPrice) || *it.RetailPrice < 0 {
				return Result{}, fmt.Errorf("page %d item %d (%s): %w", page+1, i+1, name, errShape("no retailPrice"))
			}
			if it.CurrencyCode != "" && it.CurrencyCode != "USD" {
				return Result{}, fmt.Errorf("page %d item %d (%s): price in %s, not USD", page+1, i+1, name, it.CurrencyCode)
			}
			if *it.RetailPrice == 0 {
				continue
			}
			typ := seeds.OnDemand
			if strings.HasSuffix(it.SkuName, " Spot") || strings.HasSuffix(it.MeterName, " Spot") {
				typ = seeds.Spot
			}
			if seen[name+"/"+typ] {
				continue
			}
			seen[name+"/"+typ] = true
			pr := seeds.Price{Provider: schema.Azure, Region: region, Instance: name, PricePerHour: *it.RetailPrice,
				PriceType: typ, Source: "Azure Retail Prices API " + a.f.cfg.AzureURL, SourceDate: a.f.today()}
			if !a.f.spec(&pr) {
				res.Skipped++
				continue
			}
			res.Prices = append(res.Prices, pr)
		}
		next = ""
		if p.NextPageLink != nil {
			next = *p.NextPageLink
		}
	}
	return res, nil
}
