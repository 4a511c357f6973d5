// The peer benchmark runs as the README shows it, and every peer gives Eligo's answers, on
// the light job and the whole decision, for every case before it is timed: so the README's
// figures are for equivalent logic, and a rule-set change the peers' copies miss fails here
// rather than in the next person's benchmark run. Nothing about speed is asserted (timing is
// the benchmark's business); the run is kept short.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./helpers.mjs";

const PEERS = ["json-rules-engine", "json-logic-js", "zen-engine-wasm"];

test("bench/peers.mjs: every peer agrees with Eligo on every case of both jobs", () => {
  assert.ok(existsSync(join(ROOT, "target/release/eligo")), "target/release/eligo is missing (scripts/test.sh builds it)");
  const run = spawnSync(process.execPath, ["bench/peers.mjs", "--cases", "400", "--seconds", "0.02", "--rounds", "2", "--native-rows", "400"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  const out = `${run.stdout}\n${run.stderr}`;
  assert.equal(run.status, 0, out);
  assert.doesNotMatch(out, /disagree|could not be loaded|not timed|not run/, out);
  // Two rule sets, two tables each: every peer has a rate in all four.
  for (const peer of PEERS) {
    const rows = out.split("\n").filter((l) => l.includes(peer) && /\| [\d,]+ \|/.test(l));
    assert.equal(rows.length, 4, `${peer}: ${rows.length} timed rows\n${out}`);
  }
  assert.equal(out.match(/The whole decision/g)?.length, 2, out);
});
