/**
 * Folders this project declares. A parent always comes before its children, so the
 * content component can create them in list order.
 */
import { FolderSpec } from "./types";

export const FOLDER_UID = {
  root: "churn-api",
  service: "churn-api-service",
  ml: "churn-api-ml",
  infrastructure: "churn-api-infra",
  /** Where dashboards/*.json (no sub-folder) are deployed; created only when such files exist. */
  imported: "imported",
} as const;

export const FOLDERS: readonly FolderSpec[] = [
  { uid: FOLDER_UID.root, title: "Churn API" },
  { uid: FOLDER_UID.service, title: "Service", parentUid: FOLDER_UID.root },
  { uid: FOLDER_UID.ml, title: "ML Model", parentUid: FOLDER_UID.root },
  { uid: FOLDER_UID.infrastructure, title: "Infrastructure", parentUid: FOLDER_UID.root },
];

/** The folder dashboards/*.json land in. */
export const IMPORTED_FOLDER: FolderSpec = { uid: FOLDER_UID.imported, title: "Imported" };
