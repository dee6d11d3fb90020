/**
 * Whether the program runs from the build (bin/*.js) rather than from the TypeScript
 * sources through ts-node. Only a build has a stamp to check and compiled content to
 * trust (bin/dashboards/built.json, bin/lib/content-record.json).
 */
export const RUNNING_FROM_BUILD = __filename.endsWith(".js");
