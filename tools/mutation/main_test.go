package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFindMutants(t *testing.T) {
	dir := t.TempDir()
	src := `package p

const limit = 1 + 2 // constants are left alone

func f(a, b int) int {
	if a < b && a != 0 {
		a++
	}
	return -a * b
}
`
	if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "p_test.go"), []byte("package p\n\nvar x = 1 + 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ms, err := findMutants(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.Kind+" "+m.From+"→"+m.To)
		if src[m.offset:m.offset+len(m.From)] != m.From {
			t.Errorf("%v: the offset points at %q", m, src[m.offset:m.offset+len(m.From)])
		}
	}
	want := []string{
		"conditionals-boundary <→<=", "conditionals-negation <→>=", "conditionals-negation !=→==",
		"increment-decrement ++→--", "arithmetic *→/", "invert-negatives -→+",
	}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("mutant %d: got %q, want %q", i, got[i], want[i])
		}
	}
}

func TestCoverage(t *testing.T) {
	profile := filepath.Join(t.TempDir(), "cover.out")
	data := "mode: set\nexample.com/p/p.go:5.2,7.3 2 1\nexample.com/p/p.go:8.1,9.10 1 0\n"
	if err := os.WriteFile(profile, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := readCoverage(profile)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		line, col int
		want      bool
	}{{5, 2, true}, {6, 40, true}, {7, 3, true}, {8, 5, false}, {9, 10, false}, {7, 4, true}, {20, 1, true}} { // outside every block: may have run
		if got := c.has("p/p.go", tt.line, tt.col); got != tt.want {
			t.Errorf("has(%d.%d) = %v, want %v", tt.line, tt.col, got, tt.want)
		}
	}
}
