package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// These helpers run the platform as real processes: the store on its own
// (store/embedded/standalone) and servers pointed at it with MONGODB_URI,
// as a deployment with several instances does.

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// binaries builds the server and the standalone store once per test run.
func binaries(t *testing.T) (server, store string) {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "finder-bin-")
		if buildErr != nil {
			return
		}
		for _, b := range []struct{ out, pkg string }{{"finder", "."}, {"finder-store", "../store/embedded/standalone"}} {
			out, err := exec.Command("go", "build", "-o", filepath.Join(binDir, b.out), b.pkg).CombinedOutput()
			if err != nil {
				buildErr = fmt.Errorf("go build %s: %v\n%s", b.pkg, err, out)
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(binDir, "finder"), filepath.Join(binDir, "finder-store")
}

// proc is a process the test started, with its output kept for the log.
type proc struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  strings.Builder
	done chan struct{}
}

func (p *proc) Output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// start runs a binary and waits until a line of its output matches ready,
// returning the match's first group.
func start(t *testing.T, ready *regexp.Regexp, env []string, name string, args ...string) (*proc, string) {
	t.Helper()
	p := &proc{cmd: exec.Command(name, args...), done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), env...)
	pr, pw := io.Pipe()
	p.cmd.Stdout, p.cmd.Stderr = pw, pw
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			p.mu.Lock()
			p.out.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			if m := ready.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	go func() {
		_ = p.cmd.Wait()
		pw.Close()
		close(p.done)
	}()
	t.Cleanup(func() { p.stop(t, syscall.SIGKILL) })
	select {
	case v := <-found:
		return p, v
	case <-p.done:
		t.Fatalf("%s exited before it was ready:\n%s", filepath.Base(name), p.Output())
	case <-time.After(60 * time.Second):
		t.Fatalf("%s was not ready after 60s:\n%s", filepath.Base(name), p.Output())
	}
	return nil, ""
}

// stop signals the process and waits for it to exit.
func (p *proc) stop(t *testing.T, sig syscall.Signal) {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		t.Errorf("%s did not stop within 30s of %v", filepath.Base(p.cmd.Path), sig)
	}
}

var (
	storeReady  = regexp.MustCompile(`store listening uri=(\S+)`)
	serverReady = regexp.MustCompile(`msg=listening addr=(\S+)`)
	appReady    = regexp.MustCompile(`msg=(ready)`)
)

// startStore runs the standalone store on a free loopback port.
func startStore(t *testing.T, dir string) (*proc, string) {
	_, storeBin := binaries(t)
	return start(t, storeReady, nil, storeBin, "-dir", dir, "-addr", "127.0.0.1:0")
}

// startServer runs a server process against the store at uri.
func startServer(t *testing.T, uri string, env ...string) (*proc, string) {
	serverBin, _ := binaries(t)
	env = append([]string{"MONGODB_URI=" + uri, "MONGODB_DATABASE=finder", "FINDER_ADDR=127.0.0.1:0",
		"FINDER_ADMIN_TOKEN=" + adminToken}, env...)
	p, addr := start(t, serverReady, env, serverBin)
	return p, "http://" + addr
}
