package cli

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ConfigName is the project configuration file, found by walking up from
// the first scanned path.
const ConfigName = ".faasguard.yaml"

// fileConfig is .faasguard.yaml: defaults for flags not given on the
// command line. It can never enable --allow-env or --allow-outside: the file
// lives in the repository being scanned, which may be untrusted.
type fileConfig struct {
	Profile        string            `yaml:"profile"`
	FailOn         string            `yaml:"failOn"`
	Format         string            `yaml:"format"`
	Only           []string          `yaml:"only"`
	Skip           []string          `yaml:"skip"`
	Stage          string            `yaml:"stage"`
	Vars           map[string]string `yaml:"vars"`
	Params         string            `yaml:"params"`
	Baseline       string            `yaml:"baseline"`
	TimeoutCeiling int               `yaml:"timeoutCeiling"`
	SkipGenerated  bool              `yaml:"skipGenerated"`
	// Stages hold per-stage overrides, applied when --stage (or stage:)
	// selects that stage.
	Stages map[string]stageConfig `yaml:"stages"`
}

type stageConfig struct {
	FailOn string            `yaml:"failOn"`
	Vars   map[string]string `yaml:"vars"`
	Skip   []string          `yaml:"skip"`
	Params string            `yaml:"params"`
}

// findConfig walks up from start to the filesystem root and returns the
// first .faasguard.yaml.
func findConfig(start string) (string, bool) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", false
	}
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		dir = filepath.Dir(dir)
	}
	for {
		p := filepath.Join(dir, ConfigName)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

func readConfig(path string) (*fileConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) > 1<<20 {
		return nil, fmt.Errorf("%s: larger than 1 MiB", path)
	}
	var c fileConfig
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && err.Error() != "EOF" {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	// Paths in the file are relative to its directory and may not leave
	// it: the file comes with the (possibly untrusted) repository, which
	// must not make the scan read files of the machine into the report.
	base := filepath.Dir(path)
	var bad error
	rel := func(key, p string) string {
		if p == "" {
			return p
		}
		full := p
		if !filepath.IsAbs(p) {
			full = filepath.Join(base, p)
		}
		if r, err := filepath.Rel(base, full); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			bad = fmt.Errorf("%s: %s %q is outside the directory of the file; give it on the command line instead", path, key, p)
		}
		return full
	}
	c.Params, c.Baseline = rel("params", c.Params), rel("baseline", c.Baseline)
	for k, s := range c.Stages {
		s.Params = rel("stages."+k+".params", s.Params)
		c.Stages[k] = s
	}
	if bad != nil {
		return nil, bad
	}
	return &c, nil
}

// apply sets every flag the user did not give from the config file.
func (c *fileConfig) apply(fs *flag.FlagSet, sf *scanFlags) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	set := func(name, v string) error {
		if v == "" || given[name] || fs.Lookup(name) == nil {
			return nil
		}
		return fs.Set(name, v)
	}
	for _, kv := range []struct{ name, v string }{
		{"profile", c.Profile}, {"fail-on", c.FailOn}, {"format", c.Format}, {"stage", c.Stage},
		{"params", c.Params}, {"baseline", c.Baseline},
	} {
		if err := set(kv.name, kv.v); err != nil {
			return fmt.Errorf("%s: %s: %v", ConfigName, kv.name, err)
		}
	}
	if c.TimeoutCeiling > 0 {
		if err := set("timeout-ceiling", strconv.Itoa(c.TimeoutCeiling)); err != nil {
			return err
		}
	}
	if c.SkipGenerated && !given["skip-generated"] {
		sf.skipGenerated = true
	}
	if !given["only"] {
		sf.only = append(sf.only, c.Only...)
	}
	if !given["skip"] {
		sf.skip = append(sf.skip, c.Skip...)
	}
	for k, v := range c.Vars {
		if _, ok := sf.vars[k]; !ok {
			sf.vars[k] = v
		}
	}
	if st, ok := c.Stages[sf.stage]; ok && sf.stage != "" {
		if err := set("fail-on", st.FailOn); err != nil {
			return err
		}
		if err := set("params", st.Params); err != nil {
			return err
		}
		sf.skip = append(sf.skip, st.Skip...)
		for k, v := range st.Vars {
			if _, ok := sf.vars[k]; !ok {
				sf.vars[k] = v
			}
		}
	}
	return nil
}
