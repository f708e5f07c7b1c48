// Literal checks of spec section 2 that Q.g4 does not express: string decoding, the number
// range and the duration length. Offsets are code points; every function works on an array of
// one-code-point strings (`Array.from(text)`).

const SIMPLE_ESCAPES = new Set(['"', "'", '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /^[0-9A-Fa-f]{4}$/;

/** A literal error: `{code, start, end, message}` (absolute code-point offsets). */
function fail(code, start, end, message) {
  return { code, start, end, message };
}

function isSurrogate(ch) {
  const c = ch.codePointAt(0);
  return c >= 0xd800 && c <= 0xdfff;
}

/**
 * Decode the quoted token `cps[start, end)` (quotes included, closing quote present).
 * Returns `{length}` (decoded code points) or `{error}` (a `syntax_error` at the culprit).
 */
export function decodeString(cps, start, end) {
  const body = cps.slice(start + 1, end - 1);
  const base = start + 1;
  const n = body.length;
  let length = 0;
  let i = 0;
  while (i < n) {
    const ch = body[i];
    if (ch === '\\') {
      if (i + 1 >= n) {
        return { error: fail('syntax_error', base + i, base + n, 'a string cannot end with a lone backslash') };
      }
      const esc = body[i + 1];
      if (isSurrogate(esc)) {
        return { error: fail('syntax_error', base + i + 1, base + i + 2, 'a raw surrogate code point is not allowed in a string') };
      }
      if (SIMPLE_ESCAPES.has(esc)) {
        length += 1;
        i += 2;
        continue;
      }
      if (esc === 'u') {
        const read = readUnicodeEscape(body, i, base);
        if (read.error) return read;
        length += 1;
        i += read.width;
        continue;
      }
      return { error: fail('syntax_error', base + i, base + i + 2, `invalid escape sequence \\${esc} in a string`) };
    }
    if (isSurrogate(ch)) {
      return { error: fail('syntax_error', base + i, base + i + 1, 'a raw surrogate code point is not allowed in a string') };
    }
    if (ch.codePointAt(0) < 0x20) {
      const message = ch === '\u0000' ? 'U+0000 is not allowed in a string'
        : 'a raw control character must be escaped in a string';
      return { error: fail('syntax_error', base + i, base + i + 1, message) };
    }
    length += 1;
    i += 1;
  }
  return { length };
}

function readUnicodeEscape(body, i, base) {
  const hex = body.slice(i + 2, i + 6).join('');
  if (!HEX4.test(hex)) {
    return { error: fail('syntax_error', base + i, base + Math.min(i + 6, body.length), '\\u must be followed by four hexadecimal digits') };
  }
  const code = parseInt(hex, 16);
  if (code === 0) {
    return { error: fail('syntax_error', base + i, base + i + 6, 'U+0000 is not allowed in a string') };
  }
  if (code >= 0xdc00 && code <= 0xdfff) {
    return { error: fail('syntax_error', base + i, base + i + 6, `lone low surrogate \\u${hex} in a string`) };
  }
  if (code >= 0xd800 && code <= 0xdbff) {
    const low = body.slice(i + 6, i + 12).join('');
    if (low.length === 6 && low.startsWith('\\u') && HEX4.test(low.slice(2))) {
      const lowCode = parseInt(low.slice(2), 16);
      if (lowCode >= 0xdc00 && lowCode <= 0xdfff) return { width: 12 };
    }
    return { error: fail('syntax_error', base + i, base + i + 6, `lone high surrogate \\u${hex} in a string (a surrogate pair needs both halves)`) };
  }
  return { width: 6 };
}

/** Whether a BAD_STRING token's text ends with its own (unescaped) closing quote. */
export function isClosed(text) {
  const chars = Array.from(text);
  const quote = chars[0];
  let i = 1;
  while (i < chars.length) {
    if (chars[i] === '\\') i += 2;
    else if (chars[i] === quote) return i === chars.length - 1;
    else i += 1;
  }
  return false;
}

const NUMBER_PARTS = /^([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?)([0-9]+))?$/;
const MAX_SIGNIFICANT = 34;
const MAX_EXPONENT = 307;

/** The range check of a NUMBER token at `[start, end)`: null, or an `invalid_literal`. */
export function checkNumber(text, start, end) {
  const [, whole, fraction = '', sign, exponentDigits = '0'] = NUMBER_PARTS.exec(text);
  const coefficient = (whole + fraction).replace(/^0+/, '');
  if (coefficient === '') return null; // zero, whatever its exponent
  if (coefficient.replace(/0+$/, '').length > MAX_SIGNIFICANT) {
    return fail('invalid_literal', start, end, `a number may have at most ${MAX_SIGNIFICANT} significant digits`);
  }
  const digits = exponentDigits.replace(/^0+/, '') || '0';
  const outOfRange = fail('invalid_literal', start, end, `a number's decimal exponent must be within ±${MAX_EXPONENT}`);
  if (digits.length > 9) return outOfRange; // the shift below is under 4,096
  const exponent = (sign === '-' ? -1 : 1) * Number(digits);
  const adjusted = exponent + coefficient.length - 1 - fraction.length;
  return Math.abs(adjusted) > MAX_EXPONENT ? outOfRange : null;
}

const MAX_DURATION_DIGITS = 15;

/** The length check of a DURATION token at `[start, end)`: null, or an `invalid_literal`. */
export function checkDuration(text, start, end) {
  const digits = /^[0-9]+/.exec(text)[0].replace(/^0+/, '');
  if (digits.length > MAX_DURATION_DIGITS) {
    return fail('invalid_literal', start, end, `a duration may have at most ${MAX_DURATION_DIGITS} digits`);
  }
  return null;
}
