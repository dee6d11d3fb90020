// Command notification-template renders Grafana notification templates with Go's
// text/template, the engine Grafana uses (Alertmanager's template package, grafana/alerting
// templates/), over Grafana's template data decoded from a webhook payload: Grafana's
// webhook JSON is that data (ExtendedData) plus a few fields (receivers/webhook/v1).
//
// Input on stdin, one JSON object:
//
//	{"templates": "{{ define \"x\" }}...{{ end }}", "render": {"title": "{{ template \"x\" . }}"}, "payload": {...}}
//
// Output: {"title": "..."}; a template that does not parse or execute exits 1 with the error.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"text/template"
	"time"
)

// KV is Alertmanager's template.KV: a label or annotation map with its helper methods.
type KV map[string]string

// Pair is one label or annotation.
type Pair struct{ Name, Value string }

// Pairs are sorted key/value pairs (Alertmanager's template.Pairs).
type Pairs []Pair

// Names of the pairs, in order.
func (ps Pairs) Names() []string {
	names := make([]string, 0, len(ps))
	for _, p := range ps {
		names = append(names, p.Name)
	}
	return names
}

// Values of the pairs, in order.
func (ps Pairs) Values() []string {
	values := make([]string, 0, len(ps))
	for _, p := range ps {
		values = append(values, p.Value)
	}
	return values
}

// SortedPairs sorts by name with alertname first, as Alertmanager does.
func (kv KV) SortedPairs() Pairs {
	keys := make([]string, 0, len(kv))
	for k := range kv {
		if k != "alertname" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if _, ok := kv["alertname"]; ok {
		keys = append([]string{"alertname"}, keys...)
	}
	pairs := make(Pairs, 0, len(keys))
	for _, k := range keys {
		pairs = append(pairs, Pair{k, kv[k]})
	}
	return pairs
}

// Remove returns a copy without the given keys.
func (kv KV) Remove(keys []string) KV {
	out := KV{}
	for k, v := range kv {
		out[k] = v
	}
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

// Names returns the sorted names.
func (kv KV) Names() []string { return kv.SortedPairs().Names() }

// Values returns the values in the order of Names.
func (kv KV) Values() []string { return kv.SortedPairs().Values() }

// ExtendedAlert is one alert of Grafana's template data (grafana/alerting templates/template_data.go).
type ExtendedAlert struct {
	Status       string             `json:"status"`
	Labels       KV                 `json:"labels"`
	Annotations  KV                 `json:"annotations"`
	StartsAt     time.Time          `json:"startsAt"`
	EndsAt       time.Time          `json:"endsAt"`
	GeneratorURL string             `json:"generatorURL"`
	Fingerprint  string             `json:"fingerprint"`
	SilenceURL   string             `json:"silenceURL"`
	DashboardURL string             `json:"dashboardURL"`
	PanelURL     string             `json:"panelURL"`
	Values       map[string]float64 `json:"values"`
	ValueString  string             `json:"valueString"`
	ImageURL     string             `json:"imageURL,omitempty"`
	OrgID        *int64             `json:"orgId,omitempty"`
}

// ExtendedAlerts has Firing and Resolved, as in Grafana.
type ExtendedAlerts []ExtendedAlert

func (as ExtendedAlerts) filter(status string) []ExtendedAlert {
	out := []ExtendedAlert{}
	for _, a := range as {
		if a.Status == status {
			out = append(out, a)
		}
	}
	return out
}

// Firing returns the firing alerts.
func (as ExtendedAlerts) Firing() []ExtendedAlert { return as.filter("firing") }

// Resolved returns the resolved alerts.
func (as ExtendedAlerts) Resolved() []ExtendedAlert { return as.filter("resolved") }

// ExtendedData is the dot of a notification template.
type ExtendedData struct {
	Receiver          string         `json:"receiver"`
	Status            string         `json:"status"`
	Alerts            ExtendedAlerts `json:"alerts"`
	GroupLabels       KV             `json:"groupLabels"`
	CommonLabels      KV             `json:"commonLabels"`
	CommonAnnotations KV             `json:"commonAnnotations"`
	ExternalURL       string         `json:"externalURL"`
	GroupKey          string         `json:"groupKey"`
	TruncatedAlerts   *int           `json:"truncatedAlerts,omitempty"`
}

// funcs is the part of Alertmanager's template.DefaultFuncs implemented here, with its
// semantics; a template calling another function fails to parse: add it here.
var funcs = template.FuncMap{
	"toUpper":   strings.ToUpper,
	"toLower":   strings.ToLower,
	"trimSpace": strings.TrimSpace,
	"join":      func(sep string, s []string) string { return strings.Join(s, sep) },
	"match":     regexp.MatchString,
	"reReplaceAll": func(pattern, repl, text string) string {
		return regexp.MustCompile(pattern).ReplaceAllString(text, repl)
	},
	"stringSlice": func(s ...string) []string { return s },
}

type request struct {
	Templates string            `json:"templates"`
	Render    map[string]string `json:"render"`
	Payload   ExtendedData      `json:"payload"`
}

func render(req request) (map[string]string, error) {
	base, err := template.New("").Funcs(funcs).Parse(req.Templates)
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	out := map[string]string{}
	for field, text := range req.Render {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if t, err = t.New(field).Parse(text); err != nil {
			return nil, fmt.Errorf("%s: %w", field, err)
		}
		var b strings.Builder
		if err := t.Execute(&b, req.Payload); err != nil {
			return nil, fmt.Errorf("%s: %w", field, err)
		}
		out[field] = b.String()
	}
	return out, nil
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "request:", err)
		os.Exit(2)
	}
	out, err := render(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		os.Exit(1)
	}
}
