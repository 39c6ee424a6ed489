// Package grafanaid holds how Grafana forms identifiers the invites API shows: service-account
// tokens with their checksum (docs/grafana-behaviour.md, AUTH-1) and the login of a service
// account (ADD-13). The fake and the conformance suite both use it.
package grafanaid

import (
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"strconv"
	"strings"
)

// Token returns the service-account token Grafana makes of secret:
// "glsa_" + secret + "_" + the CRC-32 (IEEE) of "glsa_" + secret, its 4 bytes
// little-endian, in hex.
func Token(secret string) string {
	return "glsa_" + secret + "_" + checksum("glsa_"+secret)
}

func checksum(prefixAndSecret string) string {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], crc32.ChecksumIEEE([]byte(prefixAndSecret)))
	return hex.EncodeToString(b[:])
}

// TokenDecodes reports whether Grafana's decoder accepts tok: a prefix starting with "gl",
// three "_"-separated parts, and the checksum of the first two.
func TokenDecodes(tok string) bool {
	parts := strings.Split(tok, "_")
	return len(parts) == 3 && strings.HasPrefix(parts[0], "gl") && parts[2] == checksum(parts[0]+"_"+parts[1])
}

// ServiceAccountLogin is the login, and the email, of a service account:
// "sa-<orgId>-<name lower-cased, spaces as '-'>", the first "--" collapsed to "-".
func ServiceAccountLogin(orgID int64, name string) string {
	slug := strings.ReplaceAll(strings.ToLower(name), " ", "-")
	return strings.Replace("sa-"+strconv.FormatInt(orgID, 10)+"-"+slug, "--", "-", 1)
}
