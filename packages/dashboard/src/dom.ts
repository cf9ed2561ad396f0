/**
 * A tiny element builder. Text always goes in as text nodes (never HTML), so nothing from the API can inject markup,
 * and no inline styles or handlers are written, which keeps the page within a strict Content-Security-Policy.
 */

type Child = Node | string | number | null | undefined | false;
type AttributeValue = string | number | boolean | null | undefined;
type Listeners = Partial<Record<keyof HTMLElementEventMap, (event: Event) => void>>;
interface Attributes {
  on?: Listeners;
  [name: string]: AttributeValue | Listeners;
}

export function h<Tag extends keyof HTMLElementTagNameMap>(
  tag: Tag,
  attributes: Attributes = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[Tag] {
  const element = document.createElement(tag);
  const { on, ...rest } = attributes;
  for (const [name, value] of Object.entries(rest) as [string, AttributeValue][]) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [type, listener] of Object.entries(on ?? {})) {
    if (listener) element.addEventListener(type, listener);
  }
  append(element, children.flat());
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function replaceChildren(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  append(parent, children.flat());
}

let uniqueIds = 0;
/** A document-unique id for label/aria references. */
export const uniqueId = (prefix: string): string => `${prefix}-${++uniqueIds}`;
