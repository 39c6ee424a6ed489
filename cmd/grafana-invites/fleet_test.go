package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/fakegrafana/fakegrafanatest"
	"github.com/grafana-invites/grafana-invites/gen"
)

// fleetCLI is the CLI with two Grafanas: prod (the CLI's own fake, reached with a token of
// organisation 1) and staging (organisations 1 and 2, reached as olga, an Admin of both),
// and a folder for fleet files.
type fleetCLI struct {
	*cli
	staging *fakegrafanatest.Server
	dir     string
}

func newFleetCLI(t *testing.T) *fleetCLI {
	t.Helper()
	c := newCLI(t)
	staging := fakegrafanatest.Start(t,
		fakegrafana.WithClock(func() time.Time { return time.Unix(0, c.now.Load()).UTC() }),
		fakegrafana.WithRootURL("http://staging.test/"), fakegrafana.WithOrg(2, "Two"),
		fakegrafana.WithUser(fakegrafana.User{Login: "olga", Email: "olga@example.com", Password: "olga-pw", Orgs: map[int64]gen.OrgRole{1: gen.OrgRoleAdmin, 2: gen.OrgRoleAdmin}}))
	dir := t.TempDir()
	c.vars["PROD_TOKEN"] = c.fg.Token
	c.vars["OLGA_PASSWORD"] = "olga-pw"
	c.replace = map[string]string{staging.URL: "http://staging.test/", dir + string(filepath.Separator): ""}
	return &fleetCLI{cli: c, staging: staging, dir: dir}
}

// write writes a file of the fleet's folder, with {{prod}} and {{staging}} standing for the
// Grafanas' URLs, and returns its path.
func (f *fleetCLI) write(name, text string) string {
	f.t.Helper()
	text = strings.NewReplacer("{{prod}}", f.fg.URL, "{{staging}}", f.staging.URL).Replace(text)
	path := filepath.Join(f.dir, name)
	require.NoError(f.t, os.MkdirAll(filepath.Dir(path), 0o700))
	require.NoError(f.t, os.WriteFile(path, []byte(text), 0o600))
	return path
}

// seedStaging makes pending invites in an organisation of staging ("email:Role").
func (f *fleetCLI) seedStaging(org int64, invites ...string) {
	f.t.Helper()
	c, err := api.New(f.staging.URL, api.WithBasicAuth("olga", "olga-pw"), api.WithOrgID(org))
	require.NoError(f.t, err)
	for _, spec := range invites {
		email, role, _ := strings.Cut(spec, ":")
		_, err := c.Invite(context.Background(), api.InviteRequest{LoginOrEmail: email, Role: api.Role(role)})
		require.NoError(f.t, err)
	}
}

// pendingIn is the pending invites of an organisation of a fake, as "email:Role", sorted.
func pendingIn(fg *fakegrafanatest.Server, org int64) []string {
	var out []string
	for _, inv := range fg.Invites() {
		if inv.OrgID == org && inv.Status == gen.TempUserStatusInvitePending {
			out = append(out, inv.Email+":"+string(inv.Role))
		}
	}
	slices.Sort(out)
	return out
}

// theFleet is the fleet of most tests: prod by token, staging by password, a CSV file.
const theFleet = `# two Grafanas
instances:
  - name: prod
    url: {{prod}}
    tokenEnv: PROD_TOKEN
    orgs:
      - id: 1
        replaceRole: true
        invites:
          - {email: alice@example.com, role: Editor, name: Alice}
          - {email: bob@example.com, role: Viewer}
        file: teams/prod-1.csv
  - name: staging
    url: {{staging}}
    user: olga
    passwordEnv: OLGA_PASSWORD
    orgs:
      - id: 1
        invites:
          - {email: alice@example.com, role: Viewer}
      - id: 2
        prune: true
        invites:
          - {email: erin@example.com, role: Editor}
`

// TestFleetPlanAndApply plans a fleet of two Grafanas (three organisations), applies it,
// and plans it again: nothing is left to change.
func TestFleetPlanAndApply(t *testing.T) {
	f := newFleetCLI(t)
	f.seed("bob@example.com:Editor")
	f.seedStaging(1, "alice@example.com:Viewer")
	f.seedStaging(2, "stale@example.com:Viewer")
	fleet := f.write("fleet.yaml", theFleet)
	f.write("teams/prod-1.csv", "email,role,name\ncarol@example.com,Viewer,Carol\ndan@example.com,Admin,\n")

	code, out, errOut := f.run("", "plan", "-f", fleet)
	require.Equal(t, exitOK, code, errOut)
	golden(t, "fleet/plan.table", out)

	code, out, errOut = f.run("", "plan", "-f", fleet, "--detailed-exitcode", "-o", "json")
	require.Equal(t, exitChanges, code, errOut)
	validate(t, "fleet", out)
	golden(t, "fleet/plan.json", out)

	code, _, errOut = f.run("", "apply", "-f", fleet)
	require.Equal(t, exitUsage, code, "a revoke needs --yes off a terminal")
	assert.Contains(t, errOut, "this apply revokes 2 pending invites and there is no terminal to confirm on: pass --yes")
	assert.Equal(t, []string{"stale@example.com:Viewer"}, pendingIn(f.staging, 2), "nothing was changed")

	code, out, errOut = f.run("", "apply", "-f", fleet, "--yes")
	require.Equal(t, exitOK, code, errOut)
	golden(t, "fleet/apply.table", out)
	assert.Contains(t, errOut, "prod (http://grafana.test/): 3 to invite, 1 to replace, 0 to revoke in 1 organisation\n")
	assert.Contains(t, errOut, "staging (http://staging.test/): 1 to invite, 0 to replace, 1 to revoke in 2 organisations\n")
	assert.Equal(t, []string{"alice@example.com:Editor", "bob@example.com:Viewer", "carol@example.com:Viewer", "dan@example.com:Admin"}, pendingIn(f.fg, 1))
	assert.Equal(t, []string{"alice@example.com:Viewer"}, pendingIn(f.staging, 1))
	assert.Equal(t, []string{"erin@example.com:Editor"}, pendingIn(f.staging, 2))

	code, out, errOut = f.run("", "plan", "-f", fleet, "--detailed-exitcode")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Plan: 0 to invite, 0 to replace, 0 to revoke in 3 organisations of 2 instances; nothing was changed.")
	assert.Contains(t, out, "Nothing to change (6 unchanged) in prod org 1, staging org 1, staging org 2.\n")
	assert.NotContains(t, out, "Instance ", "no heading without a change")

	code, out, errOut = f.run("", "apply", "-f", fleet, "-o", "json")
	require.Equal(t, exitOK, code, errOut)
	validate(t, "fleet", out)
	assert.NotContains(t, out, `"instance": null`, "every entry names its instance")
	assert.NotContains(t, out, `"orgId": null`, "and its organisation")
}

// TestFleetInstanceFilter: --instance plans and applies the instances it names alone; a
// name the file does not have is refused with those it has.
func TestFleetInstanceFilter(t *testing.T) {
	f := newFleetCLI(t)
	fleet := f.write("fleet.yaml", theFleet)
	f.write("teams/prod-1.csv", "email,role\ncarol@example.com,Viewer\n")
	code, out, errOut := f.run("", "plan", "-f", fleet, "--instance", "staging")
	require.Equal(t, exitOK, code, errOut)
	assert.NotContains(t, out, "prod")
	assert.Contains(t, out, "of 1 instance;")

	code, _, errOut = f.run("", "apply", "-f", fleet, "--instance", "staging", "--yes")
	require.Equal(t, exitOK, code, errOut)
	assert.Empty(t, pendingIn(f.fg, 1), "prod was left alone")
	assert.Equal(t, []string{"erin@example.com:Editor"}, pendingIn(f.staging, 2))

	code, _, errOut = f.run("", "plan", "-f", fleet, "--instance", "nope")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "--instance nope: fleet.yaml has no such instance; its instances are: prod, staging")
}

// TestFleetFileProblems: every problem of a fleet file and of the CSV files it names is
// reported, each as FILE:LINE: problem, before anything is sent; exit 2.
func TestFleetFileProblems(t *testing.T) {
	f := newFleetCLI(t)
	f.write("teams/bad.csv", "email,role\nnot-an-address,Viewer\nzoe@example.com,Owner\n")
	fleet := f.write("fleet.yaml", `instances:
  - name: prod
    url: {{prod}}
    token: glsa_secret_written_here
    tokenEnv: PROD_TOKEN
    orgs:
      - id: 1
        invites:
          - {email: alice@example.com, role: Editor}
          - {email: alice@example.com, role: Viewer}
          - {email: bob@example, role: Viewer}
          - {email: carol@example.com, role: Boss}
        file: teams/missing.csv
      - id: 2
        file: teams/bad.csv
  - name: prod
    url: {{staging}}
    orgs:
      - id: 1
        invites: [{email: dave@example.com, role: Viewer}]
  - name: third
    url: grafana.example.com
    tokenEnv: PROD_TOKEN
    orgs:
      - id: one
`)
	calls := f.fg.Calls(fakegrafana.OpGetPendingOrgInvites)
	for _, args := range [][]string{{"plan", "-f", fleet}, {"apply", "-f", fleet, "--yes"}} {
		code, out, errOut := f.run("", args...)
		require.Equal(t, exitUsage, code, errOut)
		assert.Empty(t, out)
		assert.NotContains(t, errOut, "glsa_secret_written_here")
		golden(t, "fleet/problems.stderr", errOut)
	}
	assert.Equal(t, calls, f.fg.Calls(fakegrafana.OpGetPendingOrgInvites), "nothing was sent")

	t.Run("warning", func(t *testing.T) {
		f.write("teams/again.csv", "email,role\nALICE@example.com,Viewer\n")
		code, _, errOut := f.run("", "plan", "-f", f.write("again.yaml", `instances:
  - name: prod
    url: {{prod}}
    tokenEnv: PROD_TOKEN
    orgs:
      - id: 1
        invites: [{email: alice@example.com, role: Viewer}]
        file: teams/again.csv
`))
		assert.Equal(t, exitOK, code, errOut)
		assert.Equal(t, "again.yaml:8: warning: ALICE@example.com is listed on line 7 already, as Viewer; ignored\n", errOut)
	})
	t.Run("syntax", func(t *testing.T) {
		code, _, errOut := f.run("", "plan", "-f", f.write("broken.yaml", "instances:\n  - name: [\n"))
		assert.Equal(t, exitUsage, code)
		assert.Contains(t, errOut, "broken.yaml:2: did not find expected node content")
	})
	t.Run("credentials", func(t *testing.T) {
		delete(f.vars, "OLGA_PASSWORD")
		t.Cleanup(func() { f.vars["OLGA_PASSWORD"] = "olga-pw" })
		f.write("teams/prod-1.csv", "email,role\ncarol@example.com,Viewer\n")
		code, _, errOut := f.run("", "plan", "-f", f.write("fleet.yaml", theFleet))
		assert.Equal(t, exitUsage, code)
		assert.Contains(t, errOut, `fleet.yaml:13: instance "staging": its password variable $OLGA_PASSWORD is not set`)
	})
	t.Run("token file open to others", func(t *testing.T) {
		token := f.write("prod.token", f.fg.Token+"\n")
		require.NoError(t, os.Chmod(token, 0o644)) //nolint:gosec // the mode under test
		code, _, errOut := f.run("", "plan", "-f", f.write("open.yaml", `instances:
  - name: prod
    url: {{prod}}
    tokenFile: prod.token
    orgs: [{id: 1, invites: [{email: a@example.com, role: Viewer}]}]
`))
		assert.Equal(t, exitUsage, code)
		assert.Contains(t, errOut, `open.yaml:2: instance "prod"'s token file: prod.token is open to other users (mode 0644): chmod 600 prod.token`)
		assert.NotContains(t, errOut, f.fg.Token)
		require.NoError(t, os.Chmod(token, 0o600))
		code, _, errOut = f.run("", "plan", "-f", filepath.Join(f.dir, "open.yaml"))
		assert.Equal(t, exitOK, code, "a token file beside the fleet file, named relative to it: %s", errOut)
	})
	t.Run("missing file", func(t *testing.T) {
		code, _, errOut := f.run("", "plan", "-f", filepath.Join(f.dir, "nowhere.yaml"))
		assert.Equal(t, exitUsage, code)
		assert.Contains(t, errOut, "nowhere.yaml does not exist")
	})
}

// TestFleetInstanceDown: an instance that is down, or that answers for another
// organisation, is reported by name with the reason; the others are planned and applied;
// the exit status is 1.
func TestFleetInstanceDown(t *testing.T) {
	f := newFleetCLI(t)
	gone := httptest.NewServer(nil)
	gone.Close()
	f.vars["STAGING_TOKEN"] = f.staging.Token
	f.vars["WRONG_TOKEN"] = "glsa_not_the_token"
	fleet := f.write("fleet.yaml", `instances:
  - name: prod
    url: {{prod}}
    tokenEnv: PROD_TOKEN
    orgs: [{id: 1, invites: [{email: alice@example.com, role: Viewer}]}]
  - name: down
    url: `+gone.URL+`/
    tokenEnv: PROD_TOKEN
    orgs: [{id: 1, invites: [{email: alice@example.com, role: Viewer}]}]
  - name: elsewhere
    url: {{staging}}
    tokenEnv: STAGING_TOKEN
    orgs: [{id: 2, invites: [{email: alice@example.com, role: Viewer}]}]
  - name: refused
    url: {{prod}}
    tokenEnv: WRONG_TOKEN
    orgs: [{id: 3, invites: [{email: alice@example.com, role: Viewer}]}]
`)
	f.replace[gone.URL+"/"] = "http://down.test/"
	code, out, errOut := f.run("", "plan", "-f", fleet)
	assert.Equal(t, exitError, code, errOut)
	assert.Contains(t, out, "Instance prod, organisation 1")
	assert.Contains(t, out, "3 instances were not planned")
	assert.Contains(t, errOut, `instance "down" (http://down.test/) was not planned, nothing was sent to it`)
	assert.Contains(t, errOut, "Nothing answers at that address")
	assert.Contains(t, errOut, `instance "elsewhere" (http://staging.test/) was not planned`)
	assert.Contains(t, errOut, "does not belong to the requested organization")
	assert.Contains(t, errOut, `instance "refused" (http://grafana.test/) was not planned`)
	assert.Contains(t, errOut, "Check the instance's token (tokenEnv or tokenFile) or user and password in the fleet file")
	assert.NotContains(t, errOut, "glsa_not_the_token")
	assert.NotContains(t, errOut, "--url", "the fleet file's words, not the flags'")

	code, _, errOut = f.run("", "plan", "-f", fleet, "--plan-out", filepath.Join(f.dir, "p.json"))
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "the plan was not saved")
	assert.NoFileExists(t, filepath.Join(f.dir, "p.json"))

	code, out, errOut = f.run("", "apply", "-f", fleet, "-o", "json")
	assert.Equal(t, exitError, code, errOut)
	validate(t, "fleet", out)
	assert.Equal(t, []string{"alice@example.com:Viewer"}, pendingIn(f.fg, 1), "prod was applied all the same")
	assert.Empty(t, pendingIn(f.staging, 2))
	assert.Contains(t, out, `"planned": false`)
}

// TestFleetSavedPlan: a saved plan is private, applied exactly, and refused whole, listing
// the differences per instance, when an instance's pending invites changed since.
func TestFleetSavedPlan(t *testing.T) {
	f := newFleetCLI(t)
	f.seedStaging(2, "stale@example.com:Viewer")
	fleet := f.write("fleet.yaml", theFleet)
	f.write("teams/prod-1.csv", "email,role\ncarol@example.com,Viewer\n")
	plan := filepath.Join(f.dir, "fleet.plan.json")

	code, _, errOut := f.run("", "plan", "-f", fleet, "--plan-out", plan)
	require.Equal(t, exitOK, code, errOut)
	fi, err := os.Stat(plan)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	data, err := os.ReadFile(plan) //nolint:gosec // the test's own file
	require.NoError(t, err)
	assert.NotContains(t, string(data), "olga-pw", "references only")
	assert.NotContains(t, string(data), f.fg.Token)

	code, _, errOut = f.run("", "sync", "--plan", plan, "--yes")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "is a fleet's plan: apply it with grafana-invites apply --plan")

	f.seedStaging(2, "late@example.com:Admin") // someone else's change, after the plan
	code, _, errOut = f.run("", "apply", "--plan", plan, "--yes")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "the pending invites changed since the plan was made; nothing was sent")
	assert.Contains(t, errOut, `instance "staging": organisation 2: late@example.com: a Admin invite <code>… is pending that was not`)
	assert.Empty(t, pendingIn(f.fg, 1), "refused whole: prod was not changed either")

	code, _, errOut = f.run("", "plan", "-f", fleet, "--plan-out", plan)
	require.Equal(t, exitOK, code, errOut)
	code, out, errOut := f.run("", "apply", "--plan", plan, "--yes")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Instance staging, organisation 2")
	assert.Equal(t, []string{"erin@example.com:Editor"}, pendingIn(f.staging, 2))
	assert.Equal(t, []string{"alice@example.com:Editor", "bob@example.com:Viewer", "carol@example.com:Viewer"}, pendingIn(f.fg, 1))
}

// TestFleetInterrupted: Ctrl-C during apply starts nothing new on any instance, lets the
// request under way finish, prints a summary per instance and organisation, exits 130.
func TestFleetInterrupted(t *testing.T) {
	f := newFleetCLI(t)
	fleet := f.write("fleet.yaml", theFleet)
	f.write("teams/prod-1.csv", "email,role\ncarol@example.com,Viewer\n")
	before := f.fg.Calls(fakegrafana.OpAddOrgInvite)
	f.fg.Inject(fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 1, Delay: 50 * time.Millisecond})
	f.interrupt = make(chan struct{})
	go func() { // Ctrl-C while prod's first invite is under way
		for f.fg.Calls(fakegrafana.OpAddOrgInvite) == before {
			runtime.Gosched()
		}
		close(f.interrupt)
	}()
	code, out, errOut := f.run("", "apply", "-f", fleet, "--yes", "--parallel", "1", "--concurrency", "1")
	assert.Equal(t, exitInterrupted, code, errOut)
	assert.Contains(t, errOut, "grafana-invites: interrupted: 4 of 5 actions were not started; the requests under way finished")
	assert.Len(t, pendingIn(f.fg, 1), 1, "the invite under way finished")
	assert.Equal(t, 0, f.staging.Calls(fakegrafana.OpAddOrgInvite)+f.staging.Calls(fakegrafana.OpRevokeInvite), "nothing started on staging")
	for _, group := range []string{"Instance prod, organisation 1", "Instance staging, organisation 1", "Instance staging, organisation 2"} {
		assert.Contains(t, out, group)
	}
	assert.Contains(t, out, "not started")
}

// TestFleetWordsCoverExplain: each of explain's hints that names a connection flag reads,
// for an instance of a fleet file, in the file's words.
func TestFleetWordsCoverExplain(t *testing.T) {
	src, err := os.ReadFile("explain.go")
	require.NoError(t, err)
	hints := regexp.MustCompile(`hint = "([^"]*)"`).FindAllStringSubmatch(string(src), -1)
	require.NotEmpty(t, hints)
	for _, h := range hints {
		got := fleetWords.Replace(h[1])
		for _, flag := range []string{"--url", "--token", "--org-id", "GRAFANA_"} {
			assert.NotContains(t, got, flag, "explain's hint %q in a fleet", h[1])
		}
	}
}

// TestFleetInterruptedWhilePlanning: Ctrl-C before the plans are made ends the command at
// once: nothing was changed, exit 130.
func TestFleetInterruptedWhilePlanning(t *testing.T) {
	f := newFleetCLI(t)
	fleet := f.write("fleet.yaml", theFleet)
	f.write("teams/prod-1.csv", "email,role\ncarol@example.com,Viewer\n")
	f.interrupt = make(chan struct{})
	close(f.interrupt)
	for _, args := range [][]string{{"plan", "-f", fleet}, {"apply", "-f", fleet, "--yes"}} {
		code, out, errOut := f.run("", args...)
		assert.Equal(t, exitInterrupted, code, errOut)
		assert.Equal(t, "grafana-invites: interrupted; nothing was changed\n", errOut)
		assert.Empty(t, out)
	}
	assert.Empty(t, pendingIn(f.fg, 1))
	assert.Equal(t, 0, f.fg.Calls(fakegrafana.OpAddOrgInvite))
}

// TestFleetShortfall: an apply that leaves an address short of what was asked (no email,
// for want of SMTP) exits 3, unless an instance could not be planned: that is 1.
func TestFleetShortfall(t *testing.T) {
	f := newFleetCLI(t)
	mute := fakegrafanatest.Start(t, fakegrafana.WithSMTP(false))
	f.vars["MUTE_TOKEN"] = mute.Token
	f.replace[mute.URL] = "http://mute.test/"
	instance := "  - name: mute\n    url: " + mute.URL + "\n    tokenEnv: MUTE_TOKEN\n    orgs: [{id: 1, sendEmail: true, invites: [{email: %s@example.com, role: Viewer}]}]\n"
	fleet := f.write("fleet.yaml", "instances:\n"+fmt.Sprintf(instance, "ann"))
	code, _, errOut := f.run("", "apply", "-f", fleet)
	assert.Equal(t, exitShortfall, code, errOut)
	assert.Contains(t, errOut, "1 address not brought to the state asked for: no email sent (Grafana has no SMTP)")

	fleet = f.write("fleet.yaml", "instances:\n"+fmt.Sprintf(instance, "bea")+`  - name: down
    url: http://127.0.0.1:1/
    tokenEnv: MUTE_TOKEN
    orgs: [{id: 1, invites: [{email: bea@example.com, role: Viewer}]}]
`)
	code, _, errOut = f.run("", "apply", "-f", fleet, "--timeout", "2s")
	assert.Equal(t, exitError, code, "an instance not planned outweighs a shortfall: %s", errOut)
	assert.Contains(t, errOut, `instance "down"`)
}

// TestFleetApplyAsks: on a terminal, an apply that revokes shows what goes, per instance
// and organisation, and asks; anything but yes changes nothing and exits 2.
func TestFleetApplyAsks(t *testing.T) {
	f := newFleetCLI(t)
	f.tty = true
	f.seedStaging(2, "stale@example.com:Viewer")
	fleet := f.write("fleet.yaml", theFleet)
	f.write("teams/prod-1.csv", "email,role\ncarol@example.com,Viewer\n")

	code, _, errOut := f.run("n\n", "apply", "-f", fleet)
	assert.Equal(t, exitUsage, code, errOut)
	assert.Regexp(t, `INSTANCE\s+ORG\s+ADDRESS\s+ROLE\s+ACTION`, errOut)
	assert.Regexp(t, `staging\s+2\s+stale@example.com\s+Viewer\s+revoke`, errOut)
	assert.Contains(t, errOut, "Revoke 1 pending invites (their links stop working)? [y/N] nothing was changed")
	assert.Empty(t, pendingIn(f.fg, 1), "nothing was changed anywhere")
	assert.Equal(t, []string{"stale@example.com:Viewer"}, pendingIn(f.staging, 2))

	code, _, errOut = f.run("y\n", "apply", "-f", fleet)
	assert.Equal(t, exitOK, code, errOut)
	assert.Equal(t, []string{"erin@example.com:Editor"}, pendingIn(f.staging, 2))
}
