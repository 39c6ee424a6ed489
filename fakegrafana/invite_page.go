package fakegrafana

import (
	"embed"
	"io/fs"
	"net/http"
)

// The invite page: what Grafana serves at the link of an invite (root URL + "invite/" +
// code), so that a person, or a browser test of an onboarding portal, can open the fake's
// links and accept. It uses the invitee's two public endpoints as Grafana's page does.

//go:embed invitepage
var invitePageFiles embed.FS

// invitePageCSP lets the page load its own script and style and call the fake's API, and
// nothing else: no inline code, no other origin, no framing.
const invitePageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
	"form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

// handleInvitePage serves the page for any code (its script asks the API whether the code
// is pending) and its assets under /public/invite/.
func handleInvitePage(mux *http.ServeMux) {
	page, err := invitePageFiles.ReadFile("invitepage/index.html")
	if err != nil {
		panic("fakegrafana: the embedded invite page is missing: " + err.Error()) // a build without the files
	}
	assets, err := fs.Sub(invitePageFiles, "invitepage")
	if err != nil {
		panic("fakegrafana: the embedded invite page is missing: " + err.Error())
	}
	static := http.StripPrefix("/public/invite/", http.FileServerFS(assets))
	mux.HandleFunc("GET /invite/{code}", func(w http.ResponseWriter, _ *http.Request) {
		pageHeaders(w.Header())
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page)
	})
	for _, name := range []string{"invite.js", "invite.css", "favicon.svg"} {
		mux.HandleFunc("GET /public/invite/"+name, func(w http.ResponseWriter, r *http.Request) {
			pageHeaders(w.Header())
			static.ServeHTTP(w, r)
		})
	}
}

// pageHeaders are the invite page's security headers. The code is in the page's URL:
// no referrer carries it elsewhere, and no cache keeps it.
func pageHeaders(h http.Header) {
	h.Set("Content-Security-Policy", invitePageCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
}
