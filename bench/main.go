// Command bench is the Finder Platform's load tool. It starts nothing
// itself: it measures a server that is already running.
//
//	bench load -url http://127.0.0.1:8080 -duration 10s -concurrency 16 [-ops card,page,scan,search,tool] [-alone=false] [-mix] [-json]
//	bench ceiling -listen 127.0.0.1:9099 -from http://127.0.0.1:8080 [-addr-file FILE]
//	bench compare server.json ceiling.json [server2.json ceiling2.json ...]
//	bench generate -url http://127.0.0.1:8080 -token $FINDER_ADMIN_TOKEN -roles 1000 [-seed 1] [-concurrency 4]
//	bench seed-store -uri mongodb://127.0.0.1:27017/ -roles 10000 [-seed 1]
//
// load sends the operations of the three clients (a partner's role card, the
// web client's role page, an analyst's scan of 50 roles, a search, a tool
// with its roles) at a fixed concurrency for a fixed time, each alone and
// then mixed, and reports requests per second, latency percentiles, errors
// and the server's database commands per request. ceiling records the
// server's answer to every request a load sends and replays the same bytes
// from a plain net/http handler: the most this machine can serve. compare
// prints a load of the server beside a load of the ceiling; run.sh does all
// three. generate grows the catalog through the API.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

const usage = `bench: the Finder Platform's load tool; it measures a server already running.

  bench load      send the clients' operations for a fixed time and concurrency, and report
  bench ceiling   serve the server's recorded answers from a plain handler: the machine's ceiling
  bench compare   print a load of the server beside a load of the ceiling
  bench generate  add generated roles to a catalog through the API
  bench seed-store  write the catalog and generated roles straight into an empty store

Run "bench <command> -h" for a command's flags; bench/run.sh runs load, ceiling and compare.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop) // a second Ctrl-C stops at once
	err := runCommand(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
}

// runCommand runs one subcommand: results go to stdout, progress to stderr.
func runCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command")
	}
	switch args[0] {
	case "load":
		return loadCommand(ctx, args[1:], stdout, stderr)
	case "ceiling":
		return ceilingCommand(ctx, args[1:], stderr)
	case "compare":
		return compareCommand(args[1:], stdout, stderr)
	case "generate":
		return generateCommand(ctx, args[1:], stderr)
	case "seed-store":
		return seedStoreCommand(ctx, args[1:], stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// planFlags are the flags that bound the requests a load cycles over; load
// and ceiling must be given the same ones.
func planFlags(fs *flag.FlagSet) *PlanConfig {
	cfg := defaultPlanConfig
	fs.IntVar(&cfg.MaxSlugs, "max-roles", cfg.MaxSlugs, "role slugs card and page cycle over, at most (the first by title)")
	fs.IntVar(&cfg.MaxTools, "max-tools", cfg.MaxTools, "tool slugs tool cycles over, at most")
	fs.IntVar(&cfg.MaxPages, "max-pages", cfg.MaxPages, "pages of 50 roles scan walks, at most")
	return &cfg
}

func loadCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", "http://127.0.0.1:8080", "the server (or ceiling) to load")
	duration := fs.Duration("duration", 10*time.Second, "how long each operation runs, measured")
	warmup := fs.Duration("warmup", time.Second, "how long each operation runs first, not measured")
	concurrency := fs.Int("concurrency", 16, "concurrent clients, each sending one request after another")
	ops := fs.String("ops", strings.Join(opNames, ","), "operations to run, comma-separated: "+strings.Join(opNames, ", "))
	alone := fs.Bool("alone", true, "run each operation alone")
	mix := fs.Bool("mix", false, "after the operations alone, run them together: "+mixDescription())
	grace := fs.Duration("grace", 10*time.Second, "how long requests still running at the end get before they are cancelled (and count as errors)")
	asJSON := fs.Bool("json", false, "print the report as JSON instead of a table")
	plan := planFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg := LoadConfig{URL: *url, Concurrency: *concurrency, Duration: *duration, Warmup: *warmup, Grace: *grace,
		Alone: *alone, Mix: *mix, Plan: *plan}
	for _, name := range strings.Split(*ops, ",") {
		name = strings.TrimSpace(name)
		if !slices.Contains(opNames, name) {
			return fmt.Errorf("-ops: no operation %q; the operations are %s", name, strings.Join(opNames, ", "))
		}
		if !slices.Contains(cfg.Ops, name) {
			cfg.Ops = append(cfg.Ops, name)
		}
	}
	switch {
	case cfg.Concurrency < 1:
		return errors.New("-concurrency: must be at least 1")
	case cfg.Duration <= 0:
		return errors.New("-duration: must be more than 0")
	case cfg.Warmup < 0 || cfg.Grace < 0:
		return errors.New("-warmup and -grace: must not be negative")
	}
	if err := cfg.Plan.check(); err != nil {
		return err
	}
	rep, err := load(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Fprintln(stdout)
	writeReport(stdout, rep)
	return nil
}

func mixDescription() string {
	var parts []string
	for _, name := range opNames {
		parts = append(parts, fmt.Sprintf("%s %d%%", name, mixWeights[name]))
	}
	return strings.Join(parts, ", ")
}

func ceilingCommand(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("ceiling", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:9099", "where to serve the recorded answers (port 0: any free port)")
	from := fs.String("from", "http://127.0.0.1:8080", "the server whose answers to record, once, at start")
	addrFile := fs.String("addr-file", "", "write the address served on to this file once ready")
	plan := planFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := plan.check(); err != nil {
		return err
	}
	return serveCeiling(ctx, *listen, *from, *addrFile, *plan, stderr)
}

func compareCommand(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bench compare SERVER.json CEILING.json [SERVER.json CEILING.json ...]   (each written by bench load -json)")
		fmt.Fprintln(stderr, "Pairs of loads run one after the other, each pair close in time; their rows are put together,")
		fmt.Fprintln(stderr, "and the rounds of one operation joined into one row.")
	}
	if err := fs.Parse(args); err != nil { // the files are arguments
		return err
	}
	if fs.NArg() == 0 || fs.NArg()%2 != 0 {
		fs.Usage()
		return errors.New("compare: want pairs of files")
	}
	var server, ceiling *Report
	for i, name := range fs.Args() {
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		rep := &Report{}
		if err := json.Unmarshal(b, rep); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		into := &server
		if i%2 == 1 {
			into = &ceiling
		}
		if *into == nil {
			*into = rep
		} else {
			(*into).Results = append((*into).Results, rep.Results...)
		}
	}
	server.Results, ceiling.Results = joinRounds(server.Results), joinRounds(ceiling.Results)
	writeComparison(stdout, server, ceiling)
	return nil
}

func generateCommand(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", "http://127.0.0.1:8080", "the server to load the catalog into")
	token := fs.String("token", os.Getenv("FINDER_ADMIN_TOKEN"), "an API key with the write scope (default $FINDER_ADMIN_TOKEN)")
	roles := fs.Int("roles", 1000, "how many roles to generate")
	seed := fs.Uint64("seed", 1, "the same seed makes the same roles; a bigger -roles extends a smaller run")
	concurrency := fs.Int("concurrency", 4, "mutations in flight at once")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *roles < 0 || *concurrency < 1 {
		return errors.New("-roles must not be negative and -concurrency must be at least 1")
	}
	return generate(ctx, GenerateConfig{URL: *url, Token: *token, Roles: *roles, Seed: *seed, Concurrency: *concurrency}, stderr)
}

// parseFlags parses args and refuses leftover arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}
