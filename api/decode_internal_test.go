package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSafeURL: what errors show of a refused URL: no user info, query or fragment.
func TestSafeURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://grafana.example.com/x":      "https://grafana.example.com/x",
		"https://u:pw@grafana.example.com/x": "https://grafana.example.com/x",
		"https://u:pw@host":                  "https://host",
		"//u:pw@host:3000/":                  "//host:3000/",
		"u:pw@host/x":                        "host/x",
		"https://host/a@b":                   "https://host/a@b", // an @ in the path is not user info
		"https://host/x?token=s3cret":        "https://host/x",
		"?token=s3cret":                      "",
		"https://host/x#s3cret":              "https://host/x",
		"#s3cret":                            "",
		"https://a@b@host/":                  "https://host/",
		"/relative/path":                     "/relative/path",
		"https://host\x00/x":                 "https://host/x",
		"https://u:pw@host?q@x":              "https://host",
		"https://host/u:pw@x?y":              "https://host/u:pw@x",
		"http:///a@b":                        "http:///a@b", // no host: the @ is in the path
		"https://@host/":                     "https://host/",
	} {
		assert.Equal(t, want, safeURL(in), in)
	}
}

// TestScrubURLParts: a parser's message about a URL loses the URL's user info, query and
// fragment, wherever they appear in it.
func TestScrubURLParts(t *testing.T) {
	for _, tt := range []struct{ raw, msg, want string }{
		{"https://u:s3cret@ho st/", `parse "https://u:s3cret@ho st/": invalid character " " in host name`, `parse "https://[REDACTED]@ho st/": invalid character " " in host name`},
		{"https://ho st/?tok=s3cret", `parse "https://ho st/?tok=s3cret": bad`, `parse "https://ho st/?[REDACTED]": bad`},
		{"https://ho st/#s3cret", `bad "https://ho st/#s3cret"`, `bad "https://ho st/#[REDACTED]"`},
		{"u:s3cret@ho st", `bad "u:s3cret@ho st"`, `bad "[REDACTED]@ho st"`},
		{"https://ho st/", `bad "https://ho st/"`, `bad "https://ho st/"`},
		{"https://@ho st/", `bad "https://@ho st/"`, `bad "https://@ho st/"`},
		{"https://ho st/?", `bad "https://ho st/?"`, `bad "https://ho st/?"`},
		{"?tok=s3cret", `bad "?tok=s3cret"`, `bad "?[REDACTED]"`},
		{"//u:s3cret@ho st", `bad "//u:s3cret@ho st"`, `bad "//[REDACTED]@ho st"`},
	} {
		got := scrubURLParts(tt.raw, tt.msg)
		assert.Equal(t, strings.ReplaceAll(tt.want, "[REDACTED]", redacted), got, tt.raw)
	}
}

// TestCapReader: exactly limit bytes pass; one more is ErrResponseTooLarge; the underlying
// reader's errors and EOF pass through.
func TestCapReader(t *testing.T) {
	read := func(body string, limit int64) ([]byte, error) {
		return io.ReadAll(&capReader{r: strings.NewReader(body), left: limit})
	}
	got, err := read("abcd", 4)
	require.NoError(t, err)
	assert.Equal(t, "abcd", string(got))
	got, err = read("abcde", 4)
	assert.ErrorIs(t, err, ErrResponseTooLarge)
	assert.Equal(t, "abcd", string(got), "what fits is read")
	got, err = read("", 0)
	require.NoError(t, err)
	assert.Empty(t, got)
	boom := errors.New("boom")
	_, err = io.ReadAll(&capReader{r: iotest.ErrReader(boom), left: 0})
	assert.ErrorIs(t, err, boom, "at the cap, the underlying error passes")
	_, err = io.ReadAll(&capReader{r: iotest.ErrReader(boom), left: 10})
	assert.ErrorIs(t, err, boom)
	c := &capReader{r: strings.NewReader("abcdef"), left: 3}
	p := make([]byte, 10)
	n, err := c.Read(p)
	require.NoError(t, err)
	assert.Equal(t, 3, n, "a read never goes past the cap")
	assert.Equal(t, int64(0), c.left)
}

// TestDescribeDecodeError: a body that does not decode is described by position and kind,
// never quoted.
func TestDescribeDecodeError(t *testing.T) {
	var l []Invite
	syntax := json.Unmarshal([]byte(`[{"code": x}]`), &l)
	typ := json.Unmarshal([]byte(`[{"code": 5}]`), &l)
	anon := json.Unmarshal([]byte(`5`), &l)
	_, date := time.Parse(time.RFC3339, "yesterday")
	ib := &invalidBody{"mine"}
	for _, tt := range []struct {
		err    error
		offset int64
		want   string
	}{
		{syntax, 0, "invalid JSON at byte 11"},
		{typ, 0, "at byte 11, code is a JSON number where string belongs"},
		{anon, 0, "at byte 1, a value is a JSON number where []gen.TempUserDTO belongs"},
		{date, 42, "a date-time before byte 42 is not in RFC 3339 form"},
		{io.ErrUnexpectedEOF, 7, "the body ends in the middle of a JSON value, after 7 bytes (truncated?)"},
		{io.EOF, 0, "the body ends in the middle of a JSON value, after 0 bytes (truncated?)"},
		{errors.New("other"), 9, "the body does not decode, near byte 9"},
		{ib, 3, "mine"},
	} {
		got := describeDecodeError(tt.err, tt.offset)
		var out *invalidBody
		require.ErrorAs(t, got, &out, "%v", tt.err)
		assert.Equal(t, tt.want, out.problem, "%v", tt.err)
	}
	assert.Equal(t, ErrResponseTooLarge, describeDecodeError(ErrResponseTooLarge, 0))
	assert.Same(t, ib, describeDecodeError(ib, 0))
}

// TestDecodeStream: lists announced small (buffered), large or unannounced (streamed)
// decode alike, and refuse the same shapes.
func TestDecodeStream(t *testing.T) {
	one := `{"code":"c1","email":"a@example.com","id":1}`
	for _, body := range []string{"[]", "null", "[" + one + "]", "[" + one + "," + strings.Replace(one, "c1", "c2", 1) + "]"} {
		for _, cl := range []int64{-1, 0, int64(len(body)), maxPresize + 1} {
			var l inviteList
			r := io.Reader(strings.NewReader(body))
			if cl > int64(len(body)) {
				r = strings.NewReader(body + strings.Repeat(" ", int(cl)-len(body)))
			}
			require.NoError(t, l.decodeStream(r, cl), "%s (%d)", body, cl)
			assert.NotNil(t, l, "never nil")
			assert.Len(t, l, strings.Count(body, `"code"`), "%s (%d)", body, cl)
		}
	}
	for _, tt := range []struct{ body, streamed, buffered string }{
		{`{"a":1}`, "want a JSON array of invites, got an object", "at byte 1, a value is a JSON object"},
		{`"x"`, "want a JSON array of invites, got a string", "a JSON string"},
		{`5`, "want a JSON array of invites, got a number", "a JSON number"},
		{`true`, "want a JSON array of invites, got a boolean", "a JSON bool"},
		{`[` + one + `] []`, "data after the JSON array, at byte 48", "invalid JSON at byte"},
		{`[{"email":"a@b.co"}]`, "invite 1 of the list has no code", "invite 1 of the list has no code"},
		{`[` + one + `,{"code":"x"}]`, "invite 2 of the list has no email", "invite 2 of the list has no email"},
		{`[null]`, "invite 1 of the list has no code", "invite 1 of the list has no code"},
		{`[` + one, "the body ends in the middle of a JSON value, after 45 bytes", "invalid JSON at byte 45"},
	} {
		var l inviteList
		assert.ErrorContains(t, l.decodeStream(strings.NewReader(tt.body), -1), tt.streamed, "streamed: %s", tt.body)
		assert.ErrorContains(t, l.decodeStream(strings.NewReader(tt.body), int64(len(tt.body))), tt.buffered, "buffered: %s", tt.body)
	}
}

// TestDecodeStreamShortBody: a body shorter than its Content-Length is truncated; a read
// that fails midway is the transport's error, not the body's.
func TestDecodeStreamShortBody(t *testing.T) {
	var l inviteList
	err := l.decodeStream(strings.NewReader("[]"), 10)
	assert.ErrorContains(t, err, "the body ends in the middle of a JSON value, after 2 bytes (truncated?)")
	reset := errors.New("connection reset")
	err = l.decodeStream(io.MultiReader(strings.NewReader("[{"), iotest.ErrReader(reset)), 10)
	assert.ErrorIs(t, err, reset)
	var ib *invalidBody
	assert.NotErrorAs(t, err, &ib)
}

// TestDecodeStreamThreshold: a list announced at exactly maxPresize bytes is read from a
// buffer, one byte more is streamed (told apart by how trailing data is described).
func TestDecodeStreamThreshold(t *testing.T) {
	body := func(n int) string { return "[]" + strings.Repeat(" ", n-3) + "x" }
	var l inviteList
	assert.ErrorContains(t, l.decodeStream(strings.NewReader(body(maxPresize)), maxPresize), "invalid JSON at byte", "buffered")
	assert.ErrorContains(t, l.decodeStream(strings.NewReader(body(maxPresize+1)), maxPresize+1), "data after the JSON array", "streamed")
	assert.ErrorContains(t, l.decodeStream(strings.NewReader(""), 0), "the body ends in the middle of a JSON value, after 0 bytes", "announced empty: streamed")
}

// TestReadBody: a body of exactly the limit is read whole, one byte more is refused, as is
// a Content-Length above the limit before anything is read.
func TestReadBody(t *testing.T) {
	read := func(body string, cl, limit int64) (string, error) {
		var buf bytes.Buffer
		err := readBody(&buf, &http.Response{ContentLength: cl, Body: io.NopCloser(strings.NewReader(body))}, limit)
		return buf.String(), err
	}
	body := strings.Repeat("x", 5000)
	for _, cl := range []int64{-1, 5000} {
		got, err := read(body, cl, 5000)
		require.NoError(t, err)
		assert.Equal(t, body, got)
		_, err = read(body+"y", cl, 5000)
		assert.ErrorIs(t, err, ErrResponseTooLarge, "one byte over the limit")
	}
	_, err := read("", 5001, 5000)
	assert.ErrorIs(t, err, ErrResponseTooLarge, "announced over the limit")
	boom := errors.New("boom")
	var buf bytes.Buffer
	err = readBody(&buf, &http.Response{ContentLength: -1, Body: io.NopCloser(iotest.ErrReader(boom))}, 100)
	assert.ErrorIs(t, err, boom)
}

// TestReadErrorBody: at most 1 MiB is kept, flagged as truncated beyond; a failed read
// keeps what came, flagged too.
func TestReadErrorBody(t *testing.T) {
	b, truncated := readErrorBody(strings.NewReader(strings.Repeat("x", maxErrorBodyBytes)))
	assert.Len(t, b, maxErrorBodyBytes)
	assert.False(t, truncated)
	b, truncated = readErrorBody(strings.NewReader(strings.Repeat("x", maxErrorBodyBytes+1)))
	assert.Len(t, b, maxErrorBodyBytes)
	assert.True(t, truncated)
	b, truncated = readErrorBody(io.MultiReader(strings.NewReader("part"), iotest.ErrReader(errors.New("reset"))))
	assert.Equal(t, "part", string(b))
	assert.True(t, truncated)
}

// TestReadBodyPresizes: a body whose length is announced is read into one allocation,
// with room for the read that sees its end (8 KiB: a buffer of exactly that size would fill
// up and grow again).
func TestReadBodyPresizes(t *testing.T) {
	body := strings.Repeat("x", 8192)
	response := func(cl int64) *http.Response {
		return &http.Response{ContentLength: cl, Body: io.NopCloser(strings.NewReader(body))}
	}
	overhead := testing.AllocsPerRun(20, func() { _ = response(8192) }) //nolint:bodyclose // a NopCloser over a string
	announced := testing.AllocsPerRun(20, func() {
		var buf bytes.Buffer
		_ = readBody(&buf, response(8192), 1<<20) //nolint:bodyclose // a NopCloser over a string
	})
	unannounced := testing.AllocsPerRun(20, func() {
		var buf bytes.Buffer
		_ = readBody(&buf, response(-1), 1<<20) //nolint:bodyclose // a NopCloser over a string
	})
	assert.Greater(t, unannounced, announced, "without a length the buffer grows")
	if !raceEnabled {
		assert.Equal(t, 1.0, announced-overhead, "one buffer of the announced size")
	}
}

// TestDecodeStreamReservesByLength: a list's reservation follows its Content-Length (one
// invite per 300 bytes at most), not the 4 096-invite ceiling.
func TestDecodeStreamReservesByLength(t *testing.T) {
	one := `{"code":"c1","email":"a@example.com","id":1,"name":"` + strings.Repeat("n", 300) + `"}`
	list := "[" + strings.Repeat(one+",", 9) + one + "]"
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 10 {
		var l inviteList
		require.NoError(t, l.decodeStream(strings.NewReader(list), int64(len(list))))
	}
	runtime.ReadMemStats(&after)
	perDecode := (after.TotalAlloc - before.TotalAlloc) / 10
	assert.Less(t, perDecode, uint64(64<<10), "a 3.5 kB list takes %d bytes to decode", perDecode)
}
