// Package testserver starts one store per test binary: the embedded FerretDB,
// or none when MONGODB_URI names a MongoDB to test against. It imports
// nothing of the project's but the embedded package, so the store package's
// own internal tests can use it.
package testserver

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"os"
	"sync"
	"testing"

	"github.com/finder-platform/finder/store/embedded"
)

var (
	once     sync.Once
	uri      string
	startErr error
	server   *embedded.Server
	dataDir  string
)

// URI returns the address of the store under test, starting the embedded
// one the first time it is needed.
func URI(t testing.TB) string {
	t.Helper()
	once.Do(func() {
		if uri = os.Getenv("MONGODB_URI"); uri != "" {
			return
		}
		dataDir, startErr = os.MkdirTemp("", "finder-store-test-")
		if startErr != nil {
			return
		}
		server, startErr = embedded.Start(dataDir, "127.0.0.1:0", slog.New(slog.DiscardHandler))
		if startErr == nil {
			uri = server.URI()
		}
	})
	if startErr != nil {
		t.Fatalf("start the embedded store: %v", startErr)
	}
	return uri
}

// Stop stops the embedded store, if one was started, and removes its files.
func Stop() {
	if server != nil {
		server.Stop()
		_ = os.RemoveAll(dataDir)
	}
}

// DatabaseName returns a new database name, unique to this run.
func DatabaseName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "finder_test_" + hex.EncodeToString(b)
}
