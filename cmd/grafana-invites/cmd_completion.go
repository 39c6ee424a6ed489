package main

import (
	"context"

	"github.com/spf13/cobra"
)

func newCompletionCmd(a *app) *cobra.Command {
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
		RunE: a.runE(func(_ context.Context, cmd *cobra.Command, args []string) error {
			w, root := a.e.stdout, cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(w, true)
			case "zsh":
				return root.GenZshCompletion(w)
			case "fish":
				return root.GenFishCompletion(w, true)
			}
			return root.GenPowerShellCompletionWithDesc(w)
		}),
	}
}
