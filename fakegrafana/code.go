package fakegrafana

import (
	"crypto/rand"
	"fmt"
)

const codeAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// newCode returns a 30-character invitation code from [0-9A-Za-z] (LIST-5).
func newCode() string { return randomAlnum(30) }

// randomAlnum returns n characters of [0-9A-Za-z] from crypto/rand without modulo bias.
func randomAlnum(n int) string {
	b := make([]byte, n)
	var buf [64]byte
	i := 0
	for i < n {
		if _, err := rand.Read(buf[:]); err != nil {
			panic(fmt.Sprintf("fakegrafana: crypto/rand: %v", err)) // never happens on supported platforms
		}
		for _, x := range buf {
			if x >= 248 { // 248 = 4*62: reject to keep the distribution uniform
				continue
			}
			b[i] = codeAlphabet[int(x)%62]
			if i++; i == n {
				break
			}
		}
	}
	return string(b)
}
