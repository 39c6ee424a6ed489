package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/go-openapi/strfmt"
	goapi "github.com/grafana/grafana-openapi-client-go/client"
	"github.com/grafana/grafana-openapi-client-go/models"

	"github.com/grafana-invites/grafana-invites/api"
)

// clients are the three implementations, against the loopback server under /n<size>/.
type clients struct {
	floor    *Floor
	ours     *api.Client
	official *goapi.GrafanaHTTPAPI
}

func newTransport() *http.Client {
	return &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
}

func setup(b *testing.B, srvURL string, size int) clients {
	b.Helper()
	root := fmt.Sprintf("%s/n%d/", srvURL, size)
	ours, err := api.New(root, api.WithToken(Token), api.WithHTTPClient(newTransport()))
	if err != nil {
		b.Fatal(err)
	}
	u, _ := url.Parse(srvURL)
	official := goapi.NewHTTPClientWithConfig(strfmt.Default, &goapi.TransportConfig{
		Host: u.Host, BasePath: fmt.Sprintf("/n%d/api", size), Schemes: []string{"http"},
		APIKey: Token, Client: newTransport(),
	})
	return clients{floor: &Floor{HC: newTransport(), Base: root + "api/"}, ours: ours, official: official}
}

// rounds counts the calls of run: each -count round starts with another implementation, so
// that none of them always runs first (after a fresh server) or last (after the others'
// garbage).
var rounds int

// run runs the three implementations of one operation side by side. `benchstat -col /impl`
// takes the column it sees first as the baseline, and the floor is named first on the first
// round.
func run(b *testing.B, floor, ours, official func(ctx context.Context) error) {
	ctx := context.Background()
	impls := []struct {
		name string
		fn   func(ctx context.Context) error
	}{{"floor", floor}, {"ours", ours}, {"official", official}}
	shift := rounds % len(impls)
	rounds++
	impls = append(impls[shift:], impls[:shift]...)
	for _, impl := range impls {
		b.Run("impl="+impl.name, func(b *testing.B) {
			b.ReportAllocs()
			if err := impl.fn(ctx); err != nil { // warm the connection, check it works
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if err := impl.fn(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkInvite(b *testing.B) {
	srv := NewServer()
	defer srv.Close()
	c := setup(b, srv.URL, 1)
	no := false
	run(b,
		func(ctx context.Context) error {
			_, err := c.floor.Invite(ctx, "bob@example.com", "Viewer")
			return err
		},
		func(ctx context.Context) error {
			_, err := c.ours.Invite(ctx, api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleViewer})
			return err
		},
		func(context.Context) error {
			_, err := c.official.Org.AddOrgInvite(&models.AddInviteForm{LoginOrEmail: "bob@example.com", Role: "Viewer", SendEmail: no})
			return err
		})
}

func BenchmarkListPending(b *testing.B) {
	srv := NewServer()
	defer srv.Close()
	for _, n := range Sizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			c := setup(b, srv.URL, n)
			check := func(got int) error {
				if got != n {
					return fmt.Errorf("listed %d invites, want %d", got, n)
				}
				return nil
			}
			run(b,
				func(ctx context.Context) error { l, err := c.floor.List(ctx); return firstErr(err, check(len(l))) },
				func(ctx context.Context) error {
					l, err := c.ours.ListPending(ctx)
					return firstErr(err, check(len(l)))
				},
				func(context.Context) error {
					ok, err := c.official.Org.GetPendingOrgInvites()
					if err != nil {
						return err
					}
					return check(len(ok.Payload))
				})
		})
	}
}

func BenchmarkRevoke(b *testing.B) {
	srv := NewServer()
	defer srv.Close()
	c := setup(b, srv.URL, 1)
	run(b,
		func(ctx context.Context) error { return c.floor.Revoke(ctx, Code) },
		func(ctx context.Context) error { return c.ours.Revoke(ctx, Code) },
		func(context.Context) error { _, err := c.official.Org.RevokeInvite(Code); return err })
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
