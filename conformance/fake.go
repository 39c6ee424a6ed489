package conformance

import (
	_ "embed"
	"net/http/httptest"
	"time"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// Seed is a seed file (seed.json beside this package) that gives every prerequisite of the
// cases: orgs, users and tokens for fakegrafana.WithSeed and serve-fake --seed, and the
// "conformance" object naming them for AccountsFromSeed.
//
//go:embed seed.json
var Seed []byte

// Fake serves the in-process fake Grafana as version (empty: the newest) on 127.0.0.1,
// seeded with Seed, and returns it as a Target with server control. Stop it with the
// returned function.
func Fake(version string) (Target, func(), error) {
	accounts, err := AccountsFromSeed(Seed)
	if err != nil {
		return Target{}, nil, err
	}
	clock := fakegrafana.NewClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	opts := []fakegrafana.Option{fakegrafana.WithClock(clock.Now), fakegrafana.WithSeed(Seed)}
	if version != "" {
		opts = append(opts, fakegrafana.WithGrafanaVersion(version))
	}
	srv, err := fakegrafana.New(opts...)
	if err != nil {
		return Target{}, nil, err
	}
	hs := httptest.NewServer(srv)
	return Target{
		URL: hs.URL + "/", AdminLogin: "admin", AdminPassword: "admin", Token: fakegrafana.DefaultAdminToken,
		Version: version, Control: &fakeControl{s: srv, clock: clock}, Accounts: accounts,
	}, hs.Close, nil
}

// fakeControl is Control over the in-process fake.
type fakeControl struct {
	s     *fakegrafana.Server
	clock *fakegrafana.Clock
}

func (f *fakeControl) SetSMTP(on bool)                { f.s.SetSMTP(on) }
func (f *fakeControl) SetLoginFormDisabled(off bool)  { f.s.SetLoginFormDisabled(off) }
func (f *fakeControl) SetUserQuota(n int)             { f.s.SetUserQuota(n) }
func (f *fakeControl) SetAnonymousAccess(enable bool) { f.s.SetAnonymousAccess(enable) }

func (f *fakeControl) Advance(d time.Duration) { f.clock.Advance(d) }

func (f *fakeControl) InjectStatus(op string, status int) {
	f.s.Inject(fakegrafana.Operation(op), fakegrafana.Fault{Times: 1, Status: status})
}

func (f *fakeControl) AddUser(login, email, password string) {
	f.s.AddUser(fakegrafana.User{Login: login, Email: email, Password: password})
}

func (f *fakeControl) RenameUser(login, name string) {
	f.s.UpdateUser(login, func(u *fakegrafana.User) { u.Name = name })
}
