/**
 * Entry point of the CrossGuard pack: wiring only. Constructing a PolicyPack starts the
 * analyzer's gRPC server, so nothing imports this file; tests import ./policies.
 * Run it with `npm run build && pulumi preview --stack dev --policy-pack policy` (see README.md).
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_DESCRIPTION, PACK_ENFORCEMENT_LEVEL, PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, {
  description: PACK_DESCRIPTION,
  enforcementLevel: PACK_ENFORCEMENT_LEVEL,
  policies: [...policies],
});
