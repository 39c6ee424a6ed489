package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// BenchmarkApplyBulk applies 1 000 new addresses against fakegrafana with 20 ms of latency
// injected into every request, at concurrency 1 and 16. Run it with -benchtime 1x: one
// iteration at concurrency 1 takes over 20 s.
func BenchmarkApplyBulk(b *testing.B) {
	const n, latency = 1000, 20 * time.Millisecond
	desired := make([]api.Desired, n)
	for i := range desired {
		desired[i] = api.Desired{Email: fmt.Sprintf("user%04d@example.com", i), Role: api.RoleViewer}
	}
	for _, conc := range []int{1, 16} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				fake := fakegrafana.MustNew()
				srv := httptest.NewServer(fake)
				for _, op := range []fakegrafana.Operation{fakegrafana.OpAddOrgInvite, fakegrafana.OpGetPendingOrgInvites} {
					fake.Inject(op, fakegrafana.Fault{Times: 1 << 30, Delay: latency})
				}
				c, err := api.New(srv.URL, api.WithToken(fakegrafana.DefaultAdminToken), api.WithTimeout(10*time.Minute))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()

				plan, err := c.Plan(context.Background(), desired, api.PlanOptions{})
				if err != nil {
					b.Fatal(err)
				}
				report, err := c.Apply(context.Background(), plan, api.ApplyOptions{Concurrency: conc})
				if err != nil {
					b.Fatal(err)
				}

				b.StopTimer()
				if got := report.Count(api.OutcomeInvited); got != n {
					b.Fatalf("%d invited, want %d", got, n)
				}
				if got := len(fake.Invites()); got != n {
					b.Fatalf("%d invites in the fake, want exactly %d", got, n)
				}
				srv.Close()
				b.StartTimer()
			}
		})
	}
}

// BenchmarkServer compares requests per second through fakegrafana with a bare http.Handler
// that returns the same bytes, over loopback with a plain net/http client.
func BenchmarkServer(b *testing.B) {
	fake := fakegrafana.MustNew()
	fakeSrv := httptest.NewServer(fake)
	defer fakeSrv.Close()
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	send := func(method, url, body string) ([]byte, error) {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, err := http.NewRequestWithContext(context.Background(), method, url, rd)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+fakegrafana.DefaultAdminToken)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := hc.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		out, err := io.ReadAll(resp.Body)
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("status %d: %s", resp.StatusCode, out)
		}
		return out, err
	}
	const form = `{"loginOrEmail":"bob@example.com","role":"Viewer","sendEmail":false}`
	for i := range 10 {
		if _, err := send(http.MethodPost, fakeSrv.URL+"/api/org/invites", fmt.Sprintf(`{"loginOrEmail":"u%d@example.com","role":"Viewer"}`, i)); err != nil {
			b.Fatal(err)
		}
	}
	code := fake.Invites()[0].Code
	ops := []struct{ name, method, path, body string }{
		{"list", http.MethodGet, "/api/org/invites", ""},
		{"invite", http.MethodPost, "/api/org/invites", form},
		{"revoke", http.MethodPatch, "/api/org/invites/" + code + "/revoke", ""},
	}
	for _, op := range ops {
		b.Run("op="+op.name, func(b *testing.B) {
			answer, err := send(op.method, fakeSrv.URL+op.path, op.body) // the fake's bytes, for the bare handler
			if err != nil {
				b.Fatal(err)
			}
			bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(answer)
			}))
			defer bare.Close()
			for _, impl := range []struct{ name, url string }{{"bare", bare.URL}, {"fake", fakeSrv.URL}} {
				b.Run("impl="+impl.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						got, err := send(op.method, impl.url+op.path, op.body)
						if err != nil {
							b.Fatal(err)
						}
						if op.name != "invite" && !bytes.Equal(got, answer) {
							b.Fatalf("answer changed: %s", got)
						}
					}
				})
			}
		})
	}
}
