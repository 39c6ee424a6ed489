package main

import (
	"fmt"
	"strings"
	"time"
)

// parseAge reads an age flag such as --older-than 20h.
func parseAge(flag, v string) (time.Duration, error) { return parseDuration(flag, v, "h") }

// parseDuration reads a positive duration flag, saying what to write when the unit is
// missing ("--timeout 5: add a unit, e.g. 5s"); unit is the one to suggest.
func parseDuration(flag, v, unit string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	switch {
	case err != nil && strings.Trim(v, "0123456789.") == "" && v != "":
		return 0, usagef("%s %s: add a unit, e.g. %s%s", flag, v, v, unit)
	case err != nil:
		return 0, usagef("%s %q: want a duration such as 20h or 90m", flag, v)
	case d <= 0:
		return 0, usagef("%s %s: want a positive duration", flag, v)
	}
	return d, nil
}

// age is a short human duration: "<1m", "42m", "5h", "3d".
func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "<1m"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// shortDuration writes 24h for 24h0m0s and 90m for 1h30m0s.
func shortDuration(d time.Duration) string {
	if d%time.Hour == 0 {
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	if d%time.Minute == 0 {
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}
