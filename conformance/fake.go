package conformance

import (
	"net/http/httptest"
	"time"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// Fake serves the in-process fake Grafana as version (empty: the newest) on 127.0.0.1,
// seeded with every account the cases need, and returns it as a Target with server control.
// Stop it with the returned function.
func Fake(version string) (Target, func(), error) {
	clock := fakegrafana.NewClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	opts := []fakegrafana.Option{fakegrafana.WithClock(clock.Now)}
	if version != "" {
		opts = append(opts, fakegrafana.WithGrafanaVersion(version))
	}
	seed, accounts := FakeSeed()
	opts = append(opts, seed...)
	srv, err := fakegrafana.NewServer(opts...)
	if err != nil {
		return Target{}, nil, err
	}
	hs := httptest.NewServer(srv)
	return Target{
		URL: hs.URL + "/", AdminLogin: "admin", AdminPassword: "admin", Token: fakegrafana.DefaultAdminToken,
		Version: version, Control: &fakeControl{s: srv, clock: clock}, Accounts: accounts,
	}, hs.Close, nil
}

// FakeSeed is the fake's seed for the cases: org 2 "Second", the accounts, and the
// expired and revoked tokens, with the Accounts that name them.
func FakeSeed() ([]fakegrafana.Option, Accounts) {
	user := func(login string, u fakegrafana.User) fakegrafana.Option {
		u.Login, u.Email, u.Password = login, login+"@example.invalid", "pw-"+login
		return fakegrafana.WithUser(u)
	}
	acc := func(login string) *Account { return &Account{Login: login, Password: "pw-" + login} }
	expired, revoked := fakegrafana.TokenFromSecret("conformanceExpired"), fakegrafana.TokenFromSecret("conformanceRevoked")
	return []fakegrafana.Option{
			fakegrafana.WithOrg(2, "Second"),
			user("member", fakegrafana.User{Orgs: map[int64]fakegrafana.Role{1: "Viewer", 2: "Admin"}, CurrentOrg: 1}),
			user("inviter", fakegrafana.User{ServerAdmin: true, Orgs: map[int64]fakegrafana.Role{2: "Admin"}}),
			user("outsider", fakegrafana.User{}),
			user("throwaway", fakegrafana.User{Orgs: map[int64]fakegrafana.Role{1: "Viewer"}}),
			user("granted", fakegrafana.User{Orgs: map[int64]fakegrafana.Role{1: "Editor"}, GrantAddUsers: true}),
			user("restricted", fakegrafana.User{Orgs: map[int64]fakegrafana.Role{1: "Admin"}, CannotAddExistingUsers: true}),
			fakegrafana.WithToken(fakegrafana.Token{Token: expired, Name: "expired", OrgID: 1, Role: "Admin", Expired: true}),
			fakegrafana.WithToken(fakegrafana.Token{Token: revoked, Name: "revoked", OrgID: 1, Role: "Admin", Revoked: true}),
		}, Accounts{
			Member: acc("member"), SecondOrg: 2, Inviter: acc("inviter"), Outsider: acc("outsider"), Throwaway: acc("throwaway"),
			ExpiredToken: expired, RevokedToken: revoked, Granted: acc("granted"), Restricted: acc("restricted"),
		}
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
