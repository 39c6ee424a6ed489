module github.com/grafana-invites/grafana-invites/browser

go 1.26.0

require (
	github.com/chromedp/cdproto v0.160.1
	github.com/chromedp/chromedp v0.23.1
	github.com/grafana-invites/grafana-invites v0.0.0
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/apapsch/go-jsonmerge/v2 v2.0.0 // indirect
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/oapi-codegen/runtime v1.9.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)

// The library is the working tree: this module tests the fake's invite page as it is now.
replace github.com/grafana-invites/grafana-invites => ../
