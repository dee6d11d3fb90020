// Grafana's notification templates are Go text/template (Alertmanager's template package
// with Grafana's data): rendered here with the standard library only.
module grafana-k8s/tests/go/notification-template

go 1.22
