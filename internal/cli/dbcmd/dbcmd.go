// Package dbcmd implements `faasguard db`, which installs and inspects the
// local OSV vulnerability database that dependency scanning reads.
package dbcmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/faasguard/faasguard/osvdb"
)

const usage = `usage: faasguard db <command> [flags]

Commands:
  update   download the OSV export archives (<base-url>/<Ecosystem>/all.zip)
           into the database directory, verified and installed atomically
  status   show what the database directory holds and check it against
           the manifest written by update

Run 'faasguard db <command> -h' for the command's flags.
`

// Run executes `faasguard db` with args, the arguments after "db". It
// returns the process exit code: 0 on success, 1 on failure, 2 on a usage
// error.
func Run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "update":
		return runUpdate(args[1:], stdout, stderr)
	case "status":
		return runStatus(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "faasguard db: unknown command %q\n\n%s", args[0], usage)
	return 2
}

// parse parses flags, printing the command's usage for -h. done is true
// when Run should return code.
func parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (code int, done bool) {
	// The flag package prints errors and usage to one writer; help goes
	// to stdout, errors to stderr.
	var msg strings.Builder
	fs.SetOutput(&msg)
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
		return 0, true
	case err != nil:
		io.WriteString(stderr, msg.String())
		return 2, true
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "faasguard db %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return 2, true
	}
	return 0, false
}

func runUpdate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("update", flag.ContinueOnError)
	ecos := fs.String("ecosystems", strings.Join(osvdb.DefaultEcosystems, ","), "comma-separated OSV ecosystems to download")
	dir := fs.String("db", osvdb.DefaultDir(), "database directory")
	baseURL := fs.String("base-url", osvdb.DefaultBaseURL, "where the per-ecosystem archives are published")
	timeout := fs.Duration("timeout", 30*time.Minute, "give up after this long")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: faasguard db update [--ecosystems npm,PyPI,...] [--db DIR] [--base-url URL] [--timeout D]\n\n"+
			"Downloads <base-url>/<Ecosystem>/all.zip for each ecosystem into DIR/<Ecosystem>/all.zip.\n"+
			"Each archive is checked (size, server MD5 when sent, every record parsed) before it\n"+
			"replaces the previous one; DIR/%s records SHA-256, size, record count and date.\n"+
			"A progress bar is drawn when stderr is a terminal.\n\nFlags:\n", osvdb.ManifestName)
		fs.PrintDefaults()
	}
	if code, done := parse(fs, args, stdout, stderr); done {
		return code
	}
	var list []string
	for e := range strings.SplitSeq(*ecos, ",") {
		if e = strings.TrimSpace(e); e != "" {
			list = append(list, e)
		}
	}
	if len(list) == 0 {
		fmt.Fprintln(stderr, "faasguard db update: --ecosystems is empty")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	res, err := osvdb.Update(ctx, osvdb.UpdateOptions{BaseURL: *baseURL, Dir: *dir, Ecosystems: list, Progress: stderr})
	for _, r := range res {
		state := "updated"
		if !r.Updated {
			state = "up to date"
		}
		fmt.Fprintf(stdout, "%s: %s, %d records (%s)\n", r.Ecosystem, state, r.Entry.Records, filepath.Join(*dir, filepath.FromSlash(r.Entry.File)))
	}
	if err != nil {
		fmt.Fprintf(stderr, "faasguard db update: %v\n", err)
		return 1
	}
	return 0
}

func runStatus(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	dir := fs.String("db", osvdb.DefaultDir(), "database directory")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: faasguard db status [--db DIR]\n\n"+
			"Lists the archives installed by 'faasguard db update' with their record counts and\n"+
			"dates, re-checks each archive's SHA-256 against the manifest, and lists ecosystem\n"+
			"directories holding plain OSV JSON files. Exits 1 if the directory is missing or an\n"+
			"archive is missing or modified.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if code, done := parse(fs, args, stdout, stderr); done {
		return code
	}
	if _, err := os.Stat(*dir); err != nil {
		fmt.Fprintf(stderr, "faasguard db status: no database at %s (run 'faasguard db update')\n", *dir)
		return 1
	}
	m, err := osvdb.ReadManifest(*dir)
	if err != nil {
		fmt.Fprintf(stderr, "faasguard db status: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "database: %s\n", *dir)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ECOSYSTEM\tSOURCE\tRECORDS\tSIZE\tDOWNLOADED\tCHECK")
	bad := false
	names := make([]string, 0, len(m.Ecosystems))
	for name := range m.Ecosystems {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		e := m.Ecosystems[name]
		check := "ok"
		sum, err := osvdb.FileSHA256(filepath.Join(*dir, filepath.FromSlash(e.File)))
		switch {
		case err != nil:
			check, bad = "missing", true
		case sum != e.SHA256:
			check, bad = "modified since download", true
		}
		fmt.Fprintf(tw, "%s\tall.zip\t%d\t%.1f MiB\t%s\t%s\n", name, e.Records, float64(e.Size)/(1<<20), e.Downloaded.Format(time.RFC3339), check)
	}
	// Directories of plain JSON records (fixtures, private advisories).
	entries, _ := os.ReadDir(*dir)
	for _, d := range entries {
		if !d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			continue
		}
		if n := countJSON(filepath.Join(*dir, d.Name())); n > 0 {
			fmt.Fprintf(tw, "%s\tJSON files\t%d\t-\t-\t-\n", d.Name(), n)
		}
	}
	tw.Flush()
	if len(names) == 0 {
		fmt.Fprintln(stdout, "no archives installed by 'faasguard db update'")
	}
	if bad {
		return 1
	}
	return 0
}

// countJSON counts *.json files below dir, a few levels deep.
func countJSON(dir string) int {
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && strings.Count(strings.TrimPrefix(p, dir), string(filepath.Separator)) > 3 {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() && strings.EqualFold(filepath.Ext(p), ".json") {
			n++
		}
		return nil
	})
	return n
}
