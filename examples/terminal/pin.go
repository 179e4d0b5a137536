package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/posflow/posflow/emv"
)

// readPIN asks for a PIN on the controlling terminal with echo turned off
// (through stty, so that the example needs no module outside the
// standard library). An empty line bypasses PIN entry.
func readPIN(ctx context.Context, p emv.PINPrompt) (string, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", fmt.Errorf("%w: no terminal: %v", emv.ErrPINPadUnavailable, err)
	}
	defer tty.Close()
	prompt := "PIN: "
	if p.TriesLeft > 0 {
		prompt = fmt.Sprintf("PIN (%d tries left): ", p.TriesLeft)
	}
	fmt.Fprint(tty, prompt)
	if err := stty(ctx, tty, "-echo"); err != nil {
		return "", fmt.Errorf("%w: cannot turn echo off: %v", emv.ErrPINPadUnavailable, err)
	}
	line, err := bufio.NewReader(tty).ReadString('\n')
	stty(context.WithoutCancel(ctx), tty, "echo")
	fmt.Fprintln(tty)
	if err != nil {
		return "", errors.Join(emv.ErrPINPadUnavailable, err)
	}
	pin := strings.TrimSpace(line)
	if pin == "" {
		return "", emv.ErrPINBypass
	}
	return pin, nil
}

func stty(ctx context.Context, tty *os.File, arg string) error {
	cmd := exec.CommandContext(ctx, "stty", arg)
	cmd.Stdin = tty
	return cmd.Run()
}
