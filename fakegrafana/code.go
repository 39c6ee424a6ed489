package fakegrafana

import (
	"crypto/rand"
	"fmt"
)

const codeAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// newCode returns a 30-character invitation code from [0-9A-Za-z], from crypto/rand
// without modulo bias.
func newCode() string {
	var b [30]byte
	var buf [64]byte
	i := 0
	for i < len(b) {
		if _, err := rand.Read(buf[:]); err != nil {
			panic(fmt.Sprintf("fakegrafana: crypto/rand: %v", err)) // never happens on supported platforms
		}
		for _, x := range buf {
			if x >= 248 { // 248 = 4*62: reject to keep the distribution uniform
				continue
			}
			b[i] = codeAlphabet[int(x)%62]
			if i++; i == len(b) {
				break
			}
		}
	}
	return string(b[:])
}
