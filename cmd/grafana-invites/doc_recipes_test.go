package main

import (
	"cmp"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/itchyny/gojq"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The jq recipes of README.md and docs/fleet.md, run: each grafana-invites command against
// the fakes, its JSON through the recipe's filter (gojq, jq's language in Go), which must
// find something. A recipe whose keys the JSON no longer has fails here.

var (
	pipedJq    = regexp.MustCompile(`^grafana-invites (.+?) \| jq (.+)$`)
	savedJSON  = regexp.MustCompile(`^grafana-invites (.+?) > (\S+\.json)$`)
	jqOnFile   = regexp.MustCompile(`jq '([^']+)' (\S+\.json)`)
	shellWords = regexp.MustCompile(`'[^']*'|"[^"]*"|\S+`)
)

// TestDocumentedJqRecipes runs every jq recipe of the documentation.
func TestDocumentedJqRecipes(t *testing.T) {
	f := newFleetCLI(t)
	f.seed("ann@example.com:Viewer", "bob@example.com:Editor")
	files := map[string]string{
		"team.csv":   f.write("team.csv", "email,role\nann@example.com,Viewer\ncarl@example.com,Editor\n"),
		"fleet.yaml": f.write("fleet.yaml", theFleet+"  - name: refused\n    url: {{staging}}\n    tokenEnv: WRONG_TOKEN\n    orgs: [{id: 3, invites: [{email: a@example.com, role: Viewer}]}]\n"),
	}
	f.write("teams/prod-1.csv", "email,role\ncarol@example.com,Viewer\n")
	f.vars["WRONG_TOKEN"] = "glsa_wrong"
	saved := map[string]any{}
	run := func(t *testing.T, command string) any {
		t.Helper()
		var args []string
		for _, w := range shellWords.FindAllString(command, -1) {
			args = append(args, cmp.Or(files[w], w))
		}
		code, out, errOut := f.run("", args...)
		require.Contains(t, []int{exitOK, exitError, exitChanges}, code, "%s: %s", command, errOut)
		var doc any
		require.NoError(t, json.Unmarshal([]byte(out), &doc), command)
		return doc
	}
	recipes := 0
	for _, doc := range []string{filepath.Join("..", "..", "README.md"), filepath.Join("..", "..", "docs", "fleet.md")} {
		data, err := os.ReadFile(doc) //nolint:gosec // the repository's own documentation
		require.NoError(t, err)
		for line := range strings.Lines(string(data)) {
			line = strings.TrimSpace(line)
			if m := savedJSON.FindStringSubmatch(line); m != nil {
				saved[m[2]] = run(t, m[1])
			}
			if m := pipedJq.FindStringSubmatch(line); m != nil {
				recipes++
				t.Run(m[2], func(t *testing.T) { jqFinds(t, run(t, m[1]), m[2]) })
			}
			for _, m := range jqOnFile.FindAllStringSubmatch(line, -1) {
				recipes++
				require.Contains(t, saved, m[2], "%s: the recipe reads a file an earlier line writes", doc)
				t.Run(m[1], func(t *testing.T) { jqFinds(t, saved[m[2]], "'"+m[1]+"'") })
			}
		}
	}
	assert.GreaterOrEqual(t, recipes, 5, "the recipes were found")
}

// jqFinds runs a jq command line's filter (with -r and --arg; a $(…) value stands for a
// time far ahead) on doc and requires it to find something, without null.
func jqFinds(t *testing.T, doc any, jqArgs string) {
	t.Helper()
	words := shellWords.FindAllString(jqArgs, -1)
	var names []string
	var values []any
	filter := ""
	for i := 0; i < len(words); i++ {
		switch words[i] {
		case "-r":
		case "--arg":
			names, values = append(names, "$"+words[i+1]), append(values, argValue(words[i+2]))
			i += 2
		default:
			filter = strings.Trim(words[i], "'")
		}
	}
	query, err := gojq.Parse(filter)
	require.NoError(t, err, filter)
	code, err := gojq.Compile(query, gojq.WithVariables(names))
	require.NoError(t, err, filter)
	found := 0
	iter := code.Run(doc, values...)
	for {
		v, ok := iter.Next()
		if !ok {
			break
		}
		if err, isErr := v.(error); isErr {
			require.NoError(t, err, filter)
		}
		require.NotNil(t, v, "%s found null", filter)
		text, _ := json.Marshal(v)
		assert.NotContains(t, string(text), "null", "%s found %s", filter, text)
		found++
	}
	assert.Positive(t, found, "%s found nothing", filter)
}

// argValue is a --arg value as the shell would give it: a command substitution stands for a
// time far ahead.
func argValue(w string) string {
	w = strings.Trim(w, `"'`)
	if strings.HasPrefix(w, "$(") {
		return "2100-01-01T00:00:00Z"
	}
	return w
}
