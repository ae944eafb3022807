// npm run infra:cost -- --scale medium [--no-dashboard] [--guardduty] [--json]
import { parseArgs } from "node:util";
import { parseSettings } from "../config.js";
import { estimateMonthlyCost, formatEstimate } from "./model.js";
import { programResources } from "./program.js";

const { values } = parseArgs({
  options: {
    scale: { type: "string" },
    "no-dashboard": { type: "boolean", default: false },
    guardduty: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});

const scales = values.scale ? [values.scale] : ["small", "medium", "large"];
// The architecture's tiers include the dashboard, which needs a domain; an example one stands in.
const dashboard = values["no-dashboard"] ? {} : { dashboardDomain: "feedback.example.com", hostedZoneId: "Z0EXAMPLE" };
const estimates = [];
for (const scale of scales) {
  // Each tier is priced from what the program creates for it (the synth), not from a list kept by hand.
  const settings = parseSettings({ scale, ...dashboard, guardDutyEnabled: String(values.guardduty) });
  estimates.push(estimateMonthlyCost(settings, await programResources(settings)));
}
console.log(values.json ? JSON.stringify(estimates, null, 2) : estimates.map(formatEstimate).join("\n\n"));
