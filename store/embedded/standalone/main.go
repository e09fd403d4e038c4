// Command standalone runs the embedded store as a process of its own, for
// tests that run several servers on one store, or stop the store under
// them. It prints the address clients connect to and serves until SIGTERM
// or SIGINT.
//
//	go run ./store/embedded/standalone -dir ./data -addr 127.0.0.1:27017
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/finder-platform/finder/store/embedded"
)

func main() {
	dir := flag.String("dir", "./data", "where the store keeps its files")
	addr := flag.String("addr", "127.0.0.1:27017", "the loopback address to listen on (port 0 picks one)")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	srv, err := embedded.Start(*dir, *addr, logger)
	if err != nil {
		fmt.Fprintln(os.Stderr, "standalone store:", err)
		os.Exit(1)
	}
	// Tests read this line to learn the address.
	fmt.Printf("store listening uri=%s\n", srv.URI())
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	<-ctx.Done()
	srv.Stop()
	fmt.Println("store stopped")
}
