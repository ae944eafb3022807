import { convert } from "html-to-text";

/** Readable plain text from an HTML fragment or document (links kept as "text [url]", images dropped). */
export function htmlToText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: "img", format: "skip" },
      { selector: "a", options: { hideLinkHrefIfSameAsText: true, ignoreHref: false } },
    ],
  }).trim();
}

/** Whether a string looks like HTML markup rather than plain text. */
export function looksLikeHtml(text: string): boolean {
  return /<\/?(p|div|br|span|a|b|i|em|strong|ul|ol|li|html|body|table)\b[^>]*>/i.test(text);
}
