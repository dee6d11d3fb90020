/** Shapes shared by dashboard modules, the JSON importer, the content component and validation. */

/** A Grafana folder declared by this project. */
export interface FolderSpec {
  /** Stable uid (at most 40 characters); dashboards and rule groups refer to it. */
  readonly uid: string;
  readonly title: string;
  /** Nested folder: uid of the parent folder. */
  readonly parentUid?: string;
  /**
   * Labels added to the alerting rules imported into this folder from other systems'
   * files (Prometheus, PrometheusRule, Grafana exports), where a rule lacks them. None by
   * default: a foreign rule keeps exactly its own labels.
   */
  readonly ruleLabels?: Readonly<Record<string, string>>;
}

/** One dashboard ready to deploy: its final JSON model and where it came from. */
export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly folderUid: string;
  /** Module (dashboards/performance.ts) or file (dashboards/platform/x.json) it came from: used in error messages. */
  readonly source: string;
  /** The final dashboard JSON model (no `id`, no `version`). */
  readonly model: DashboardModel;
  /**
   * The model as JSON, when the build converted the file (lib/content-record.ts): the
   * model is then parsed from it only if something reads it.
   */
  readonly configJson?: string;
  /** Every panel id (rows' panels included), when known without the model. */
  readonly panelIds?: readonly number[];
  /** Library panels the dashboard uses (imported exports carry them in `__elements`). */
  readonly libraryPanels?: readonly LibraryPanelSpec[];
}

/** A library panel an imported dashboard uses: deployed as grafana.oss.LibraryPanel before the dashboard. */
export interface LibraryPanelSpec {
  readonly uid: string;
  readonly name: string;
  /** The panel model Grafana keeps for the library element (datasources already mapped). */
  readonly model: PanelModel;
}

/** Grafana's classic dashboard JSON, loosely typed: built dashboards are checked against the schema by validation/. */
export interface DashboardModel {
  uid?: string;
  title?: string;
  panels?: PanelModel[];
  templating?: { list?: VariableModel[] };
  [key: string]: unknown;
}

export interface PanelModel {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  datasource?: DatasourceRef | string | null;
  targets?: TargetModel[];
  /** Rows hold their panels here when collapsed. */
  panels?: PanelModel[];
  /** A library panel: Grafana shows the library element's model in this panel's place. */
  libraryPanel?: { uid?: string; name?: string };
  [key: string]: unknown;
}

export interface TargetModel {
  refId?: string;
  expr?: string;
  datasource?: DatasourceRef | string | null;
  [key: string]: unknown;
}

export interface VariableModel {
  name?: string;
  type?: string;
  query?: unknown;
  datasource?: DatasourceRef | string | null;
  [key: string]: unknown;
}

export interface DatasourceRef {
  type?: string;
  uid?: string;
}

/** Per-stack inputs of the dashboard modules. */
export interface DashboardContext {
  readonly environment: string;
  /** Default of the namespace variable. */
  readonly churnApiNamespace: string;
}
