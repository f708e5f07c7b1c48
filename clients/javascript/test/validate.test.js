// node --test: what the conformance check does not compare -- messages and misuse.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULT_LIMITS, validate } from '../src/validate.js';

const TOKEN_NAMES = /\b(BAD_STRING|BAD_NUMBER|ERROR_CHAR|FOREIGN_\w+|LPAREN|RPAREN|IDENT|EOF|<EOF>|mismatched|viable)\b/;
const cases = readFileSync(new URL('../../../conformance/parse.jsonl', import.meta.url), 'utf8')
  .split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));

test('every error has a one-sentence message without parser internals', () => {
  let errors = 0;
  for (const c of cases) {
    const r = validate(c.q);
    if (r.ok) continue;
    errors += 1;
    assert.equal(typeof r.message, 'string', c.id);
    assert.ok(r.message.length > 0 && !r.message.includes('\n'), c.id);
    assert.doesNotMatch(r.message, TOKEN_NAMES, c.id);
  }
  assert.ok(errors > 1000);
});

test('a result is {ok: true} or {ok: false, code, start, end, message}', () => {
  assert.deepEqual(validate('duration_ms > 1000'), { ok: true });
  assert.deepEqual(Object.keys(validate('a ==')).sort(), ['code', 'end', 'message', 'ok', 'start']);
});

test('offsets count code points, not UTF-16 units', () => {
  assert.deepEqual(validate('a = "\u{1F600}\u{1F600}" ==').start, 9);
});

test('q must be a string', () => {
  for (const q of [undefined, null, 5, ['a']]) assert.throws(() => validate(q), TypeError);
});

test('the default limits are those of spec section 6', () => {
  assert.deepEqual({ ...DEFAULT_LIMITS }, {
    maxLength: 4096, maxDepth: 32, maxQuantifierDepth: 3, maxStringLength: 1024,
    maxPredicates: 128, maxInValues: 256,
  });
  assert.ok(Object.isFrozen(DEFAULT_LIMITS));
});
