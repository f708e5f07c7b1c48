// Run validate() on every parse case of a conformance file and print one JSON line per case:
//   {"id": ..., "ok": true} or {"id": ..., "code": ..., "start": ..., "end": ...}
// Usage: node conformance.js ../../conformance/parse.jsonl
// With --check, compare with each case's "expect" and exit 1 on any disagreement instead.
import { readFileSync } from 'node:fs';
import { validate } from './src/validate.js';

const args = process.argv.slice(2);
const check = args.includes('--check');
const file = args.find((a) => !a.startsWith('--'));
const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
const out = [];
let failures = 0;
for (const line of lines) {
  const c = JSON.parse(line);
  const r = validate(c.q);
  const got = r.ok ? { id: c.id, ok: true } : { id: c.id, code: r.code, start: r.start, end: r.end };
  if (check) {
    const e = c.expect.error;
    const same = r.ok ? e === undefined
      : e !== undefined && e.code === r.code && e.start === r.start && e.end === r.end;
    if (!same) {
      failures += 1;
      if (failures <= 25) out.push(`${c.id} ${JSON.stringify(c.q).slice(0, 80)}: got ${JSON.stringify(got)}, expected ${JSON.stringify(c.expect)}`);
    }
  } else {
    out.push(JSON.stringify(got));
  }
}
if (check) out.push(`${lines.length - failures} of ${lines.length} cases agree`);
process.stdout.write(out.join('\n') + '\n');
process.exitCode = failures ? 1 : 0;
