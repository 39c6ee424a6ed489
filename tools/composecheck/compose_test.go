// Package composecheck keeps conformance/compose.yaml honest where Docker is not available:
// every image pinned by an exact tag (never latest), a health check on every service, and the
// Grafana lines the conformance workflow's matrix names.
package composecheck

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

type compose struct {
	Services map[string]struct {
		Image       string         `yaml:"image"`
		Healthcheck map[string]any `yaml:"healthcheck"`
		Ports       []string       `yaml:"ports"`
	} `yaml:"services"`
}

var exactTag = regexp.MustCompile(`^[a-z0-9./-]+:v?\d+\.\d+\.\d+$`)

func TestComposeFile(t *testing.T) {
	data, err := os.ReadFile("../../conformance/compose.yaml")
	require.NoError(t, err)
	var c compose
	require.NoError(t, yaml.Unmarshal(data, &c))
	require.NotEmpty(t, c.Services)
	grafanas := map[string]string{}
	for name, s := range c.Services {
		assert.Regexp(t, exactTag, s.Image, "%s: pin an exact version tag", name)
		assert.NotContains(t, s.Image, "latest", name)
		assert.NotEmpty(t, s.Healthcheck["test"], "%s: needs a health check", name)
		for _, p := range s.Ports {
			assert.True(t, strings.HasPrefix(p, "127.0.0.1:"), "%s: publish on loopback only, not %s", name, p)
		}
		if strings.HasPrefix(s.Image, "grafana/grafana:") {
			grafanas[name] = strings.TrimPrefix(s.Image, "grafana/grafana:")
		}
	}
	lines := map[string]bool{}
	for _, v := range grafanas {
		lines[strings.SplitN(v, ".", 2)[0]] = true
	}
	assert.Equal(t, map[string]bool{"11": true, "12": true, "13": true}, lines, "one Grafana per line 11, 12, 13: %v", grafanas)
	assert.True(t, strings.HasPrefix(grafanas["grafana-11"], "11.6."), "the 11 line is 11.6: %s", grafanas["grafana-11"])

	workflow, err := os.ReadFile("../../.github/workflows/conformance.yml")
	require.NoError(t, err)
	for name, v := range grafanas {
		assert.Contains(t, string(workflow), "service: "+name, "the workflow's matrix runs %s", name)
		assert.Contains(t, string(workflow), "version: "+v, "the workflow's matrix names %s's version", name)
	}
}
