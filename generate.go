// Package grafanainvites holds the OpenAPI contract of Grafana's organisation-invites API
// (the five endpoints as real Grafana servers behave) and the go:generate directive that
// turns it into package gen.
//
// Most users want package api, the client, and package fakegrafana, an in-memory Grafana
// for tests.
package grafanainvites

import _ "embed"

// OpenAPI is the contract, openapi.yaml (OpenAPI 3.0.3), byte for byte. It is embedded so
// that tools and tests read the same document the code was generated from.
//
//go:embed openapi.yaml
var OpenAPI []byte

//go:generate env GOWORK=off go tool -modfile=tools/go.mod oapi-codegen -config oapi-codegen.yaml openapi.yaml
