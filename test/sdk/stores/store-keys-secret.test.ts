import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../sdk/errors.js";
import { storeKeysFromSecret } from "../../../sdk/stores/store-keys-secret.js";

describe("the store keys secret", () => {
  it("reads a JSON object of variable names to keys", () => {
    expect(storeKeysFromSecret('{"ASC_KEY": "-----BEGIN PRIVATE KEY-----"}', "arn:s")).toEqual({
      ASC_KEY: "-----BEGIN PRIVATE KEY-----",
    });
  });

  it("refuses anything else with the shape it expects, never echoing the value", () => {
    const read = () => storeKeysFromSecret("-----BEGIN PRIVATE KEY----- secret", "arn:s");

    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(/not a JSON object/);
    expect(read).not.toThrow(/secret$/);
  });
});
