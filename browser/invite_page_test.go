package browser_test

import (
	"context"
	"os"
	"os/exec"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/fakegrafana/fakegrafanatest"
	"github.com/grafana-invites/grafana-invites/gen"
)

// chromium finds the browser: $CHROMIUM, else chromium on PATH. A missing browser fails the
// test with what to do; it is never skipped.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("no browser: Debian's chromium is not on PATH (%v); make browser-test installs it (apt-get install chromium), or set CHROMIUM to a Chromium binary", err)
	}
	return p
}

// session is a headless chromium tab, with every request it sends and every console error
// or exception it sees recorded.
type session struct {
	ctx      context.Context
	mu       sync.Mutex
	requests []string
	problems []string
}

func newSession(t *testing.T) *session {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", os.Geteuid() == 0), // chromium refuses to run as root with its sandbox
		chromedp.Flag("disable-dev-shm-usage", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	s := &session{ctx: ctx}
	require.NoError(t, chromedp.Listen(ctx, func(ev any) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			s.requests = append(s.requests, ev.Request.Method+" "+ev.Request.URL)
		case *runtime.EventExceptionThrown:
			s.problems = append(s.problems, "exception: "+ev.ExceptionDetails.Text)
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				s.problems = append(s.problems, "console error")
			}
		case *cdplog.EventEntryAdded: // a Content-Security-Policy violation, a failed load
			if ev.Entry.Level == cdplog.EntryLevelError {
				s.problems = append(s.problems, string(ev.Entry.Source)+": "+ev.Entry.Text+" "+ev.Entry.URL)
			}
		}
	}), "starting %s", chromium(t))
	_, err := chromedp.Call(ctx, network.Enable, network.EnableParams{})
	require.NoError(t, err)
	_, err = chromedp.Call(ctx, cdplog.Enable, cdp.Empty{})
	require.NoError(t, err)
	return s
}

func (s *session) run(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	require.NoError(t, chromedp.Do(s.ctx, steps...))
}

// read runs an action that reads something from the page.
func read[T any](t *testing.T, s *session, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(s.ctx, a)
	require.NoError(t, err)
	return v
}

func (s *session) seen() (requests, problems []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...), append([]string(nil), s.problems...)
}

// TestAcceptAnInviteInABrowser opens the fake's invite link in chromium, fills the sign-up
// form and submits it: the address is then a member, as Grafana's own page would make it.
func TestAcceptAnInviteInABrowser(t *testing.T) {
	fg := fakegrafanatest.Start(t)
	admin, err := api.New(fg.URL, api.WithToken(fg.Token))
	require.NoError(t, err)
	ctx := t.Context()
	res, err := admin.EnsureInvited(ctx, api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: "bob@example.com", Name: "Bob", Role: api.RoleEditor}})
	require.NoError(t, err)
	link := res.Invite.URL
	require.True(t, strings.HasPrefix(link, fg.URL), "the link points at the fake: %s", link)

	b := newSession(t)
	b.run(t, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("invite")))
	shown := []string{
		read(t, b, chromedp.Value(chromedp.ID("email"))),
		read(t, b, chromedp.Value(chromedp.ID("name"))),
		read(t, b, chromedp.Value(chromedp.ID("username"))),
		read(t, b, chromedp.Text(chromedp.ID("invited-by"))),
		read(t, b, chromedp.Text(chromedp.ID("org-name"))),
	}
	assert.Equal(t, []string{"bob@example.com", "Bob", "bob@example.com", "fake-admin", "Main Org."}, shown)

	// Passwords that differ are refused in the page: nothing is sent.
	b.run(t,
		chromedp.SetValue(chromedp.ID("username"), "bob"),
		chromedp.SendKeys(chromedp.ID("password"), "correct-horse"),
		chromedp.SendKeys(chromedp.ID("confirm-password"), "correct-hose"),
		chromedp.Click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("error")),
	)
	assert.Equal(t, "Passwords must match", read(t, b, chromedp.Text(chromedp.ID("error"))))
	assert.Zero(t, fg.Calls(fakegrafana.OpCompleteInvite))

	b.run(t,
		chromedp.SetValue(chromedp.ID("confirm-password"), "correct-horse"),
		chromedp.Click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("done")),
	)
	assert.Equal(t, "User created and logged in: bob is now a member of Main Org..", read(t, b, chromedp.Text(chromedp.ID("done-message"))))

	again, err := admin.EnsureInvited(ctx, api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleEditor}})
	require.NoError(t, err)
	assert.Equal(t, api.OutcomeAlreadyMember, again.Outcome, "addOrgInvite answers 412: bob is a member")
	assert.Equal(t, gen.TempUserStatusCompleted, fg.Invites()[0].Status)
	bob, err := api.New(fg.URL, api.WithBasicAuth("bob", "correct-horse"))
	require.NoError(t, err)
	_, err = bob.ListPending(ctx)
	assert.ErrorIs(t, err, api.ErrForbidden, "bob signs in with the password he chose: an Editor, so 403")

	_, problems := b.seen()
	assert.Empty(t, problems, "no script error, no blocked resource, no failed load")

	// The same link, now used: Grafana's "invite not found" state, after the info's 404.
	b.run(t, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("not-found")))
	requests, problems := b.seen()
	require.Len(t, problems, 1, "%v", problems)
	assert.Contains(t, problems[0], "404 (Not Found) "+fg.URL+"api/user/invite/"+path.Base(link))
	for _, r := range requests {
		_, url, _ := strings.Cut(r, " ")
		assert.True(t, strings.HasPrefix(url, fg.URL), "every request goes to the fake: %s", r)
	}
}

// TestTheErrorOfTheEndpointIsShown: what Grafana answers a refused completion (here, a
// username taken meanwhile) is what the page shows, and the invite stays pending.
func TestTheErrorOfTheEndpointIsShown(t *testing.T) {
	fg := fakegrafanatest.Start(t)
	admin, err := api.New(fg.URL, api.WithToken(fg.Token))
	require.NoError(t, err)
	res, err := admin.EnsureInvited(t.Context(), api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: "ann@example.com", Role: api.RoleViewer}})
	require.NoError(t, err)
	fg.AddUser(fakegrafana.User{Login: "ann", Email: "someone@example.com"})

	b := newSession(t)
	b.run(t,
		chromedp.Navigate(res.Invite.URL),
		chromedp.WaitVisible(chromedp.ID("invite")),
		chromedp.SetValue(chromedp.ID("username"), "ann"),
		chromedp.SendKeys(chromedp.ID("password"), "ann-pass"),
		chromedp.SendKeys(chromedp.ID("confirm-password"), "ann-pass"),
		chromedp.Click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("error")),
	)
	assert.Equal(t, "User with email 'ann@example.com' or username 'ann' already exists", read(t, b, chromedp.Text(chromedp.ID("error"))))
	assert.Equal(t, gen.TempUserStatusInvitePending, fg.Invites()[0].Status)
}
