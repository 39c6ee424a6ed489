package main

import (
	"context"
	"errors"
)

// errInterrupted ends a command at Ctrl-C before it changed anything.
var errInterrupted = errors.New("interrupted")

// untilInterrupt is ctx, also cancelled at the first Ctrl-C: for the commands that only
// read (list) or have not changed anything yet, which stop at once.
func untilInterrupt(ctx context.Context, interrupt <-chan struct{}) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(ctx)
	go func() {
		select {
		case <-interrupt:
			cancel(errInterrupted)
		case <-ctx.Done():
		}
	}()
	return ctx, func() { cancel(context.Canceled) }
}

// interrupted turns the error of a call cut short by Ctrl-C into exit status 130, with a
// line saying nothing was changed; other errors pass.
func interrupted(ctx context.Context, err error) error {
	if err != nil && errors.Is(context.Cause(ctx), errInterrupted) {
		return &interruptedError{}
	}
	return err
}

// interruptedError is a command ended by Ctrl-C: exit status 130.
type interruptedError struct{ done string }

func (e *interruptedError) Error() string {
	if e.done == "" {
		return "interrupted; nothing was changed"
	}
	return "interrupted: " + e.done
}
