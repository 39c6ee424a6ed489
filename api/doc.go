// Package api is a client for Grafana's organisation-invites API: invite people to an
// organisation, list pending invites and revoke them, against real Grafana servers
// (11.x–13.x).
//
// It is a thin layer over package gen, which oapi-codegen generates from the contract
// openapi.yaml. This package adds what the generated code lacks: construction that validates
// its options, authentication and organisation selection, input validation before any I/O,
// one typed error with sentinels for errors.Is, bounded reads, retries that never duplicate
// an invite, redacted logging, and the workflows that Grafana's API leaves to its callers.
//
// # Quick start
//
//	c, err := api.New("https://grafana.example.com/", api.WithToken(os.Getenv("GRAFANA_TOKEN")))
//	if err != nil { ... }
//	res, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleEditor})
//	switch {
//	case errors.Is(err, api.ErrAlreadyMember):     // nothing to do
//	case errors.Is(err, api.ErrSMTPNotConfigured): // the invite WAS saved; hand its URL over
//	case err != nil:                               // *api.APIError, *api.ValidationError or a network error
//	}
//
// # Authentication and organisation
//
// Pass one kind of credentials: WithToken (a service-account token, sent as
// "Authorization: Bearer …") or WithBasicAuth (a user's login and password). Both at once is
// an error. WithOrgID, or the method Client.WithOrgID, selects the organisation with the
// X-Grafana-Org-Id header; without it Grafana uses the credentials' default organisation. A
// service-account token only works in its own organisation.
//
// Credentials are added to each request by a request editor, never by a transport. Tokens,
// passwords and invitation codes never appear in errors or log records: codes in paths are
// shortened to their first characters, and what a server echoes back (a body, a header, a
// redirect target) is scrubbed of the client's token, password and Basic credentials and
// of the call's invitation code (see APIError). A 2xx body that does not decode is
// described by position and kind, never quoted: it holds codes.
//
// # Redirects
//
// Every client follows redirects by these rules, before any CheckRedirect of
// WithHTTPClient's client: a POST is never redirected (its error names the Location, and the
// invite is not sent twice); https is never followed to http; no Referer is sent;
// Authorization and Cookie are dropped on any change of scheme, host or port; at most 10
// redirects are followed in a call, and redirect errors are not retried.
//
// # Memory and time
//
// A successful answer is capped at WithMaxResponseBytes and an error body at 1 MiB; a
// Content-Length pre-sizes buffers only up to 1 MiB, whatever it announces. The pending list
// is decoded as it streams in when it is larger than that: the peak heap of ListPending stays
// near the size of the decoded list (BENCHMARKS.md). WithTimeout bounds each call as a
// whole, retries included, and each workflow call as a whole (see WithTimeout);
// WithHTTPClient's Timeout bounds one attempt, retried when the call is idempotent.
//
// # Errors
//
// Grafana's answers other than 2xx become an *APIError carrying the status, the method, the
// URL, Grafana's message, messageId and traceID, and the raw body (at most 1 MiB), whatever
// the body was: JSON, HTML from a proxy, empty or truncated. Match them with errors.Is
// against ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrServer… or use
// errors.As for the details. Invalid input is reported before any request, as a
// *ValidationError matching ErrInvalidInput.
//
// Grafana answers 412 for two unrelated reasons, told apart by the message only, and this
// package tells them apart for you:
//   - ErrAlreadyMember: the address belongs to a user who is already in the organisation;
//     nothing changed.
//   - ErrSMTPNotConfigured: sendEmail was true but Grafana has no SMTP. The invite WAS saved
//     and is pending with emailSent false; do not invite again (that makes a duplicate), list
//     the pending invites to get its URL, or use EnsureInvited, which does.
//
// # Retries
//
// ListPending and Revoke are idempotent on Grafana and are retried on connection errors and
// on 429, 502, 503 and 504, with capped exponential backoff and full jitter, honouring
// Retry-After (seconds or an HTTP date) and stopping at once when the context ends. By
// default a call makes at most 4 attempts (3 retries): enough to ride out a Grafana restart
// or a proxy's brief 503 within the default 30 s timeout, without hammering a server that
// is really down. Configure it with WithRetry.
//
// Invite (POST) is never retried once a byte of it may have reached the server, because
// Grafana does not de-duplicate invites: a retried POST creates a second invite and may send
// a second email. It is retried only when the connection could not be established at all.
// When retries are exhausted, the last *APIError is returned, status intact.
//
// # Idempotent workflows
//
// Grafana's POST answers without the code or URL of the invite it made, accepts duplicates
// and has no filter on its list. FindPending, RevokeByEmail, EnsureInvited and Plan/Apply
// build the missing parts on top of the three operations. EnsureInvited never creates a
// second pending invite for an address, even when called concurrently through one Client,
// and returns the invite with its code and URL.
//
// # Plans
//
// Every batch is a Plan, a list of typed actions for one organisation (invite, replace,
// revoke, renew), made by Plan (a desired state), PlanRenew or PlanRevoke, or by hand.
// Apply carries out any plan, with bounded concurrency, progress and a graceful stop, and
// reports per action in one Report; a dry run or a confirmation shows the plan, so what is
// shown is what is done. EnsureInvited and Apply take the same steps: one reads Grafana's
// answer to an invite, one treats a revoke's 404 as done.
//
// # Errors
//
// Every error of this package starts with "grafana: " once; a wrapping workflow adds its
// context after it ("grafana: bob@example.com: POST …: 403 Forbidden"). Test them with
// errors.Is against the sentinels and errors.As for *APIError and *ValidationError, never
// by their text.
package api
