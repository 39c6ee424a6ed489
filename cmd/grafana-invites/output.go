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

// entry is one line of what invite, revoke, renew and sync (dry runs and runs) print. In
// JSON every key is present, null for nothing (see entryJSON); CSV leaves such cells
// empty. Codes are full in JSON and CSV, shortened in tables.
type entry struct {
	// Instance is the fleet file's instance (plan and apply); empty (null) elsewhere.
	Instance string
	// OrgID is the organisation of a sync file's org column; 0 (null) for the one the
	// connection names.
	OrgID   int64
	Address string
	Role    string
	// Action is what a dry run would do (an api.ActionKind, or actionNone); Result what a
	// run did (an api.Outcome) or, for a dry run's actionNone, what a run would report.
	Action  string
	Result  string
	Code    string
	OldCode string
	URL     string
	UserID  int64
	// EmailSent is whether Grafana emailed a new invite (nil: no invite was made).
	EmailSent *bool
	// Note is for people; scripts read Action, Result and EmailSent.
	Note  string
	Error string
	// shortfall says why the address was not brought to the state asked for (a role
	// mismatch kept, an email not sent): the run exits 3. Not printed.
	shortfall string
}

// entryJSON is an entry as JSON: every key present, in Grafana's camelCase, null for
// nothing. docs/cli-output.schema.json describes it.
type entryJSON struct {
	Instance  *string `json:"instance"`
	OrgID     *int64  `json:"orgId"`
	Address   string  `json:"address"`
	Role      *string `json:"role"`
	Action    *string `json:"action"`
	Result    *string `json:"result"`
	Code      *string `json:"code"`
	OldCode   *string `json:"oldCode"`
	URL       *string `json:"url"`
	UserID    *int64  `json:"userId"`
	EmailSent *bool   `json:"emailSent"`
	Note      *string `json:"note"`
	Error     *string `json:"error"`
}

// MarshalJSON writes the entry with every key, null for nothing.
func (en entry) MarshalJSON() ([]byte, error) {
	return json.Marshal(entryJSON{
		Instance: nullString(en.Instance), OrgID: nullID(en.OrgID), Address: en.Address, Role: nullString(en.Role), Action: nullString(en.Action),
		Result: nullString(en.Result), Code: nullString(en.Code), OldCode: nullString(en.OldCode), URL: nullString(en.URL),
		UserID: nullID(en.UserID), EmailSent: en.EmailSent, Note: nullString(en.Note), Error: nullString(en.Error),
	})
}

// UnmarshalJSON reads what MarshalJSON writes (a saved plan's entries).
func (en *entry) UnmarshalJSON(data []byte) error {
	var j entryJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*en = entry{Instance: deref(j.Instance), OrgID: deref(j.OrgID), Address: j.Address, Role: deref(j.Role), Action: deref(j.Action), Result: deref(j.Result),
		Code: deref(j.Code), OldCode: deref(j.OldCode), URL: deref(j.URL), UserID: deref(j.UserID), EmailSent: j.EmailSent,
		Note: deref(j.Note), Error: deref(j.Error)}
	return nil
}

// nullString is s, or nil (JSON null) when empty.
func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// nullID is id, or nil (JSON null) when unset (0).
func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// entryColumns are entry's JSON keys in order: the CSV header.
var entryColumns = []string{"instance", "orgId", "address", "role", "action", "result", "code", "oldCode", "url", "userId", "emailSent", "note", "error"}

func (en entry) field(key string) string {
	switch key {
	case "instance":
		return en.Instance
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
	case "emailSent":
		if en.EmailSent == nil {
			return ""
		}
		return strconv.FormatBool(*en.EmailSent)
	case "note":
		return en.Note
	case "error":
		return en.Error
	}
	panic("entry has no field " + key)
}

// optionalID writes an id for CSV, empty when unset (0), as JSON writes null.
func optionalID(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// entriesDoc is the JSON document of a command that prints entries: whether it was a dry
// run, the count of each action (dry run) or result (also per organisation, when entries
// name one), how many unchanged entries a dry run left out (--show-unchanged lists them),
// and the entries.
type entriesDoc struct {
	DryRun          bool                      `json:"dryRun"`
	Summary         map[string]int            `json:"summary"`
	SummaryByOrg    map[string]map[string]int `json:"summaryByOrg"`
	UnchangedHidden int                       `json:"unchangedHidden"`
	Entries         []entry                   `json:"entries"`
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

// printed is what a command prints of its entries: a dry run's changes (all of them with
// --show-unchanged) and how many it leaves out.
type printed struct {
	entries []entry
	dryRun  bool
	// all are the entries the summaries count; hidden how many of them entries leaves out.
	all    []entry
	hidden int
}

// dryRunShows keeps a dry run's entries that change something, and those a run would
// leave short of what was asked (a pending invite with another role, kept), unless
// showUnchanged keeps them all.
func dryRunShows(entries []entry, showUnchanged bool) printed {
	p := printed{entries: entries, dryRun: true, all: entries}
	if !showUnchanged {
		p.entries = nil
		for _, en := range entries {
			if en.Action != actionNone || en.Result == string(api.OutcomeRoleMismatch) {
				p.entries = append(p.entries, en)
			}
		}
		p.hidden = len(entries) - len(p.entries)
	}
	return p
}

// runShows is a run's entries, all shown.
func runShows(entries []entry) printed { return printed{entries: entries, all: entries} }

// changesOf keeps the entries of a plan that change something.
func changesOf(entries []entry) []entry {
	var out []entry
	for _, en := range entries {
		if en.Action != actionNone {
			out = append(out, en)
		}
	}
	return out
}

// writeEntries writes entries as JSON or CSV (the CSV keeps the columns some entry uses).
func writeEntries(w io.Writer, format string, p printed) error {
	entries := p.entries
	if entries == nil {
		entries = []entry{}
	}
	if format == formatJSON {
		doc := entriesDoc{DryRun: p.dryRun, Summary: counts(p.all), UnchangedHidden: p.hidden, Entries: entries}
		if byOrg := byOrg(p.all); len(byOrg) > 1 || (len(byOrg) == 1 && p.all[0].OrgID != 0) {
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

// printEntries writes entries in the chosen format; a table (writeEntryTable) is followed,
// in a dry run, by how many unchanged entries it leaves out, in a run by the links to hand
// over (not with -q).
func (a *app) printEntries(out *output, p printed) error {
	if out.format != formatTable {
		return writeEntries(a.e.stdout, out.format, p)
	}
	if len(p.entries) > 0 {
		writeEntryTable(a.e.stdout, p.entries, p.dryRun)
	}
	switch {
	case a.quiet:
	case p.dryRun && len(p.entries) == 0:
		fmt.Fprintf(a.e.stdout, "Nothing to change (%d unchanged).\n", p.hidden)
	case p.dryRun && p.hidden > 0:
		fmt.Fprintf(a.e.stdout, "… and %d unchanged (--show-unchanged lists them).\n", p.hidden)
	case !p.dryRun:
		writeLinks(a.e.stdout, p.entries)
	}
	return nil
}

// writeEntryTable writes entries as a table: the instance and organisation (when some entry
// names one),
// address, role, action (dry run) or result, the code replaced (renew), a short code, a note.
func writeEntryTable(w io.Writer, entries []entry, dryRun bool) {
	verb := "RESULT"
	if dryRun {
		verb = "ACTION"
	}
	instances, orgs, renewed := false, false, false
	for _, en := range entries {
		instances = instances || en.Instance != ""
		orgs = orgs || en.OrgID != 0
		renewed = renewed || en.OldCode != ""
	}
	var header []string
	if instances {
		header = append(header, "INSTANCE")
	}
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
		if instances {
			cells = append(cells, en.Instance)
		}
		if orgs {
			cells = append(cells, orgLabel(en.OrgID))
		}
		cells = append(cells, en.Address, en.Role, shown(en))
		if renewed {
			cells = append(cells, short(en.OldCode))
		}
		note := en.Note
		if en.Action == actionNone && note == "" && en.Result != "" {
			note = api.Outcome(en.Result).Label() // what a run would report
		}
		t.row(append(cells, short(en.Code), note)...)
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
