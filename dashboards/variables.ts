/**
 * Dashboard variables. Each dashboard picks the ones it needs, in this order (a chained
 * variable must come after the ones it refers to): datasource, environment, namespace,
 * then endpoint / pod / model_version / window.
 */
import {
  DatasourceVariableBuilder,
  IntervalVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from "@grafana/grafana-foundation-sdk/dashboard";
import { PROMETHEUS_DATASOURCE } from "../catalog/datasource";
import { DATASOURCE_VARIABLE_REF } from "./common";
import { VAR, variableQueries } from "./queries";

/** Multi-value variables store their selection as arrays, "All" included. */
const ALL = { text: ["All"], value: ["$__all"] };

/** A label_values() variable on the dashboard's datasource, refreshed with the time range. */
function labelValuesVariable(name: string, label: string, query: string): QueryVariableBuilder {
  return new QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE_VARIABLE_REF)
    .query(query)
    .definition(query)
    // Label values depend on the time range (pods and versions come and go).
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.NaturalAsc);
}

/** "All" sends `.*` rather than every option joined: short queries, and new values show up at once. */
function multiWithAll(variable: QueryVariableBuilder): QueryVariableBuilder {
  return variable.multi(true).includeAll(true).allValue(".*").current(ALL);
}

export function datasourceVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder(VAR.datasource)
    .label("Data source")
    .type(PROMETHEUS_DATASOURCE.type)
    .current({ text: PROMETHEUS_DATASOURCE.name, value: PROMETHEUS_DATASOURCE.uid });
}

/** Its current value is the stack's environment, set per stack by stack-context.ts. */
export function environmentVariable(): QueryVariableBuilder {
  return labelValuesVariable(VAR.environment, "Environment", variableQueries.environment);
}

/** Its current value is the stack's churn API namespace, set per stack by stack-context.ts. */
export function namespaceVariable(): QueryVariableBuilder {
  return (
    labelValuesVariable(VAR.namespace, "Namespace", variableQueries.namespace)
      // Hide system namespaces should a wide relabelling ever give them the churn-api job.
      .regex("/^(?!kube-).+$/")
  );
}

export function endpointVariable(): QueryVariableBuilder {
  return multiWithAll(labelValuesVariable(VAR.endpoint, "Endpoint", variableQueries.endpoint));
}

export function podVariable(): QueryVariableBuilder {
  return multiWithAll(labelValuesVariable(VAR.pod, "Pod", variableQueries.pod));
}

export function modelVersionVariable(): QueryVariableBuilder {
  return multiWithAll(labelValuesVariable(VAR.modelVersion, "Model version", variableQueries.modelVersion));
}

const WINDOWS = ["5m", "15m", "1h", "6h"] as const;
const DEFAULT_WINDOW = "15m";

/** Look-back of the quality ratios: short windows are noisy at low traffic. */
export function windowVariable(): IntervalVariableBuilder {
  return new IntervalVariableBuilder(VAR.window)
    .label("Quality window")
    .values(WINDOWS.join(","))
    .current({ text: DEFAULT_WINDOW, value: DEFAULT_WINDOW })
    .options(WINDOWS.map((w) => ({ text: w, value: w, selected: w === DEFAULT_WINDOW })));
}
