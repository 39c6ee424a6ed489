package main

import (
	"context"
	"errors"
	"net/http"
	"syscall"

	"github.com/grafana-invites/grafana-invites/api"
)

// explain turns an error into lines a person can act on: what happened, then what to do.
func explain(err error) string {
	msg := "grafana-invites: " + err.Error()
	hint := ""
	var ae *api.APIError
	switch {
	case errors.Is(err, api.ErrSMTPNotConfigured):
		hint = "The invite WAS saved (no email sent): do not invite again; 'grafana-invites list' shows its URL to hand over, or configure [smtp] in grafana.ini."
	case errors.Is(err, api.ErrAlreadyMember):
		hint = "The user is already in the organisation: nothing to do."
	case errors.Is(err, api.ErrUnauthorized):
		hint = "Check the token (--token, --token-file or GRAFANA_TOKEN) or the user and password, and that the token belongs to the organisation (--org-id)."
	case errors.Is(err, api.ErrQuotaReached):
		hint = "Grafana's user quota is reached: raise [quota] user limits or remove users."
	case errors.Is(err, api.ErrLoginDisabled):
		hint = "Grafana's login form is disabled ([auth] disable_login_form): only existing users can be added."
	case errors.Is(err, api.ErrForbidden):
		hint = "The credentials need the permission org.users:add in this organisation: an org Admin, a server admin or an Admin service account."
	case errors.As(err, &ae) && ae.StatusCode == http.StatusNotFound && ae.Message == "Not found":
		hint = "Grafana has no such route: check --url (Grafana's root URL, with its sub-path if any)."
	case errors.Is(err, api.ErrNotFound):
		hint = "No invite has this code in this organisation: 'grafana-invites list' shows the pending ones."
	case errors.Is(err, api.ErrInvalidResponse):
		hint = "The answer did not come from Grafana's API: check --url (Grafana's root URL, not a login page or proxy)."
	case errors.Is(err, syscall.ECONNREFUSED):
		hint = "Nothing answers at that address: check --url (host and port) and that Grafana runs."
	case errors.Is(err, context.DeadlineExceeded):
		hint = "Grafana did not answer in time: check --url and the network, or raise --timeout."
	case errors.As(err, &ae) && ae.StatusCode >= 500:
		hint = "Grafana or a proxy in front of it failed: try again later; Grafana's log may show the traceID."
	}
	if hint != "" {
		msg += "\n" + hint
	}
	return msg
}
