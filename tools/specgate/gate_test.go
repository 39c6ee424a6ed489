// Package specgate tests tools/spec-gate.sh, the breaking-change gate of openapi.yaml, in
// throwaway git repositories.
package specgate

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// oasdiffBin builds oasdiff from the tools module once per test run.
func oasdiffBin(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "oasdiff")
	out, err := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "github.com/oasdiff/oasdiff").CombinedOutput() //nolint:gosec // builds the pinned tool into the test's own temp dir
	require.NoError(t, err, "%s", out)
	return bin
}

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), "git", args...) //nolint:gosec // git on the test's own throwaway repository
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %v: %s", args, out)
}

func gate(t *testing.T, dir, oasdiff string) (string, error) {
	t.Helper()
	script, err := filepath.Abs("../spec-gate.sh")
	require.NoError(t, err)
	cmd := exec.CommandContext(t.Context(), "bash", script) //nolint:gosec // the gate script under test
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "OASDIFF="+oasdiff, "SPEC_BASE=")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestGate(t *testing.T) {
	oasdiff := oasdiffBin(t)
	spec, err := os.ReadFile("../../openapi.yaml")
	require.NoError(t, err)
	changelog, err := os.ReadFile("../../CHANGELOG.md")
	require.NoError(t, err)

	dir := t.TempDir()
	write := func(name, content string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600)) //nolint:gosec // fixed names in the test's temp dir
	}
	git(t, dir, "init", "-q")
	write("openapi.yaml", string(spec))
	write("CHANGELOG.md", string(changelog))
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-qm", "first")

	out, err := gate(t, dir, oasdiff)
	require.NoError(t, err, out)
	assert.Contains(t, out, "no earlier version")

	// A compatible change: a new optional property in an answer.
	write("openapi.yaml", strings.Replace(string(spec), "        title:\n", "        hint:\n          type: string\n        title:\n", 1))
	git(t, dir, "commit", "-qam", "compatible")
	out, err = gate(t, dir, oasdiff)
	require.NoError(t, err, out)
	assert.Contains(t, out, "no breaking change")

	// Renaming loginOrEmail breaks every client.
	write("openapi.yaml", strings.ReplaceAll(string(spec), "loginOrEmail", "loginOrMail"))
	out, err = gate(t, dir, oasdiff)
	require.Error(t, err, "uncommitted break")
	assert.Contains(t, out, "spec-gate: FAILED")
	git(t, dir, "commit", "-qam", "rename")
	out, err = gate(t, dir, oasdiff)
	require.Error(t, err, "committed break")
	assert.Contains(t, out, "new-required-request-property")

	// Marked as intended in the changelog: it passes.
	write("CHANGELOG.md", strings.Replace(string(changelog), "## Unreleased\n", "## Unreleased\n\n- BREAKING: `loginOrEmail` is now `loginOrMail`; regenerate clients.\n", 1))
	git(t, dir, "commit", "-qam", "mark the break")
	out, err = gate(t, dir, oasdiff)
	require.NoError(t, err, out)
	assert.Contains(t, out, "marked as intended")

	// A long changelog after the mark: the gate must read the whole diff, or git diff dies
	// of SIGPIPE under pipefail and the marked break looks unmarked (it did, now and then).
	long := strings.Replace(string(changelog), "## Unreleased\n", "## Unreleased\n\n- BREAKING: `loginOrEmail` is now `loginOrMail`; regenerate clients.\n"+strings.Repeat("- a line after it, of which there are many\n", 200000), 1)
	write("CHANGELOG.md", long)
	git(t, dir, "commit", "-qam", "a long changelog")
	for range 3 {
		out, err = gate(t, dir, oasdiff)
		require.NoError(t, err, out)
	}
	write("CHANGELOG.md", strings.Replace(string(changelog), "## Unreleased\n", "## Unreleased\n\n- BREAKING: `loginOrEmail` is now `loginOrMail`; regenerate clients.\n", 1))
	git(t, dir, "commit", "-qam", "a short changelog again")

	// A release tag becomes the base.
	git(t, dir, "tag", "v2.0.0")
	out, err = gate(t, dir, oasdiff)
	require.NoError(t, err, out)
	assert.Contains(t, out, "(v2.0.0)")
}
