package main

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/grafana-invites/grafana-invites/api"
)

// version is the release's version, set by the release build (goreleaser's ldflags
// -X main.version=…); empty otherwise, when the build info's module version is used.
var version string

// buildVersion is what the build info says of this binary.
type buildVersion struct {
	Version string `json:"version"`
	// Library is the version of the grafana-invites library built in.
	Library  string `json:"library"`
	Revision string `json:"revision"`
	Modified bool   `json:"modified"`
	Go       string `json:"go"`
}

// MarshalJSON writes every key, null for what the build info did not say.
func (v buildVersion) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Version  string  `json:"version"`
		Library  string  `json:"library"`
		Revision *string `json:"revision"`
		Modified bool    `json:"modified"`
		Go       *string `json:"go"`
	}{v.Version, v.Library, nullString(v.Revision), v.Modified, nullString(v.Go)})
}

// readBuildVersion reads the module version (or the release's, when set), the VCS revision
// (and whether the tree was modified) and the Go version from the build info; ok false
// leaves only the library's and the release's.
func readBuildVersion(bi *debug.BuildInfo, ok bool) buildVersion {
	v := buildVersion{Version: "devel", Library: "v" + api.Version}
	if ok {
		v.Go = bi.GoVersion
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v.Version = bi.Main.Version
		}
	}
	if version != "" {
		v.Version = "v" + strings.TrimPrefix(version, "v")
	}
	if !ok {
		return v
	}
	for _, d := range bi.Deps {
		if d.Path == "github.com/grafana-invites/grafana-invites" {
			v.Library = d.Version
			if d.Replace != nil {
				v.Library += " (replaced by " + d.Replace.Path + ")"
			}
		}
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

// line is the version as one line: "grafana-invites v0.2.0 (0123456789ab+dirty) go1.26.8".
func (v buildVersion) line() string {
	line := "grafana-invites " + v.Version
	if v.Revision != "" {
		dirty := ""
		if v.Modified {
			dirty = "+dirty"
		}
		line += " (" + v.Revision[:min(12, len(v.Revision))] + dirty + ")"
	}
	if v.Go != "" {
		line += " " + v.Go
	}
	return line
}

// moduleVersion is this binary's version, for the User-Agent.
func moduleVersion() string { return readBuildVersion(debug.ReadBuildInfo()).Version }

// versionOptions are version's flags.
type versionOptions struct {
	app *app
	// Format is table (one line) or json.
	Format string
}

// newVersionCmd builds version; runF, when not nil, is called with the parsed options
// instead of runVersion (tests check the flags so).
func newVersionCmd(a *app, runF func(context.Context, *versionOptions) error) *cobra.Command {
	opts := &versionOptions{app: a}
	cmd := &cobra.Command{
		Use:     "version",
		Short:   "Print the version, VCS revision and Go version of this build",
		Example: "  grafana-invites version\n  grafana-invites version -o json",
		Args:    noArgs,
	}
	cmd.Flags().StringVarP(&opts.Format, "output", "o", formatTable, "output format: table (one line) or json")
	_ = cmd.RegisterFlagCompletionFunc("output", fixedCompletions(formatTable, formatJSON))
	cmd.RunE = a.runE(func(ctx context.Context, _ *cobra.Command, _ []string) error {
		if opts.Format != formatTable && opts.Format != formatJSON {
			return usagef("--output %q: want table or json", opts.Format)
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return runVersion(opts)
	})
	return cmd
}

// runVersion prints this build's version.
func runVersion(opts *versionOptions) error {
	v := readBuildVersion(debug.ReadBuildInfo())
	if opts.Format == formatJSON {
		return writeJSON(opts.app.e.stdout, v)
	}
	fmt.Fprintln(opts.app.e.stdout, v.line())
	return nil
}
