package api

import (
	"context"
	"sync"
	"time"
)

// Bounding each call with context.WithTimeout arms a new runtime timer per call, which on
// loopback costs 5–15 µs (arming a timer earlier than the idle network poller's wake-up
// wakes it), more than the rest of the client. Calls instead take a timer from a free list
// and Reset it: a pending timer moved later wakes nobody. A timer left pending after its call
// fires later as a no-op, and a firing that comes before the armed deadline (a stale one,
// racing a Reset) is ignored.

// deadlineTimer cancels the call it is armed for when its deadline passes.
type deadlineTimer struct {
	t      *time.Timer
	mu     sync.Mutex
	cancel context.CancelCauseFunc // the call guarded; nil when idle
	when   time.Time               // the armed deadline
}

func (d *deadlineTimer) fire() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cancel != nil && !time.Now().Before(d.when) {
		d.cancel(context.DeadlineExceeded)
		d.cancel = nil
	}
}

// deadlines is a Client's free list of timers, shared by its WithOrgID copies.
type deadlines struct {
	mu   sync.Mutex
	free []*deadlineTimer
}

// withDeadline returns ctx bounded to end at deadline, and the function that releases it.
// The context's Cause is context.DeadlineExceeded when the bound ends it.
func (ds *deadlines) withDeadline(ctx context.Context, deadline time.Time) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	ds.mu.Lock()
	var d *deadlineTimer
	if n := len(ds.free); n > 0 {
		d, ds.free = ds.free[n-1], ds.free[:n-1]
	}
	ds.mu.Unlock()
	if d == nil {
		d = &deadlineTimer{}
		d.t = time.AfterFunc(time.Hour, d.fire)
	}
	d.mu.Lock()
	d.cancel, d.when = cancel, deadline
	d.mu.Unlock()
	d.t.Reset(time.Until(deadline))
	return ctx, func() {
		d.mu.Lock()
		d.cancel = nil
		d.mu.Unlock()
		ds.mu.Lock()
		ds.free = append(ds.free, d)
		ds.mu.Unlock()
		cancel(context.Canceled)
	}
}
