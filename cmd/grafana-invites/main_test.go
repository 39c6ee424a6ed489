package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// TestMain lets a test run this binary as the real command (for signals).
func TestMain(m *testing.M) {
	if os.Getenv("GRAFANA_INVITES_BE_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// syncBuffer is a bytes.Buffer safe for a command writing while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runCLI runs the command in-process and returns its exit status, stdout and stderr.
func runCLI(t *testing.T, vars map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb syncBuffer
	e := &env{
		stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv:   func(k string) string { return vars[k] },
		readFile: os.ReadFile, now: time.Now,
	}
	code := run(context.Background(), args, e)
	return code, out.String(), errb.String()
}

func TestDemo(t *testing.T) {
	code, out, errOut := runCLI(t, nil, "", "demo")
	require.Equal(t, exitOK, code, errOut)
	for _, want := range []string{
		"1. Invite", "invited, email sent", "  invited\n", "existing user added", "already a member (412)",
		"2. List pending invites", "EMAILED", "3. Revoke the invite of bob@example.com", "revoked",
		"4. List pending invites again", "5. Accept an invite in a browser", "Done: 2 pending invites",
		"grafana-invites demo --keep-running keeps it serving until Ctrl-C",
	} {
		assert.Contains(t, out, want)
	}
	after := out[strings.Index(out, "4. List"):]
	assert.NotContains(t, after, "bob@example.com", "bob's invite is gone after the revoke")
	assert.Regexp(t, `invite is still pending; its link opens a sign-up page like Grafana's:\n  http://127\.0\.0\.1:\d+/invite/[0-9A-Za-z]{30}\n`, after)
}

// TestDemoKeepsRunning: with --keep-running the demo's link opens the invite page, and the
// invite's info answers, until Ctrl-C.
func TestDemoKeepsRunning(t *testing.T) {
	var out, errb syncBuffer
	interrupt := make(chan struct{})
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" },
		readFile: os.ReadFile, now: time.Now, interrupt: interrupt}
	done := make(chan int)
	go func() { done <- run(context.Background(), []string{"demo", "--keep-running"}, e) }()
	linkRE := regexp.MustCompile(`(http://127\.0\.0\.1:\d+/)invite/([0-9A-Za-z]{30})\n`)
	for !strings.Contains(out.String(), "The fake keeps running") {
		runtime.Gosched()
	}
	m := linkRE.FindStringSubmatch(out.String())
	require.NotNil(t, m, out.String())
	for _, u := range []string{m[0][:len(m[0])-1], m[1] + "api/user/invite/" + m[2]} {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, u)
	}
	close(interrupt)
	assert.Equal(t, exitOK, <-done, errb.String())
	assert.True(t, strings.HasSuffix(out.String(), "Stopped.\n"))
}

func TestUsage(t *testing.T) {
	code, _, errOut := runCLI(t, nil, "")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "Invites:")
	code, _, errOut = runCLI(t, nil, "", "frobnicate")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `unknown command "frobnicate"`)
	code, out, _ := runCLI(t, nil, "", "help")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "serve-fake")
	code, out, _ = runCLI(t, nil, "", "version")
	assert.Equal(t, exitOK, code)
	assert.Regexp(t, `^grafana-invites \S+ (\([0-9a-f]+(\+dirty)?\) )?go1\.\d+\S*\n$`, out)
	code, _, _ = runCLI(t, nil, "", "serve-fake", "--addr", "256.0.0.1:99999")
	assert.Equal(t, exitUsage, code)
}

// TestServeFakeStopsOnSignal runs the real binary, talks to the fake it serves, then sends
// SIGTERM (and, in a second run, SIGINT) and expects a clean exit.
// serveFake runs serve-fake as a real process (this test binary as the command) with args
// and returns its URL, its printed token, the process and the rest of its stdout.
func serveFake(t *testing.T, args ...string) (string, string, *exec.Cmd, io.Reader) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], append([]string{"serve-fake", "--addr", "127.0.0.1:0"}, args...)...) //nolint:gosec // re-runs this test binary as the command
	cmd.Env = append(os.Environ(), "GRAFANA_INVITES_BE_MAIN=1")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	lines := bufio.NewScanner(stdout)
	var url, token string
	for lines.Scan() && (url == "" || token == "") {
		line := lines.Text()
		if v, ok := strings.CutPrefix(line, "GRAFANA_URL="); ok {
			url = v
		}
		if v, ok := strings.CutPrefix(line, "GRAFANA_TOKEN="); ok {
			token = v
		}
	}
	require.NotEmpty(t, url)
	return url, token, cmd, stdout
}

// call sends one request to a served fake with the token and returns status and body.
func callFake(t *testing.T, method, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), method, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	require.NoError(t, resp.Body.Close())
	return resp.StatusCode, strings.TrimSpace(string(body))
}

func TestServeFakeStopsOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			url, token, cmd, stdout := serveFake(t)
			assert.Equal(t, fakegrafana.DefaultAdminToken, token)
			status, body := callFake(t, http.MethodGet, url+"api/org/invites", token)
			assert.Equal(t, http.StatusOK, status)
			assert.Equal(t, "[]", body)

			require.NoError(t, cmd.Process.Signal(sig))
			rest, _ := io.ReadAll(stdout)
			require.NoError(t, cmd.Wait(), "exit status 0 after %v", sig)
			assert.Contains(t, string(rest), "stopped")
		})
	}
}

// TestServeFakeVersionProfiles: --grafana-version 11.2.0 behaves as a Grafana before the
// revoke fix (200 for an unknown code), the default as a current one (404); the printed
// token has Grafana's format and checksum.
func TestServeFakeVersionProfiles(t *testing.T) {
	const unknown = "api/org/invites/Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm/revoke"
	for _, tt := range []struct {
		args   []string
		status int
	}{
		{[]string{"--grafana-version", "11.2.0"}, http.StatusOK},
		{nil, http.StatusNotFound},
	} {
		t.Run(fmt.Sprint(tt.args), func(t *testing.T) {
			url, token, _, _ := serveFake(t, tt.args...)
			assert.Regexp(t, `^glsa_[0-9A-Za-z]{32}_[0-9a-f]{8}$`, token)
			secret := strings.Split(token, "_")[1]
			assert.Equal(t, token, fakegrafana.TokenFromSecret(secret), "the checksum holds")
			status, body := callFake(t, http.MethodPatch, url+unknown, token)
			assert.Equal(t, tt.status, status, body)
		})
	}
	code, _, stderr := runCLI(t, nil, "", "serve-fake", "--grafana-version", "8.0.0")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "9.0.0 and later")
}

// TestServeFakeSeed: --seed adds the file's users and tokens; a bad file is a usage error.
func TestServeFakeSeed(t *testing.T) {
	url, token, _, _ := serveFake(t, "--seed", "../../conformance/seed.json")
	status, _ := callFake(t, http.MethodGet, url+"api/org/invites", "glsa_conformanceExpired_d9be5e3f")
	assert.Equal(t, http.StatusUnauthorized, status, "the seed's expired token")
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, url+"api/org/invites", nil)
	req.SetBasicAuth("inviter", "pw-inviter")
	req.Header.Set("X-Grafana-Org-Id", "2")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the seed's user, in the seed's org")
	assert.Equal(t, fakegrafana.DefaultAdminToken, token)

	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"users":[{"email":"x@example.invalid"}]}`), 0o600))
	for file, msg := range map[string]string{bad: "a user has no login", filepath.Join(dir, "missing.json"): "no such file"} {
		code, _, stderr := runCLI(t, nil, "", "serve-fake", "--addr", "127.0.0.1:0", "--seed", file)
		assert.Equal(t, exitUsage, code)
		assert.Contains(t, stderr, msg)
	}
}

func TestReachable(t *testing.T) {
	for in, want := range map[string]string{"0.0.0.0:3000": "127.0.0.1:3000", "[::]:3000": "127.0.0.1:3000", "127.0.0.1:3000": "127.0.0.1:3000", "192.0.2.1:80": "192.0.2.1:80"} {
		addr, err := net.ResolveTCPAddr("tcp", in)
		require.NoError(t, err)
		assert.Equal(t, want, reachable(addr), in)
	}
}

// TestServeFakeOnEveryInterface: with --addr 0.0.0.0:0 the printed URL is one a client can
// reach.
func TestServeFakeOnEveryInterface(t *testing.T) {
	url, token, _, _ := serveFake(t, "--addr", "0.0.0.0:0")
	assert.True(t, strings.HasPrefix(url, "http://127.0.0.1:"), url)
	status, _ := callFake(t, http.MethodGet, url+"api/org/invites", token)
	assert.Equal(t, http.StatusOK, status)
}

func TestVersionLine(t *testing.T) {
	assert.Equal(t, "grafana-invites devel", readBuildVersion(nil, false).line())
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"},
	}, Deps: []*debug.Module{{Path: "github.com/grafana-invites/grafana-invites", Version: "v0.2.0"}}}
	v := readBuildVersion(bi, true)
	assert.Equal(t, "grafana-invites devel (0123456789ab+dirty) go1.26.8", v.line())
	assert.Equal(t, "v0.2.0", v.Library)
	bi.Main.Version, bi.Settings = "v0.2.0", nil
	assert.Equal(t, "grafana-invites v0.2.0 go1.26.8", readBuildVersion(bi, true).line())

	code, out, _ := runCLI(t, nil, "", "version")
	assert.Equal(t, exitOK, code)
	assert.Regexp(t, `^grafana-invites \S+ .*go1\.\d+`, out)
	code, out, _ = runCLI(t, nil, "", "version", "-o", "json")
	assert.Equal(t, exitOK, code)
	var got buildVersion
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.NotEmpty(t, got.Go)
	assert.NotEmpty(t, got.Library)
}
