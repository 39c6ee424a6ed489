// Package contract checks that the fake Grafana's answers, and the requests of the api
// client, conform to openapi.yaml. It lives in the tools module so that kin-openapi never
// reaches the library's module graph.
package contract
