//go:build coraza

// Package coraza is the guard's opt-in tier 2: the OWASP Core Rule Set run
// by the Coraza WAF on HTTP-shaped events (API Gateway, ALB, function URL).
// It lives behind the "coraza" build tag because the rule set and engine
// add several megabytes to a binary; build with -tags coraza to use it:
//
//	crs, err := coraza.New(coraza.Options{})
//	eng, err := guard.New(pol, guard.WithTier2(crs))
//
// The WAF is compiled once, in New, outside the hot path. Each check runs
// under a hard deadline (default 5 ms); past it, Check returns
// context.DeadlineExceeded and the engine applies its fail mode.
package coraza

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	coreruleset "github.com/corazawaf/coraza-coreruleset/v4"
	"github.com/corazawaf/coraza/v3"
	"github.com/corazawaf/coraza/v3/types"

	"github.com/faasguard/faasguard/guard"
)

// Options configure the rule set.
type Options struct {
	// Deadline bounds one check; default 5ms.
	Deadline time.Duration
	// ParanoiaLevel is the CRS paranoia level, 1 to 4; default 1.
	ParanoiaLevel int
	// Directives are appended after the CRS (exclusions, extra rules).
	Directives string
}

// Checker runs the CRS; it is safe for concurrent use.
type Checker struct {
	waf      coraza.WAF
	deadline time.Duration
}

// New compiles the CRS.
func New(o Options) (*Checker, error) {
	if o.Deadline <= 0 {
		o.Deadline = 5 * time.Millisecond
	}
	if o.ParanoiaLevel == 0 {
		o.ParanoiaLevel = 1
	}
	if o.ParanoiaLevel < 1 || o.ParanoiaLevel > 4 {
		return nil, fmt.Errorf("coraza: paranoia level %d: want 1 to 4", o.ParanoiaLevel)
	}
	directives := `Include @coraza.conf-recommended
Include @crs-setup.conf.example
SecRuleEngine On
SecRequestBodyAccess On
SecResponseBodyAccess Off
SecAction "id:900000,phase:1,pass,t:none,nolog,setvar:tx.blocking_paranoia_level=` + strconv.Itoa(o.ParanoiaLevel) + `"
Include @owasp_crs/*.conf
` + o.Directives
	waf, err := coraza.NewWAF(coraza.NewWAFConfig().WithRootFS(coreruleset.FS).WithDirectives(directives))
	if err != nil {
		return nil, fmt.Errorf("coraza: compiling the CRS: %w", err)
	}
	return &Checker{waf: waf, deadline: o.Deadline}, nil
}

// Check implements guard.Tier2.
func (c *Checker) Check(ctx context.Context, req *guard.HTTPRequest) ([]guard.Tier2Match, error) {
	ctx, cancel := context.WithTimeout(ctx, c.deadline)
	defer cancel()
	type result struct {
		m   []guard.Tier2Match
		err error
	}
	done := make(chan result, 1)
	go func() {
		m, err := c.check(req)
		done <- result{m, err}
	}()
	select {
	case r := <-done:
		return r.m, r.err
	case <-ctx.Done():
		// the transaction finishes in the background and is discarded
		return nil, ctx.Err()
	}
}

func (c *Checker) check(req *guard.HTTPRequest) ([]guard.Tier2Match, error) {
	tx := c.waf.NewTransaction()
	defer func() {
		tx.ProcessLogging()
		tx.Close()
	}()
	tx.ProcessConnection("127.0.0.1", 0, "127.0.0.1", 443)
	tx.ProcessURI(req.URI, req.Method, req.Proto)
	for _, h := range req.Headers {
		tx.AddRequestHeader(h[0], h[1])
	}
	it := tx.ProcessRequestHeaders()
	if it == nil && len(req.Body) > 0 {
		var err error
		if it, _, err = tx.WriteRequestBody(req.Body); err != nil {
			return nil, err
		}
	}
	if it == nil {
		// phase 2 runs even without a body: CRS decides on its anomaly score there
		var err error
		if it, err = tx.ProcessRequestBody(); err != nil {
			return nil, err
		}
	}
	if it == nil {
		return nil, nil
	}
	var out []guard.Tier2Match
	for _, mr := range tx.MatchedRules() {
		r := mr.Rule()
		if r.ID() >= 949000 || !isAttackRule(mr) {
			continue // anomaly-score bookkeeping rules
		}
		out = append(out, guard.Tier2Match{Rule: "crs." + strconv.Itoa(r.ID()), Class: class(r.Tags()), Message: mr.Message(), Block: true})
	}
	if len(out) == 0 {
		out = append(out, guard.Tier2Match{Rule: "crs." + strconv.Itoa(it.RuleID), Class: "crs", Message: "CRS interrupted the request", Block: true})
	}
	return out, nil
}

func isAttackRule(mr types.MatchedRule) bool {
	for _, t := range mr.Rule().Tags() {
		if strings.HasPrefix(t, "attack-") {
			return true
		}
	}
	return false
}

// class maps CRS attack tags to the guard's classes.
func class(tags []string) string {
	for _, t := range tags {
		switch t {
		case "attack-sqli":
			return "sqli"
		case "attack-xss":
			return "xss"
		case "attack-rce":
			return "cmdi"
		case "attack-lfi":
			return "path_traversal"
		case "attack-rfi", "attack-ssrf":
			return "ssrf"
		case "attack-injection-php", "attack-injection-java", "attack-injection-generic":
			return "crs"
		}
	}
	return "crs"
}
