package fakegrafana

import (
	"sync"
	"time"
)

// Clock is a settable clock for WithClock, safe for concurrent use: tests move it to age
// invites past their lifetime or a login lockout past its window.
//
//	clock := fakegrafana.NewClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
//	fg := fakegrafanatest.Start(t, fakegrafana.WithClock(clock.Now))
//	clock.Advance(24 * time.Hour)
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
