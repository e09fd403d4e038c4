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
// checked before anything opens. The README lists them.
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
	{"MONGODB_DATABASE", "finder", "a name of 1 to 60 letters, digits, - and _", func(s string, c *config) error {
		c.MongoDatabase = s
		if s == "" || len(s) > 60 || strings.ContainsFunc(s, func(r rune) bool {
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
		c.ResponseCacheMB, err = strconv.Atoi(s)
		if err == nil && (c.ResponseCacheMB < 0 || c.ResponseCacheMB > 4096) {
			err = fmt.Errorf("out of range")
		}
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
