// Package bench compares the api client with a hand-written net/http + encoding/json floor
// and with Grafana's official go-swagger client, on loopback, and measures bulk throughput
// and the fake Grafana's cost. It is a module of its own so that its dependencies (the
// official client, benchstat) never reach the library's go.mod. Run it with `make bench`.
package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
)

// Sizes of the pending list that the loopback server offers, each under a sub-path
// "/n<size>/" that the clients use as Grafana's root URL.
var Sizes = []int{1, 1000, 10000}

// Token is what the loopback server expects.
const Token = "glsa_benchmarkToken_0123456789abcdef"

// Invite mirrors Grafana's TempUserDTO for the floor: the same 14 fields and types as the
// generated model.
type Invite struct {
	ID             int64     `json:"id"`
	OrgID          int64     `json:"orgId"`
	Name           string    `json:"name"`
	Email          string    `json:"email"`
	Role           string    `json:"role"`
	InvitedByLogin string    `json:"invitedByLogin"`
	InvitedByEmail string    `json:"invitedByEmail"`
	InvitedByName  string    `json:"invitedByName"`
	Code           string    `json:"code"`
	Status         string    `json:"status"`
	URL            string    `json:"url"`
	EmailSent      bool      `json:"emailSent"`
	EmailSentOn    time.Time `json:"emailSentOn"`
	CreatedOn      time.Time `json:"createdOn"`
}

// Code is the invitation code the server's invites and revokes use.
const Code = "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm"

// ListBody is a Grafana-shaped pending list of n invites.
func ListBody(n int) []byte {
	out := make([]Invite, n)
	t := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for i := range out {
		code := fmt.Sprintf("%s%06d", Code[:24], i)
		out[i] = Invite{
			ID: int64(n - i), OrgID: 1, Name: fmt.Sprintf("User %d", i), Email: fmt.Sprintf("user%d@example.com", i),
			Role: "Viewer", InvitedByLogin: "admin", InvitedByEmail: "admin@localhost", InvitedByName: "",
			Code: code, Status: "InvitePending", URL: "http://localhost:3000/invite/" + code,
			EmailSent: i%2 == 0, EmailSentOn: t.Add(-time.Duration(i) * time.Second), CreatedOn: t.Add(-time.Duration(i) * time.Second),
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		panic(err)
	}
	return b
}

// NewServer serves Grafana-shaped answers for the three operations under "/n<size>/api/…".
// Revoke answers PATCH (what Grafana registers) and also DELETE, which the official client
// sends: against a real Grafana its revoke fails with 404; here it is timed all the same.
func NewServer() *httptest.Server {
	lists := map[string][]byte{}
	for _, n := range Sizes {
		lists[fmt.Sprintf("/n%d/api/org/invites", n)] = ListBody(n)
	}
	created := []byte(`{"message":"Created invite for bob@example.com"}`)
	revoked := []byte(`{"message":"Invite revoked"}`)
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if r.Header.Get("Authorization") != "Bearer "+Token {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodGet && lists[r.URL.Path] != nil:
			_, _ = w.Write(lists[r.URL.Path])
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/api/org/invites"):
			_, _ = w.Write(created)
		case (r.Method == http.MethodPatch || r.Method == http.MethodDelete) && strings.HasSuffix(r.URL.Path, "/revoke"):
			_, _ = w.Write(revoked)
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"message":"Not found"}`))
		}
	}))
}
