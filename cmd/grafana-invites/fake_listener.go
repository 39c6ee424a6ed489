package main

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// Serving the fake Grafana on a port, for demo and serve-fake.

// reachable is a listener's address as a client can dial it: a wildcard host (0.0.0.0,
// ::) listens on every interface but is no address to connect to, so the IPv4 loopback
// stands in (Go's wildcard listeners take IPv4 too).
func reachable(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// listenFake serves a fake Grafana on addr and returns its root URL, the fake and a stop
// function.
func listenFake(ctx context.Context, addr string, opts ...fakegrafana.Option) (string, *fakegrafana.Server, func(context.Context) error, error) {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return "", nil, nil, err
	}
	root := "http://" + reachable(ln.Addr()) + "/"
	fake, err := fakegrafana.New(append([]fakegrafana.Option{fakegrafana.WithRootURL(root)}, opts...)...)
	if err != nil {
		_ = ln.Close()
		return "", nil, nil, err
	}
	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return root, fake, srv.Shutdown, nil
}
