package store

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/finder-platform/finder/model"
)

// clearedPool stands for the driver's unexported error for a command that
// was waiting for a connection when the pool was cleared.
type clearedPool struct{}

func (clearedPool) Error() string {
	return "connection pool for 127.0.0.1:27017 was cleared because another operation failed"
}
func (clearedPool) Retryable() bool { return true }

// TestStoreGoneErrorsAreUnavailable: every way the driver says the store
// is gone is SERVICE_UNAVAILABLE, which makes a failed edit leave its undo
// for later instead of trying it while the client waits; anything else is
// not.
func TestStoreGoneErrorsAreUnavailable(t *testing.T) {
	for _, err := range []error{clearedPool{}, fmt.Errorf("insert: %w", clearedPool{}), context.DeadlineExceeded} {
		if got := model.ErrorCodeOf(wrap("write tools", err)); got != model.CodeServiceUnavailable {
			t.Errorf("%v: code %q, want %q", err, got, model.CodeServiceUnavailable)
		}
	}
	if got := model.ErrorCodeOf(wrap("write tools", errors.New("E11000 something else"))); got == model.CodeServiceUnavailable {
		t.Errorf("a plain error is %q", got)
	}
}
