package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/internal/emailaddr"
)

// csvProblems lists every problem of a CSV file, with line numbers.
type csvProblems struct{ lines []string }

func (p *csvProblems) Error() string {
	return "the CSV file has problems; nothing was sent:\n  " + strings.Join(p.lines, "\n  ")
}

// row is one line of a sync file: who, with which role, in which organisation (0: the one
// the connection names, --org-id or the credentials' own).
type row struct {
	org  int64
	line int // of the file
	api.Desired
}

// readDesired parses a CSV file with a header naming the columns email, role and
// (optionally) name, in any order and case. A UTF-8 byte-order mark, blank lines and
// quoted fields are fine. Every problem is reported, with its line number, before anything
// is sent; warnings are for what is ignored.
func readDesired(data []byte) (desired []row, warnings []string, err error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	var probs []string
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, &csvProblems{[]string{"the file is empty; want a header line: email,role,name"}}
	}
	if err != nil {
		return nil, nil, &csvProblems{[]string{csvErr(err)}}
	}
	if len(header) == 1 {
		for _, sep := range []struct{ char, name string }{{";", "semicolons"}, {"\t", "tabs"}} {
			if strings.Contains(header[0], sep.char) {
				return nil, nil, &csvProblems{[]string{fmt.Sprintf("line 1: the file is separated by %s; write it with commas: email,role,name", sep.name)}}
			}
		}
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		switch h {
		case "email", "role", "name", "org":
			if _, dup := col[h]; dup {
				probs = append(probs, fmt.Sprintf("line 1: column %q appears twice", h))
			}
			col[h] = i
		default:
			warnings = append(warnings, fmt.Sprintf("line 1: column %q is ignored (known columns: email, role, name, org)", header[i]))
		}
	}
	for _, need := range []string{"email", "role"} {
		if _, ok := col[need]; !ok {
			probs = append(probs, fmt.Sprintf("line 1: the header has no %q column; want a header line such as: email,role,name", need))
		}
	}
	if len(probs) > 0 {
		return nil, warnings, &csvProblems{probs}
	}
	field := func(rec []string, name string) string {
		i, ok := col[name]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	type seenAt struct {
		line int
		role api.Role
	}
	seen := map[string]seenAt{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			probs = append(probs, csvErr(err))
			var pe *csv.ParseError
			if errors.As(err, &pe) && !errors.Is(pe.Err, csv.ErrFieldCount) {
				break // the reader cannot resynchronise after a quoting error
			}
			continue
		}
		line, _ := r.FieldPos(0)
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue // a line of empty fields
		}
		if len(rec) > len(header) {
			probs = append(probs, fmt.Sprintf("line %d: %d fields, but the header names %d; quote a field that holds a comma", line, len(rec), len(header)))
			continue
		}
		email, roleText := field(rec, "email"), field(rec, "role")
		switch {
		case email == "":
			probs = append(probs, fmt.Sprintf("line %d: the email is empty", line))
			continue
		case !emailaddr.Valid(email): // Grafana's own rule, shared with the fake
			probs = append(probs, fmt.Sprintf("line %d: %q is not an email address", line, email))
			continue
		}
		role, err := api.ParseRole(roleText)
		if err != nil {
			probs = append(probs, fmt.Sprintf("line %d: role %q of %s is not a role; want %s", line, roleText, email, roleChoices()))
			continue
		}
		var org int64
		if text := field(rec, "org"); text != "" {
			if org, err = strconv.ParseInt(text, 10, 64); err != nil || org < 1 {
				probs = append(probs, fmt.Sprintf("line %d: org %q of %s is not an organisation id (a number from 1)", line, text, email))
				continue
			}
		}
		key := fmt.Sprintf("%d/%s", org, api.NormalizeEmail(email))
		if prev, dup := seen[key]; dup {
			if prev.role != role {
				probs = append(probs, fmt.Sprintf("line %d: %s is listed on line %d as %s and here as %s", line, email, prev.line, prev.role, role))
			} else {
				warnings = append(warnings, fmt.Sprintf("line %d: %s repeats line %d; ignored", line, email, prev.line))
			}
			continue
		}
		seen[key] = seenAt{line, role}
		desired = append(desired, row{org: org, line: line, Desired: api.Desired{Email: email, Role: role, Name: field(rec, "name")}})
	}
	if len(probs) > 0 {
		return nil, warnings, &csvProblems{probs}
	}
	if len(desired) == 0 {
		return nil, warnings, &csvProblems{[]string{"the file has a header but no rows"}}
	}
	return desired, warnings, nil
}

func csvErr(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("line %d: %v", pe.Line, pe.Err)
	}
	return err.Error()
}
