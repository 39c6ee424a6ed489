package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// The fleet file's schema, example and CI workflow, kept honest: the schema says what the
// reader reads, the example passes both, and the workflow's commands parse.

var (
	fleetSchemaPath  = filepath.Join("..", "..", "docs", "fleet.schema.json")
	fleetExample     = filepath.Join("..", "..", "docs", "examples", "fleet.yaml")
	fleetWorkflowDoc = filepath.Join("..", "..", "docs", "examples", "fleet-workflow.yml")
)

// fleetSchema compiles docs/fleet.schema.json.
func fleetSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	return compileSchemaFile(t, fleetSchemaPath, "")
}

// yamlAsJSON is a YAML document as the schema validator reads JSON.
func yamlAsJSON(t *testing.T, text string) any {
	t.Helper()
	var v any
	require.NoError(t, yaml.Unmarshal([]byte(text), &v))
	data, err := json.Marshal(v)
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	return doc
}

// TestFleetSchemaMatchesTheReader: every key the reader knows is in the schema, and every
// key of the schema is one the reader knows, at each level.
func TestFleetSchemaMatchesTheReader(t *testing.T) {
	data, err := os.ReadFile(fleetSchemaPath) //nolint:gosec // the repository's own schema
	require.NoError(t, err)
	var schema struct {
		Properties map[string]any `json:"properties"`
		Defs       map[string]struct {
			Properties map[string]any `json:"properties"`
		} `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(data, &schema))
	keys := func(m map[string]any) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	tags := func(v any) []string {
		var out []string
		ty := reflect.TypeOf(v)
		for i := range ty.NumField() {
			name, _, _ := strings.Cut(ty.Field(i).Tag.Get("yaml"), ",")
			out = append(out, name)
		}
		slices.Sort(out)
		return out
	}
	assert.Equal(t, tags(fleetFile{}), keys(schema.Properties))
	assert.Equal(t, tags(fleetInstance{}), keys(schema.Defs["instance"].Properties))
	assert.Equal(t, tags(fleetOrg{}), keys(schema.Defs["org"].Properties))
	assert.Equal(t, tags(fleetInvite{}), keys(schema.Defs["invite"].Properties))
}

// TestFleetExample: the example fleet file passes the schema and the reader (with the
// context it names).
func TestFleetExample(t *testing.T) {
	data, err := os.ReadFile(fleetExample) //nolint:gosec // the repository's own example
	require.NoError(t, err)
	assert.NoError(t, fleetSchema(t).Validate(yamlAsJSON(t, string(data))))

	c := newCLI(t)
	config := filepath.Join(t.TempDir(), "config.yaml")
	c.vars["GRAFANA_INVITES_CONFIG"] = config
	code, _, errOut := c.run("", "context", "add", "lab", "--url", "https://lab.example.com/", "--token-env", "LAB_TOKEN")
	require.Equal(t, exitOK, code, errOut)
	var errb syncBuffer
	a := &app{e: &env{getenv: func(k string) string { return c.vars[k] }, readFile: os.ReadFile, stderr: &errb}}
	fl, err := a.readFleet(fleetExample)
	require.NoError(t, err)
	assert.Empty(t, errb.String(), "no warnings")
	require.Len(t, fl.instances, 3)
	assert.Equal(t, "https://lab.example.com/", fl.instances[2].entry.URL, "the context supplies the URL")
	assert.Len(t, fl.instances[0].orgs[0].desired, 4, "two invites and the CSV file's two rows")
}

// TestFleetHelpExample: the fleet file plan's help shows is one the reader accepts.
func TestFleetHelpExample(t *testing.T) {
	long := newPlanCmd(newTestApp(), nil).Long
	_, example, found := strings.Cut(long, "The fleet file (")
	require.True(t, found)
	var lines []string
	for line := range strings.Lines(example) {
		if strings.HasPrefix(line, "  ") {
			lines = append(lines, strings.TrimPrefix(line, "  "))
		}
	}
	c := newCLI(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "fleet.yaml")
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "")), 0o600))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "teams"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "teams", "prod-1.csv"), []byte("email,role\nbob@example.com,Viewer\n"), 0o600))
	a := &app{e: &env{getenv: func(k string) string { return c.vars[k] }, readFile: os.ReadFile, stderr: &syncBuffer{}}}
	fl, err := a.readFleet(path)
	require.NoError(t, err)
	require.Len(t, fl.instances, 1)
	assert.Len(t, fl.instances[0].orgs[0].desired, 2)
	assert.NoError(t, fleetSchema(t).Validate(yamlAsJSON(t, strings.Join(lines, ""))))
}

// TestFleetSchemaRefusesWhatTheReaderRefuses: files the reader refuses, the schema refuses
// too, so that an editor marks them before a run does.
func TestFleetSchemaRefusesWhatTheReaderRefuses(t *testing.T) {
	schema := fleetSchema(t)
	org := "\n    orgs: [{id: 1, invites: [{email: a@example.com, role: Viewer}]}]\n"
	for name, text := range map[string]string{
		"unknown key":        "instances:\n  - name: p\n    url: https://g.example.com/\n    token: x\n    tokenEnv: T" + org,
		"no credentials":     "instances:\n  - name: p\n    url: https://g.example.com/" + org,
		"two kinds":          "instances:\n  - name: p\n    url: https://g.example.com/\n    tokenEnv: T\n    user: u" + org,
		"context and url":    "instances:\n  - name: p\n    context: p\n    url: https://g.example.com/" + org,
		"url without scheme": "instances:\n  - name: p\n    url: g.example.com\n    tokenEnv: T" + org,
		"bad role":           "instances:\n  - name: p\n    url: https://g.example.com/\n    tokenEnv: T\n    orgs: [{id: 1, invites: [{email: a@example.com, role: Boss}]}]\n",
		"org without id":     "instances:\n  - name: p\n    url: https://g.example.com/\n    tokenEnv: T\n    orgs: [{invites: [{email: a@example.com, role: Viewer}]}]\n",
		"no instances":       "instances: []\n",
		"secret for a name":  "instances:\n  - name: p\n    url: https://g.example.com/\n    tokenEnv: glsa_abc-def" + org,
	} {
		t.Run(name, func(t *testing.T) {
			assert.Error(t, schema.Validate(yamlAsJSON(t, text)), "the schema")
			c := newCLI(t)
			path := filepath.Join(t.TempDir(), "fleet.yaml")
			require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
			code, _, errOut := c.run("", "plan", "-f", path)
			assert.Equal(t, exitUsage, code, "the reader: %s", errOut)
			assert.Contains(t, errOut, "fleet.yaml:")
		})
	}
}

// TestFleetWorkflowExample: the example workflow installs this module's command, and each
// grafana-invites command it runs names a command and flags that exist (actionlint, in
// make check, checks the rest of it).
func TestFleetWorkflowExample(t *testing.T) {
	data, err := os.ReadFile(fleetWorkflowDoc) //nolint:gosec // the repository's own example
	require.NoError(t, err)
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Run string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	require.NoError(t, yaml.Unmarshal(data, &wf))
	mod, err := os.ReadFile("go.mod")
	require.NoError(t, err)
	module := strings.TrimPrefix(strings.SplitN(string(mod), "\n", 2)[0], "module ")
	var commands [][]string
	for _, job := range wf.Jobs {
		for _, step := range job.Steps {
			for line := range strings.Lines(step.Run) {
				words := strings.Fields(line)
				if len(words) > 2 && words[0] == "go" && words[1] == "install" {
					assert.Equal(t, module, strings.Split(words[2], "@")[0], "go install names this module")
				}
				if len(words) == 0 || words[0] != "grafana-invites" {
					continue
				}
				end := slices.IndexFunc(words, func(w string) bool { return slices.Contains([]string{">", ">>", "|", "&&", "||", ";"}, w) })
				if end < 0 {
					end = len(words)
				}
				commands = append(commands, words[1:end])
			}
		}
	}
	require.Len(t, commands, 2, "a plan and an apply")
	for _, args := range commands {
		root := newRoot(newTestApp())
		cmd, rest, err := root.Find(args)
		require.NoError(t, err, args)
		require.NotEqual(t, root, cmd, "%v names a command", args)
		assert.NoError(t, cmd.ParseFlags(rest), "%v", args)
		assert.Contains(t, []string{"plan", "apply"}, cmd.Name())
	}
}
