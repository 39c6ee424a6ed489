package fakegrafana

import (
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"strings"
)

// TokenFromSecret returns the service-account token Grafana makes of secret:
// "glsa_" + secret + "_" + its checksum (the CRC-32 of "glsa_" + secret, little-endian, in
// hex). Grafana's secrets are 32 characters of [0-9A-Za-z]; its decoder accepts other
// lengths too, so a short secret makes a readable token for tests.
func TokenFromSecret(secret string) string {
	return "glsa_" + secret + "_" + tokenChecksum("glsa_"+secret)
}

// NewToken returns a fresh token in Grafana's format, with a random 32-character secret.
func NewToken() string { return TokenFromSecret(randomAlnum(32)) }

func tokenChecksum(prefixAndSecret string) string {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], crc32.ChecksumIEEE([]byte(prefixAndSecret)))
	return hex.EncodeToString(b[:])
}

// tokenDecodes reports whether Grafana's decoder accepts tok (behaviour AUTH-1): a prefix
// starting with "gl", three "_"-separated parts, and the checksum of the first two.
func tokenDecodes(tok string) bool {
	parts := strings.Split(tok, "_")
	return len(parts) == 3 && strings.HasPrefix(parts[0], "gl") &&
		parts[2] == tokenChecksum(parts[0]+"_"+parts[1])
}

// serviceAccountLogin is the login, and the email, Grafana gives the service account a
// token belongs to (behaviour ADD-13): "sa-<orgId>-<name lower-cased, spaces as '-'>", the
// first "--" collapsed.
func serviceAccountLogin(orgID int64, name string) string {
	slug := strings.ReplaceAll(strings.ToLower(name), " ", "-")
	login := "sa-" + itoa(orgID) + "-" + slug
	return strings.Replace(login, "--", "-", 1)
}
