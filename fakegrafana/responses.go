package fakegrafana

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/grafana-invites/grafana-invites/gen"
)

// Grafana's messages, as its handlers and middlewares write them.
const (
	msgBadRequest        = "bad request data"
	msgNotFound          = "Not found"
	msgInviteNotFound    = "Invite not found"
	msgRoleEscalation    = "Cannot assign a role higher than user's role"
	msgCannotAddExisting = "Permission denied: not permitted to add an existing user to this organisation"
	msgSMTPNotConfigured = "SMTP not configured, check your grafana.ini config file's [smtp] section"
	msgQuotaReached      = "user Quota reached"
	msgRevokeDenied      = "Permission denied: not permitted to revoke invite"
	msgInviteRevoked     = "Invite revoked"
	msgEmailFailed       = "Failed to send email invited_to_org"
	msgAccessDenied      = "You'll need additional permissions to perform this action. Permissions needed: org.users:add"
	msgBodyTooLarge      = "request body too large"
	msgCannotCreateUser  = "Permission denied: not permitted to create a new user"
	msgInternal          = "Internal server error"
	msgOrgNotFound       = "org not found"
	msgInvalidEmail      = "Invalid email address provided"
	msgOtherEmail        = "The provided email is different from the address that is found in the invite"
	msgCreateUserFailed  = "failed to create user"
	msgUserCreated       = "User created and logged in"
)

type authErrorBody struct {
	Extra      any    `json:"extra"`
	Message    string `json:"message"`
	MessageID  string `json:"messageId"`
	StatusCode int    `json:"statusCode"`
	TraceID    string `json:"traceID"`
}

type accessDeniedBody struct {
	AccessErrorID string `json:"accessErrorId"`
	Message       string `json:"message"`
	Title         string `json:"title"`
}

func writeAuthError(w http.ResponseWriter, messageID, message string) {
	writeJSON(w, http.StatusUnauthorized, authErrorBody{Message: message, MessageID: messageID, StatusCode: http.StatusUnauthorized})
}

func writeBindError(w http.ResponseWriter, err error) {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		writeMessage(w, http.StatusRequestEntityTooLarge, msgBodyTooLarge)
		return
	}
	writeJSON(w, http.StatusBadRequest, traced(msgBadRequest))
}

type messageBody struct {
	Message string `json:"message"`
}

func writeMessage(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, messageBody{Message: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"message":"Internal server error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func accessErrorID() string {
	var b [5]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("ACE%010d", (uint64(b[0])<<32|uint64(b[1])<<24|uint64(b[2])<<16|uint64(b[3])<<8|uint64(b[4]))%10_000_000_000)
}

// traced is a handler error that carried an underlying error, which Grafana answers with
// a traceID (behaviour ERR-1): 400 bad request data, both 412s, the 500s, and the plain
// 401 of an unknown token.
func traced(msg string) gen.ErrorResponseBody {
	return gen.ErrorResponseBody{Message: &msg, TraceID: ptr("")}
}
