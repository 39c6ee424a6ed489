package main

import (
	"context"

	"github.com/spf13/cobra"
)

// completionOptions are completion's argument.
type completionOptions struct {
	app *app
	// Shell is bash, zsh, fish or powershell.
	Shell string
}

// newCompletionCmd builds completion; runF, when not nil, is called with the parsed options
// instead of runCompletion (tests check the arguments so).
func newCompletionCmd(a *app, runF func(context.Context, *completionOptions) error) *cobra.Command {
	opts := &completionOptions{app: a}
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print the shell completion script of bash, zsh, fish or PowerShell",
		Long: `Print a script that completes grafana-invites's commands, flags, roles and --output values
in your shell. Load it in the current shell, or install it for every new one.`,
		Example: `  # bash, now and for every new shell (needs the bash-completion package):
  source <(grafana-invites completion bash)
  grafana-invites completion bash > ~/.local/share/bash-completion/completions/grafana-invites
  # zsh:
  grafana-invites completion zsh > "${fpath[1]}/_grafana-invites"
  # fish:
  grafana-invites completion fish > ~/.config/fish/completions/grafana-invites.fish
  # PowerShell:
  grafana-invites completion powershell | Out-String | Invoke-Expression`,
		ValidArgs: []cobra.Completion{"bash", "zsh", "fish", "powershell"},
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("completion needs one shell: bash, zsh, fish or powershell")
			}
			return cobra.OnlyValidArgs(cmd, args)
		},
		RunE: a.runE(func(ctx context.Context, cmd *cobra.Command, args []string) error {
			opts.Shell = args[0]
			if runF != nil {
				return runF(ctx, opts)
			}
			return runCompletion(cmd.Root(), opts)
		}),
	}
}

// runCompletion prints the completion script of the shell.
func runCompletion(root *cobra.Command, opts *completionOptions) error {
	w := opts.app.e.stdout
	switch opts.Shell {
	case "bash":
		return root.GenBashCompletionV2(w, true)
	case "zsh":
		return root.GenZshCompletion(w)
	case "fish":
		return root.GenFishCompletion(w, true)
	}
	return root.GenPowerShellCompletionWithDesc(w)
}
