import { describe, expect, it, vi } from "vitest";
import { oncePerContainer } from "../../../worker/handlers/aws-runtime.js";

describe("oncePerContainer", () => {
  it("builds once and shares the result between invocations, concurrent ones included", async () => {
    const build = vi.fn(async () => ({ built: true }));
    const ready = oncePerContainer(build);
    const [a, b] = await Promise.all([ready(), ready()]);
    expect(await ready()).toBe(a);
    expect(b).toBe(a);
    expect(build).toHaveBeenCalledTimes(1);
  });

  it("forgets a failed build, so the next invocation builds again", async () => {
    const build = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new Error("secret out of reach"))
      .mockResolvedValue("deps");
    const ready = oncePerContainer(build);
    await expect(ready()).rejects.toThrow("secret out of reach");
    expect(await ready()).toBe("deps");
    expect(build).toHaveBeenCalledTimes(2);
  });
});
