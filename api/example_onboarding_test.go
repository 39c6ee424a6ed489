package api_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// A whole onboarding, as a test of an onboarding portal would run it against the fake: the
// admin invites, the invitee opens the link and accepts (here through the API the invite
// page uses), and the next idempotent run finds a member, not an invite.
func ExampleClient_AcceptInvite() {
	grafana := httptest.NewServer(fakegrafana.MustNew())
	defer grafana.Close()
	ctx := context.Background()
	admin, _ := api.New(grafana.URL, api.WithToken(fakegrafana.DefaultAdminToken))
	invitee, _ := api.New(grafana.URL) // no credentials: the code is the invitee's key

	invited, err := admin.EnsureInvited(ctx, api.EnsureRequest{
		InviteRequest: api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleEditor},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("1.", invited.Outcome)

	code := path.Base(invited.Invite.URL) // what the invite link carries
	info, err := invitee.InviteInfo(ctx, code)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("2.", info.Email, "invited by", info.InvitedBy, "to", *info.OrgName)

	if _, err := invitee.AcceptInvite(ctx, api.Acceptance{Code: code, Email: info.Email, Username: "bob", Password: "correct-horse"}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("3. accepted")

	again, err := admin.EnsureInvited(ctx, api.EnsureRequest{
		InviteRequest: api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleEditor},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("4.", again.Outcome)
	// Output:
	// 1. invited
	// 2. bob@example.com invited by fake-admin to Main Org.
	// 3. accepted
	// 4. already_member
}
