// The completion list under the q input: asked from GET /v1/complete at the cursor after
// each edit, driven by the keyboard (ArrowDown/ArrowUp choose, Enter accepts the chosen item,
// Tab the chosen or first item, Escape closes, Ctrl+Space opens) and inserting exactly the
// item's replacement span [start, end) (code points).

import { replaceSpan, toCodePoints, toUnits } from './text.js';

export class Combo {
  /** `fetchItems(q, cursor)` resolves to completion items; `onAccept()` runs after an insert. */
  constructor(input, list, fetchItems, onAccept) {
    Object.assign(this, { input, list, fetchItems, onAccept, items: [], active: -1, asked: 0 });
    input.addEventListener('keydown', (event) => this.key(event));
    input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
    list.addEventListener('mousedown', (event) => event.preventDefault());
    list.addEventListener('click', (event) => {
      const item = event.target.closest('li');
      if (item) this.accept(Number(item.dataset.index));
    });
  }

  get open() { return !this.list.hidden; }

  /** The cursor as a code-point offset into the input's text. */
  cursor() { return toCodePoints(this.input.value, this.input.selectionStart ?? 0); }

  /** Ask for completions at the cursor; shown only if the text and cursor did not move. */
  async request() {
    const q = this.input.value;
    const cursor = this.cursor();
    const ticket = ++this.asked;
    let items;
    try {
      items = await this.fetchItems(q, cursor);
    } catch {
      return;
    }
    if (ticket !== this.asked || q !== this.input.value || cursor !== this.cursor()) return;
    this.show(items);
  }

  show(items) {
    this.items = items;
    this.active = -1;
    this.list.replaceChildren(...items.map((item, index) => {
      const li = document.createElement('li');
      li.id = `completion-${index}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.dataset.index = String(index);
      const label = document.createElement('span');
      label.className = 'label';
      label.textContent = item.label;
      const detail = document.createElement('span');
      detail.className = 'detail';
      detail.textContent = [item.kind, item.detail].filter(Boolean).join(': ');
      li.append(label, detail);
      return li;
    }));
    this.list.hidden = items.length === 0;
    this.input.setAttribute('aria-expanded', String(!this.list.hidden));
    this.input.removeAttribute('aria-activedescendant');
  }

  close() {
    this.asked++;
    this.list.hidden = true;
    this.items = [];
    this.active = -1;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  move(step) {
    const count = this.items.length;
    this.active = this.active < 0 ? (step > 0 ? 0 : count - 1) : (this.active + step + count) % count;
    for (const li of this.list.children) {
      const on = Number(li.dataset.index) === this.active;
      li.setAttribute('aria-selected', String(on));
      if (on) li.scrollIntoView({ block: 'nearest' });
    }
    this.input.setAttribute('aria-activedescendant', `completion-${this.active}`);
  }

  /** Replace the item's span of the text with its text and put the cursor after it. */
  accept(index) {
    const item = this.items[index];
    if (!item) return;
    const text = replaceSpan(this.input.value, item.start, item.end, item.text);
    this.input.value = text;
    const caret = toUnits(text, item.start + Array.from(item.text).length);
    this.input.setSelectionRange(caret, caret);
    this.close();
    this.onAccept();
  }

  key(event) {
    if (event.key === ' ' && event.ctrlKey) {
      event.preventDefault();
      this.request();
      return;
    }
    if (!this.open) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      this.move(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Enter' && this.active >= 0) {
      event.preventDefault();
      event.stopImmediatePropagation();
      this.accept(this.active);
    } else if (event.key === 'Tab' && !event.shiftKey) {
      event.preventDefault();
      this.accept(Math.max(this.active, 0));
    } else if (event.key === 'Escape') {
      event.preventDefault();
      this.close();
    }
  }
}
