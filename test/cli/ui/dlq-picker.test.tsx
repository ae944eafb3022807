import { render } from "ink-testing-library";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DlqPicker, type DlqPickerApi } from "../../../cli/ui/dlq-picker.js";
import { letter } from "./dead-letter-fixture.js";

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
const DOWN = "\u001b[B";

function fakeApi(): DlqPickerApi & { replay: ReturnType<typeof vi.fn>; remove: ReturnType<typeof vi.fn> } {
  return {
    replay: vi.fn(async (ids: string[]) => ({ moved: ids, notFound: [] })),
    remove: vi.fn(async (ids: string[]) => ({ deleted: ids, notFound: [], kept: ids.map((id) => `copy/${id}`) })),
  };
}

let view: ReturnType<typeof render> | undefined;
afterEach(() => view?.unmount());

async function open(api: DlqPickerApi) {
  view = render(<DlqPicker letters={[letter(1), letter(2)]} api={api} now={new Date("2026-12-06T14:00:00Z")} />);
  await settle();
  return view;
}

async function type(...keys: string[]) {
  for (const key of keys) {
    view!.stdin.write(key);
    await settle();
  }
}

describe("<DlqPicker>", () => {
  it("lists each dead letter with its source, age, receives, last error and body preview", async () => {
    const { lastFrame } = await open(fakeApi());
    const frame = lastFrame() ?? "";
    expect(frame).toContain("Dead letters: 2 of 2");
    expect(frame).toMatch(/\[ \] 11111111 {2}app_store_review:review-1 +3h +5 {2}error number 1/);
    expect(frame).toContain("the app crashed 1");
    expect(frame).toContain("enter replay");
  });

  it("replays the selected letters after a yes, and shows each one's result", async () => {
    const api = fakeApi();
    await open(api);
    await type(DOWN, " ", "\r");
    expect(view!.lastFrame()).toContain("Replay 1 dead letter to the processing queue? [y/N]");
    expect(api.replay).not.toHaveBeenCalled();
    await type("y");
    expect(api.replay).toHaveBeenCalledWith([letter(2).messageId]);
    expect(view!.lastFrame()).toContain(`✔ ${letter(2).messageId} replayed`);
  });

  it("leaves on Ctrl-C, saying it was interrupted", async () => {
    const onExit = vi.fn();
    view = render(<DlqPicker letters={[letter(1)]} api={fakeApi()} onExit={onExit} />);
    await settle();
    await type("\u0003");
    expect(onExit).toHaveBeenCalledWith(expect.objectContaining({ quit: true, interrupted: true }));
  });

  it("changes nothing when the confirmation is answered no", async () => {
    const api = fakeApi();
    await open(api);
    await type("a", "\r", "n");
    expect(api.replay).not.toHaveBeenCalled();
    expect(view!.lastFrame()).toContain("2 selected");
  });

  it("deletes on d after a yes and names the kept copy", async () => {
    const api = fakeApi();
    await open(api);
    await type("d");
    expect(view!.lastFrame()).toMatch(/Delete 1 dead letter for good/);
    await type("y");
    expect(api.remove).toHaveBeenCalledWith([letter(1).messageId]);
    expect(view!.lastFrame()?.replace(/\s+/g, " ")).toContain(`deleted (copy kept: copy/${letter(1).messageId})`);
  });

  it("filters the list as the text after / is typed", async () => {
    await open(fakeApi());
    await type("/", "c", "r", "a", "s", "h", "e", "d", " ", "2");
    const frame = view!.lastFrame() ?? "";
    expect(frame).toContain("Dead letters: 1 of 2");
    expect(frame).not.toContain("review-1");
    expect(frame).toContain("/crashed 2");
  });

  it("shows the failure on each message when the action throws", async () => {
    const api = fakeApi();
    api.replay.mockRejectedValueOnce(new Error("SQS is down"));
    await open(api);
    await type("\r", "y");
    expect(view!.lastFrame()).toContain(`✘ ${letter(1).messageId} SQS is down`);
  });

  it("says in its header when the DLQ holds more dead letters than it loaded", async () => {
    view = render(<DlqPicker letters={[letter(1)]} api={fakeApi()} more />);
    await settle();
    expect(view.lastFrame()).toContain("Only the first 1,000 are loaded: run again for the rest.");
  });

  it("says nothing of a limit when every dead letter is loaded", async () => {
    const { lastFrame } = await open(fakeApi());
    expect(lastFrame()).not.toContain("Only the first");
  });
});
