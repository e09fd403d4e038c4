package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// config is every setting, read from the environment once at start and
// checked before anything opens. The README and docs/API.md list them.
type config struct {
	Addr            string        // FINDER_ADDR: where the HTTP server listens
	DataDir         string        // FINDER_DATA_DIR: the embedded store's files
	MongoURI        string        // MONGODB_URI: a MongoDB to use instead of the embedded store
	MongoDatabase   string        // MONGODB_DATABASE: the database's name
	Seed            bool          // FINDER_SEED: seed an empty database with the catalog
	LogLevel        slog.Level    // FINDER_LOG_LEVEL: debug, info, warn or error
	LogFormat       string        // FINDER_LOG_FORMAT: text or json
	ShutdownTimeout time.Duration // FINDER_SHUTDOWN_TIMEOUT: how long in-flight requests get to finish
	LoaderWait      time.Duration // FINDER_LOADER_WAIT: how long a loader gathers keys into one batch
	AdminToken      string        // FINDER_ADMIN_TOKEN: a bootstrap API key with every scope
	CORSOrigins     []string      // FINDER_CORS_ORIGINS: origins whose pages may send API keys
	ReadFrom        string        // FINDER_READ_FROM: memory (a replica of the catalog) or store
	SyncInterval    time.Duration // FINDER_SYNC_INTERVAL: how often the replica polls the change feed
	MaxDataAge      time.Duration // FINDER_MAX_DATA_AGE: how stale the replica may be and the server still ready
	ResponseCacheMB int           // FINDER_RESPONSE_CACHE_MB: memory for whole answers to anonymous queries

	MaxDepth   int // FINDER_MAX_DEPTH: how deeply a query's fields may nest
	MaxCost    int // FINDER_MAX_COST: the most a query may cost
	MaxAliases int // FINDER_MAX_ALIASES: how many aliases a query may use
	MaxTokens  int // FINDER_MAX_TOKENS: how long a query may be, in tokens

	RateAnonymous    int // FINDER_RATE_ANONYMOUS: cost points a minute per client address
	RateKeyed        int // FINDER_RATE_KEYED: cost points a minute per API key
	TrustedProxyHops int // FINDER_TRUSTED_PROXY_HOPS: proxies whose X-Forwarded-For is believed
	AuthFailures     int // FINDER_AUTH_FAILURES_PER_MINUTE: refused API keys an address may send

	MaxBodyBytes   int64         // FINDER_MAX_BODY_BYTES: the largest request body
	RequestTimeout time.Duration // FINDER_REQUEST_TIMEOUT: the most one request may take
	MaxConcurrent  int           // FINDER_MAX_CONCURRENT: requests served at once
	QueueTimeout   time.Duration // FINDER_QUEUE_TIMEOUT: how long a request waits for a place
	ReadTimeout    time.Duration // FINDER_READ_TIMEOUT: how long reading a request may take
	WriteTimeout   time.Duration // FINDER_WRITE_TIMEOUT: how long writing an answer may take
	IdleTimeout    time.Duration // FINDER_IDLE_TIMEOUT: how long a kept-alive connection may idle

	Introspection bool // FINDER_INTROSPECTION: clients may read the schema
	GraphiQL      bool // FINDER_GRAPHIQL: serve GraphiQL at /graphiql
	AccessLog     bool // FINDER_ACCESS_LOG: one log line per request

	PprofAddr string // FINDER_PPROF_ADDR: where to serve Go's profiler; empty is off
}

// setting is one environment variable: its default, what it accepts, and
// how to read it into a config.
type setting struct {
	name    string
	def     string
	accepts string
	parse   func(s string, c *config) error
}

// secretSettings are never quoted in an error: it would end up in a log.
var secretSettings = map[string]bool{"FINDER_ADMIN_TOKEN": true}

var settings = []setting{
	{"FINDER_ADDR", ":8080", "a host:port to listen on, such as :8080 or 127.0.0.1:8080",
		func(s string, c *config) error {
			c.Addr = s
			_, port, err := net.SplitHostPort(s)
			if err == nil {
				_, err = strconv.ParseUint(port, 10, 16)
			}
			return err
		}},
	{"FINDER_DATA_DIR", "./data", "a directory path", func(s string, c *config) error {
		c.DataDir = s
		return nonEmpty(s)
	}},
	{"MONGODB_URI", "", "a mongodb:// or mongodb+srv:// URI, or nothing for the embedded store",
		func(s string, c *config) error {
			c.MongoURI = s
			if s != "" && !strings.HasPrefix(s, "mongodb://") && !strings.HasPrefix(s, "mongodb+srv://") {
				return fmt.Errorf("bad scheme")
			}
			return nil
		}},
	{"MONGODB_DATABASE", "finder", "a name of 1 to 59 letters, digits, - and _", func(s string, c *config) error {
		c.MongoDatabase = s
		// The change log's database adds "_log", and MongoDB's names are
		// shorter than 64 bytes.
		if s == "" || len(s) > 59 || strings.ContainsFunc(s, func(r rune) bool {
			return r != '-' && r != '_' && (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9')
		}) {
			return fmt.Errorf("bad name")
		}
		return nil
	}},
	{"FINDER_SEED", "true", "true or false", func(s string, c *config) (err error) {
		c.Seed, err = strconv.ParseBool(s)
		return err
	}},
	{"FINDER_LOG_LEVEL", "info", "debug, info, warn or error", func(s string, c *config) error {
		return c.LogLevel.UnmarshalText([]byte(s))
	}},
	{"FINDER_LOG_FORMAT", "text", "text or json", func(s string, c *config) error {
		c.LogFormat = s
		if s != "text" && s != "json" {
			return fmt.Errorf("bad format")
		}
		return nil
	}},
	{"FINDER_SHUTDOWN_TIMEOUT", "15s", "a duration from 1s to 10m, such as 15s", func(s string, c *config) (err error) {
		c.ShutdownTimeout, err = durationIn(s, time.Second, 10*time.Minute)
		return err
	}},
	{"FINDER_LOADER_WAIT", "2ms", "a duration from 0s to 100ms, such as 2ms", func(s string, c *config) (err error) {
		c.LoaderWait, err = durationIn(s, 0, 100*time.Millisecond)
		return err
	}},
	{"FINDER_ADMIN_TOKEN", "", "nothing, or a secret of 24 to 200 characters without spaces", func(s string, c *config) error {
		c.AdminToken = s
		if s != "" && (len(s) < 24 || len(s) > 200 || strings.ContainsAny(s, " \t\r\n")) {
			return fmt.Errorf("bad token")
		}
		return nil
	}},
	{"FINDER_CORS_ORIGINS", "", "a comma-separated list of origins such as https://partner.example,https://admin.example", func(s string, c *config) error {
		c.CORSOrigins = nil
		for _, o := range strings.Split(s, ",") {
			if o = strings.TrimSpace(o); o == "" {
				continue
			}
			u, err := url.Parse(o)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
				return fmt.Errorf("bad origin")
			}
			c.CORSOrigins = append(c.CORSOrigins, o)
		}
		return nil
	}},
	{"FINDER_READ_FROM", "memory", "memory or store", func(s string, c *config) error {
		c.ReadFrom = s
		if s != "memory" && s != "store" {
			return fmt.Errorf("bad read path")
		}
		return nil
	}},
	{"FINDER_SYNC_INTERVAL", "500ms", "a duration from 50ms to 1m, such as 500ms", func(s string, c *config) (err error) {
		c.SyncInterval, err = durationIn(s, 50*time.Millisecond, time.Minute)
		return err
	}},
	{"FINDER_MAX_DATA_AGE", "5s", "a duration from 1s to 1h, such as 5s", func(s string, c *config) (err error) {
		c.MaxDataAge, err = durationIn(s, time.Second, time.Hour)
		return err
	}},
	{"FINDER_RESPONSE_CACHE_MB", "64", "a whole number of megabytes from 0 (off) to 4096", func(s string, c *config) (err error) {
		c.ResponseCacheMB, err = intIn(s, 0, 4096)
		return err
	}},
	{"FINDER_MAX_DEPTH", "15", "a whole number from 1 to 100", func(s string, c *config) (err error) {
		c.MaxDepth, err = intIn(s, 1, 100)
		return err
	}},
	{"FINDER_MAX_COST", "25000", "a whole number from 1 to 10000000", func(s string, c *config) (err error) {
		c.MaxCost, err = intIn(s, 1, 10000000)
		return err
	}},
	{"FINDER_MAX_ALIASES", "30", "a whole number from 0 to 1000", func(s string, c *config) (err error) {
		c.MaxAliases, err = intIn(s, 0, 1000)
		return err
	}},
	{"FINDER_MAX_TOKENS", "5000", "a whole number from 100 to 1000000", func(s string, c *config) (err error) {
		c.MaxTokens, err = intIn(s, 100, 1000000)
		return err
	}},
	{"FINDER_RATE_ANONYMOUS", "100000", "a whole number from 0 to 1000000000 (0: no limit)", func(s string, c *config) (err error) {
		c.RateAnonymous, err = intIn(s, 0, 1000000000)
		return err
	}},
	{"FINDER_RATE_KEYED", "1000000", "a whole number from 0 to 1000000000 (0: no limit)", func(s string, c *config) (err error) {
		c.RateKeyed, err = intIn(s, 0, 1000000000)
		return err
	}},
	{"FINDER_TRUSTED_PROXY_HOPS", "0", "a whole number from 0 to 10", func(s string, c *config) (err error) {
		c.TrustedProxyHops, err = intIn(s, 0, 10)
		return err
	}},
	{"FINDER_MAX_BODY_BYTES", "1048576", "a whole number of bytes from 1024 to 104857600", func(s string, c *config) (err error) {
		n, err := intIn(s, 1024, 100<<20)
		c.MaxBodyBytes = int64(n)
		return err
	}},
	{"FINDER_REQUEST_TIMEOUT", "10s", "a duration from 100ms to 10m, such as 10s", func(s string, c *config) (err error) {
		c.RequestTimeout, err = durationIn(s, 100*time.Millisecond, 10*time.Minute)
		return err
	}},
	{"FINDER_MAX_CONCURRENT", "256", "a whole number from 0 to 100000 (0: no cap)", func(s string, c *config) (err error) {
		c.MaxConcurrent, err = intIn(s, 0, 100000)
		return err
	}},
	{"FINDER_QUEUE_TIMEOUT", "250ms", "a duration from 0s to 1m, such as 250ms", func(s string, c *config) (err error) {
		c.QueueTimeout, err = durationIn(s, 0, time.Minute)
		return err
	}},
	{"FINDER_READ_TIMEOUT", "30s", "a duration from 1s to 10m, such as 30s", func(s string, c *config) (err error) {
		c.ReadTimeout, err = durationIn(s, time.Second, 10*time.Minute)
		return err
	}},
	{"FINDER_WRITE_TIMEOUT", "30s", "a duration from 1s to 10m, such as 30s", func(s string, c *config) (err error) {
		c.WriteTimeout, err = durationIn(s, time.Second, 10*time.Minute)
		return err
	}},
	{"FINDER_IDLE_TIMEOUT", "120s", "a duration from 1s to 1h, such as 120s", func(s string, c *config) (err error) {
		c.IdleTimeout, err = durationIn(s, time.Second, time.Hour)
		return err
	}},
	{"FINDER_INTROSPECTION", "true", "true or false", func(s string, c *config) (err error) {
		c.Introspection, err = strconv.ParseBool(s)
		return err
	}},
	{"FINDER_GRAPHIQL", "true", "true or false", func(s string, c *config) (err error) {
		c.GraphiQL, err = strconv.ParseBool(s)
		return err
	}},
	{"FINDER_ACCESS_LOG", "true", "true or false", func(s string, c *config) (err error) {
		c.AccessLog, err = strconv.ParseBool(s)
		return err
	}},
	{"FINDER_PPROF_ADDR", "", "nothing (off), or a loopback host:port such as 127.0.0.1:6060", func(s string, c *config) error {
		c.PprofAddr = s
		if s == "" {
			return nil
		}
		host, _, err := net.SplitHostPort(s)
		if err == nil && host != "127.0.0.1" && host != "localhost" && host != "::1" {
			err = fmt.Errorf("not loopback")
		}
		return err
	}},
	{"FINDER_AUTH_FAILURES_PER_MINUTE", "20", "a whole number from 0 (no limit) to 100000", func(s string, c *config) (err error) {
		c.AuthFailures, err = intIn(s, 0, 100_000)
		return err
	}},
}

// loadConfig reads every setting with getenv. A bad value is an error of
// one line that names the variable and says what it accepts.
func loadConfig(getenv func(string) string) (config, error) {
	var c config
	for _, s := range settings {
		v := getenv(s.name)
		if v == "" {
			v = s.def
		}
		if err := s.parse(v, &c); err != nil {
			if secretSettings[s.name] {
				return c, fmt.Errorf("%s is not valid: it accepts %s", s.name, s.accepts)
			}
			return c, fmt.Errorf("%s=%q is not valid: it accepts %s", s.name, v, s.accepts)
		}
	}
	return c, nil
}

func nonEmpty(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("empty")
	}
	return nil
}

func durationIn(s string, lo, hi time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d < lo || d > hi {
		return 0, fmt.Errorf("out of range")
	}
	return d, nil
}

func intIn(s string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("out of range")
	}
	return n, nil
}
