// TypeScript declarations for the Eligo WebAssembly package (pkg/index.js).
// Hand-written to match the Rust serde contract (src/decision.rs, src/error.rs,
// src/manifest.rs, src/schema.rs, src/params.rs, src/testcases.rs, src/bundle.rs);
// scripts/build-wasm.sh copies this file to pkg/eligo.d.ts.

/** A date as `YYYY-MM-DD`. */
export type DateText = string;

/** Input for one case: the fields the rule set's manifest declares. */
export type Input = { [field: string]: unknown };

/** Each option may be left out or given as `null`, which is the same as left out. */
export interface EvalOptions {
  /** Decide as on this date instead of the input's own as-of field. */
  asOf?: DateText | null;
  /** Record every rule, parameter lookup and value, in order. */
  trace?: boolean | null;
  /**
   * A brief decision: outcome, values and which rules passed, with no reason worded (each
   * reason's `message` left out): faster, for tallying or comparing outcomes. A script
   * error that lies only in a reason's wording is then not met. Not with `trace`.
   */
  brief?: boolean | null;
}

export interface RulesetRef {
  id: string;
  version: string;
  /** `sha256:<hex>` over the rule set's files: which exact rules decided. */
  hash: string;
}

export interface Reason {
  rule: string;
  passed: boolean;
  /** Plain English; left out of a brief decision. */
  message?: string;
}

export type TraceEntry =
  | { kind: "rule"; rule: string; passed: boolean; message: string; used?: { [name: string]: unknown } }
  | { kind: "parameter"; name: string; value: unknown; from: DateText }
  | { kind: "value"; name: string; value: unknown }
  | { kind: "outcome"; outcome: string };

/** Every evaluation returns this shape. */
export interface Decision {
  ruleset: RulesetRef;
  as_of: DateText;
  /** One of the rule set's declared outcomes. */
  outcome: string;
  /** Named results: amounts, dates, lists of referrals... (money as numbers of pounds). */
  values: { [name: string]: unknown };
  reasons: Reason[];
  /** Only when `trace: true` was asked for. */
  trace?: TraceEntry[];
  /** The engine that decided, e.g. `eligo/0.1.0`. */
  engine: string;
}

export type ErrorCode =
  /** The input does not match the schema; nothing was evaluated. `issues` lists every problem. */
  | "invalid_input"
  /** No rule set with that id is loaded. */
  | "unknown_ruleset"
  /** A rule file could not be loaded (syntax, schema, unknown parameter, bad test case). */
  | "ruleset_error"
  /** The script failed while deciding (a sandbox limit, a thrown error, no outcome). */
  | "evaluation_error"
  /** The request is malformed (bad as-of date, bundle, options). */
  | "invalid_request"
  /** Thrown by `init()` only, from the JS API (never in an `ErrorEnvelope`, nor by the CLI): the
   * WebAssembly module could not be fetched (a URL answering 404), read, compiled (bytes that
   * are not WebAssembly) or started. The error underneath is its `cause`; `init` can be retried. */
  | "module_error";

/** A place in a rule set's files; line and column count from 1 (0: unknown). */
export interface Location {
  ruleset: string;
  file: string;
  line: number;
  column: number;
}

export interface Issue {
  /** A JSON path into the input (`/activities/3/cost`), or `ruleset/file:line:col`. */
  path: string;
  message: string;
  location?: Location;
}

/** What every failing call throws (and `init()` rejects with): a JS `Error` named `EligoError`. */
export interface EligoError extends Error {
  name: "EligoError";
  code: ErrorCode;
  issues: Issue[];
  /** For rule-set and evaluation errors: where in the rule files. */
  location?: Location;
}

/** The wire form of an error: what `evaluateJson` returns and `eligo eval` prints. */
export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; issues?: Issue[]; location?: Location };
}

/** A rule set's files by relative path: `ruleset.toml`, `parameters.toml`, `rules.rhai`, `tests/*.toml`. */
export type Files = { [path: string]: string };

/** What `eligo bundle` writes. */
export interface Bundle {
  format: "eligo-bundle/1";
  rulesets: {
    id: string;
    version: string;
    hash: string;
    files: Files;
    /** The TOML files' parsed form, as JSON text, with `sha256:<hex>` over that text: what the
     * runtime module (index.js, no TOML reader) loads. Absent in bundles made before it. */
    parsed?: { hash: string; text: string };
  }[];
  /** Present when the publisher signed the bundle (`eligo bundle --sign`). */
  signature?: { algorithm: "ed25519"; public_key: string; signature: string };
}

/** One rule set's loose files, as a playground edits them (the authoring module only). */
export interface FilesRequest {
  /** Names the rule set in errors until its manifest parses. */
  id?: string;
  files: Files;
}

/** One line of `rulesets()`: a rule set, described by its latest version. */
export interface Summary {
  id: string;
  title: string;
  version: string;
  hash: string;
  outcomes: string[];
  /** The latest version's `effective_from`, when it has one. */
  effective_from?: string;
  /** Every version loaded, earliest first, when there is more than one. */
  versions?: { version: string; effective_from?: string; hash: string }[];
}

export type FieldType = "integer" | "number" | "money" | "boolean" | "string" | "enum" | "date" | "list" | "object";

export interface EnumOption {
  value: string;
  label: string;
  help?: string;
}

/** One input field, enough to generate a form control. */
export interface Field {
  /** Absent for a list's `items`. */
  name?: string;
  type: FieldType;
  required: boolean;
  label?: string;
  help?: string;
  /** Numbers and money as numbers; dates as `YYYY-MM-DD`. */
  min?: number | string;
  max?: number | string;
  max_length?: number;
  min_items?: number;
  max_items?: number;
  options?: EnumOption[];
  /** A string's usual values, for a form to offer (a list of such strings is drawn as boxes to tick); any other text is still accepted. */
  suggestions?: EnumOption[];
  items?: Field;
  fields?: Field[];
  default?: unknown;
  /** Show the field only when a sibling field equals / is one of these; hidden fields are not required. */
  visible_when?: { field: string; equals?: unknown; in?: unknown[] };
}

export interface ParameterSpec {
  type: "integer" | "number" | "money" | "boolean" | "string" | "date" | "list" | "table";
  item?: string;
  label?: string;
  description?: string;
  source?: string;
  values: { from: DateText; value: unknown; note?: string }[];
}

/** `describe(id)`: everything needed to build a form and explain a rule set. */
export interface Description {
  id: string;
  title: string;
  version: string;
  owner: string;
  description: string;
  effective_from?: DateText | null;
  hash: string;
  outcomes: { id: string; label: string; description?: string }[];
  as_of: { field: string; year_field?: string; year_day?: string };
  input: Field[];
  parameters: { [name: string]: ParameterSpec };
  /** Rule ids in the order the script first names them. */
  rules: string[];
  /**
   * Rules whose reasons are information (a fact about the case, or one of several routes to
   * an outcome), not a test the case can fail: show them as notes, without met or not met.
   * Empty when the manifest lists none.
   */
  information_rules: string[];
}

export interface CaseResult {
  name: string;
  file: string;
  passed: boolean;
  problems: string[];
  /** The decision or error as JSON text, byte for byte as natively. */
  output: string;
}

/** `runTests(id)` (authoring module): the rule set's own test cases, run in this engine, each
 * version's by that version, as `eligo test` runs them. */
export interface TestReport {
  ruleset: string;
  /** The version whose cases these are: the latest, at the top level. */
  version: string;
  cases: CaseResult[];
  coverage: { [rule: string]: { passed: number; failed: number } };
  never_fired: string[];
  /** When several versions are loaded (a bundle of a folder of versions): every version's own
   * report, earliest first, the latest's last (the same as the top level). All pass when every
   * version's cases do. */
  versions?: Omit<TestReport, "versions">[];
}

/** `compareWith`: the same cases decided by an old and a new rule set (as `eligo diff --json`). */
export interface ImpactReport {
  old: { id: string; version: string; hash: string };
  new: { id: string; version: string; hash: string };
  cases: number;
  /** Cases whose outcome (or error, as `error:<code>`) differs. */
  outcome_changed: number;
  /** Cases with the same outcome but some value different. */
  value_only_changed: number;
  unchanged: number;
  /** Every from → to pair seen, changes first, then by count; examples for changes only. */
  transitions: { from: string; to: string; changed: boolean; count: number; examples: { row: number; input: unknown }[] }[];
  value_changes: { value: string; count: number; examples: { row: number; old: unknown; new: unknown; input: unknown }[] }[];
}

/** Where to get the WebAssembly module: a URL or path, a fetch Response, its bytes, or a compiled module. */
export type WasmSource = string | URL | Request | Response | Promise<Response> | BufferSource | WebAssembly.Module;

/** Load and instantiate the module once (later calls return the same promise). In Node the
 * default (`source` left out or null) reads `eligo_wasm_bg.wasm` beside this file with `fs`; in
 * browsers and bundlers it fetches it. Rejects with an `EligoError` of code `module_error` when the
 * module cannot be loaded; a later call tries again. */
export function init(source?: WasmSource | null): Promise<void>;
export default init;

/** `init`, then a new engine with `rules` loaded when given. */
export function createEngine(rules?: string | Bundle | FilesRequest): Promise<Engine>;

/** True for the errors Eligo throws. */
export function isEligoError(e: unknown): e is EligoError;

export class Engine {
  /** Throws unless `init()` has finished. */
  constructor();
  /** `eligo/x.y.z`, as recorded in every decision. */
  readonly version: string;
  /** Load a bundle or, in the authoring module (authoring.js) only, one rule set's files
   * (JSON text or object); returns the ids loaded. The runtime module (index.js) throws
   * `invalid_request` for loose files.
   * Every version of a rule set loaded before is replaced by what this load holds of it; a bundle may hold
   * several versions of one rule set, each with its own `effective_from`, and each case is decided by the
   * version in effect on its as-of date (the decision's `ruleset.version` says which). Throws `ruleset_error` with `location` for a broken rule file.
   * With `publicKey` (the publisher's ed25519 public key: 64 hex digits or `.pub` file text), only a bundle
   * signed by that key and unchanged since loads; an unsigned or tampered one throws `invalid_request`. */
  load(rules: string | Bundle | FilesRequest, publicKey?: string): string[];
  rulesets(): Summary[];
  /** Forget a rule set; true when one was loaded. */
  remove(id: string): boolean;
  /** Of the rule set's latest version, or with `asOf` (`YYYY-MM-DD`) of the version in effect that day. */
  describe(id: string, options?: { asOf?: string | null }): Description;
  /** The input schema as JSON Schema (draft 2020-12). */
  jsonSchema(id: string): object;
  /** Decide one case. `input` may be an object or JSON text. Throws `EligoError`: an input object
   * holding what JSON cannot carry (a BigInt, a circular reference) is `invalid_input` at that field. */
  evaluate(id: string, input: Input | string, options?: EvalOptions | null): Decision;
  /** JSON text in, JSON text out: the decision, or `{"error": ...}` (see `ErrorEnvelope`); never throws for a bad case.
   * A case over 1 MB of JSON is invalid_input, refused before it is read. */
  evaluateJson(id: string, inputJson: string, optionsJson?: string): string;
  /** In the authoring module (authoring.js) only; the runtime's Engine has none of the next four
   * (it decides cases, and leaves the test cases in a bundle unread). The rule set's own test cases:
   * every version's (see `TestReport.versions`). */
  runTests?(id: string): TestReport;
  /** Authoring module only: `count` synthetic cases for rule set `id` from `seed`, as JSON Lines,
   * byte for byte what `eligo generate --count N --seed S` writes. `count`, `seed` and `first`
   * are whole numbers (`seed` up to `Number.MAX_SAFE_INTEGER`); anything else is an invalid_request. */
  generateCases?(id: string, count: number, seed?: number, first?: number): string;
  /** Authoring module only: what deciding `cases` (JSON Lines text, or an array of inputs) by this
   * engine's rule set `id` instead of `old`'s rule set `oldId` would change: the report
   * `eligo diff --json` prints. `options.examples`: example cases kept per change (default 3). */
  compareWith?(id: string, old: Engine, oldId: string, cases: string | Input[], options?: { asOf?: DateText | null; examples?: number | null }): ImpactReport;
  /** Authoring module only: `compareWith`, a piece at a time so a page can show progress: either
   * `add` pieces of JSON Lines in order (`firstRow`: the caseload row of the piece's first line;
   * returns the cases compared so far), or `openCases` a whole caseload file's text (`"jsonl"`:
   * JSON Lines or one JSON array of inputs; `"csv"`, read by the old rule set's schema as
   * `eligo diff` reads it; returns its size in bytes as read) and `step` through it (returns the
   * bytes read so far, `null` at the end); `report()` finishes it. */
  startComparison?(id: string, old: Engine, oldId: string, options?: { asOf?: DateText | null; examples?: number | null }): {
    add(jsonLines: string, firstRow?: number): number;
    openCases(text: string, format?: "jsonl" | "csv"): number;
    step(maxRows?: number): number | null;
    report(): ImpactReport;
  };
  /** Release the engine's memory now rather than when it is garbage-collected. Any later call
   * but `free()` throws an invalid_request ("this engine has been freed"). */
  free(): void;
}
