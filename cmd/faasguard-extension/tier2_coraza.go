//go:build coraza

package main

import (
	"os"
	"time"

	"github.com/faasguard/faasguard/guard"
	"github.com/faasguard/faasguard/guard/coraza"
)

// With -tags coraza, FAASGUARD_CRS=1 adds the OWASP CRS as tier 2 for
// HTTP events (FAASGUARD_CRS_DEADLINE, default 5ms, bounds each check).
func init() {
	extraOptions = func() ([]guard.Option, error) {
		if os.Getenv("FAASGUARD_CRS") != "1" {
			return nil, nil
		}
		d, _ := time.ParseDuration(os.Getenv("FAASGUARD_CRS_DEADLINE"))
		crs, err := coraza.New(coraza.Options{Deadline: d})
		if err != nil {
			return nil, err
		}
		return []guard.Option{guard.WithTier2(crs)}, nil
	}
}
