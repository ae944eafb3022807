// The policy pack's entry point (`pulumi preview --policy-pack infra/policy`): constructing a PolicyPack
// starts its server, so nothing else imports this file; the rules live in rules.ts.
import { PolicyPack, type PolicyResource } from "@pulumi/policy";
import { RULES, type Subject } from "./rules.js";

function subject(resource: PolicyResource): Subject {
  return {
    type: resource.type,
    name: resource.name,
    urn: resource.urn,
    props: resource.props,
    dependsOn: (property) => (resource.propertyDependencies[property] ?? []).map((dependency) => dependency.urn),
  };
}

new PolicyPack("feedback-triage", {
  policies: RULES.map((rule) => ({
    name: rule.name,
    description: rule.description,
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
      for (const found of rule.check(args.resources.map(subject))) reportViolation(found.message, found.urn);
    },
  })),
});
