package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSharedCodeLivesInSharedFiles: a function, constant or variable that two commands use
// is defined in a file named for what it holds (output.go, run_end.go, roles.go, …), not in
// one command's cmd_*.go; and the role list and the --replace-role hint are written once.
func TestSharedCodeLivesInSharedFiles(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	sources := map[string]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f) //nolint:gosec // the package's own sources
		require.NoError(t, err)
		sources[f] = string(data)
	}
	fset := token.NewFileSet()
	for f, src := range sources {
		if !strings.HasPrefix(f, "cmd_") {
			continue
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		require.NoError(t, err)
		var names []string
		for _, d := range file.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil { // a method goes with its type
					names = append(names, d.Name.Name)
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.ValueSpec:
						for _, n := range s.Names {
							names = append(names, n.Name)
						}
					case *ast.TypeSpec:
						names = append(names, s.Name.Name)
					}
				}
			}
		}
		for _, name := range names {
			for other, osrc := range sources {
				if other != f && strings.HasPrefix(other, "cmd_") && identifiers(osrc)[name] {
					assert.Failf(t, "shared code in a command's file", "%s defines %s, which %s uses too: move it to a file named for it", f, name, other)
				}
			}
		}
	}
	all := strings.Join(func() []string {
		var out []string
		for _, src := range sources {
			out = append(out, src)
		}
		return out
	}(), "\n")
	assert.Equal(t, 1, strings.Count(all, `"--replace-role replaces it"`), "the --replace-role hint is written once")
	assert.Equal(t, 0, strings.Count(all, `Viewer, Editor or Admin"`)+strings.Count(all, `Viewer, Editor or Admin (`), "the role list is written once, by roleChoices")
}

// identifiers are the package-level names a Go source refers to: identifiers the file does
// not declare itself, selectors' and keyed fields' names left out.
func identifiers(src string) map[string]bool {
	out := map[string]bool{}
	file, err := parser.ParseFile(token.NewFileSet(), "", src, 0)
	if err != nil {
		return out
	}
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			ast.Inspect(n.X, func(m ast.Node) bool {
				if id, ok := m.(*ast.Ident); ok && id.Obj == nil {
					out[id.Name] = true
				}
				return true
			})
			return false
		case *ast.KeyValueExpr:
			if _, ok := n.Key.(*ast.Ident); ok {
				ast.Inspect(n.Value, func(m ast.Node) bool {
					if id, ok := m.(*ast.Ident); ok && id.Obj == nil {
						out[id.Name] = true
					}
					return true
				})
				return false
			}
		case *ast.Ident:
			if n.Obj == nil {
				out[n.Name] = true
			}
		}
		return true
	})
	return out
}
