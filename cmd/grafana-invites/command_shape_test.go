package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
)

// parseOnly runs a command built with its run function replaced: only its flags and
// arguments are parsed and checked, nothing is sent. It returns the exit status and stderr.
func parseOnly(t *testing.T, cmd *cobra.Command, a *app, args ...string) (int, string) {
	t.Helper()
	var errb syncBuffer
	a.e.stderr = &errb
	root := &cobra.Command{Use: "grafana-invites", SilenceErrors: true, SilenceUsage: true}
	root.AddCommand(cmd)
	root.SetArgs(append([]string{cmd.Name()}, args...))
	root.SetErr(&errb)
	_, err := root.ExecuteContextC(context.Background())
	var st *exitStatus
	switch {
	case err == nil:
		return exitOK, errb.String()
	case errors.As(err, &st):
		return st.code, errb.String()
	}
	return exitUsage, err.Error() // cobra's own: an unknown flag, a wrong number of arguments
}

func newTestApp() *app { return &app{e: &env{getenv: func(string) string { return "" }}} }

// TestCommandsParseFlagsAlone: each command binds its flags into its options struct and
// hands them to the run function it is built with (gh's NewCmdX(f, runF)), so flag parsing
// is checked without a Grafana; bad flags are refused before the run function is reached.
func TestCommandsParseFlagsAlone(t *testing.T) {
	t.Run("invite", func(t *testing.T) {
		var got *inviteOptions
		a := newTestApp()
		code, errOut := parseOnly(t, newInviteCmd(a, func(_ context.Context, o *inviteOptions) error { got = o; return nil }), a,
			"a@example.com", "b@example.com", "--login", "dave", "--role", "editor", "--name", "Ann", "--send-email", "--replace-role",
			"--dry-run", "--detailed-exitcode", "--show-unchanged", "-o", "json")
		require.Equal(t, exitOK, code, errOut)
		assert.Equal(t, []string{"a@example.com", "b@example.com"}, got.Addresses)
		assert.Equal(t, []string{"dave"}, got.Logins)
		assert.Equal(t, api.RoleEditor, got.Role)
		assert.Equal(t, "Ann", got.Name)
		assert.True(t, got.SendEmail && got.ReplaceRole && got.DryRun && got.DetailedExitcode && got.ShowUnchanged)
		assert.False(t, got.AllowDuplicate)
		assert.Equal(t, formatJSON, got.out.format)
	})
	t.Run("list", func(t *testing.T) {
		var got *listOptions
		a := newTestApp()
		code, errOut := parseOnly(t, newListCmd(a, func(_ context.Context, o *listOptions) error { got = o; return nil }), a,
			"--older-than", "20h", "--lifetime", "48h", "-o", "csv")
		require.Equal(t, exitOK, code, errOut)
		assert.Equal(t, 20*time.Hour, got.OlderThan)
		assert.Equal(t, 48*time.Hour, got.Lifetime)
		assert.Equal(t, formatCSV, got.out.format)
	})
	t.Run("revoke", func(t *testing.T) {
		var got *revokeOptions
		a := newTestApp()
		code, errOut := parseOnly(t, newRevokeCmd(a, func(_ context.Context, o *revokeOptions) error { got = o; return nil }), a,
			"bob@example.com", "yiKH", "--code", "Q2zr", "--email", "ann@example.com", "--login", "carl", "--yes", "--concurrency", "8")
		require.Equal(t, exitOK, code, errOut)
		assert.Equal(t, []target{{"address", "bob@example.com"}, {"word", "yiKH"}, {"code", "Q2zr"}, {"address", "ann@example.com"}, {"login", "carl"}}, got.Targets)
		assert.True(t, got.Yes)
		assert.Equal(t, 8, got.Concurrency)
	})
	t.Run("renew", func(t *testing.T) {
		var got *renewOptions
		a := newTestApp()
		code, errOut := parseOnly(t, newRenewCmd(a, func(_ context.Context, o *renewOptions) error { got = o; return nil }), a,
			"--older-than", "90m", "bob@example.com", "--send-email", "--yes")
		require.Equal(t, exitOK, code, errOut)
		assert.Equal(t, 90*time.Minute, got.OlderThan)
		assert.Equal(t, []string{"bob@example.com"}, got.Addresses)
		assert.True(t, got.SendEmail && got.Yes)
		assert.Equal(t, 4, got.Concurrency, "the default")
	})
	t.Run("sync", func(t *testing.T) {
		var got *syncOptions
		a := newTestApp()
		code, errOut := parseOnly(t, newSyncCmd(a, func(_ context.Context, o *syncOptions) error { got = o; return nil }), a,
			"team.csv", "--prune", "--replace-role", "--send-email", "--dry-run", "--plan-out", "plan.json")
		require.Equal(t, exitOK, code, errOut)
		assert.Equal(t, "team.csv", got.File)
		assert.Equal(t, planOptions{Prune: true, ReplaceRole: true, SendEmail: true}, got.Options)
		assert.Equal(t, "plan.json", got.PlanOut)
		assert.True(t, got.DryRun)
	})
	t.Run("plan", func(t *testing.T) {
		var got *fleetPlanOptions
		a := newTestApp()
		code, errOut := parseOnly(t, newPlanCmd(a, func(_ context.Context, o *fleetPlanOptions) error { got = o; return nil }), a,
			"-f", "fleet.yaml", "--plan-out", "p.json", "--detailed-exitcode", "--show-unchanged", "--parallel", "3", "--timeout", "1m", "-o", "json",
			"--instance", "prod,lab", "--instance", "staging")
		require.Equal(t, exitOK, code, errOut)
		assert.Equal(t, "fleet.yaml", got.File)
		assert.Equal(t, "p.json", got.PlanOut)
		assert.True(t, got.DetailedExitcode && got.ShowUnchanged)
		assert.Equal(t, 3, got.Parallel)
		assert.Equal(t, time.Minute, got.timeout)
		assert.Equal(t, []string{"prod", "lab", "staging"}, got.Instances)
	})
	t.Run("apply", func(t *testing.T) {
		var got *fleetApplyOptions
		a := newTestApp()
		code, errOut := parseOnly(t, newApplyCmd(a, func(_ context.Context, o *fleetApplyOptions) error { got = o; return nil }), a,
			"--plan", "p.json", "--yes", "--concurrency", "8")
		require.Equal(t, exitOK, code, errOut)
		assert.Equal(t, "p.json", got.PlanIn)
		assert.True(t, got.Yes)
		assert.Equal(t, 8, got.Concurrency)
		assert.Equal(t, defaultParallel, got.Parallel, "the default")
	})
	t.Run("serve-fake", func(t *testing.T) {
		var got *serveFakeOptions
		a := newTestApp()
		code, errOut := parseOnly(t, newServeFakeCmd(a, func(_ context.Context, o *serveFakeOptions) error { got = o; return nil }), a,
			"--addr", "127.0.0.1:0", "--smtp=false", "--json", "--latency", "20ms", "--fault", "addOrgInvite:503:2", "--grafana-version", "11.2.0")
		require.Equal(t, exitOK, code, errOut)
		assert.Equal(t, "127.0.0.1:0", got.Addr)
		assert.False(t, got.SMTP)
		assert.True(t, got.JSON)
		assert.Equal(t, 20*time.Millisecond, got.Latency)
		assert.Equal(t, "11.2.0", got.Version)
		require.Len(t, got.Faults, 1)
	})
	t.Run("demo, version, completion", func(t *testing.T) {
		var demo *demoOptions
		var version *versionOptions
		var completion *completionOptions
		a := newTestApp()
		code, _ := parseOnly(t, newDemoCmd(a, func(_ context.Context, o *demoOptions) error { demo = o; return nil }), a, "--keep-running")
		require.Equal(t, exitOK, code)
		assert.True(t, demo.KeepRunning)
		code, _ = parseOnly(t, newVersionCmd(a, func(_ context.Context, o *versionOptions) error { version = o; return nil }), a, "-o", "json")
		require.Equal(t, exitOK, code)
		assert.Equal(t, formatJSON, version.Format)
		code, _ = parseOnly(t, newCompletionCmd(a, func(_ context.Context, o *completionOptions) error { completion = o; return nil }), a, "fish")
		require.Equal(t, exitOK, code)
		assert.Equal(t, "fish", completion.Shell)
	})
	refused := []struct {
		name string
		cmd  func(*app) *cobra.Command
		args []string
		msg  string
	}{
		{"invite without role", func(a *app) *cobra.Command { return newInviteCmd(a, nil) }, []string{"a@example.com"}, "invite needs --role (None, Viewer, Editor or Admin)"},
		{"invite bad role", func(a *app) *cobra.Command { return newInviteCmd(a, nil) }, []string{"a@example.com", "--role", "Boss"}, `--role "Boss" is not a role; want None, Viewer, Editor or Admin`},
		{"show-unchanged without dry run", func(a *app) *cobra.Command { return newInviteCmd(a, nil) }, []string{"a@example.com", "--role", "Viewer", "--show-unchanged"}, "add --dry-run"},
		{"detailed-exitcode without dry run", func(a *app) *cobra.Command { return newSyncCmd(a, nil) }, []string{"team.csv", "--detailed-exitcode"}, "add --dry-run"},
		{"concurrency", func(a *app) *cobra.Command { return newRevokeCmd(a, nil) }, []string{"x@example.com", "--concurrency", "0"}, "--concurrency 0: want 1 to 64"},
		{"renew without age", func(a *app) *cobra.Command { return newRenewCmd(a, nil) }, nil, "renew needs --older-than"},
		{"list output", func(a *app) *cobra.Command { return newListCmd(a, nil) }, []string{"-o", "yaml"}, `--output "yaml": want table, json or csv`},
		{"plan without file", func(a *app) *cobra.Command { return newPlanCmd(a, nil) }, nil, "plan needs the fleet file: -f FLEET"},
		{"plan parallel", func(a *app) *cobra.Command { return newPlanCmd(a, nil) }, []string{"-f", "f.yaml", "--parallel", "0"}, "--parallel 0: want 1 to 64"},
		{"apply file and plan", func(a *app) *cobra.Command { return newApplyCmd(a, nil) }, []string{"-f", "f.yaml", "--plan", "p.json"}, "-f and --plan both name what to apply"},
		{"apply nothing", func(a *app) *cobra.Command { return newApplyCmd(a, nil) }, nil, "apply needs the fleet file (-f FLEET) or a saved plan (--plan PLAN)"},
		{"apply plan and instance", func(a *app) *cobra.Command { return newApplyCmd(a, nil) }, []string{"--plan", "p.json", "--instance", "x"}, "--plan applies a saved plan whole"},
		{"serve-fake fault", func(a *app) *cobra.Command { return newServeFakeCmd(a, nil) }, []string{"--fault", "nope"}, "--fault"},
	}
	for _, tt := range refused {
		t.Run("refused: "+tt.name, func(t *testing.T) {
			a := newTestApp()
			code, errOut := parseOnly(t, tt.cmd(a), a, tt.args...)
			assert.Equal(t, exitUsage, code)
			assert.Contains(t, errOut, tt.msg)
		})
	}
}
