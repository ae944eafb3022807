import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { ValidationError } from "../errors.js";
import { normalizeHeaderName } from "../ingest/index.js";
import { CATEGORIES, type Category, PRIORITIES, type Priority } from "../schemas/feedback.js";

export interface ExpectedLabel {
  id: string;
  sourceType: string | null;
  category: Category;
  priority: Priority;
}

const LAYOUTS = [
  { id: "source_id", category: "category", priority: "priority", sourceType: "source_type" },
  { id: "record_id", category: "expected_category", priority: "expected_priority", sourceType: null },
] as const;

function matchLabel<T extends string>(values: readonly T[], raw: string): T | undefined {
  const wanted = normalizeHeaderName(raw);
  return values.find((v) => normalizeHeaderName(v) === wanted);
}

/** The rows of a labels CSV (header first); an unreadable file is a ValidationError with the hint. */
export async function readLabelRows(file: string, what: string, hint: string): Promise<string[][]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ValidationError(`Cannot read ${what} ${file}: ${(error as Error).message}`, { cause: error, hint });
  }
  return parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
}

/**
 * Reads an expected-labels CSV in either layout: `source_id, source_type, category, priority, ...` or
 * `record_id, expected_category, expected_priority`. Bad rows are errors naming line and field.
 */
export async function readExpectedLabels(file: string): Promise<ExpectedLabel[]> {
  const rows = await readLabelRows(file, "expected labels", "Pass the path of an expected-labels CSV file.");
  const header = (rows[0] ?? []).map(normalizeHeaderName);
  const layout = LAYOUTS.find((l) =>
    [l.id, l.category, l.priority].every((c) => header.includes(normalizeHeaderName(c))),
  );
  if (!layout) {
    throw new ValidationError(`${file} is not an expected-labels file (columns: ${header.join(", ") || "none"})`, {
      hint: "Use the columns 'record_id, expected_category, expected_priority' or 'source_id, source_type, category, priority'.",
    });
  }
  const col = (name: string | null) => (name ? header.indexOf(normalizeHeaderName(name)) : -1);
  const [idCol, categoryCol, priorityCol, typeCol] = [
    col(layout.id),
    col(layout.category),
    col(layout.priority),
    col(layout.sourceType),
  ];
  return rows.slice(1).map((row, index) => {
    const line = index + 2;
    const category = matchLabel(CATEGORIES, row[categoryCol] ?? "");
    const priority = matchLabel(PRIORITIES, row[priorityCol] ?? "");
    if (!category) {
      throw new ValidationError(
        `${file}, line ${line}, field '${layout.category}': '${row[categoryCol]}' is not a category`,
        {
          hint: `Use one of: ${CATEGORIES.join(", ")}.`,
        },
      );
    }
    if (!priority) {
      throw new ValidationError(
        `${file}, line ${line}, field '${layout.priority}': '${row[priorityCol]}' is not a priority`,
        {
          hint: `Use one of: ${PRIORITIES.join(", ")}.`,
        },
      );
    }
    return {
      id: (row[idCol] ?? "").trim(),
      sourceType: typeCol >= 0 ? (row[typeCol] ?? null) : null,
      category,
      priority,
    };
  });
}
