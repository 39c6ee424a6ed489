package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/grafana-invites/grafana-invites/api"
)

// Output formats of -o/--output.
const (
	formatTable = "table"
	formatJSON  = "json"
	formatCSV   = "csv"
)

// output is the -o/--output flag of a command that prints data.
type output struct{ format string }

// addOutputFlag registers -o/--output with the formats table, json and csv.
func addOutputFlag(cmd *cobra.Command) *output {
	o := &output{}
	cmd.Flags().StringVarP(&o.format, "output", "o", formatTable, "output format: table, json or csv")
	_ = cmd.RegisterFlagCompletionFunc("output", fixedCompletions(formatTable, formatJSON, formatCSV))
	return o
}

// check refuses an unknown format before anything is sent.
func (o *output) check() error {
	switch o.format {
	case formatTable, formatJSON, formatCSV:
		return nil
	}
	return usagef("--output %q: want table, json or csv", o.format)
}

// entry is one line of what invite, revoke, renew and sync (plan and run) print, in
// Grafana's camelCase in JSON and CSV alike. Codes are full in JSON and CSV, shortened
// in tables.
type entry struct {
	// OrgID is the organisation of a sync file's org column; 0 (omitted) for the one the
	// connection names.
	OrgID   int64  `json:"orgId,omitempty"`
	Address string `json:"address"`
	Role    string `json:"role,omitempty"`
	// Action is what a plan (sync --dry-run) would do; Result what a run did.
	Action  string `json:"action,omitempty"`
	Result  string `json:"result,omitempty"`
	Code    string `json:"code,omitempty"`
	OldCode string `json:"oldCode,omitempty"`
	URL     string `json:"url,omitempty"`
	UserID  int64  `json:"userId,omitempty"`
	Note    string `json:"note,omitempty"`
	Error   string `json:"error,omitempty"`
}

// entryColumns are entry's JSON keys in order: the CSV header.
var entryColumns = []string{"orgId", "address", "role", "action", "result", "code", "oldCode", "url", "userId", "note", "error"}

func (en entry) field(key string) string {
	switch key {
	case "orgId":
		return optionalID(en.OrgID)
	case "address":
		return en.Address
	case "role":
		return en.Role
	case "action":
		return en.Action
	case "result":
		return en.Result
	case "code":
		return en.Code
	case "oldCode":
		return en.OldCode
	case "url":
		return en.URL
	case "userId":
		return optionalID(en.UserID)
	case "note":
		return en.Note
	case "error":
		return en.Error
	}
	panic("entry has no field " + key)
}

// optionalID writes an id for CSV, empty when unset (0), as JSON omits it.
func optionalID(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// entriesDoc is the JSON document of a command that prints entries: whether it was a dry
// run, the count of each action or result (also per organisation, when entries name one),
// and the entries.
type entriesDoc struct {
	DryRun       bool                      `json:"dryRun"`
	Summary      map[string]int            `json:"summary"`
	SummaryByOrg map[string]map[string]int `json:"summaryByOrg,omitempty"`
	Entries      []entry                   `json:"entries"`
}

// counts tallies the entries by action (dry run) or result.
func counts(entries []entry) map[string]int {
	out := map[string]int{}
	for _, en := range entries {
		if k := firstNonEmpty(en.Action, en.Result); k != "" {
			out[k]++
		}
	}
	return out
}

// shown is an entry's action, or its result as people read it.
func shown(en entry) string {
	if en.Action != "" {
		return en.Action
	}
	return api.Outcome(en.Result).Label()
}

// writeEntries writes entries as JSON or CSV (the CSV keeps the columns some entry uses).
func writeEntries(w io.Writer, format string, dryRun bool, entries []entry) error {
	if entries == nil {
		entries = []entry{}
	}
	if format == formatJSON {
		doc := entriesDoc{DryRun: dryRun, Summary: counts(entries), Entries: entries}
		if byOrg := byOrg(entries); len(byOrg) > 1 || (len(byOrg) == 1 && entries[0].OrgID != 0) {
			doc.SummaryByOrg = map[string]map[string]int{}
			for _, g := range byOrg {
				doc.SummaryByOrg[orgLabel(g[0].OrgID)] = counts(g)
			}
		}
		return writeJSON(w, doc)
	}
	var cols []string
	for _, key := range entryColumns {
		for _, en := range entries {
			if en.field(key) != "" || key == "address" {
				cols = append(cols, key)
				break
			}
		}
	}
	rows := make([][]string, 0, len(entries))
	for _, en := range entries {
		row := make([]string, len(cols))
		for i, key := range cols {
			row[i] = en.field(key)
		}
		rows = append(rows, row)
	}
	return writeCSV(w, cols, rows)
}

// printEntries writes entries in the chosen format; a table (writeEntryTable) is followed by
// the links to hand over (not with -q).
func (a *app) printEntries(out *output, entries []entry, dryRun bool) error {
	if out.format != formatTable {
		return writeEntries(a.e.stdout, out.format, dryRun, entries)
	}
	writeEntryTable(a.e.stdout, entries, dryRun)
	if !a.quiet && !dryRun {
		writeLinks(a.e.stdout, entries)
	}
	return nil
}

// writeEntryTable writes entries as a table: the organisation (when some entry names one),
// address, role, action (dry run) or result, the code replaced (renew), a short code, a note.
func writeEntryTable(w io.Writer, entries []entry, dryRun bool) {
	verb := "RESULT"
	if dryRun {
		verb = "ACTION"
	}
	orgs, renewed := false, false
	for _, en := range entries {
		orgs = orgs || en.OrgID != 0
		renewed = renewed || en.OldCode != ""
	}
	var header []string
	if orgs {
		header = append(header, "ORG")
	}
	header = append(header, "ADDRESS", "ROLE", verb)
	if renewed {
		header = append(header, "OLD CODE")
	}
	t := newTable(w, append(header, "CODE", "NOTE")...)
	for _, en := range entries {
		var cells []string
		if orgs {
			cells = append(cells, orgLabel(en.OrgID))
		}
		cells = append(cells, en.Address, en.Role, shown(en))
		if renewed {
			cells = append(cells, short(en.OldCode))
		}
		t.row(append(cells, short(en.Code), en.Note)...)
	}
	t.flush()
}

// orgLabel names an organisation in tables; 0 is the one the connection names.
func orgLabel(id int64) string {
	if id == 0 {
		return "default"
	}
	return strconv.FormatInt(id, 10)
}

func joinNotes(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeCompactJSON writes v as one line.
func writeCompactJSON(w io.Writer, v any) error { return json.NewEncoder(w).Encode(v) }

func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(header)
	_ = cw.WriteAll(rows)
	return cw.Error()
}

// table writes aligned columns.
type table struct{ tw *tabwriter.Writer }

func newTable(w io.Writer, header ...string) *table {
	t := &table{tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	t.row(header...)
	return t
}

func (t *table) row(cells ...string) {
	for i := range cells {
		cells[i] = dash(cells[i])
	}
	fmt.Fprintln(t.tw, strings.Join(cells, "\t"))
}

func (t *table) flush() { _ = t.tw.Flush() }

// byOrg splits entries by organisation, in order of first appearance.
func byOrg(entries []entry) [][]entry {
	var out [][]entry
	at := map[int64]int{}
	for _, en := range entries {
		i, ok := at[en.OrgID]
		if !ok {
			i = len(out)
			at[en.OrgID] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], en)
	}
	return out
}

// writeSummaries writes the summary, one per organisation when entries name one.
func writeSummaries(w io.Writer, entries []entry) {
	groups := byOrg(entries)
	if len(groups) == 1 && entries[0].OrgID == 0 || len(groups) == 0 {
		writeSummary(w, entries)
		return
	}
	for i, g := range groups {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "Organisation %s:\n", orgLabel(g[0].OrgID))
		writeSummary(w, g)
	}
}

// writeSummary writes the count of each result (or action), sorted by name.
func writeSummary(w io.Writer, entries []entry) {
	c := map[string]int{}
	for token, n := range counts(entries) {
		c[api.Outcome(token).Label()] += n
	}
	names := make([]string, 0, len(c))
	for n := range c {
		names = append(names, n)
	}
	sort.Strings(names)
	t := newTable(w, "RESULT", "COUNT")
	for _, n := range names {
		t.row(n, strconv.Itoa(c[n]))
	}
	t.flush()
}

// writeLinks lists the invite URLs of the entries that have one, for handing over.
func writeLinks(w io.Writer, entries []entry) {
	t := (*table)(nil)
	for _, en := range entries {
		if en.URL == "" {
			continue
		}
		if t == nil {
			fmt.Fprintln(w, "\nInvite links (hand them over where no email went out):")
			t = &table{tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
		}
		t.row("  "+en.Address, en.URL)
	}
	if t != nil {
		t.flush()
	}
}

// short is a code as tables show it.
func short(code string) string {
	if code == "" {
		return ""
	}
	return api.ShortCode(code)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}
