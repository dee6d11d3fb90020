/**
 * Datasource references in dashboards: {uid, type} objects or legacy strings (uid or
 * name). Resolvable: a provisioned datasource, a datasource variable, or one of
 * Grafana's pseudo-datasources. A leftover `${DS_X}` from "Export for sharing
 * externally" is its own problem.
 */
import { DEFAULT_DATASOURCES, EXPRESSION_DATASOURCE_UID, KnownDatasource, PROMETHEUS_DATASOURCE } from "../catalog/datasource";
import { referencedVariables } from "../lib/grafana-interpolate";
import { DatasourceRef } from "../dashboards/types";
import { DashboardVariables } from "./variables";
import { closest } from "../lib/suggest";
import { quote } from "./where";

export { DEFAULT_DATASOURCES };
export type { KnownDatasource };

/** What a reference resolves to: which queries it runs. */
export type DatasourceKind = "prometheus" | "other" | "mixed" | "none";

export interface Resolution {
  readonly kind: DatasourceKind;
  readonly problem?: { readonly message: string; readonly fix: string };
}

/** Grafana's pseudo-datasources by uid or name. */
const PSEUDO: Readonly<Record<string, DatasourceKind>> = {
  "-- Grafana --": "other",
  grafana: "other",
  "-- Dashboard --": "other",
  "-- Mixed --": "mixed",
  [EXPRESSION_DATASOURCE_UID]: "other",
};

const LEFTOVER = /^\$\{?(DS_\w+)\}?$/;
/** Where foreign datasources are mapped (catalog/datasource-mapping.ts). */
const DATASOURCE_MAPPING_HINT = "catalog/datasource-mapping.yaml";

function kindOfType(type: string): DatasourceKind {
  return type === "prometheus" ? "prometheus" : "other";
}

export class DatasourceResolver {
  private readonly byKey = new Map<string, KnownDatasource>();

  constructor(private readonly known: readonly KnownDatasource[] = DEFAULT_DATASOURCES) {
    for (const ds of known) {
      this.byKey.set(ds.uid, ds);
      this.byKey.set(ds.name, ds);
    }
  }

  private fixText(): string {
    const ds = this.known[0] ?? PROMETHEUS_DATASOURCE;
    return `use {"type":"${ds.type}","uid":"${ds.uid}"} or a datasource variable such as "\${datasource}"`;
  }

  private byVariable(text: string, vars: DashboardVariables): Resolution {
    const leftover = LEFTOVER.exec(text);
    if (leftover && !vars.types.has(leftover[1])) {
      return {
        kind: "prometheus",
        problem: {
          message: `leftover export placeholder ${quote(text)}: Grafana resolves it only when importing through its UI`,
          fix: `replace it with "${(this.known[0] ?? PROMETHEUS_DATASOURCE).uid}" (or add a datasource variable named ${leftover[1]})`,
        },
      };
    }
    for (const name of referencedVariables(text)) {
      const type = vars.types.get(name);
      if (type === undefined) {
        const guess = closest(name, vars.types.keys());
        return {
          kind: "prometheus",
          problem: { message: `datasource ${quote(text)}: $${name} is not defined`, fix: guess ? `did you mean $${guess}?` : this.fixText() },
        };
      }
      if (type !== "datasource") {
        return { kind: "prometheus", problem: { message: `datasource ${quote(text)}: $${name} is a ${type} variable, not a datasource variable`, fix: this.fixText() } };
      }
    }
    return { kind: "prometheus" };
  }

  private byUid(uid: string, type: string | undefined, vars: DashboardVariables): Resolution {
    if (uid.includes("$") || uid.includes("[[")) return this.byVariable(uid, vars);
    if (uid in PSEUDO) return { kind: PSEUDO[uid] };
    const ds = this.byKey.get(uid);
    if (!ds) {
      const guess = closest(uid, this.byKey.keys());
      const map = `map it to a datasource here in ${DATASOURCE_MAPPING_HINT} (${uid}: ${(this.known[0] ?? PROMETHEUS_DATASOURCE).uid}), or ${this.fixText()}`;
      return {
        kind: "none",
        problem: { message: `unknown datasource ${quote(uid)}: this Grafana has no such datasource`, fix: guess ? `did you mean "${guess}"? otherwise ${map}` : map },
      };
    }
    if (type !== undefined && type !== ds.type) {
      return { kind: kindOfType(ds.type), problem: { message: `datasource "${uid}" is of type ${ds.type}, not ${type}`, fix: `set type "${ds.type}"` } };
    }
    return { kind: kindOfType(ds.type) };
  }

  /** Resolves a panel/target/variable datasource; absent means the default (Prometheus). */
  resolve(ref: DatasourceRef | string | null | undefined, vars: DashboardVariables): Resolution {
    if (ref === null || ref === undefined || ref === "") return { kind: "prometheus" };
    if (typeof ref === "string") return this.byUid(ref, undefined, vars);
    if (typeof ref !== "object") return { kind: "none", problem: { message: `datasource must be an object {type, uid}, got ${quote(ref)}`, fix: this.fixText() } };
    const type = typeof ref.type === "string" ? ref.type : undefined;
    const uid = typeof ref.uid === "string" && ref.uid !== "" ? ref.uid : undefined;
    if (uid !== undefined) return this.byUid(uid, type === "datasource" || type === "grafana" || type === "__expr__" ? undefined : type, vars);
    if (type === undefined || type === "prometheus") return { kind: "prometheus" };
    if (this.known.some((ds) => ds.type === type)) return { kind: kindOfType(type) };
    return { kind: "none", problem: { message: `no datasource of type ${quote(type)} is provisioned`, fix: this.fixText() } };
  }
}
