package fakegrafana

import (
	"net/http"
	"time"
)

// Fault is injected into the next Times calls of an operation, before anything else is
// checked. With Status 0 the call is only delayed, then answered normally.
type Fault struct {
	Times      int
	Status     int           // answer this status, with body {"message": StatusText}
	RetryAfter string        // the Retry-After header of that answer, if any
	Delay      time.Duration // wait this long first (ends early if the client goes away)
	// AfterHandling lets the request be handled (an invite is saved, say) before its answer
	// is replaced by Status: a response lost on the way back, as when a proxy times out.
	AfterHandling bool
}

// Inject queues a fault for the next f.Times calls of op (after faults queued before).
func (s *Server) Inject(op Operation, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times > 0 {
		s.faultQueue[op] = append(s.faultQueue[op], f)
	}
}

// takeFault counts a call of op and consumes one call of its first queued fault, if any.
func (s *Server) takeFault(op Operation) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[op]++
	q := s.faultQueue[op]
	if len(q) == 0 {
		return Fault{}, false
	}
	f := q[0]
	if q[0].Times--; q[0].Times == 0 {
		s.faultQueue[op] = q[1:]
	}
	return f, true
}

// Calls returns how many requests for op reached the fake (faulted ones included).
func (s *Server) Calls(op Operation) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

// delay waits d, and reports false when the client went away first.
func delay(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-r.Context().Done():
		return false
	case <-t.C:
		return true
	}
}

// writeFault answers with the fault's status.
func writeFault(w http.ResponseWriter, f Fault) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	writeMessage(w, f.Status, http.StatusText(f.Status))
}
