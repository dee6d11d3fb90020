/**
 * The Grafana container of a pod and the grafana.ini it runs with, found the way the pod
 * finds them: the container that mounts /etc/grafana/grafana.ini, and the ConfigMap key
 * behind that mount. Environment variables GF_<SECTION>_<KEY> override the file
 * (Grafana's configuration docs, "Override configuration with environment variables").
 */
import { parse } from "ini";
import { Container, KubeObject, PodTemplate } from "./objects";

/** Where the Grafana image reads its configuration (GF_PATHS_CONFIG in the image). */
export const GRAFANA_INI_PATH = "/etc/grafana/grafana.ini";

export interface GrafanaIni {
  readonly container: Container;
  readonly sections: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export function grafanaIniOf(pod: PodTemplate, objects: readonly KubeObject[]): GrafanaIni | undefined {
  for (const container of pod.spec.containers) {
    const mount = container.volumeMounts?.find((m) => m.mountPath === GRAFANA_INI_PATH);
    if (!mount) continue;
    const volume = pod.spec.volumes?.find((v) => v.name === mount.name);
    const source = volume?.configMap
      ? objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === volume.configMap?.name && o.metadata.namespace === pod.namespace)
      : volume?.secret
        ? objects.find((o) => o.kind === "Secret" && o.metadata.name === volume.secret?.secretName && o.metadata.namespace === pod.namespace)
        : undefined;
    const key = mount.subPath ?? "grafana.ini";
    const field = (name: string) => (source?.[name] as Record<string, string> | undefined)?.[key];
    const base64 = source?.kind === "Secret" ? field("data") : undefined;
    const raw = base64 !== undefined ? Buffer.from(base64, "base64").toString("utf8") : source?.kind === "Secret" ? field("stringData") : field("data");
    return { container, sections: raw === undefined ? {} : (parse(raw) as GrafanaIni["sections"]) };
  }
  return undefined;
}

/** A setting as Grafana sees it: GF_<SECTION>_<KEY> from the container's env first, then the file. */
export function effectiveSetting(ini: GrafanaIni, section: string, key: string): string | undefined {
  const envName = `GF_${section}_${key}`.toUpperCase().replace(/[.-]/g, "_");
  const fromEnv = ini.container.env?.find((e) => e.name === envName)?.value;
  if (fromEnv !== undefined) return fromEnv;
  const value = ini.sections[section]?.[key];
  return value === undefined ? undefined : String(value);
}
