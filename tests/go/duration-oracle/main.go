// Command duration-oracle runs a rule's `for` through the real chain it travels on a
// deploy, for lib/durations.ts' tests (tests/unit/durations.test.ts):
//
//  1. the Grafana provider parses it with go-openapi/strfmt's ParseDuration
//     (terraform-provider-grafana internal/resources/grafana/resource_alerting_rule_group.go,
//     unpackAlertRule; strfmt is pinned in go.mod at the provider's version);
//  2. it sends strfmt.Duration as JSON (Go's time.Duration.String());
//  3. Grafana decodes that JSON into prometheus/common model.Duration (the provisioning
//     API's ProvisionedAlertRule.For) and refuses a negative `for`
//     (pkg/services/ngalert/models/alert_rule.go).
//
// Input: one JSON string per line on stdin. Output: one JSON object per line.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/go-openapi/strfmt"
	"github.com/prometheus/common/model"
)

type verdict struct {
	Input    string `json:"input"`
	Stage    string `json:"stage"` // "provider", "grafana" or "accepted"
	Error    string `json:"error,omitempty"`
	Sent     string `json:"sent,omitempty"`
	Millis   int64  `json:"ms"`
	GoParses bool   `json:"goParses"`
}

func judge(input string) verdict {
	v := verdict{Input: input}
	_, goErr := time.ParseDuration(input)
	v.GoParses = goErr == nil
	parsed, err := strfmt.ParseDuration(input)
	if err != nil {
		v.Stage, v.Error = "provider", err.Error()
		return v
	}
	body, err := json.Marshal(strfmt.Duration(parsed))
	if err != nil {
		v.Stage, v.Error = "provider", err.Error()
		return v
	}
	_ = json.Unmarshal(body, &v.Sent)
	var received model.Duration
	if err := json.Unmarshal(body, &received); err != nil {
		v.Stage, v.Error = "grafana", err.Error()
		return v
	}
	if received < 0 {
		v.Stage, v.Error = "grafana", "field `for` cannot be negative"
		return v
	}
	v.Stage, v.Millis = "accepted", time.Duration(received).Milliseconds()
	return v
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var input string
		if err := json.Unmarshal(in.Bytes(), &input); err != nil {
			fmt.Fprintf(os.Stderr, "not a JSON string: %s\n", in.Text())
			os.Exit(2)
		}
		if err := out.Encode(judge(input)); err != nil {
			os.Exit(1)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
