package main

import (
	"fmt"
	"io"
	"time"

	"github.com/grafana-invites/grafana-invites/api"
)

// The tables of pending invites, as list and demo print them.

// printInvites writes a table of invites, newest first as given, with age, short code and
// URL.
func printInvites(w io.Writer, l []api.Invite, now time.Time) {
	if len(l) == 0 {
		fmt.Fprintln(w, "(no pending invites)")
		return
	}
	t := newTable(w, "EMAIL", "NAME", "ROLE", "AGE", "EMAILED", "CODE", "URL")
	for _, inv := range l {
		t.row(inv.Email, inv.Name, string(inv.Role), age(now.Sub(inv.CreatedOn)), yesNo(inv.EmailSent), short(inv.Code), inv.URL)
	}
	t.flush()
}

// printAging lists invites with their age and the time left before they lapse.
func printAging(w io.Writer, l []api.Invite, now time.Time, lifetime time.Duration) {
	if len(l) == 0 {
		fmt.Fprintln(w, "(no pending invites that old)")
		return
	}
	t := newTable(w, "EMAIL", "ROLE", "AGE", "LAPSES IN", "CODE")
	for _, inv := range l {
		left := "lapsed"
		if d := lifetime - now.Sub(inv.CreatedOn); d > 0 {
			left = age(d)
		}
		t.row(inv.Email, string(inv.Role), age(now.Sub(inv.CreatedOn)), left, short(inv.Code))
	}
	t.flush()
	fmt.Fprintf(w, "\nLapse times assume a lifetime of %s (--lifetime); Grafana's cleanup runs every 10 minutes, so an invite may stay up to 10 minutes longer.\n", shortDuration(lifetime))
}
