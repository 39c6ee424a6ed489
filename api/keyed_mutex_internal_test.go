package api

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKeyedMutexHoldersNeverOverlap: many goroutines take a few keys; two holders of one key
// are never inside at once, other keys proceed, and no entry outlives its holders.
func TestKeyedMutexHoldersNeverOverlap(t *testing.T) {
	k := newKeyedMutex()
	keys := []string{"a", "b", "c"}
	inside := make([]atomic.Int32, len(keys))
	var overlaps atomic.Int32
	var wg sync.WaitGroup
	for g := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				n := (g + i) % len(keys)
				unlock := k.lock(keys[n])
				if inside[n].Add(1) != 1 {
					overlaps.Add(1)
				}
				inside[n].Add(-1)
				unlock()
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, overlaps.Load(), "two holders of one key at once")
	k.mu.Lock()
	defer k.mu.Unlock()
	assert.Empty(t, k.locks, "entries live only while held or awaited")
}

func TestKeyedMutexKeysAreIndependent(t *testing.T) {
	k := newKeyedMutex()
	unlockA := k.lock("a")
	done := make(chan struct{})
	go func() {
		k.lock("b")()
		close(done)
	}()
	<-done // "b" is not blocked by "a"
	unlockA()
	k.mu.Lock()
	require.Empty(t, k.locks)
	k.mu.Unlock()
}
