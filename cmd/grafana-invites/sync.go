package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/internal/emailaddr"
)

// csvProblems lists every problem of a CSV file, with line numbers.
type csvProblems struct{ lines []string }

func (p *csvProblems) Error() string {
	return "the CSV file has problems; nothing was sent:\n  " + strings.Join(p.lines, "\n  ")
}

// readDesired parses a CSV file with a header naming the columns email, role and
// (optionally) name, in any order and case. A UTF-8 byte-order mark, blank lines and
// quoted fields are fine. Every problem is reported, with its line number, before anything
// is sent; warnings are for what is ignored.
func readDesired(data []byte) (desired []api.Desired, warnings []string, err error) {
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
		case "email", "role", "name":
			if _, dup := col[h]; dup {
				probs = append(probs, fmt.Sprintf("line 1: column %q appears twice", h))
			}
			col[h] = i
		default:
			warnings = append(warnings, fmt.Sprintf("line 1: column %q is ignored (known columns: email, role, name)", header[i]))
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
			probs = append(probs, fmt.Sprintf("line %d: role %q of %s is not a role; want None, Viewer, Editor or Admin", line, roleText, email))
			continue
		}
		key := api.NormalizeEmail(email)
		if prev, dup := seen[key]; dup {
			if prev.role != role {
				probs = append(probs, fmt.Sprintf("line %d: %s is listed on line %d as %s and here as %s", line, email, prev.line, prev.role, role))
			} else {
				warnings = append(warnings, fmt.Sprintf("line %d: %s repeats line %d; ignored", line, email, prev.line))
			}
			continue
		}
		seen[key] = seenAt{line, role}
		desired = append(desired, api.Desired{Email: email, Role: role, Name: field(rec, "name")})
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

func runSync(ctx context.Context, args []string, e *env) int {
	fs := newFlagSet("sync", "sync FILE [--dry-run] [--prune] [--replace-role] [--send-email] [--concurrency N] [--output table|json] [connection flags]\nFILE is a CSV with a header (email, role, name); - reads standard input.", e)
	var cn conn
	cn.register(fs)
	dryRun := fs.Bool("dry-run", false, "print the plan, change nothing")
	prune := fs.Bool("prune", false, "revoke pending invites of addresses absent from the file")
	replace := fs.Bool("replace-role", false, "replace pending invites whose role differs from the file's")
	sendEmail := fs.Bool("send-email", false, "have Grafana email new invitations")
	concurrency := fs.Int("concurrency", 4, "requests in flight at once (1–64)")
	output := fs.String("output", "table", "output format: table or json")
	files, err := parseArgs(fs, args)
	if err != nil {
		return parseFailed(err)
	}
	if err := checkOutput(*output, "table", "json"); err != nil {
		return fail(e, err)
	}
	if len(files) != 1 {
		return fail(e, usagef("sync needs exactly one CSV file (or - for standard input), got %d arguments", len(files)))
	}
	if *concurrency < 1 || *concurrency > 64 {
		return fail(e, usagef("--concurrency %d: want 1 to 64", *concurrency))
	}
	var data []byte
	if files[0] == "-" {
		data, err = io.ReadAll(e.stdin)
	} else {
		data, err = e.readFile(files[0])
	}
	if err != nil {
		return fail(e, usagef("cannot read %s: %v", files[0], err))
	}
	desired, warnings, err := readDesired(data)
	for _, w := range warnings {
		fmt.Fprintln(e.stderr, "warning: "+w)
	}
	if err != nil {
		return fail(e, usagef("%s: %v", files[0], err))
	}
	c, err := cn.client(e)
	if err != nil {
		return fail(e, err)
	}
	plan, err := c.Plan(ctx, desired, api.PlanOptions{Prune: *prune, ReplaceRoleMismatch: *replace, SendEmail: *sendEmail})
	if err != nil {
		return fail(e, err)
	}
	if *dryRun {
		if *output == "json" {
			_ = writeJSON(e.stdout, planJSON(plan))
		} else {
			printPlan(e.stdout, plan)
		}
		return exitOK
	}
	prog := newProgress(e.stderr, e.isTTY, plan.Changes())
	report, err := c.Apply(ctx, plan, api.ApplyOptions{Concurrency: *concurrency,
		Progress: func(done, total int, _ api.ReportEntry) { prog.update(done, total) }})
	prog.finish()
	if *output == "json" {
		_ = writeJSON(e.stdout, reportJSON(report))
	} else {
		printReport(e.stdout, report)
	}
	for _, en := range report.Entries {
		if en.Err != nil {
			fmt.Fprintln(e.stderr, explain(fmt.Errorf("%s: %w", en.Email, en.Err)))
		}
	}
	if err != nil {
		return fail(e, err)
	}
	if report.Failed() > 0 {
		return exitError
	}
	return exitOK
}

type planEntry struct {
	Email  string `json:"email"`
	Role   string `json:"role"`
	Action string `json:"action"`
	Note   string `json:"note,omitempty"`
}

func planEntries(p *api.Plan) []planEntry {
	var out []planEntry
	for _, d := range p.Create {
		out = append(out, planEntry{d.Email, string(d.Role), "invite", ""})
	}
	for _, m := range p.Replace {
		out = append(out, planEntry{m.Desired.Email, string(m.Desired.Role), "replace", "pending as " + string(m.Pending[0].Role)})
	}
	for _, inv := range p.Revoke {
		out = append(out, planEntry{api.NormalizeEmail(inv.Email), string(inv.Role), "revoke", "invite " + api.ShortCode(inv.Code)})
	}
	for _, inv := range p.Unchanged {
		out = append(out, planEntry{api.NormalizeEmail(inv.Email), string(inv.Role), "none", "already invited"})
	}
	for _, m := range p.Mismatched {
		out = append(out, planEntry{m.Desired.Email, string(m.Desired.Role), "none", "pending as " + string(m.Pending[0].Role) + "; --replace-role replaces it"})
	}
	for _, inv := range p.Stale {
		out = append(out, planEntry{api.NormalizeEmail(inv.Email), string(inv.Role), "none", "not in the file; --prune revokes it"})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Email < out[j].Email })
	return out
}

func planJSON(p *api.Plan) any {
	return struct {
		DryRun  bool        `json:"dryRun"`
		Changes int         `json:"changes"`
		Entries []planEntry `json:"entries"`
	}{true, p.Changes(), planEntries(p)}
}

func printPlan(w io.Writer, p *api.Plan) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tROLE\tACTION\tNOTE")
	for _, en := range planEntries(p) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", en.Email, en.Role, en.Action, dash(en.Note))
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "\nDry run: %d to invite, %d to replace, %d to revoke; nothing was changed.\n", len(p.Create), len(p.Replace), len(p.Revoke))
	if len(p.Create) > 0 {
		fmt.Fprintln(w, "Addresses of existing members are planned as invites: Grafana tells them apart only when invited, and then nothing changes.")
	}
}

type reportEntry struct {
	Email  string `json:"email"`
	Role   string `json:"role"`
	Result string `json:"result"`
	Code   string `json:"code,omitempty"`
	URL    string `json:"url,omitempty"`
	UserID int64  `json:"userId,omitempty"`
	Note   string `json:"note,omitempty"`
	Error  string `json:"error,omitempty"`
}

func reportEntries(r *api.Report) []reportEntry {
	out := make([]reportEntry, 0, len(r.Entries))
	for _, en := range r.Entries {
		re := reportEntry{Email: en.Email, Role: string(en.Role), Result: en.Outcome.String(), UserID: en.UserID}
		if en.Invite != nil && en.Outcome != api.OutcomeRevoked {
			re.Code, re.URL = en.Invite.Code, en.Invite.URL
		}
		if en.EmailNotSent {
			re.Note = "email not sent: Grafana has no SMTP"
		}
		if en.Err != nil {
			re.Error = en.Err.Error()
		}
		out = append(out, re)
	}
	return out
}

func summary(r *api.Report) map[string]int {
	counts := map[string]int{}
	for _, en := range r.Entries {
		counts[en.Outcome.String()]++
	}
	return counts
}

func reportJSON(r *api.Report) any {
	return struct {
		DryRun  bool           `json:"dryRun"`
		Failed  int            `json:"failed"`
		Summary map[string]int `json:"summary"`
		Entries []reportEntry  `json:"entries"`
	}{false, r.Failed(), summary(r), reportEntries(r)}
}

// printReport lists what changed or failed, then a summary of every result.
func printReport(w io.Writer, r *api.Report) {
	changed := 0
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, en := range reportEntries(r) {
		switch api.Outcome(en.Result) {
		case api.OutcomeAlreadyInvited, api.OutcomeStale, api.OutcomeRoleMismatch:
			continue
		}
		if changed == 0 {
			fmt.Fprintln(tw, "EMAIL\tROLE\tRESULT\tURL")
		}
		changed++
		detail := en.URL
		if en.Error != "" {
			detail = "error: see below"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", en.Email, en.Role, en.Result, dash(detail))
	}
	_ = tw.Flush()
	if changed > 0 {
		fmt.Fprintln(w)
	}
	counts := summary(r)
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RESULT\tCOUNT")
	for _, n := range names {
		fmt.Fprintf(tw, "%s\t%d\n", n, counts[n])
	}
	_ = tw.Flush()
}

// progress shows Apply's progress on stderr: a bar redrawn in place on a terminal, a plain
// line every tenth of the way otherwise.
type progress struct {
	w       io.Writer
	tty     bool
	total   int
	lastTen int
	drawn   bool
}

func newProgress(w io.Writer, tty bool, total int) *progress {
	return &progress{w: w, tty: tty, total: total}
}

func (p *progress) update(done, total int) {
	if p.tty {
		const width = 30
		filled := width * done / max(total, 1)
		fmt.Fprintf(p.w, "\r[%s%s] %d/%d", strings.Repeat("=", filled), strings.Repeat(" ", width-filled), done, total)
		p.drawn = true
		return
	}
	if ten := 10 * done / max(total, 1); ten > p.lastTen || done == total {
		p.lastTen = ten
		fmt.Fprintf(p.w, "progress: %d/%d\n", done, total)
	}
}

func (p *progress) finish() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}
