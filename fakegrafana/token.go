package fakegrafana

import "github.com/grafana-invites/grafana-invites/internal/grafanaid"

// TokenFromSecret returns the service-account token Grafana makes of secret:
// "glsa_" + secret + "_" + its checksum (the CRC-32 of "glsa_" + secret, little-endian, in
// hex). Grafana's secrets are 32 characters of [0-9A-Za-z]; its decoder accepts other
// lengths too, so a short secret makes a readable token for tests.
func TokenFromSecret(secret string) string { return grafanaid.Token(secret) }

// NewToken returns a fresh token in Grafana's format, with a random 32-character secret.
func NewToken() string { return TokenFromSecret(randomAlnum(32)) }
