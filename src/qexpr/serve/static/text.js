// Code-point offsets (what qexpr and the validator count) <-> UTF-16 indices (what the DOM
// counts), and the echo of q with an error span underlined.

/** The UTF-16 index of code point `cp` of `text`. */
export function toUnits(text, cp) {
  return Array.from(text).slice(0, cp).join('').length;
}

/** The code-point offset of UTF-16 index `units` of `text`. */
export function toCodePoints(text, units) {
  return Array.from(text.slice(0, units)).length;
}

/** `text` with code points [start, end) replaced by `insert`. */
export function replaceSpan(text, start, end, insert) {
  const points = Array.from(text);
  return points.slice(0, start).join('') + insert + points.slice(end).join('');
}

/** Fill `node` with `text`, the code points [start, end) in a <u> (an empty span: a marker). */
export function echo(node, text, start, end) {
  node.replaceChildren();
  if (start === null || start === undefined) return;
  const points = Array.from(text);
  const mark = document.createElement('u');
  mark.id = 'q-error-span';
  mark.textContent = points.slice(start, end).join('');
  if (start === end) mark.className = 'empty';
  node.append(points.slice(0, start).join(''), mark, points.slice(end).join(''));
}
