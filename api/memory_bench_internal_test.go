package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/grafana-invites/grafana-invites/gen"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"
)

// heapObjects is the live heap, as runtime/metrics counts it.
func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// peakAbove samples the heap every millisecond while fn runs and returns its highest value
// above the baseline taken after a collection.
func peakAbove(fn func()) uint64 {
	runtime.GC()
	base := heapObjects()
	var peak uint64
	var mu sync.Mutex
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			h := heapObjects()
			mu.Lock()
			peak = max(peak, h)
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(stop)
	<-done
	peak = max(peak, heapObjects())
	if peak < base {
		return 0
	}
	return peak - base
}

// largeList encodes n pending invites as Grafana lists them.
func largeList(n int) []byte {
	list := make([]Invite, n)
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	for i := range list {
		code := fmt.Sprintf("%030d", i)
		list[i] = Invite{ID: int64(i + 1), OrgID: 1, Name: "Person " + strconv.Itoa(i), Email: "person" + strconv.Itoa(i) + "@example.com",
			Role: RoleViewer, InvitedByLogin: "admin", InvitedByEmail: "admin@example.com", InvitedByName: "Admin",
			Code: code, Status: gen.TempUserStatusInvitePending, URL: "https://grafana.example.com/invite/" + code, EmailSentOn: at, CreatedOn: at}
	}
	b, err := json.Marshal(list)
	if err != nil {
		panic(err)
	}
	return b
}

// BenchmarkListPeakHeap measures the peak live heap of ListPending on 100 000 invites
// (about 45 MiB of JSON) above its baseline, as a multiple of the body: the read path of
// the first round (the whole body in a buffer pre-sized from Content-Length, then
// json.Unmarshal) against the streamed decode, in one binary and one run.
func BenchmarkListPeakHeap(b *testing.B) {
	body := largeList(100_000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	c, err := New(srv.URL, WithToken("glsa_bench"), WithMaxResponseBytes(256<<20))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	variants := []struct {
		name string
		list func() (int, error)
	}{
		{"buffered", func() (int, error) { // the first round's read path
			resp, err := c.gen.GetPendingOrgInvites(ctx, nil, c.editors...)
			if err != nil {
				return 0, err
			}
			defer resp.Body.Close()
			var buf bytes.Buffer
			buf.Grow(int(resp.ContentLength) + 1)
			if _, err := io.Copy(&buf, resp.Body); err != nil {
				return 0, err
			}
			var out []Invite
			err = json.Unmarshal(buf.Bytes(), &out)
			return len(out), err
		}},
		{"streamed", func() (int, error) {
			l, err := c.ListPending(ctx)
			return len(l), err
		}},
	}
	for _, v := range variants {
		b.Run("impl="+v.name, func(b *testing.B) {
			var worst uint64
			for b.Loop() {
				var n int
				var err error
				peak := peakAbove(func() { n, err = v.list() })
				if err != nil || n != 100_000 {
					b.Fatalf("listed %d: %v", n, err)
				}
				worst = max(worst, peak)
			}
			b.ReportMetric(float64(worst)/float64(len(body)), "peak/body")
			b.ReportMetric(float64(worst)/(1<<20), "peak-MiB")
		})
	}
}
