package report

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/faasguard/faasguard/model"
)

// CycloneDX 1.6 JSON: one BOM for the scan, one component of type
// "application" per function, and in it the function's packages (from its
// code root when code analysis found them), its runtime and its layers as
// nested components, with dependencies function → each of them.

// CycloneDXSpec is the CycloneDX specification version written.
const CycloneDXSpec = "1.6"

type cdxBOM struct {
	BOMFormat    string          `json:"bomFormat"`
	SpecVersion  string          `json:"specVersion"`
	SerialNumber string          `json:"serialNumber"`
	Version      int             `json:"version"`
	Metadata     cdxMetadata     `json:"metadata"`
	Components   []cdxComponent  `json:"components"`
	Dependencies []cdxDependency `json:"dependencies"`
}

type cdxMetadata struct {
	Timestamp string        `json:"timestamp"`
	Tools     cdxTools      `json:"tools"`
	Component *cdxComponent `json:"component,omitempty"`
}

type cdxTools struct {
	Components []cdxComponent `json:"components"`
}

type cdxComponent struct {
	Type        string         `json:"type"`
	BOMRef      string         `json:"bom-ref,omitempty"`
	Group       string         `json:"group,omitempty"`
	Name        string         `json:"name"`
	Version     string         `json:"version,omitempty"`
	Description string         `json:"description,omitempty"`
	PURL        string         `json:"purl,omitempty"`
	Properties  []cdxProperty  `json:"properties,omitempty"`
	Components  []cdxComponent `json:"components,omitempty"`
}

type cdxProperty struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type cdxDependency struct {
	Ref       string   `json:"ref"`
	DependsOn []string `json:"dependsOn"`
}

// runtimeRE splits a runtime identifier into platform and version:
// nodejs20.x, python3.12, java21, dotnet8, ruby3.3, provided.al2023, go1.x.
var runtimeRE = regexp.MustCompile(`^([a-z]+?)([0-9][0-9a-z.\-]*)?$`)

func writeCycloneDX(w io.Writer, in Input) error {
	bom := cdxBOM{BOMFormat: "CycloneDX", SpecVersion: CycloneDXSpec, Version: 1,
		Metadata: cdxMetadata{Timestamp: time.Now().UTC().Format(time.RFC3339),
			Tools: cdxTools{Components: []cdxComponent{{Type: "application", Group: "faasguard", Name: "faasguard", Version: in.Version}}}},
		Components: []cdxComponent{}, Dependencies: []cdxDependency{}}
	var ids []string
	refs := map[string]int{}
	// ref returns a bom-ref unique in the BOM.
	ref := func(s string) string {
		refs[s]++
		if n := refs[s]; n > 1 {
			return fmt.Sprintf("%s#%d", s, n)
		}
		return s
	}
	root := in.Root()
	if root != "" {
		bom.Metadata.Component = &cdxComponent{Type: "application", BOMRef: ref("scan:" + path.Base(filepathToSlash(root))), Name: path.Base(filepathToSlash(root))}
	}
	for _, res := range in.Results {
		prefix := in.prefix(res)
		for _, app := range res.Apps {
			for _, fn := range app.Functions {
				c, deps := cdxFunction(app, fn, prefix, ref)
				ids = append(ids, c.BOMRef)
				bom.Components = append(bom.Components, c)
				bom.Dependencies = append(bom.Dependencies, cdxDependency{Ref: c.BOMRef, DependsOn: deps})
				for _, sub := range c.Components {
					bom.Dependencies = append(bom.Dependencies, cdxDependency{Ref: sub.BOMRef, DependsOn: []string{}})
				}
			}
		}
	}
	if bom.Metadata.Component != nil {
		bom.Dependencies = append([]cdxDependency{{Ref: bom.Metadata.Component.BOMRef, DependsOn: ids}}, bom.Dependencies...)
	}
	bom.SerialNumber = "urn:uuid:" + nameUUID(root+"\x00"+in.Version+"\x00"+strings.Join(ids, "\x00"))
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(bom)
}

func filepathToSlash(p string) string { return strings.ReplaceAll(p, "\\", "/") }

func cdxFunction(app *model.Application, fn *model.Function, prefix string, ref func(string) string) (cdxComponent, []string) {
	c := cdxComponent{Type: "application", BOMRef: ref("function:" + app.Name + "/" + fn.ID), Group: app.Name, Name: fn.ID,
		Description: fmt.Sprintf("%s function %s of %s", app.Format, fn.ID, app.Name)}
	prop := func(name string, v model.Str) {
		if v.IsKnown() && v.V != "" {
			c.Properties = append(c.Properties, cdxProperty{"faasguard:" + name, v.V})
		}
	}
	prop("name", fn.Name)
	prop("runtime", fn.Runtime)
	prop("handler", fn.Handler)
	prop("architecture", fn.Architecture)
	if !fn.Pos.IsZero() {
		c.Properties = append(c.Properties, cdxProperty{"faasguard:location", prefix + fn.Pos.String()})
	}
	var deps []string
	addSub := func(s cdxComponent) {
		s.BOMRef = ref(s.BOMRef)
		c.Components = append(c.Components, s)
		deps = append(deps, s.BOMRef)
	}
	if fn.Code != nil {
		if fn.Code.Root != "" {
			c.Properties = append(c.Properties, cdxProperty{"faasguard:codeRoot", prefix + fn.Code.Root})
		}
		pkgs := append([]model.Package(nil), fn.Code.Packages...)
		sort.SliceStable(pkgs, func(i, j int) bool {
			if pkgs[i].Ecosystem != pkgs[j].Ecosystem {
				return pkgs[i].Ecosystem < pkgs[j].Ecosystem
			}
			return pkgs[i].Name < pkgs[j].Name
		})
		for _, p := range pkgs {
			if p.Name == "" {
				continue
			}
			s := cdxComponent{Type: "library", Name: p.Name, Version: p.Version, PURL: p.PURL}
			id := p.PURL
			if id == "" {
				id = p.Ecosystem + ":" + p.Name + "@" + p.Version
			}
			s.BOMRef = c.BOMRef + "|" + id
			if p.Ecosystem != "" {
				s.Properties = append(s.Properties, cdxProperty{"faasguard:ecosystem", p.Ecosystem})
			}
			if !p.Pos.IsZero() {
				s.Properties = append(s.Properties, cdxProperty{"faasguard:location", prefix + p.Pos.String()})
			}
			addSub(s)
		}
	}
	if rt, ok := fn.Runtime.Get(); ok && rt != "" {
		name, version := rt, ""
		if m := runtimeRE.FindStringSubmatch(rt); m != nil {
			name, version = m[1], m[2]
		}
		addSub(cdxComponent{Type: "platform", BOMRef: c.BOMRef + "|runtime:" + rt, Name: name, Version: version,
			Description: "function runtime " + rt})
	}
	if img, ok := fn.Image.Get(); ok && img != "" {
		addSub(cdxComponent{Type: "container", BOMRef: c.BOMRef + "|image:" + img, Name: img})
	}
	for _, l := range fn.Layers {
		name := l.V
		if !l.IsKnown() {
			name = "unknown layer"
			if l.Why != "" {
				name += " (" + l.Why + ")"
			}
		}
		if name == "" {
			continue
		}
		addSub(cdxComponent{Type: "library", BOMRef: c.BOMRef + "|layer:" + name, Name: name, Description: "Lambda layer",
			Properties: []cdxProperty{{"faasguard:kind", "layer"}}})
	}
	if deps == nil {
		deps = []string{}
	}
	return c, deps
}

// nameUUID returns a name-based (version 5, SHA-1) UUID, so the same scan
// gets the same serial number.
func nameUUID(name string) string {
	// The URL namespace of RFC 9562.
	ns := []byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	h := sha1.New()
	h.Write(ns)
	h.Write([]byte(name))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

func init() { Register("cyclonedx", writeCycloneDX) }
