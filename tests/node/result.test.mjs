// How the referral page words a decision's values (www/result.js): amounts in pounds and
// percentages come from the value's decimal digits, exactly, never through a float sum.
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatValue, groupedDecimal, labelsOf } from "../../www/result.js";

test("money is grouped and shown with pence only when it has them", () => {
  assert.equal(formatValue("max_award", 3000), "£3,000");
  assert.equal(formatValue("max_award", 2500.5), "£2,500.50");
  assert.equal(formatValue("requested_amount", "2500.50"), "£2,500.50");
  assert.equal(formatValue("requested_amount", "2500.00"), "£2,500");
  assert.equal(formatValue("shortfall", 999.995), "£1,000.00");
  assert.equal(formatValue("shortfall", -1234.5), "£-1,234.50");
  // Beyond a double's 15–17 digits: the text's digits, all of them.
  assert.equal(formatValue("grant", "12345678901234567890.12"), "£12,345,678,901,234,567,890.12");
});

test("shares are percentages, rounded on the decimal digits", () => {
  assert.equal(formatValue("match_rate", 0.07), "7%");
  assert.equal(formatValue("match_rate", 1), "100%");
  assert.equal(formatValue("match_rate", 0.00435), "0.44%"); // 0.00435 * 100 is 0.43499… as floats
  assert.equal(formatValue("match_rate", "0.125"), "12.5%");
  assert.equal(formatValue("match_rate", 2), "2"); // not a share
});

test("other numbers keep up to ten decimals", () => {
  assert.equal(formatValue("count", 1234567), "1,234,567");
  assert.equal(formatValue("count", 0.1 + 0.2), "0.3");
  assert.equal(formatValue("count", 1e21), (1e21).toLocaleString("en-GB", { maximumFractionDigits: 10 }));
  assert.equal(formatValue("count", "42"), "42"); // text stays text
});

test("rounding carries through nines and signs", () => {
  assert.equal(groupedDecimal("9999.995", 0, 2), "10,000");
  assert.equal(groupedDecimal("-0.004", 2, 2), "0.00");
  assert.equal(groupedDecimal("0.5", 0, 0), "1");
  assert.equal(groupedDecimal("007.10", 0, 2), "7.1");
  assert.equal(groupedDecimal("not a number", 0, 2), "not a number");
});

test("pounds and pence agree with Intl's en-GB formatting", () => {
  // Whole pence are exact as doubles' shortest text, so both see the same decimal.
  const intl = new Intl.NumberFormat("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const whole = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (let i = 0; i < 5000; i++) {
    const pence = next() % 1e9;
    const v = pence / 100;
    const want = Number.isInteger(v) ? whole.format(v) : intl.format(v);
    assert.equal(formatValue("max_award", v), `£${want}`, `for ${v}`);
  }
});

test("ids the schema labels are shown by their labels, others worded from the id", () => {
  // Suggestions on a list's strings, options on an enum inside a list of objects.
  const labels = labelsOf([
    { name: "priorities", type: "list", items: { type: "string", suggestions: [{ value: "support_victims_witnesses", label: "Supporting victims and witnesses" }] } },
    { name: "rows", type: "list", items: { type: "object", fields: [{ name: "kind", type: "enum", options: [{ value: "one_off", label: "A one-off payment" }] }] } },
  ]);
  assert.equal(formatValue("matched_priorities", ["support_victims_witnesses", "modern_policing"], labels),
    "Supporting victims and witnesses, Modern policing");
  assert.equal(formatValue("payment", { kind: "one_off" }, labels), "Kind: A one-off payment");
  assert.equal(formatValue("matched_priorities", ["support_victims_witnesses"]), "Support victims witnesses"); // no schema
});
