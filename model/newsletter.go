package model

import (
	"net/mail"
	"strings"
	"time"
)

// Subscription is an address on the monthly newsletter's list. Only the
// address, when its owner consented, and a hash of the unsubscribe token are
// kept: nothing else about the person.
type Subscription struct {
	ID           string
	Email        string
	SubscribedAt time.Time // when consent was given
}

// MaxEmailLen is the longest address accepted (RFC 5321).
const MaxEmailLen = 254

// NormalizeEmail checks an address and returns it trimmed and lowercased,
// so that one person is one subscription however they type it.
func NormalizeEmail(field, email string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(email))
	addr, err := mail.ParseAddress(e)
	at := strings.LastIndexByte(e, '@')
	if err != nil || addr.Address != e || len(e) > MaxEmailLen || at < 1 || !strings.Contains(e[at:], ".") ||
		strings.HasSuffix(e, ".") {
		return "", FieldErrorf(field, "must be an email address such as \"name@example.com\"")
	}
	return e, nil
}
