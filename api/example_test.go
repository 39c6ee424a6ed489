package api_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// A fake Grafana stands in for a real one: pass your Grafana's root URL and a
// service-account token instead.
func Example() {
	grafana := httptest.NewServer(fakegrafana.New())
	defer grafana.Close()

	c, err := api.New(grafana.URL, api.WithToken(fakegrafana.DefaultAdminToken))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	res, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: "bob@example.com", Name: "Bob", Role: api.RoleEditor})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Outcome, "-", res.Message)

	pending, err := c.ListPending(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, inv := range pending {
		fmt.Println(inv.Email, inv.Role, inv.Status, len(inv.Code), "character code")
	}

	if err := c.Revoke(ctx, pending[0].Code); err != nil {
		fmt.Println(err)
		return
	}
	pending, _ = c.ListPending(ctx)
	fmt.Println(len(pending), "pending after revoke")
	// Output:
	// invite created - Created invite for bob@example.com
	// bob@example.com Editor InvitePending 30 character code
	// 0 pending after revoke
}

// Grafana answers 412 for two unrelated reasons; the sentinels tell them apart.
func ExampleClient_Invite_preconditionFailed() {
	grafana := httptest.NewServer(fakegrafana.New(fakegrafana.WithSMTP(false)))
	defer grafana.Close()
	c, _ := api.New(grafana.URL, api.WithBasicAuth("admin", "admin"))
	ctx := context.Background()

	_, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: "admin@localhost", Role: api.RoleViewer})
	fmt.Println("already a member:", errors.Is(err, api.ErrAlreadyMember))

	_, err = c.Invite(ctx, api.InviteRequest{LoginOrEmail: "carol@example.com", Role: api.RoleViewer, SendEmail: true})
	fmt.Println("SMTP not configured:", errors.Is(err, api.ErrSMTPNotConfigured))
	pending, _ := c.ListPending(ctx)
	fmt.Println("the invite was saved anyway:", pending[0].Email, pending[0].EmailSent)
	// Output:
	// already a member: true
	// SMTP not configured: true
	// the invite was saved anyway: carol@example.com false
}

// Errors carry Grafana's status and message; errors.As extracts them.
func ExampleAPIError() {
	grafana := httptest.NewServer(fakegrafana.New())
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
