package main

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/internal/emailaddr"
)

// fleetFile is a fleet file as written: the Grafanas (instances) and, in each, the
// organisations and who should hold a pending invite there. docs/fleet.schema.json
// describes it for editors; TestFleetSchemaMatchesTheReader keeps the two in step.
type fleetFile struct {
	Instances []fleetInstance `yaml:"instances"`
}

// fleetInstance is one Grafana of a fleet file: a context by name, or a URL with references
// to its credentials, as a context holds them (never the credentials themselves).
type fleetInstance struct {
	Name         string     `yaml:"name"`
	Context      string     `yaml:"context"`
	URL          string     `yaml:"url"`
	TokenEnv     string     `yaml:"tokenEnv"`
	TokenFile    string     `yaml:"tokenFile"`
	User         string     `yaml:"user"`
	PasswordEnv  string     `yaml:"passwordEnv"`
	PasswordFile string     `yaml:"passwordFile"`
	Orgs         []fleetOrg `yaml:"orgs"`
}

// fleetOrg is one organisation of an instance: who should hold a pending invite there (the
// invites listed, then the rows of file), and sync's options.
type fleetOrg struct {
	ID          int64         `yaml:"id"`
	Prune       bool          `yaml:"prune"`
	ReplaceRole bool          `yaml:"replaceRole"`
	SendEmail   bool          `yaml:"sendEmail"`
	Invites     []fleetInvite `yaml:"invites"`
	File        string        `yaml:"file"`
}

// fleetInvite is one address of an organisation.
type fleetInvite struct {
	Email string `yaml:"email"`
	Role  string `yaml:"role"`
	Name  string `yaml:"name"`
}

// fleet is a fleet file read and checked: what is left can only be refused by a Grafana.
type fleet struct {
	path      string
	instances []*fleetTarget
}

// fleetTarget is one instance of a fleet (or of a saved fleet plan), ready to connect.
type fleetTarget struct {
	name string
	// where names it in messages: `fleet.yaml:3: instance "prod"`.
	where string
	// entry is its URL and credential references (its context's, when it names one), with
	// file paths made absolute.
	entry contextEntry
	orgs  []fleetOrgTarget
}

// fleetOrgTarget is the desired state of one organisation of an instance.
type fleetOrgTarget struct {
	id      int64
	options planOptions
	desired []api.Desired
}

// instanceName is the shape of an instance's name: it keys JSON and names files.
var instanceName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// readFleet reads and checks a fleet file. Every problem (of the YAML, of what it says, of
// the CSV files it names) is reported before anything is sent, each as FILE:LINE: problem,
// as one usage error.
func (a *app) readFleet(path string) (*fleet, error) {
	data, err := a.e.readFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, usagef("the fleet file %s does not exist", path)
	case err != nil:
		return nil, usagef("cannot read the fleet file: %v", err)
	}
	var ff fleetFile
	probs, read := decodeStrict(path, data, &ff)
	if !read {
		return nil, fleetProblems(problemTexts(probs))
	}
	fc := &fleetCheck{a: a, path: path, dir: filepath.Dir(path), lines: yamlLines(data), probs: probs, names: map[string]int{}, managed: map[string]string{}, said: map[int]bool{}}
	for _, p := range probs {
		fc.said[p.line] = true
	}
	if len(ff.Instances) == 0 {
		fc.add("instances", "the file lists no instances; want instances: with at least one Grafana (see docs/fleet.md)")
	}
	fl := &fleet{path: path}
	for i := range ff.Instances {
		if t := fc.instance(i, &ff.Instances[i]); t != nil {
			fl.instances = append(fl.instances, t)
		}
	}
	if fc.err != nil {
		return nil, fc.err
	}
	if len(fc.probs) > 0 {
		return nil, fleetProblems(problemTexts(fc.probs))
	}
	return fl, nil
}

// fleetProblems is the usage error of a fleet file's problems, one per line.
func fleetProblems(probs []string) error {
	n := fmt.Sprintf("%d problems", len(probs))
	if len(probs) == 1 {
		n = "a problem"
	}
	return usagef("the fleet file has %s; nothing was sent:\n%s", n, strings.Join(probs, "\n"))
}

// fleetCheck is the state of checking one fleet file.
type fleetCheck struct {
	a     *app
	path  string
	dir   string
	lines map[string]int
	probs []problem
	// names are the instances' names, by the line that names them; managed the
	// organisations named so far, by URL and id, with the instance that names them.
	names   map[string]int
	managed map[string]string
	cfg     *configFile
	// said are the lines of YAML's own problems: what the file says there is not checked
	// again (a value of the wrong type is said to be so, not also missing).
	said map[int]bool
	// err is a problem of something else than the file (the configuration): reported alone.
	err error
}

// line is the line of a path of the document (see yamlLines), or of its nearest parent.
func (fc *fleetCheck) line(at string) int {
	for {
		if l, ok := fc.lines[at]; ok {
			return l
		}
		i := strings.LastIndexByte(at, '.')
		if i < 0 {
			return 1
		}
		at = at[:i]
	}
}

// add records a problem at a path of the document.
func (fc *fleetCheck) add(at, format string, args ...any) {
	l := fc.line(at)
	if fc.said[l] {
		return
	}
	fc.probs = append(fc.probs, problem{l, fmt.Sprintf("%s:%d: %s", fc.path, l, fmt.Sprintf(format, args...))})
}

// instance checks the i-th instance and returns it ready to connect, or nil.
func (fc *fleetCheck) instance(i int, fi *fleetInstance) *fleetTarget {
	at := fmt.Sprintf("instances.%d", i)
	what := fmt.Sprintf("instance %q", fi.Name)
	switch {
	case fi.Name == "":
		what = fmt.Sprintf("instance %d", i+1)
		fc.add(at, "%s has no name; give it one (name: prod): messages, JSON and saved plans use it", what)
	case !instanceName.MatchString(fi.Name):
		fc.add(at+".name", "instance name %q: want letters, digits, '.', '_' and '-', from a letter or digit", fi.Name)
	case fc.names[fi.Name] != 0:
		fc.add(at+".name", "instance name %q is also on line %d; give each instance its own", fi.Name, fc.names[fi.Name])
	default:
		fc.names[fi.Name] = fc.line(at + ".name")
	}
	entry, ok := fc.connection(at, what, fi)
	if len(fi.Orgs) == 0 {
		fc.add(at, "%s has no orgs; want orgs: with at least one organisation (id: 1)", what)
	}
	t := &fleetTarget{name: fi.Name, where: fmt.Sprintf("%s:%d: %s", fc.path, fc.line(at), what), entry: entry}
	ids := map[int64]int{}
	for j := range fi.Orgs {
		fo := &fi.Orgs[j]
		oat := fmt.Sprintf("%s.orgs.%d", at, j)
		if fo.ID < 1 {
			fc.add(oat, "%s: an organisation without an id (a number from 1, e.g. id: 1)", what)
			continue
		}
		if l := ids[fo.ID]; l != 0 {
			fc.add(oat+".id", "%s: organisation %d is also on line %d; list each organisation once", what, fo.ID, l)
			continue
		}
		ids[fo.ID] = fc.line(oat + ".id")
		if ok {
			key := strings.TrimRight(entry.URL, "/") + "#" + strconv.FormatInt(fo.ID, 10)
			if other, dup := fc.managed[key]; dup {
				fc.add(oat+".id", "%s: organisation %d of %s is also %s's: give each organisation of a Grafana to one instance, or their prunes undo each other", what, fo.ID, entry.URL, other)
			}
			fc.managed[key] = what
		}
		desired, named := fc.desired(oat, what, fo)
		if !named && !fo.Prune {
			fc.add(oat, "%s: organisation %d lists nobody: give invites or file (prune: true with neither revokes every pending invite)", what, fo.ID)
		}
		t.orgs = append(t.orgs, fleetOrgTarget{id: fo.ID, options: planOptions{Prune: fo.Prune, ReplaceRole: fo.ReplaceRole, SendEmail: fo.SendEmail}, desired: desired})
	}
	if !ok {
		return nil
	}
	return t
}

// connection checks how an instance is reached: a context, or its own URL and credential
// references; file paths are taken from the fleet file's directory.
func (fc *fleetCheck) connection(at, what string, fi *fleetInstance) (contextEntry, bool) {
	inline := contextEntry{URL: fi.URL, TokenEnv: fi.TokenEnv, TokenFile: fi.TokenFile, User: fi.User, PasswordEnv: fi.PasswordEnv, PasswordFile: fi.PasswordFile}
	if fi.Context != "" {
		if inline != (contextEntry{}) {
			fc.add(at+".context", "%s names context %q and a url or credentials of its own: a context supplies both; keep one", what, fi.Context)
			return contextEntry{}, false
		}
		if fc.cfg == nil {
			cfg, _, err := loadConfig(fc.a.e)
			if err != nil {
				fc.err = err
				return contextEntry{}, false
			}
			fc.cfg = cfg
		}
		ce, err := fc.cfg.lookup(fi.Context, what)
		if err != nil {
			fc.add(at+".context", "%v", err)
			return contextEntry{}, false
		}
		entry := *ce
		entry.OrgID = 0 // the fleet file names the organisations
		return entry, true
	}
	if err := inline.check(what); err != nil {
		fc.add(at, "%v (or name a context: context: prod)", err)
		return contextEntry{}, false
	}
	if err := checkURL(setting{inline.URL, what}); err != nil {
		fc.add(at+".url", "%v", err)
		return contextEntry{}, false
	}
	for _, p := range []*string{&inline.TokenFile, &inline.PasswordFile} {
		if *p != "" && !filepath.IsAbs(*p) {
			abs, err := filepath.Abs(filepath.Join(fc.dir, *p))
			if err == nil {
				*p = abs
			}
		}
	}
	return inline, true
}

// seenAt is where an address of an organisation was first listed, and with which role.
type seenAt struct {
	where string
	role  api.Role
}

// desired checks an organisation's invites and reads its file; named reports whether it
// lists anyone (or tried to).
func (fc *fleetCheck) desired(oat, what string, fo *fleetOrg) (out []api.Desired, named bool) {
	seen := map[string]seenAt{}
	take := func(at, where string, d api.Desired) {
		key := api.NormalizeEmail(d.Email)
		if prev, dup := seen[key]; dup {
			if prev.role != d.Role {
				fc.add(at, "%s: organisation %d lists %s %s as %s and %s as %s", what, fo.ID, d.Email, prev.where, prev.role, where, d.Role)
			} else {
				fc.a.note("%s:%d: warning: %s is listed %s already, as %s; ignored", fc.path, fc.line(at), d.Email, prev.where, prev.role)
			}
			return
		}
		seen[key] = seenAt{where, d.Role}
		out = append(out, d)
	}
	for k, inv := range fo.Invites {
		iat := fmt.Sprintf("%s.invites.%d", oat, k)
		role, err := api.ParseRole(inv.Role)
		switch {
		case inv.Email == "":
			fc.add(iat, "%s: organisation %d: an invite without an email", what, fo.ID)
		case !emailaddr.Valid(inv.Email):
			fc.add(iat+".email", "%s: organisation %d: %q is not an email address", what, fo.ID, inv.Email)
		case err != nil:
			fc.add(iat+".role", "%s: organisation %d: role %q of %s is not a role; want %s", what, fo.ID, inv.Role, inv.Email, roleChoices())
		default:
			take(iat, fmt.Sprintf("on line %d", fc.line(iat)), api.Desired{Email: inv.Email, Role: role, Name: inv.Name})
		}
	}
	if fo.File == "" {
		return out, len(fo.Invites) > 0
	}
	fat := oat + ".file"
	path := fo.File
	if !filepath.IsAbs(path) {
		path = filepath.Join(fc.dir, path)
	}
	data, err := fc.a.e.readFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			err = errors.New("no such file")
		}
		fc.add(fat, "%s: organisation %d: cannot read its file %s: %v", what, fo.ID, path, err)
		return out, true
	}
	rows, warnings, err := readDesired(data)
	for _, w := range warnings {
		fc.a.note("%s", csvAt(path, "warning: ", w))
	}
	var cp *csvProblems
	if errors.As(err, &cp) {
		for _, l := range cp.lines {
			fc.probs = append(fc.probs, problem{fc.line(fat), csvAt(path, "", l)})
		}
		return out, true
	}
	for _, r := range rows {
		if r.org != 0 && r.org != fo.ID {
			fc.probs = append(fc.probs, problem{fc.line(fat), fmt.Sprintf("%s:%d: %s is for organisation %d, but this file is organisation %d's (%s)", path, r.line, r.Email, r.org, fo.ID, what)})
			continue
		}
		take(fat, fmt.Sprintf("in %s:%d", path, r.line), r.Desired)
	}
	return out, true
}

// csvAt turns one of readDesired's messages ("line 3: …") into PATH:3: ….
func csvAt(path, kind, msg string) string {
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, text, ok := strings.Cut(rest, ": "); ok {
			return path + ":" + n + ": " + kind + text
		}
	}
	return path + ": " + kind + msg
}
