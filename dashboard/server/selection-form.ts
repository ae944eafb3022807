import { Priority } from "../../sdk/schemas/feedback.js";
import { SelectionRequest, type SelectionResult } from "./contract.js";

/**
 * The ticked-rows bulk bar without JavaScript: the form (`ids` once per ticked row, `action`, `priority`) becomes
 * the same SelectionRequest the JSON route takes, and its outcome a notice on the page the operator came from.
 */
type FormValue = string | File | (string | File)[] | undefined;

const strings = (value: FormValue): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === "string");

/** The request the form asks for, or null when no row was ticked (a notice says so, it is not an error). */
export function selectionFromForm(form: Record<string, FormValue>): SelectionRequest | null {
  const ids = strings(form.ids);
  if (ids.length === 0) return null;
  const [action] = strings(form.action);
  const [priority] = strings(form.priority);
  const [reason] = strings(form.reason);
  return SelectionRequest.parse({
    action,
    ids,
    ...(action === "priority" ? { priority } : {}),
    ...(reason?.trim() ? { reason: reason.trim() } : {}),
  });
}

/** The query parameters of the notice shown after the redirect: what was done, to how many, how many failed. */
export function selectionNoticeParams(
  done: { request: SelectionRequest; result: SelectionResult } | null,
): Record<string, string> {
  if (!done) return { notice: "selection-empty" };
  const { request, result } = done;
  const failed = result.results.filter((r) => !r.ok).length;
  return {
    notice: "selection",
    action: result.action,
    n: String(result.updated),
    f: String(failed),
    ...(request.priority ? { priority: request.priority } : {}),
  };
}

/** The notice's text, from those parameters (null when they are not one of ours). */
export function selectionNotice(query: (key: string) => string | undefined): string | null {
  const count = (key: string) => {
    const v = Number(query(key));
    return Number.isInteger(v) && v >= 0 ? v : 0;
  };
  if (query("notice") === "selection-empty") return "No ticket was ticked: tick the tickets to change first.";
  if (query("notice") !== "selection") return null;
  const priority = Priority.safeParse(query("priority"));
  const done =
    query("action") === "priority"
      ? `priority set to ${priority.success ? priority.data : "?"}`
      : query("action") === "reject"
        ? "rejected"
        : "approved";
  const failed = count("f");
  return `${count("n")} ticked ticket(s) ${done}${failed ? `, ${failed} failed (changed meanwhile or gone)` : ""}.`;
}
