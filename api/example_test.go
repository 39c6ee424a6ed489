package api_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// newExampleClient serves a fake Grafana and returns a client for it: in your code, pass
// your Grafana's root URL and a service-account token instead.
func newExampleClient() (*api.Client, func()) {
	grafana := httptest.NewServer(fakegrafana.MustNew(fakegrafana.WithUser(fakegrafana.User{
		Login: "erin", Email: "erin@example.com", Password: "pw", Orgs: map[int64]fakegrafana.Role{1: api.RoleViewer},
	})))
	c, err := api.New(grafana.URL, api.WithToken(fakegrafana.DefaultAdminToken))
	if err != nil {
		panic(err)
	}
	return c, grafana.Close
}

// EnsureInvited invites idempotently and returns the invite with its URL, which Grafana's
// own answer lacks. Calling it again reuses the pending invite.
func ExampleClient_EnsureInvited() {
	c, stop := newExampleClient()
	defer stop()
	ctx := context.Background()

	for _, email := range []string{"bob@example.com", "bob@example.com", "erin@example.com"} {
		res, err := c.EnsureInvited(ctx, api.EnsureRequest{
			InviteRequest: api.InviteRequest{LoginOrEmail: email, Role: api.RoleEditor},
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		switch res.Outcome {
		case api.OutcomeInvited, api.OutcomeAlreadyInvited:
			fmt.Println(email, res.Outcome, "- hand over", strings.Contains(res.Invite.URL, "/invite/"))
		case api.OutcomeRoleMismatch:
			fmt.Println(email, "is pending as", res.Pending[0].Role)
		default: // already a member, or an existing user added
			fmt.Println(email, res.Outcome)
		}
	}
	// Output:
	// bob@example.com invited - hand over true
	// bob@example.com already_invited - hand over true
	// erin@example.com already_member
}

// FindPending and RevokeByEmail work by address; Grafana's API only knows codes.
func ExampleClient_RevokeByEmail() {
	c, stop := newExampleClient()
	defer stop()
	ctx := context.Background()
	_, _ = c.Invite(ctx, api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleViewer})

	pending, err := c.FindPending(ctx, "Bob@Example.com")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(pending), "pending for bob")

	revoked, err := c.RevokeByEmail(ctx, "bob@example.com")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(revoked), "revoked")
	// Output:
	// 1 pending for bob
	// 1 revoked
}

// Plan and Apply make the pending invites match a desired state; a plan that is not
// applied is a dry run.
func ExampleClient_Plan() {
	c, stop := newExampleClient()
	defer stop()
	ctx := context.Background()
	_, _ = c.Invite(ctx, api.InviteRequest{LoginOrEmail: "gone@example.com", Role: api.RoleViewer})

	plan, err := c.Plan(ctx, []api.Desired{
		{Email: "alice@example.com", Role: api.RoleViewer},
		{Email: "bob@example.com", Role: api.RoleEditor},
	}, api.PlanOptions{Prune: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range plan.Actions { // what Apply will do, and nothing else
		fmt.Println(a.Kind, a.Email, a.Role)
	}

	report, err := c.Apply(ctx, plan, api.ApplyOptions{Concurrency: 8})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range report.Entries {
		fmt.Println(e.Email, e.Outcome)
	}
	// Output:
	// invite alice@example.com Viewer
	// invite bob@example.com Editor
	// revoke gone@example.com Viewer
	// alice@example.com invited
	// bob@example.com invited
	// gone@example.com revoked
}

// The three operations as Grafana offers them. Invite is not idempotent (see
// EnsureInvited) and its answer has no code: ListPending finds it.
func Example() {
	c, stop := newExampleClient()
	defer stop()
	ctx := context.Background()

	res, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: "bob@example.com", Name: "Bob", Role: api.RoleEditor})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Outcome, "-", res.Message)

	pending, err := c.ListPending(ctx) // never nil, possibly empty
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, inv := range pending {
		fmt.Println(inv.Email, inv.Role, inv.Status, len(inv.Code), "character code")
		if err := c.Revoke(ctx, inv.Code); err != nil {
			fmt.Println(err)
			return
		}
	}
	pending, err = c.ListPending(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(pending), "pending after revoke")
	// Output:
	// invited - Created invite for bob@example.com
	// bob@example.com Editor InvitePending 30 character code
	// 0 pending after revoke
}

// Grafana answers 412 for two unrelated reasons; the sentinels tell them apart.
func ExampleClient_Invite_preconditionFailed() {
	grafana := httptest.NewServer(fakegrafana.MustNew(fakegrafana.WithSMTP(false)))
	defer grafana.Close()
	c, _ := api.New(grafana.URL, api.WithBasicAuth("admin", "admin"))
	ctx := context.Background()

	_, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: "admin@localhost", Role: api.RoleViewer})
	fmt.Println("already a member:", errors.Is(err, api.ErrAlreadyMember))

	_, err = c.Invite(ctx, api.InviteRequest{LoginOrEmail: "carol@example.com", Role: api.RoleViewer, SendEmail: true})
	fmt.Println("SMTP not configured:", errors.Is(err, api.ErrSMTPNotConfigured))
	pending, _ := c.FindPending(ctx, "carol@example.com")
	for _, inv := range pending {
		fmt.Println("the invite was saved anyway:", inv.Email, inv.EmailSent)
	}
	// Output:
	// already a member: true
	// SMTP not configured: true
	// the invite was saved anyway: carol@example.com false
}

// Errors carry Grafana's status and message; errors.As extracts them.
func ExampleAPIError() {
	grafana := httptest.NewServer(fakegrafana.MustNew())
	defer grafana.Close()
	c, _ := api.New(grafana.URL, api.WithToken("glsa_not_a_real_token"))

	_, err := c.ListPending(context.Background())
	var ae *api.APIError
	if errors.As(err, &ae) {
		fmt.Println(ae.StatusCode, ae.Message, ae.MessageID)
	}
	fmt.Println(errors.Is(err, api.ErrUnauthorized))
	// Output:
	// 401 Invalid API key api-key.invalid
	// true
}

// Invalid input is refused before anything is sent.
func ExampleClient_Revoke_validation() {
	c, _ := api.New("https://grafana.example.com/", api.WithToken("glsa_x"))
	err := c.Revoke(context.Background(), "../admin")
	fmt.Println(err)
	fmt.Println(errors.Is(err, api.ErrInvalidInput))
	// Output:
	// grafana: invalid invitation code: character '.' at position 1 is outside [0-9A-Za-z]
	// true
}

// PlanRenew plans the renewal of invites about to lapse; Apply makes the new invite first,
// then revokes the old one.
func ExampleClient_PlanRenew() {
	c, stop := newExampleClient()
	defer stop()
	ctx := context.Background()
	_, _ = c.Invite(ctx, api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleViewer})

	// In real use: time.Now().Add(-20 * time.Hour), the invites 20 hours old or more.
	plan, err := c.PlanRenew(ctx, api.RenewOptions{CreatedBefore: time.Now().Add(time.Minute)})
	if err != nil {
		fmt.Println(err)
		return
	}
	report, err := c.Apply(ctx, plan, api.ApplyOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range report.Entries {
		fmt.Println(e.Email, e.Outcome, e.Invite.Code != e.Revoked[0].Code)
	}
	// Output:
	// bob@example.com renewed true
}
