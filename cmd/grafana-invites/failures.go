package main

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// failure is one address that failed in a run.
type failure struct {
	address string
	err     error
	// instance is the fleet's instance the address is in (plan and apply).
	instance string
}

// maxNamed is how many addresses a group of failures names.
const maxNamed = 3

// reportFailures writes the failures grouped by what went wrong (the status and message,
// the address removed): each group once, with its count and up to three addresses, so that
// 2 000 identical failures take three lines, not 4 000.
func (a *app) reportFailures(fails []failure) {
	type group struct {
		text  string
		addrs []string
	}
	var groups []*group
	byText := map[string]*group{}
	for _, f := range fails {
		text := withoutAddress(explain(f.err), f.address)
		g := byText[text]
		if g == nil {
			g = &group{text: text}
			byText[text] = g
			groups = append(groups, g)
		}
		who := f.address
		if f.instance != "" {
			who = f.instance + ": " + who
		}
		g.addrs = append(g.addrs, who)
	}
	sort.SliceStable(groups, func(i, j int) bool { return len(groups[i].addrs) > len(groups[j].addrs) })
	for _, g := range groups {
		msg, hint, _ := strings.Cut(g.text, "\n")
		fmt.Fprintln(a.e.stderr, msg)
		named := strings.Join(g.addrs[:min(maxNamed, len(g.addrs))], ", ")
		switch n := len(g.addrs); {
		case n == 1:
			fmt.Fprintf(a.e.stderr, "  for %s\n", named)
		case n <= maxNamed:
			fmt.Fprintf(a.e.stderr, "  for %d addresses: %s\n", n, named)
		default:
			fmt.Fprintf(a.e.stderr, "  for %d addresses: %s and %d more\n", n, named, n-maxNamed)
		}
		if hint != "" {
			fmt.Fprintln(a.e.stderr, "  "+strings.ReplaceAll(hint, "\n", "\n  "))
		}
	}
}

// withoutAddress puts <address> for an address in an error's text, whatever its case.
func withoutAddress(text, address string) string {
	if strings.TrimSpace(address) == "" {
		return text
	}
	return regexp.MustCompile(`(?i)`+regexp.QuoteMeta(address)).ReplaceAllLiteralString(text, "<address>")
}
