package api

// Outcome says what a call did, or found, for one address or invite: the one vocabulary of
// Invite, EnsureInvited, Apply and the command-line tool. Its value is a stable snake_case
// token, the one JSON carries and scripts match on; Label is the phrase for people.
type Outcome string

// The outcomes.
const (
	// OutcomeInvited: a new invite was saved. Whether Grafana emailed it is reported
	// alongside (EmailSent).
	OutcomeInvited Outcome = "invited"
	// OutcomeUserAdded: the address belongs to an existing Grafana user, who was added to the
	// organisation directly; no invite exists.
	OutcomeUserAdded Outcome = "user_added"
	// OutcomeAlreadyMember: the address belongs to a user already in the organisation (the
	// 412 of Grafana); nothing changed.
	OutcomeAlreadyMember Outcome = "already_member"
	// OutcomeAlreadyInvited: a pending invite with the wanted role exists; nothing was sent.
	OutcomeAlreadyInvited Outcome = "already_invited"
	// OutcomeRoleMismatch: pending invites exist with another role; they were kept.
	OutcomeRoleMismatch Outcome = "role_mismatch"
	// OutcomeReplaced: pending invites with another role were revoked and a new invite saved.
	OutcomeReplaced Outcome = "replaced"
	// OutcomeRevoked: a pending invite was revoked.
	OutcomeRevoked Outcome = "revoked"
	// OutcomeRenewed: a new invite replaced one about to lapse, which was then revoked.
	OutcomeRenewed Outcome = "renewed"
	// OutcomeStale: a pending invite that pruning would revoke was kept.
	OutcomeStale Outcome = "stale"
	// OutcomeNotStarted: the run was stopped (ApplyOptions.Stop) before this action was
	// started; nothing was sent for it.
	OutcomeNotStarted Outcome = "not_started"
	// OutcomeFailed: the call failed for this address; the error says why.
	OutcomeFailed Outcome = "failed"
)

// labels are the outcomes as people read them.
var labels = map[Outcome]string{
	OutcomeInvited:        "invited",
	OutcomeUserAdded:      "existing user added",
	OutcomeAlreadyMember:  "already a member",
	OutcomeAlreadyInvited: "already invited",
	OutcomeRoleMismatch:   "pending with another role",
	OutcomeReplaced:       "replaced",
	OutcomeRevoked:        "revoked",
	OutcomeRenewed:        "renewed",
	OutcomeStale:          "stale (kept)",
	OutcomeNotStarted:     "not started",
	OutcomeFailed:         "failed",
}

// Label is the outcome as a short phrase for people ("already a member"); an unknown
// outcome is its token.
func (o Outcome) Label() string {
	if l, ok := labels[o]; ok {
		return l
	}
	return string(o)
}
