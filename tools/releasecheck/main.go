// Command releasecheck packs a working tree as one version of the library module into a
// file-based module proxy (GOPROXY=file://DIR), so that the CLI's module can be built
// against that version before it is tagged: the proof, in make release-check, that the
// release order of CONTRIBUTING.md works.
//
// Usage:
//
//	releasecheck -root DIR -version vX.Y.Z -proxy DIR
//
// The files packed are those git tracks or would track (git ls-files --cached --others
// --exclude-standard), less nested modules, as a tag's archive would hold them.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"
)

func main() {
	root := flag.String("root", ".", "the module's root directory")
	version := flag.String("version", "", "the version to pack, e.g. v0.2.0")
	proxy := flag.String("proxy", "", "the proxy directory to write")
	flag.Parse()
	if err := pack(*root, *version, *proxy); err != nil {
		fmt.Fprintln(os.Stderr, "releasecheck:", err)
		os.Exit(1)
	}
}

func pack(root, version, proxy string) error {
	if version == "" || proxy == "" {
		return errors.New("-version and -proxy are required")
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod")) //nolint:gosec // the module named by the caller
	if err != nil {
		return err
	}
	modPath := modfile.ModulePath(gomod)
	mv := module.Version{Path: modPath, Version: version}
	if err := module.Check(mv.Path, mv.Version); err != nil {
		return err
	}
	files, err := moduleFiles(root)
	if err != nil {
		return err
	}
	escaped, err := module.EscapePath(modPath)
	if err != nil {
		return err
	}
	dir := filepath.Join(proxy, filepath.FromSlash(escaped), "@v")
	if err := os.MkdirAll(dir, 0o750); err != nil { //nolint:gosec // the proxy directory named by the caller
		return err
	}
	var zipped bytes.Buffer
	if err := zip.Create(&zipped, mv, files); err != nil {
		return fmt.Errorf("packing %s: %w", mv, err)
	}
	info, err := json.Marshal(struct{ Version, Time string }{version, time.Now().UTC().Format(time.RFC3339)})
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{
		version + ".zip":  zipped.Bytes(),
		version + ".mod":  gomod,
		version + ".info": info,
		"list":            []byte(version + "\n"),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil { //nolint:gosec // under the proxy directory
			return err
		}
	}
	fmt.Printf("packed %s: %d files, %d bytes\n", mv, len(files), zipped.Len())
	return nil
}

// moduleFiles lists the files of the module at root as git sees them, less those of nested
// modules.
func moduleFiles(root string) ([]zip.File, error) {
	out, err := exec.CommandContext(context.Background(), "git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output() //nolint:gosec // git, on the caller's directory
	if err != nil {
		return nil, fmt.Errorf("git ls-files: %w", err)
	}
	var names []string
	nested := map[string]bool{}
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		if name == "" {
			continue
		}
		if _, err := os.Lstat(filepath.Join(root, name)); errors.Is(err, fs.ErrNotExist) {
			continue // deleted in the working tree
		}
		names = append(names, name)
		if path.Base(name) == "go.mod" && name != "go.mod" {
			nested[path.Dir(name)] = true
		}
	}
	var files []zip.File
	for _, name := range names {
		if inNested(name, nested) || name == "go.work" || name == "go.work.sum" {
			continue
		}
		files = append(files, file{root: root, name: name})
	}
	return files, nil
}

func inNested(name string, nested map[string]bool) bool {
	for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
		if nested[dir] {
			return true
		}
	}
	return false
}

// file is one file of the working tree, as zip.Create reads it.
type file struct{ root, name string }

func (f file) Path() string                 { return f.name }
func (f file) Lstat() (os.FileInfo, error)  { return os.Lstat(filepath.Join(f.root, f.name)) }
func (f file) Open() (io.ReadCloser, error) { return os.Open(filepath.Join(f.root, f.name)) }
