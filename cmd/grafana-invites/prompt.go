package main

import (
	"bufio"
	"errors"
	"fmt"
	"strings"
)

// askPassword asks for user's password on the terminal, without echo.
func askPassword(e *env, user string) (string, error) {
	fmt.Fprintf(e.stderr, "Password for %s: ", user)
	password, err := e.readPassword()
	fmt.Fprintln(e.stderr)
	if errors.Is(err, errInterrupted) {
		return "", &interruptedError{}
	}
	if err != nil {
		return "", usagef("cannot read the password from the terminal: %v", err)
	}
	if password = strings.TrimRight(password, "\r\n"); password == "" {
		return "", usagef("no password given for %s", user)
	}
	return password, nil
}

// confirm guards a change that revokes invites. With yes it goes ahead; on a terminal
// (stdin and stderr) it shows what (through show) and asks question; otherwise it refuses
// with a usage error naming --yes. A refusal changes nothing and exits 2.
func (a *app) confirm(yes bool, what string, show func(), question string) error {
	if yes {
		return nil
	}
	e := a.e
	if !e.stdinTTY || !e.stderrTTY {
		return usagef("%s and there is no terminal to confirm on: pass --yes to go ahead (nothing was changed)", what)
	}
	show()
	fmt.Fprintf(e.stderr, "%s [y/N] ", question)
	answer, err := readLine(e)
	if err != nil {
		fmt.Fprintln(e.stderr)
		return &interruptedError{}
	}
	if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
		fmt.Fprintln(e.stderr, "nothing was changed")
		return &exitStatus{exitUsage}
	}
	return nil
}

// readLine reads an answer from stdin, or ends at Ctrl-C with errInterrupted without
// waiting for Enter (the line is left unread; the command ends).
func readLine(e *env) (string, error) {
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(e.stdin).ReadString('\n')
		line <- s
	}()
	select {
	case s := <-line:
		return s, nil
	case <-e.interrupt:
		return "", errInterrupted
	}
}
