package api

import (
	"context"
	"sync"
)

// keyedMutex serialises work per key. Entries live only while someone holds or waits for
// them, so it does not grow with the keys ever seen. Waiting ends with the waiter's context.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyedEntry
}

type keyedEntry struct {
	held chan struct{} // holds a token while the key is locked
	refs int           // holders and waiters
}

func newKeyedMutex() *keyedMutex { return &keyedMutex{locks: make(map[string]*keyedEntry)} }

// lock locks key and returns its unlock function, or the context's error (and no lock) when
// ctx ends first.
func (k *keyedMutex) lock(ctx context.Context, key string) (unlock func(), err error) {
	k.mu.Lock()
	e := k.locks[key]
	if e == nil {
		e = &keyedEntry{held: make(chan struct{}, 1)}
		k.locks[key] = e
	}
	e.refs++
	k.mu.Unlock()
	select {
	case e.held <- struct{}{}:
		return func() {
			<-e.held
			k.release(key, e)
		}, nil
	case <-ctx.Done():
		k.release(key, e)
		return nil, context.Cause(ctx)
	}
}

// release drops one reference to key's entry, and the entry with the last.
func (k *keyedMutex) release(key string, e *keyedEntry) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if e.refs--; e.refs == 0 {
		delete(k.locks, key)
	}
}
