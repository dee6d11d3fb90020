/**
 * GrafanaContent: folders (nested), their permissions, library panels and dashboards,
 * all through the Grafana provider passed in the component's options.
 */
import * as pulumi from "@pulumi/pulumi";
// Sub-modules, not the package index, which sets up every Grafana resource type.
import * as oss from "@pulumiverse/grafana/oss";
import { libraryPanelsToDeploy } from "../dashboards/library-panels";
import { DashboardSpec, FolderSpec } from "../dashboards/types";
import { dashboardJson } from "../lib/json-text";

export interface GrafanaContentArgs {
  readonly folders: readonly FolderSpec[];
  readonly dashboards: readonly DashboardSpec[];
  /** Viewers and Editors may only view managed folders: changes go through pull requests. */
  readonly restrictFolderEditing: boolean;
  /** Refuse to delete a folder that still holds content created outside Pulumi. */
  readonly protectFolders: boolean;
}

/** Folder permissions when editing is restricted (admins keep full access implicitly). */
export const RESTRICTED_FOLDER_PERMISSIONS = [
  { role: "Viewer", permission: "View" },
  { role: "Editor", permission: "View" },
] as const;

export class GrafanaContent extends pulumi.ComponentResource {
  /** Folder uid -> folder resource, for rule groups to depend on. */
  public readonly folders: ReadonlyMap<string, oss.Folder>;
  public readonly dashboardUrls: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: GrafanaContentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("grafana-k8s:index:GrafanaContent", name, {}, opts);
    const folders = new Map<string, oss.Folder>();
    // Parents are declared before their children (FolderSpec order), so the parent
    // resource exists when the child refers to its uid output.
    for (const spec of args.folders) {
      const parent = spec.parentUid ? folders.get(spec.parentUid) : undefined;
      folders.set(
        spec.uid,
        new oss.Folder(
          `folder-${spec.uid}`,
          {
            uid: spec.uid,
            title: spec.title,
            parentFolderUid: parent?.uid,
            preventDestroyIfNotEmpty: args.protectFolders,
          },
          { parent: this },
        ),
      );
    }
    if (args.restrictFolderEditing) {
      for (const [uid, folder] of folders) {
        new oss.FolderPermission(
          `folder-permission-${uid}`,
          { folderUid: folder.uid, permissions: RESTRICTED_FOLDER_PERMISSIONS.map((p) => ({ ...p })) },
          { parent: this },
        );
      }
    }
    // Library panels first: a dashboard refers to them by uid (imported exports' __elements).
    const libraryPanels = new Map<string, oss.LibraryPanel>();
    for (const lib of libraryPanelsToDeploy(args.dashboards)) {
      const folder = folders.get(lib.folderUid);
      libraryPanels.set(
        lib.uid,
        new oss.LibraryPanel(
          `library-panel-${lib.uid}`,
          { uid: lib.uid, name: lib.name, folderUid: folder ? folder.uid : lib.folderUid, modelJson: JSON.stringify(lib.model) },
          { parent: this },
        ),
      );
    }
    const urls: Record<string, pulumi.Output<string>> = {};
    for (const d of args.dashboards) {
      const folder = folders.get(d.folderUid);
      const uses = (d.libraryPanels ?? []).flatMap((l) => libraryPanels.get(l.uid) ?? []);
      const dashboard = new oss.Dashboard(
        `dashboard-${d.uid}`,
        {
          configJson: dashboardJson(d),
          folder: folder ? folder.uid : d.folderUid,
          // The code is the source of truth: replace a same-uid dashboard made by hand.
          overwrite: true,
          message: "Deployed by Pulumi (grafana-k8s)",
        },
        { parent: this, dependsOn: uses },
      );
      urls[d.uid] = dashboard.url;
    }
    this.folders = folders;
    this.dashboardUrls = pulumi.output(urls);
    this.registerOutputs({ dashboardUrls: this.dashboardUrls });
  }
}
