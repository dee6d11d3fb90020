// The chain a rule's `for` travels (see main.go), with the versions the Grafana provider
// uses: terraform-provider-grafana v4.44.0's go.mod (strfmt v0.26.1, prometheus/common v0.70.0).
module grafana-k8s/tests/go/duration-oracle

go 1.25.0

require (
	github.com/go-openapi/strfmt v0.26.1
	github.com/prometheus/common v0.70.0
)

require (
	github.com/go-openapi/errors v0.22.7 // indirect
	github.com/go-viper/mapstructure/v2 v2.5.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/oklog/ulid/v2 v2.1.1 // indirect
	github.com/prometheus/client_model v0.6.2 // indirect
	golang.org/x/net v0.56.0 // indirect
	golang.org/x/text v0.38.0 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
)
