package fakegrafana

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
)

// errBind is a body Grafana's binding refuses.
var errBind = errors.New(msgBadRequest)

// bindJSON decodes a request body into v as Grafana's binding does: JSON only, and only the
// first JSON value (trailing bytes are ignored, ADD-2). A body over the fake's limit keeps
// its *http.MaxBytesError; any other refusal is errBind.
func bindJSON(r *http.Request, v any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return errBind
	}
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return errBind
	}
	return nil
}
