/**
 * A tiny XML writer: documents are built as element trees and serialised in one place, so user
 * text only ever reaches the output through `escapeXml` (element text, attribute values) or
 * `cdataSection`. Output is deterministic: attributes keep their given order, indentation is fixed.
 */

export interface XmlElement {
  kind: 'element';
  name: string;
  attributes: readonly (readonly [string, string])[];
  children: readonly XmlNode[];
}

export interface XmlText {
  kind: 'text';
  value: string;
}

export interface XmlCData {
  kind: 'cdata';
  value: string;
}

export type XmlNode = XmlElement | XmlText | XmlCData;

/** Child specs: nodes, plain strings (escaped text), or nothing (left out). */
export type XmlChild = XmlNode | string | undefined | null | false;

const NAME = /^[A-Za-z_][A-Za-z0-9._-]*(:[A-Za-z_][A-Za-z0-9._-]*)?$/;

/** Characters XML 1.0 forbids (C0 controls other than tab/newline/return, lone surrogates, U+FFFE/U+FFFF). */
const INVALID_XML_CHARS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function stripInvalidXmlChars(text: string): string {
  return text.replace(INVALID_XML_CHARS, '');
}

const TEXT_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
const ATTRIBUTE_ESCAPES: Record<string, string> = {
  ...TEXT_ESCAPES,
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Escapes text for element content: `& < > " '` become entities; forbidden characters are dropped. */
export function escapeXml(text: string): string {
  return stripInvalidXmlChars(text).replace(/[&<>"']/g, (c) => TEXT_ESCAPES[c] ?? c);
}

/** Escapes an attribute value; whitespace controls are kept as character references. */
export function escapeXmlAttribute(text: string): string {
  return stripInvalidXmlChars(text).replace(/[&<>"'\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c] ?? c);
}

/** A CDATA section that survives any content: every `]]>` is split across two sections. */
export function cdataSection(text: string): string {
  return `<![CDATA[${stripInvalidXmlChars(text).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

function toNode(child: XmlChild): XmlNode | undefined {
  if (child === undefined || child === null || child === false) return undefined;
  return typeof child === 'string' ? { kind: 'text', value: child } : child;
}

/** An element; attributes with an undefined value are left out. */
export function el(
  name: string,
  attributes: Record<string, string | number | undefined> = {},
  ...children: XmlChild[]
): XmlElement {
  if (!NAME.test(name)) throw new Error(`invalid XML element name "${name}"`);
  const attrs: [string, string][] = [];
  for (const [key, value] of Object.entries(attributes)) {
    if (!NAME.test(key)) throw new Error(`invalid XML attribute name "${key}"`);
    if (value !== undefined) attrs.push([key, String(value)]);
  }
  return {
    kind: 'element',
    name,
    attributes: attrs,
    children: children.map(toNode).filter((n): n is XmlNode => n !== undefined),
  };
}

/** An element holding one text value (escaped on output). */
export function textEl(
  name: string,
  value: string | number,
  attributes: Record<string, string | number | undefined> = {}
): XmlElement {
  return el(name, attributes, String(value));
}

export function cdata(value: string): XmlCData {
  return { kind: 'cdata', value };
}

function openTag(node: XmlElement): string {
  const attrs = node.attributes.map(([key, value]) => ` ${key}="${escapeXmlAttribute(value)}"`).join('');
  return `<${node.name}${attrs}`;
}

function serializeNode(node: XmlNode, depth: number, out: string[]): void {
  const indent = '  '.repeat(depth);
  if (node.kind === 'text') {
    out.push(`${indent}${escapeXml(node.value)}`);
    return;
  }
  if (node.kind === 'cdata') {
    out.push(`${indent}${cdataSection(node.value)}`);
    return;
  }
  if (node.children.length === 0) {
    out.push(`${indent}${openTag(node)}/>`);
    return;
  }
  const inline = node.children.every((child) => child.kind !== 'element');
  if (inline) {
    // Text and CDATA stay on the element's line: whitespace around them would change the value.
    const body = node.children
      .map((child) =>
        child.kind === 'cdata' ? cdataSection(child.value) : escapeXml((child as XmlText).value)
      )
      .join('');
    out.push(`${indent}${openTag(node)}>${body}</${node.name}>`);
    return;
  }
  out.push(`${indent}${openTag(node)}>`);
  for (const child of node.children) serializeNode(child, depth + 1, out);
  out.push(`${indent}</${node.name}>`);
}

/** The document: XML declaration, then the root element, indented by two spaces, ending in a newline. */
export function serializeXmlDocument(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  serializeNode(root, 0, out);
  return `${out.join('\n')}\n`;
}
