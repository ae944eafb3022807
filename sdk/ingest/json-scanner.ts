/**
 * Splits a JSON document into records without holding the document in memory.
 * Records are the elements of a top-level array, or of the `data` array of a top-level object
 * (the App Store Connect page shape). Other top-level keys (`links`, `meta`) are kept as raw text.
 * Only the structure between records is checked here; each record's text goes to JSON.parse.
 */

export interface ScannedRecord {
  text: string;
  line: number;
  column: number;
}

export class JsonStructureError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

type State =
  | "start"
  | "arrayValueOrEnd"
  | "arrayValue"
  | "arrayCommaOrEnd"
  | "objectKeyOrEnd"
  | "objectKey"
  | "objectColon"
  | "objectValue"
  | "objectCommaOrEnd"
  | "done";

type CaptureTarget = "record" | "objectValue" | "key";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === NEWLINE || c === 0x0d || c === 0x09;
}

export class JsonRecordScanner {
  topLevel: "array" | "object" | null = null;
  /** Whether a top-level object had a `data` array. */
  sawDataArray = false;
  /** Non-`data` values of a top-level object, as raw JSON text. */
  readonly objectValues = new Map<string, string>();

  private state: State = "start";
  private inDataArray = false;
  private currentKey = "";
  private line: number;
  private column = 0;

  private capture: CaptureTarget | null = null;
  private captureParts: string[] = [];
  private captureLength = 0;
  private captureStart = 0;
  private captureLine = 0;
  private captureColumn = 0;
  private brackets: number[] = [];
  private inString = false;
  private escaped = false;
  private scalar = false;

  constructor(
    firstLine = 1,
    private readonly maxRecordChars = Number.POSITIVE_INFINITY,
  ) {
    this.line = firstLine;
  }

  /** Feeds the next chunk; complete records are appended to `out`. */
  push(chunk: string, out: ScannedRecord[]): void {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === NEWLINE) {
        this.line++;
        this.column = 0;
      } else {
        this.column++;
      }
      if (this.capture !== null && !this.continueCapture(c, chunk, i, out)) continue;
      if (!isWhitespace(c)) this.structural(c, i);
    }
    if (this.capture !== null) {
      this.captureParts.push(chunk.slice(this.captureStart));
      this.captureLength += chunk.length - this.captureStart;
      this.captureStart = 0;
      if (this.captureLength > this.maxRecordChars) {
        throw new JsonStructureError(
          `a single value starting here is larger than ${Math.round(this.maxRecordChars / 1048576)} MB`,
          this.captureLine,
          this.captureColumn,
        );
      }
    }
  }

  /** Signals the end of input; throws if the document is incomplete. */
  end(out: ScannedRecord[]): void {
    if (this.capture !== null && this.scalar) this.finishCapture("", 0, out);
    if (this.capture !== null) {
      throw new JsonStructureError(
        `the ${this.inString ? "string" : "value"} that starts here is never closed (the file ends inside it)`,
        this.captureLine,
        this.captureColumn,
      );
    }
    if (this.state === "start") throw new JsonStructureError("the file holds no JSON value", this.line, this.column);
    if (this.state !== "done") {
      throw new JsonStructureError(
        `the file ends before the ${this.topLevel === "array" ? "top-level array" : "top-level object"} is closed`,
        this.line,
        this.column,
      );
    }
  }

  /** Returns true when `c` ended a bare scalar and must also be read as structure. */
  private continueCapture(c: number, chunk: string, i: number, out: ScannedRecord[]): boolean {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (c === BACKSLASH) this.escaped = true;
      else if (c === QUOTE) {
        this.inString = false;
        if (this.brackets.length === 0) this.finishCapture(chunk, i + 1, out);
      }
      return false;
    }
    if (this.scalar) {
      if (c === COMMA || c === CLOSE_BRACKET || c === CLOSE_BRACE || isWhitespace(c)) {
        this.finishCapture(chunk, i, out);
        return true;
      }
      return false;
    }
    if (c === QUOTE) this.inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.brackets.push(c);
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      const open = this.brackets.pop();
      if ((open === OPEN_BRACE) !== (c === CLOSE_BRACE)) {
        throw new JsonStructureError(
          `"${String.fromCharCode(c)}" does not match the "${String.fromCharCode(open ?? 0x3f)}" it closes`,
          this.line,
          this.column,
        );
      }
      if (this.brackets.length === 0) this.finishCapture(chunk, i + 1, out);
    }
    return false;
  }

  private structural(c: number, i: number): void {
    switch (this.state) {
      case "start":
        if (c === OPEN_BRACKET) {
          this.topLevel = "array";
          this.state = "arrayValueOrEnd";
        } else if (c === OPEN_BRACE) {
          this.topLevel = "object";
          this.state = "objectKeyOrEnd";
        } else this.fail(c, "the file to start with [ or {");
        break;
      case "arrayValueOrEnd":
        if (c === CLOSE_BRACKET) this.closeArray();
        else this.beginCapture("record", c, i);
        break;
      case "arrayValue":
        if (c === CLOSE_BRACKET) this.fail(c, "a value after the comma (remove the trailing comma)");
        this.beginCapture("record", c, i);
        break;
      case "arrayCommaOrEnd":
        if (c === COMMA) this.state = "arrayValue";
        else if (c === CLOSE_BRACKET) this.closeArray();
        else this.fail(c, '"," or "]" after a record (is a comma missing?)');
        break;
      case "objectKeyOrEnd":
        if (c === CLOSE_BRACE) this.state = "done";
        else if (c === QUOTE) this.beginCapture("key", c, i);
        else this.fail(c, "a quoted property name");
        break;
      case "objectKey":
        if (c !== QUOTE) this.fail(c, "a quoted property name (remove the trailing comma?)");
        this.beginCapture("key", c, i);
        break;
      case "objectColon":
        if (c !== COLON) this.fail(c, '":" after the property name');
        this.state = "objectValue";
        break;
      case "objectValue":
        if (this.currentKey === "data" && c === OPEN_BRACKET) {
          this.inDataArray = true;
          this.sawDataArray = true;
          this.state = "arrayValueOrEnd";
        } else this.beginCapture("objectValue", c, i);
        break;
      case "objectCommaOrEnd":
        if (c === COMMA) this.state = "objectKey";
        else if (c === CLOSE_BRACE) this.state = "done";
        else this.fail(c, '"," or "}" after a property (is a comma missing?)');
        break;
      case "done":
        this.fail(c, "nothing after the end of the JSON document (for one record per line, use .ndjson)");
    }
  }

  private closeArray(): void {
    if (this.inDataArray) {
      this.inDataArray = false;
      this.state = "objectCommaOrEnd";
    } else this.state = "done";
  }

  private beginCapture(target: CaptureTarget, c: number, i: number): void {
    this.capture = target;
    this.captureParts = [];
    this.captureLength = 0;
    this.captureStart = i;
    this.captureLine = this.line;
    this.captureColumn = this.column;
    this.brackets = [];
    this.escaped = false;
    this.inString = c === QUOTE;
    this.scalar = false;
    if (c === OPEN_BRACE || c === OPEN_BRACKET) this.brackets.push(c);
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET || c === COMMA || c === COLON) this.fail(c, "a value");
    else if (c !== QUOTE) this.scalar = true;
  }

  private finishCapture(chunk: string, end: number, out: ScannedRecord[]): void {
    this.captureParts.push(chunk.slice(this.captureStart, end));
    const text = this.captureParts.join("");
    const target = this.capture;
    this.capture = null;
    this.captureParts = [];
    if (target === "record") {
      out.push({ text, line: this.captureLine, column: this.captureColumn });
      this.state = "arrayCommaOrEnd";
    } else if (target === "key") {
      this.currentKey = this.parseKey(text);
      this.state = "objectColon";
    } else {
      this.objectValues.set(this.currentKey, text);
      this.state = "objectCommaOrEnd";
    }
  }

  private parseKey(text: string): string {
    try {
      return JSON.parse(text) as string;
    } catch {
      throw new JsonStructureError(
        "the property name is not a valid JSON string",
        this.captureLine,
        this.captureColumn,
      );
    }
  }

  private fail(c: number, expected: string): never {
    throw new JsonStructureError(`expected ${expected}, found "${String.fromCharCode(c)}"`, this.line, this.column);
  }
}
