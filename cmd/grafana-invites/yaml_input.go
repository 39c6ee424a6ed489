package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// How the CLI reads its YAML files (the configuration, fleet files): strictly, every
// problem as PATH:LINE: problem, in words a person writing the file knows.

// yamlLine finds the line yaml.v3 names in its messages.
var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)

// yamlUnknown and yamlType are yaml.v3's words for an unknown key and a value of the
// wrong type.
var (
	yamlUnknown = regexp.MustCompile(`field (\S+) not found in type \S+`)
	yamlType    = regexp.MustCompile("cannot unmarshal !!\\w+ `(.*)` into (\\S+)")
)

// decodeStrict decodes data (the file path) into v, refusing keys v does not know; each
// problem is one "PATH:LINE: problem". A type or key problem leaves the rest of v decoded
// (so that what the file says can be checked too); a syntax error leaves v unusable: read
// is false. An empty file is an empty v.
func decodeStrict(path string, data []byte, v any) (probs []problem, read bool) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(v)
	if err == nil || errors.Is(err, io.EOF) {
		return nil, true
	}
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return []problem{yamlProblem(path, err.Error())}, false
	}
	for _, m := range te.Errors {
		probs = append(probs, yamlProblem(path, m))
	}
	return probs, true
}

// yamlProblem is one of yaml.v3's messages as PATH:LINE: problem.
func yamlProblem(path, msg string) problem {
	msg = yamlUnknown.ReplaceAllString(msg, `unknown key "$1"`)
	msg = yamlType.ReplaceAllStringFunc(msg, func(m string) string {
		sub := yamlType.FindStringSubmatch(m)
		return fmt.Sprintf("%q is not %s", sub[1], yamlKind(sub[2]))
	})
	if sub := yamlLine.FindStringSubmatch(msg); sub != nil {
		line, _ := strconv.Atoi(sub[1])
		return problem{line, path + ":" + sub[1] + ": " + msg[len(sub[0]):]}
	}
	return problem{0, path + ": " + strings.TrimPrefix(msg, "yaml: ")}
}

// problem is one problem of a YAML file: its text (PATH:LINE: problem) and the line it
// sorts by.
type problem struct {
	line int
	text string
}

// problemTexts sorts problems by line and returns their texts.
func problemTexts(probs []problem) []string {
	slices.SortStableFunc(probs, func(x, y problem) int { return x.line - y.line })
	out := make([]string, len(probs))
	for i, p := range probs {
		out[i] = p.text
	}
	return out
}

// yamlKind names a Go type as the YAML it wants.
func yamlKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "int"):
		return "a whole number"
	case goType == "bool":
		return "true or false"
	case goType == "string":
		return "text"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	}
	return "a mapping (key: value)"
}

// yamlLines maps the paths of a YAML document onto their lines: "instances.0" is the first
// item of the top-level key instances, "instances.0.orgs.1.file" the key file of the second
// of its orgs. Messages about what the document says (not how it is written) take their
// lines from here.
func yamlLines(data []byte) map[string]int {
	var root yaml.Node
	out := map[string]int{}
	if yaml.Unmarshal(data, &root) == nil {
		walkLines(&root, "", out)
	}
	return out
}

func walkLines(n *yaml.Node, path string, out map[string]int) {
	join := func(k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			walkLines(c, path, out)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := join(n.Content[i].Value)
			out[p] = n.Content[i].Line
			walkLines(n.Content[i+1], p, out)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := join(fmt.Sprint(i))
			out[p] = c.Line
			walkLines(c, p, out)
		}
	}
}
