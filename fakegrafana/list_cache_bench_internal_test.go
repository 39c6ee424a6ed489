package fakegrafana

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/grafana-invites/grafana-invites/gen"
)

// BenchmarkListCache is what the per-org cache of the encoded pending list saves a test
// suite that lists a large organisation many times: each list of 10 000 invites served
// from the cache, against the same list encoded anew every time (the cache dropped before
// each request, as any change drops it).
func BenchmarkListCache(b *testing.B) {
	s := MustNew()
	s.mu.Lock()
	for i := range 10_000 {
		s.nextInviteID++
		s.invites = append(s.invites, &invite{dto: gen.TempUserDTO{
			ID: s.nextInviteID, OrgID: 1, Email: fmt.Sprintf("user%05d@example.com", i), Name: "User",
			Role: gen.OrgRoleViewer, Code: fmt.Sprintf("c%029d", i), Status: gen.TempUserStatusInvitePending,
			URL: "http://localhost:3000/invite/" + fmt.Sprintf("c%029d", i), CreatedOn: s.now(), EmailSentOn: s.now(),
		}})
	}
	s.mu.Unlock()
	list := func(b *testing.B) {
		req := httptest.NewRequestWithContext(b.Context(), http.MethodGet, "/api/org/invites", nil)
		req.Header.Set("Authorization", "Bearer "+DefaultAdminToken)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || rec.Body.Len() < 1_000_000 {
			b.Fatalf("status %d, %d bytes", rec.Code, rec.Body.Len())
		}
	}
	for _, cached := range []bool{true, false} {
		b.Run(fmt.Sprintf("cached=%v", cached), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !cached {
					s.mu.Lock()
					s.changedLocked()
					s.mu.Unlock()
				}
				list(b)
			}
		})
	}
}
