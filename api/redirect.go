package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// maxRedirects bounds the redirects followed in one call: redirect errors are not retried,
// so a loop costs at most this many requests, not this many per attempt.
const maxRedirects = 10

// redirectError is a redirect the client refused to follow. Nothing more was sent.
type redirectError struct {
	status   int
	location string // without user info, query or fragment
	reason   string
}

func (e *redirectError) Error() string {
	return fmt.Sprintf("redirected (%d) to %s; not followed: %s", e.status, e.location, e.reason)
}

// checkRedirect is the policy of every Client's http.Client, before the caller's own
// CheckRedirect (if any):
//
//   - a POST is never redirected: its answer is an error naming the Location, and the POST
//     is not sent again (net/http would turn a 301/302/303 into a GET and repeat a 307/308);
//   - https is never followed to http;
//   - no Referer is sent (it would carry an invitation code to the next host);
//   - credentials (Authorization, Cookie) are dropped on any change of scheme, host or port,
//     where net/http keeps them for the same host on another port and for subdomains;
//   - at most maxRedirects are followed.
func checkRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		first, last := via[0], via[len(via)-1]
		status := 0
		if req.Response != nil {
			status = req.Response.StatusCode
		}
		refuse := func(reason string) error {
			return &redirectError{status: status, location: safeURL(req.URL.String()), reason: reason}
		}
		switch {
		case first.Method == http.MethodPost:
			return refuse("a POST is never repeated; is the URL Grafana's root URL?")
		case last.URL.Scheme == "https" && req.URL.Scheme != "https":
			return refuse("https is never followed to http")
		case len(via) >= maxRedirects:
			return refuse(fmt.Sprintf("stopped after %d redirects", maxRedirects))
		}
		req.Header.Del("Referer")
		if !sameOrigin(first.URL, req.URL) {
			req.Header.Del("Authorization")
			req.Header.Del("Cookie")
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
}

// sameOrigin compares scheme, host and port, default ports filled in.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// asRedirectError finds a refused redirect in an error of http.Client.Do.
func asRedirectError(err error) (*redirectError, bool) {
	var re *redirectError
	ok := errors.As(err, &re)
	return re, ok
}
