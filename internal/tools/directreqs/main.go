// Command directreqs reads `go mod edit -json` on stdin and prints the module's direct
// requirements, sorted, on one line. The Makefile's dependency check uses it.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

func main() {
	var mod struct {
		Require []struct {
			Path     string
			Indirect bool
		}
	}
	if err := json.NewDecoder(os.Stdin).Decode(&mod); err != nil {
		fmt.Fprintln(os.Stderr, "directreqs:", err)
		os.Exit(1)
	}
	var direct []string
	for _, r := range mod.Require {
		if !r.Indirect {
			direct = append(direct, r.Path)
		}
	}
	sort.Strings(direct)
	fmt.Println(strings.Join(direct, " "))
}
