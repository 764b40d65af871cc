// Elements are built with the DOM API, text as textContent: nothing is parsed as HTML, and the
// only styles set are CSSOM properties (allowed by the page's Content-Security-Policy).

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name === 'text') element.textContent = value;
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A titled card of the page. */
export function card(title, { id, wide, actions } = {}, ...children) {
  return h(
    'section',
    { class: `card${wide ? ' wide' : ''}`, id, 'aria-labelledby': id ? `${id}-title` : undefined },
    h('header', { class: 'card-head' }, h('h2', { id: id ? `${id}-title` : undefined, text: title }), actions),
    ...children,
  );
}

/** A key figure: a label and its value as text. */
export function figure(label, value, { id, hint, tone } = {}) {
  return h(
    'div',
    { class: 'figure', id },
    h('div', { class: 'figure-label', text: label }),
    h('div', { class: `figure-value${tone ? ` ${tone}` : ''}`, text: value }),
    hint ? h('div', { class: 'figure-hint', text: hint }) : null,
  );
}

export function link(href, text) {
  return h('a', { href, text });
}

export function message(text, kind = 'muted') {
  return h('p', { class: kind, text });
}
