package api

import (
	"context"
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
				unlock, err := k.lock(context.Background(), keys[n])
				if err != nil {
					t.Error(err)
					return
				}
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
	unlockA, err := k.lock(context.Background(), "a")
	require.NoError(t, err)
	done := make(chan struct{})
	go func() {
		unlockB, err := k.lock(context.Background(), "b")
		if err == nil {
			unlockB()
		}
		close(done)
	}()
	<-done // "b" is not blocked by "a"
	unlockA()
	k.mu.Lock()
	require.Empty(t, k.locks)
	k.mu.Unlock()
}

// TestKeyedMutexWaitEndsWithContext: a waiter whose context ends gives up at once, holds
// nothing, and leaves no entry behind once the holder is done.
func TestKeyedMutexWaitEndsWithContext(t *testing.T) {
	k := newKeyedMutex()
	unlock, err := k.lock(context.Background(), "a")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan error, 1)
	go func() {
		_, err := k.lock(ctx, "a")
		got <- err
	}()
	cancel()
	assert.ErrorIs(t, <-got, context.Canceled)
	unlock()
	again, err := k.lock(context.Background(), "a")
	require.NoError(t, err, "the abandoned wait holds nothing")
	again()
	k.mu.Lock()
	defer k.mu.Unlock()
	assert.Empty(t, k.locks)
}
