package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// flagGroup is the annotation that files a flag under a heading of the help.
const flagGroup = "grafana-invites/group"

// connectionGroup is the heading of the flags that say where Grafana is and who calls it.
const connectionGroup = "Connection flags"

// help writes a command's description and usage on stdout.
func help(cmd *cobra.Command) {
	w := cmd.OutOrStdout()
	text := cmd.Long
	if text == "" {
		text = cmd.Short
	}
	fmt.Fprintln(w, strings.TrimSpace(text))
	fmt.Fprintln(w)
	_ = usage(cmd)
}

// usage writes how to call a command: its use line, examples, subcommands by group, then
// its flags, the connection flags and the global flags, each under its heading.
func usage(cmd *cobra.Command) error {
	w := cmd.OutOrStdout()
	fmt.Fprintln(w, "Usage:")
	if cmd.Runnable() && !cmd.HasAvailableSubCommands() {
		fmt.Fprintln(w, "  "+cmd.UseLine())
	}
	if cmd.HasAvailableSubCommands() {
		fmt.Fprintln(w, "  "+cmd.CommandPath()+" <command> [flags]")
	}
	if cmd.HasExample() {
		fmt.Fprintln(w, "\nExamples:")
		fmt.Fprintln(w, cmd.Example)
	}
	if cmd.HasAvailableSubCommands() {
		writeCommands(w, cmd)
	}
	own, conn := pflag.NewFlagSet("own", pflag.ContinueOnError), pflag.NewFlagSet("conn", pflag.ContinueOnError)
	cmd.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		if g := f.Annotations[flagGroup]; len(g) > 0 && g[0] == connectionGroup {
			conn.AddFlag(f)
			return
		}
		own.AddFlag(f)
	})
	global := pflag.NewFlagSet("global", pflag.ContinueOnError)
	cmd.Root().PersistentFlags().VisitAll(global.AddFlag)
	for _, s := range []struct {
		title string
		fs    *pflag.FlagSet
	}{{"Flags", own}, {connectionGroup + " (a context, used whole: --context, GRAFANA_CONTEXT or 'context use'; else each flag, else its\nvariable: GRAFANA_URL, GRAFANA_TOKEN, GRAFANA_TOKEN_FILE, GRAFANA_USER, GRAFANA_PASSWORD, GRAFANA_PASSWORD_FILE,\nGRAFANA_ORG_ID; credentials from flags beat the other kind from the environment)", conn}, {"Global flags", global}} {
		if s.fs.HasAvailableFlags() {
			fmt.Fprintf(w, "\n%s:\n%s", s.title, s.fs.FlagUsagesWrapped(100))
		}
	}
	if cmd.HasAvailableSubCommands() {
		fmt.Fprintf(w, "\nRun '%s help <command>' for a command's flags and examples.\n", cmd.CommandPath())
	}
	return nil
}

func writeCommands(w io.Writer, cmd *cobra.Command) {
	width := 0
	for _, c := range cmd.Commands() {
		width = max(width, len(c.Name()))
	}
	groups := append(cmd.Groups(), &cobra.Group{ID: "", Title: "Other commands:"})
	for _, g := range groups {
		var lines []string
		for _, c := range cmd.Commands() {
			if c.GroupID == g.ID && (c.IsAvailableCommand() || c.Name() == "help") {
				lines = append(lines, fmt.Sprintf("  %-*s  %s", width, c.Name(), c.Short))
			}
		}
		if len(lines) > 0 {
			fmt.Fprintf(w, "\n%s\n%s\n", g.Title, strings.Join(lines, "\n"))
		}
	}
}

// newHelpCmd is "help [command]": a command's help on stdout, or a suggestion for a
// mistyped name.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Show the help of a command",
		Long:  "Show the help of grafana-invites or of one of its commands, with examples.",
		Example: `  grafana-invites help sync
  grafana-invites sync --help`,
		ValidArgsFunction: func(cmd *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			var names []cobra.Completion
			for _, c := range cmd.Root().Commands() {
				if c.IsAvailableCommand() {
					names = append(names, cobra.CompletionWithDesc(c.Name(), c.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			target, rest, err := cmd.Root().Find(args)
			if err != nil || len(rest) > 0 {
				name := strings.Join(args, " ")
				msg := fmt.Sprintf("no help for %q: it is not a command", name)
				if s := cmd.Root().SuggestionsFor(args[len(args)-1]); len(s) > 0 {
					msg += "; did you mean " + strings.Join(s, " or ") + "?"
				}
				return &usageError{msg}
			}
			help(target)
			return nil
		},
	}
}
