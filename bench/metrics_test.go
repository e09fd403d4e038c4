package main

import "testing"

func TestSumCounter(t *testing.T) {
	exposition := `# HELP finder_db_commands_total Commands sent to the database, by command name.
# TYPE finder_db_commands_total counter
finder_db_commands_total{command="aggregate"} 3
finder_db_commands_total{command="find"} 1.5e+03
finder_db_commands_total{command="odd } value",other="x\"y"} 10 1712345678000
finder_db_commands_total_created{command="find"} 1.7e+09
finder_db_command_failures_total{command="find"} 99
finder_db_commands_total 4
go_goroutines 12
`
	sum, found := sumCounter([]byte(exposition), dbCommandsMetric)
	if !found || sum != 3+1500+10+4 {
		t.Errorf("sum %v, found %v; want 1517", sum, found)
	}
	// The ceiling's exposition has the family but no samples.
	if sum, found := sumCounter([]byte(emptyMetrics), dbCommandsMetric); found || sum != 0 {
		t.Errorf("empty: %v %v", sum, found)
	}
	if _, found := sumCounter([]byte("go_goroutines 3\n"), dbCommandsMetric); found {
		t.Error("found in an exposition without it")
	}
}
