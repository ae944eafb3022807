import type { Subject } from "../../../infra/policy/rules.js";
import type { RecordedResource } from "./harness.js";

/**
 * Recorded resources as the policy engine would present them. Under mocks a resource's id is
 * "<name>-id", so a property holding that id depends on that resource.
 */
export function subjects(resources: RecordedResource[]): Subject[] {
  const byId = new Map(resources.map((r) => [`${r.name}-id`, `${r.type}::${r.name}`]));
  return resources.map((r) => ({
    type: r.type,
    name: r.name,
    urn: `${r.type}::${r.name}`,
    props: r.inputs,
    dependsOn: (property) => {
      const urn = byId.get(r.inputs[property]);
      return urn ? [urn] : [];
    },
  }));
}
