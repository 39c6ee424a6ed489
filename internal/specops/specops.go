// Package specops lists the operations of openapi.yaml (operationId, method, path) so that
// tests of the client and of the fake can check that each implements every one. It reads
// the block layout of this repository's own contract (paths at two spaces, methods at four,
// operationId at six); it is not a YAML parser.
package specops

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// Operation is one operation of the contract.
type Operation struct {
	ID     string // operationId, e.g. "revokeInvite"
	Method string // upper case, e.g. "PATCH"
	Path   string // the path template under the server URL, e.g. "/org/invites/{invitation_code}/revoke"
	// Public: the operation overrides the document's security with "security: []" (it
	// takes no credentials).
	Public bool
}

var methods = map[string]bool{"get": true, "put": true, "post": true, "delete": true, "options": true, "head": true, "patch": true, "trace": true}

// Parse returns the operations of an OpenAPI document laid out as openapi.yaml is, in the
// order they appear. An operation without an operationId is an error.
func Parse(doc []byte) ([]Operation, error) {
	var ops []Operation
	inPaths := false
	path, method := "", ""
	cur, public := -1, false // the operation of the method being read, and a security: [] seen before its operationId
	sc := bufio.NewScanner(bytes.NewReader(doc))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimRight(sc.Text(), " ")
		trimmed := strings.TrimLeft(text, " ")
		indent := len(text) - len(trimmed)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if indent == 0 {
			if method != "" {
				return nil, fmt.Errorf("line %d: %s %s has no operationId", line, method, path)
			}
			inPaths, path = text == "paths:", ""
			continue
		}
		if !inPaths {
			continue
		}
		key, _, _ := strings.Cut(trimmed, ":")
		switch {
		case indent == 2:
			if method != "" {
				return nil, fmt.Errorf("line %d: %s %s has no operationId", line, method, path)
			}
			path, cur = key, -1
		case indent == 4 && methods[key]:
			if method != "" {
				return nil, fmt.Errorf("line %d: %s %s has no operationId", line, method, path)
			}
			method, cur, public = strings.ToUpper(key), -1, false
		case indent == 6 && key == "operationId" && method != "":
			_, id, _ := strings.Cut(trimmed, ":")
			ops = append(ops, Operation{ID: strings.Trim(strings.TrimSpace(id), `"'`), Method: method, Path: path, Public: public})
			method, cur = "", len(ops) // one past the operation just read
		case indent == 6 && strings.ReplaceAll(trimmed, " ", "") == "security:[]":
			if cur > 0 {
				ops[cur-1].Public = true
			} else {
				public = true
			}
		}
	}
	if method != "" {
		return nil, fmt.Errorf("%s %s has no operationId", method, path)
	}
	return ops, sc.Err()
}
