import * as pulumi from "@pulumi/pulumi";
import { mockCall, mockState } from "./mock-state.js";

export interface RecordedResource {
  type: string;
  name: string;
  /** "type::name" of the parent resource; the stack for top-level components. */
  parent: string;
  custom: boolean;
  // Recorded inputs are whatever the program passed: assertions index into them freely.
  // biome-ignore lint/suspicious/noExplicitAny: recorded inputs are untyped JSON
  inputs: Record<string, any>;
}

export interface Recording {
  resources: RecordedResource[];
  outputs: Record<string, unknown>;
  ofType(type: string): RecordedResource[];
  one(type: string, nameIncludes?: string): RecordedResource;
  named(name: string): RecordedResource;
}

const STACK = "pulumi:pulumi:Stack";

/**
 * Runs `build` as a Pulumi program against mocks (no engine, no AWS) and records every resource with its
 * inputs and parent: the unit tests assert on it and `npm run infra:synth` prints it.
 */
export async function recordProgram(build: () => unknown): Promise<Recording> {
  const resources: RecordedResource[] = [];
  const parents = new Map<string, string>();
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({
          type: args.type,
          name: args.name,
          parent: "",
          custom: args.custom ?? true,
          inputs: args.inputs,
        });
        return { id: `${args.name}-id`, state: { ...mockState(args.type, args.name, args.inputs), ...args.inputs } };
      },
      call: (args) => mockCall(args.token, args.inputs),
    },
    "feedback-triage",
    "test",
    false,
  );
  const outputs = await pulumi.runtime.runInPulumiStack(async () => {
    const keys = new WeakMap<pulumi.Resource, string>();
    pulumi.runtime.registerStackTransformation((args) => {
      const key = `${args.type}::${args.name}`;
      keys.set(args.resource, key);
      parents.set(key, (args.opts.parent && keys.get(args.opts.parent)) || STACK);
      return undefined;
    });
    const result = await build();
    // A component built on its own is not a set of stack outputs.
    return pulumi.Resource.isInstance(result) ? undefined : result;
  });
  await pulumi.runtime.disconnect();
  for (const r of resources) r.parent = parents.get(`${r.type}::${r.name}`) ?? STACK;
  const recorded = resources.filter((r) => r.type !== STACK);
  const ofType = (type: string) => recorded.filter((r) => r.type === type);
  return {
    resources: recorded,
    outputs: (outputs ?? {}) as Record<string, unknown>,
    ofType,
    one(type, nameIncludes) {
      const found = ofType(type).filter((r) => !nameIncludes || r.name.includes(nameIncludes));
      if (found.length !== 1)
        throw new Error(
          `expected one ${type} ${nameIncludes ?? ""}, found ${found.map((r) => r.name).join(", ") || "none"}`,
        );
      return found[0]!;
    },
    named(name) {
      const found = recorded.find((r) => r.name === name);
      if (!found) throw new Error(`no resource named ${name}`);
      return found;
    },
  };
}
