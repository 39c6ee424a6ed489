package fakegrafana_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

func TestClock(t *testing.T) {
	start := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	c := fakegrafana.NewClock(start)
	assert.Equal(t, start, c.Now())
	c.Advance(90 * time.Minute)
	assert.Equal(t, start.Add(90*time.Minute), c.Now())
	fg := fakegrafana.MustNew(fakegrafana.WithClock(c.Now))
	inviteAs(t, fg, admin, `{"loginOrEmail":"a@example.com","role":"Viewer"}`, 200)
	assert.Equal(t, start.Add(90*time.Minute), fg.Invites()[0].CreatedOn, "the fake reads it")
}
