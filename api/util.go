package api

import (
	"strconv"
	"sync"
	"unicode/utf8"
)

// quoteShort quotes s for an error message, shortened to 64 characters.
func quoteShort(s string) string {
	const maxLen = 64
	if utf8.RuneCountInString(s) > maxLen {
		r := []rune(s)
		return strconv.Quote(string(r[:maxLen])) + "…"
	}
	return strconv.Quote(s)
}

func quoteByte(b byte) string {
	if b < utf8.RuneSelf {
		return strconv.QuoteRune(rune(b))
	}
	return "byte 0x" + strconv.FormatUint(uint64(b), 16)
}

// keyedMutex serialises work per key. Entries live only while someone holds or waits for
// them, so it does not grow with the keys ever seen.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyedEntry
}

type keyedEntry struct {
	mu   sync.Mutex
	refs int
}

func newKeyedMutex() *keyedMutex { return &keyedMutex{locks: make(map[string]*keyedEntry)} }

// lock locks key and returns its unlock function.
func (k *keyedMutex) lock(key string) (unlock func()) {
	k.mu.Lock()
	e := k.locks[key]
	if e == nil {
		e = &keyedEntry{}
		k.locks[key] = e
	}
	e.refs++
	k.mu.Unlock()
	e.mu.Lock()
	return func() {
		e.mu.Unlock()
		k.mu.Lock()
		if e.refs--; e.refs == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}
