// Command mutation measures how well a package's tests catch wrong code: it changes the
// code one operator at a time (a mutant), runs the package's tests against each change
// through `go test -overlay` (the source tree is never written), and reports the share of
// mutants the tests caught. `make mutation` runs it.
//
// Usage:
//
//	mutation [-workers N] [-timeout-factor F] [-json FILE] DIR...
//
// DIR is a package directory, relative to the module root (the current directory). The
// mutators are gremlins' defaults: conditionals boundary (< ↔ <=, > ↔ >=), conditionals
// negation (== ↔ !=, < ↔ >=, > ↔ <=), arithmetic (+ ↔ -, * ↔ /, % → *), increment and
// decrement (++ ↔ --) and inverted negatives (-x → +x).
//
// Each mutant is classified:
//   - not viable: it does not compile (excluded from the score);
//   - killed: a test fails, or the tests time out (a mutant that loops forever is caught);
//   - lived: every test passes;
//   - not covered: no test runs its line (the coverage of one run of the unchanged code).
//
// Score = killed / (killed + lived + not covered).
//
// gremlins (the tool the issue names) was tried first: v0.6.0 counts a mutant that does
// not compile as killed, and counted as killed mutants that `go test` passes when applied
// by hand; running the tests here, on the exact change, leaves no such doubt.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// mutant is one change of one operator.
type mutant struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Col    int    `json:"col"`
	Kind   string `json:"kind"`
	From   string `json:"from"`
	To     string `json:"to"`
	Status string `json:"status"`
	offset int    // of the operator in the file
}

func (m mutant) String() string {
	return fmt.Sprintf("%s:%d:%d %s %s → %s", m.File, m.Line, m.Col, m.Kind, m.From, m.To)
}

// Statuses.
const (
	notViable  = "not viable"
	killed     = "killed"
	timedOut   = "timed out"
	lived      = "lived"
	notCovered = "not covered"
)

func main() {
	workers := flag.Int("workers", 2, "mutants tested at once")
	factor := flag.Float64("timeout-factor", 5, "a run taking longer than this many times the unchanged run times out (killed)")
	jsonOut := flag.String("json", "", "also write every mutant and its status to this file")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: mutation [-workers N] [-timeout-factor F] [-json FILE] DIR...")
		os.Exit(2)
	}
	var all []mutant
	var summaries []string
	for _, dir := range flag.Args() {
		ms, err := runPackage(dir, *workers, *factor)
		if err != nil {
			fmt.Fprintln(os.Stderr, "mutation:", err)
			os.Exit(2)
		}
		all = append(all, ms...)
		summaries = append(summaries, report(dir, ms))
	}
	fmt.Println("\n" + strings.Join(summaries, "\n"))
	if *jsonOut != "" {
		data, _ := json.MarshalIndent(all, "", "  ")
		if err := os.WriteFile(*jsonOut, append(data, '\n'), 0o600); err != nil {
			fmt.Fprintln(os.Stderr, "mutation:", err)
			os.Exit(2)
		}
	}
}

// report prints a package's survivors and returns its score line.
func report(dir string, ms []mutant) string {
	counts := map[string]int{}
	for _, m := range ms {
		counts[m.Status]++
	}
	caught := counts[killed] + counts[timedOut]
	viable := caught + counts[lived] + counts[notCovered]
	score := 100.0
	if viable > 0 {
		score = 100 * float64(caught) / float64(viable)
	}
	line := fmt.Sprintf("%s: %.1f%% of %d viable mutants killed (killed %d, timed out %d, lived %d, not covered %d; not viable %d)",
		dir, score, viable, counts[killed], counts[timedOut], counts[lived], counts[notCovered], counts[notViable])
	fmt.Printf("\n%s\n", line)
	for _, m := range ms {
		if m.Status == lived || m.Status == notCovered {
			fmt.Printf("  %-11s %s\n", strings.ToUpper(m.Status), m)
		}
	}
	return line
}

// runPackage finds the mutants of one package and tests each.
func runPackage(dir string, workers int, factor float64) ([]mutant, error) {
	ms, err := findMutants(dir)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "mutation")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(tmp) }()

	// One run of the unchanged code: it must pass, it times the tests and gives coverage.
	profile := filepath.Join(tmp, "cover.out")
	start := time.Now()
	if out, err := goCmd(context.Background(), "test", "-count=1", "-coverprofile", profile, "./"+dir).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%s: the tests fail on the unchanged code:\n%s", dir, out)
	}
	base := time.Since(start)
	covered, err := readCoverage(profile)
	if err != nil {
		return nil, err
	}
	timeout := time.Duration(float64(base)*factor) + 30*time.Second
	fmt.Printf("%s: %d mutants; the unchanged tests take %v (timeout %v)\n", dir, len(ms), base.Round(time.Millisecond), timeout.Round(time.Second))

	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(ms) {
					return
				}
				m := &ms[i]
				m.Status = test(dir, *m, filepath.Join(tmp, strconv.Itoa(w)), timeout, covered.has(m.File, m.Line, m.Col))
				mu.Lock()
				fmt.Printf("  [%d/%d] %-11s %s\n", i+1, len(ms), m.Status, m)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return ms, nil
}

// test builds the package's tests with the mutant applied through an overlay and, when its
// line runs under them (covered), runs them. A mutant that does not build is not viable,
// covered or not.
func test(dir string, m mutant, work string, timeout time.Duration, covered bool) string {
	if err := os.MkdirAll(work, 0o750); err != nil {
		return notViable
	}
	src, err := os.ReadFile(m.File) //nolint:gosec // a file of the package under test
	if err != nil {
		return notViable
	}
	mutated := slices.Concat(src[:m.offset], []byte(m.To), src[m.offset+len(m.From):])
	file := filepath.Join(work, "mutant.go")
	if err := os.WriteFile(file, mutated, 0o600); err != nil { //nolint:gosec // under this run's temporary directory
		return notViable
	}
	abs, _ := filepath.Abs(m.File)
	overlay, _ := json.Marshal(map[string]map[string]string{"Replace": {abs: file}})
	overlayFile := filepath.Join(work, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o600); err != nil {
		return notViable
	}
	bin := filepath.Join(work, "pkg.test")
	if err := goCmd(context.Background(), "test", "-vet=off", "-overlay", overlayFile, "-c", "-o", bin, "./"+dir).Run(); err != nil {
		return notViable
	}
	if !covered {
		return notCovered
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-test.count=1", "-test.failfast") //nolint:gosec // the test binary just built
	cmd.Dir = dir
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	switch {
	case ctx.Err() != nil:
		return timedOut
	case err != nil:
		return killed
	}
	return lived
}

func goCmd(ctx context.Context, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "go", args...) //nolint:gosec // the go command, on the packages named by make mutation
}

// findMutants lists the mutants of the package's non-test files.
func findMutants(dir string) ([]mutant, error) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []mutant
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		path := filepath.Join(dir, name)
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GenDecl:
				if n.Tok == token.CONST {
					return false // constants are values, not logic; a changed one often does not compile
				}
			case *ast.BinaryExpr:
				for _, to := range binaryMutations[n.Op] {
					out = append(out, newMutant(fset, n.OpPos, to.kind, n.Op.String(), to.op.String()))
				}
			case *ast.IncDecStmt:
				to := token.DEC
				if n.Tok == token.DEC {
					to = token.INC
				}
				out = append(out, newMutant(fset, n.TokPos, "increment-decrement", n.Tok.String(), to.String()))
			case *ast.UnaryExpr:
				if n.Op == token.SUB {
					out = append(out, newMutant(fset, n.OpPos, "invert-negatives", "-", "+"))
				}
			}
			return true
		})
	}
	return out, nil
}

type mutation struct {
	kind string
	op   token.Token
}

var binaryMutations = map[token.Token][]mutation{
	token.LSS: {{"conditionals-boundary", token.LEQ}, {"conditionals-negation", token.GEQ}},
	token.LEQ: {{"conditionals-boundary", token.LSS}, {"conditionals-negation", token.GTR}},
	token.GTR: {{"conditionals-boundary", token.GEQ}, {"conditionals-negation", token.LEQ}},
	token.GEQ: {{"conditionals-boundary", token.GTR}, {"conditionals-negation", token.LSS}},
	token.EQL: {{"conditionals-negation", token.NEQ}},
	token.NEQ: {{"conditionals-negation", token.EQL}},
	token.ADD: {{"arithmetic", token.SUB}},
	token.SUB: {{"arithmetic", token.ADD}},
	token.MUL: {{"arithmetic", token.QUO}},
	token.QUO: {{"arithmetic", token.MUL}},
	token.REM: {{"arithmetic", token.MUL}},
}

func newMutant(fset *token.FileSet, pos token.Pos, kind, from, to string) mutant {
	p := fset.Position(pos)
	return mutant{File: p.Filename, Line: p.Line, Col: p.Column, Kind: kind, From: from, To: to, offset: p.Offset}
}

// coverage is the blocks of a profile, by file base name.
type coverage map[string][]block

type block struct {
	startLine, startCol, endLine, endCol int
	run                                  bool
}

func (b block) holds(line, col int) bool {
	after := line > b.startLine || (line == b.startLine && col >= b.startCol)
	before := line < b.endLine || (line == b.endLine && col <= b.endCol)
	return after && before
}

// has reports whether a position may have run: it is in a block that ran, or in no block at
// all (a switch's case expressions, say, which the profile does not count). Only a position
// in blocks that never ran is reported as not run.
func (c coverage) has(file string, line, col int) bool {
	inBlock := false
	for _, b := range c[filepath.Base(file)] {
		if b.holds(line, col) {
			if b.run {
				return true
			}
			inBlock = true
		}
	}
	return !inBlock
}

// readCoverage reads the blocks of a cover profile and whether each ran.
func readCoverage(path string) (coverage, error) {
	f, err := os.Open(path) //nolint:gosec // the profile this run wrote
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	c := coverage{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "mode:") {
			continue
		}
		// name.go:12.3,14.5 2 1
		fileAndRange, counts, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		colon := strings.LastIndexByte(fileAndRange, ':')
		if colon < 0 {
			continue
		}
		b := block{run: !strings.HasSuffix(counts, " 0")}
		if _, err := fmt.Sscanf(fileAndRange[colon+1:], "%d.%d,%d.%d", &b.startLine, &b.startCol, &b.endLine, &b.endCol); err != nil {
			return nil, fmt.Errorf("cover profile line %q: %w", line, err)
		}
		name := filepath.Base(fileAndRange[:colon])
		c[name] = append(c[name], b)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(c) == 0 {
		return nil, errors.New("the cover profile holds no blocks")
	}
	return c, nil
}
