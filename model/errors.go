package model

import (
	"errors"
	"fmt"
)

// ErrorCode classifies an error for clients; it is sent as extensions.code.
type ErrorCode string

// The error codes a client can see (docs/API.md, "Errors").
const (
	CodeBadUserInput       ErrorCode = "BAD_USER_INPUT"
	CodeNotFound           ErrorCode = "NOT_FOUND"
	CodeUnauthenticated    ErrorCode = "UNAUTHENTICATED"
	CodeForbidden          ErrorCode = "FORBIDDEN"
	CodeConflict           ErrorCode = "CONFLICT"
	CodeRateLimited        ErrorCode = "RATE_LIMITED"
	CodeQueryTooComplex    ErrorCode = "QUERY_TOO_COMPLEX"
	CodeServiceUnavailable ErrorCode = "SERVICE_UNAVAILABLE"
	CodeInternal           ErrorCode = "INTERNAL_SERVER_ERROR"
)

// Error is an error meant for a person: a code and a sentence saying what
// went wrong and, for bad input, what is accepted. Field, when set, is the
// path of the input at fault, such as "input.slug".
//
// Any error that is not an *Error is internal: its text goes to the log and
// never to a client.
type Error struct {
	Code    ErrorCode
	Field   string
	Message string
	// Cause is what led to the error, for the log only: it may hold a
	// driver's message, which a client must never see.
	Cause error
}

// Unwrap returns the cause, so the log can show the whole chain.
func (e *Error) Unwrap() error { return e.Cause }

// Error returns the message, prefixed with the field when there is one.
func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// Errorf returns an *Error with code and a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns a BAD_USER_INPUT *Error about the input at path field.
func FieldErrorf(field, format string, args ...any) *Error {
	return &Error{Code: CodeBadUserInput, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Unavailable returns the SERVICE_UNAVAILABLE error for a store that did
// not answer, keeping the cause for the log.
func Unavailable(cause error) *Error {
	return &Error{Code: CodeServiceUnavailable, Cause: cause,
		Message: "The catalog's database is not answering right now; please try again in a few seconds."}
}

// ErrorCodeOf returns the code of the first *Error in err's chain, or
// CodeInternal when there is none.
func ErrorCodeOf(err error) ErrorCode {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return CodeInternal
}
