package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// Floor is the hand-written baseline: net/http and encoding/json doing the same requests,
// with the same headers, decoding the same fields. It has no validation, retries, timeout
// or error typing: what a client may cost on top of it is what the benchmarks measure.
type Floor struct {
	HC   *http.Client
	Base string // e.g. "http://127.0.0.1:1234/n1000/api/"
}

func (f *Floor) do(ctx context.Context, method, path string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, f.Base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+Token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := f.HC.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

type message struct {
	Message string `json:"message"`
	UserID  *int64 `json:"userId,omitempty"`
}

type form struct {
	LoginOrEmail string  `json:"loginOrEmail"`
	Name         *string `json:"name,omitempty"`
	Role         string  `json:"role"`
	SendEmail    *bool   `json:"sendEmail,omitempty"`
}

// Invite is POST /api/org/invites.
func (f *Floor) Invite(ctx context.Context, email, role string) (string, error) {
	no := false
	body, err := json.Marshal(form{LoginOrEmail: email, Role: role, SendEmail: &no})
	if err != nil {
		return "", err
	}
	var m message
	err = f.do(ctx, http.MethodPost, "org/invites", body, &m)
	return m.Message, err
}

// List is GET /api/org/invites.
func (f *Floor) List(ctx context.Context) ([]Invite, error) {
	var out []Invite
	err := f.do(ctx, http.MethodGet, "org/invites", nil, &out)
	return out, err
}

// Revoke is PATCH /api/org/invites/{code}/revoke.
func (f *Floor) Revoke(ctx context.Context, code string) error {
	var m message
	return f.do(ctx, http.MethodPatch, "org/invites/"+code+"/revoke", nil, &m)
}
