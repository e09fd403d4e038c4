package main

import (
	"strings"
	"testing"
	"time"
)

func TestConfigDefaults(t *testing.T) {
	c, err := loadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DataDir != "./data" || c.MongoURI != "" || c.MongoDatabase != "finder" ||
		!c.Seed || c.ShutdownTimeout != 15*time.Second || c.LogFormat != "text" {
		t.Errorf("defaults = %+v", c)
	}
}

func TestConfigRejectsBadValues(t *testing.T) {
	for _, tc := range []struct{ name, value, says string }{
		{"FINDER_ADDR", "8080", "host:port"},
		{"FINDER_ADDR", ":http-alt", "host:port"},
		{"FINDER_SEED", "yes please", "true or false"},
		{"MONGODB_URI", "http://localhost:27017", "mongodb://"},
		{"MONGODB_DATABASE", "my db", "letters, digits"},
		{"FINDER_LOG_LEVEL", "loud", "debug, info, warn or error"},
		{"FINDER_LOG_FORMAT", "xml", "text or json"},
		{"FINDER_SHUTDOWN_TIMEOUT", "forever", "duration"},
		{"FINDER_SHUTDOWN_TIMEOUT", "1ms", "duration from 1s"},
		{"FINDER_LOADER_WAIT", "1s", "0s to 100ms"},
		{"FINDER_DATA_DIR", "   ", "directory"},
		{"FINDER_ADMIN_TOKEN", "short", "24 to 200 characters"},
		{"FINDER_CORS_ORIGINS", "partner.example", "origins"},
		{"FINDER_CORS_ORIGINS", "https://partner.example/path", "origins"},
	} {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			_, err := loadConfig(func(k string) string {
				if k == tc.name {
					return tc.value
				}
				return ""
			})
			if err == nil {
				t.Fatal("accepted")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tc.name) || !strings.Contains(msg, tc.says) || strings.Contains(msg, "\n") {
				t.Errorf("message %q: want one line naming %s and saying %q", msg, tc.name, tc.says)
			}
		})
	}
}

func TestConfigAcceptsGoodValues(t *testing.T) {
	env := map[string]string{
		"FINDER_ADDR": "127.0.0.1:9000", "FINDER_SEED": "false", "MONGODB_URI": "mongodb://db:27017/?replicaSet=rs0",
		"MONGODB_DATABASE": "finder_prod", "FINDER_LOG_LEVEL": "debug", "FINDER_LOG_FORMAT": "json",
		"FINDER_SHUTDOWN_TIMEOUT": "30s", "FINDER_LOADER_WAIT": "0s",
	}
	c, err := loadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9000" || c.Seed || c.MongoDatabase != "finder_prod" || c.LoaderWait != 0 || c.ShutdownTimeout != 30*time.Second {
		t.Errorf("config = %+v", c)
	}
}

func TestConfigNeverQuotesASecret(t *testing.T) {
	_, err := loadConfig(func(k string) string {
		if k == "FINDER_ADMIN_TOKEN" {
			return "s3cret with spaces that is long enough"
		}
		return ""
	})
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error %v: want a refusal that does not quote the token", err)
	}
}
