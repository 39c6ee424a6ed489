package api

// Outcome says what a call did, or found, for one address: the one vocabulary of Invite,
// EnsureInvited, Apply, Renew and the command-line tool. Its value is a short lower-case phrase,
// fit for a table and for JSON.
type Outcome string

// The outcomes.
const (
	// OutcomeInvited: a new invite was saved. Whether Grafana emailed it is reported
	// alongside (InviteResult.EmailSent, EnsureResult.EmailNotSent, ReportEntry.EmailNotSent).
	OutcomeInvited Outcome = "invited"
	// OutcomeUserAdded: the address belongs to an existing Grafana user, who was added to the
	// organisation directly; no invite exists.
	OutcomeUserAdded Outcome = "existing user added"
	// OutcomeAlreadyMember: the address belongs to a user already in the organisation (the
	// 412 of Grafana); nothing changed.
	OutcomeAlreadyMember Outcome = "already a member"
	// OutcomeAlreadyInvited: a pending invite with the wanted role exists; nothing was sent.
	OutcomeAlreadyInvited Outcome = "already invited"
	// OutcomeRoleMismatch: pending invites exist with another role; they were kept.
	OutcomeRoleMismatch Outcome = "pending with another role"
	// OutcomeReplaced: pending invites with another role were revoked and a new invite saved.
	OutcomeReplaced Outcome = "replaced"
	// OutcomeRevoked: a pending invite was revoked.
	OutcomeRevoked Outcome = "revoked"
	// OutcomeRenewed: a new invite replaced one about to lapse, which was then revoked.
	OutcomeRenewed Outcome = "renewed"
	// OutcomeStale: a pending invite that pruning would revoke was kept.
	OutcomeStale Outcome = "stale (kept)"
	// OutcomeNotStarted: the run was stopped (ApplyOptions.Stop) before this address was
	// started; nothing was sent for it.
	OutcomeNotStarted Outcome = "not started"
	// OutcomeFailed: the call failed for this address; the error says why.
	OutcomeFailed Outcome = "failed"
)

// String returns the outcome's phrase.
func (o Outcome) String() string { return string(o) }
