// escapeMarkdown: text from the user's project (asset keys, partition keys, paths, errors) made literal inside Markdown.

/**
 * Backslash-escapes every ASCII punctuation character, which CommonMark always renders as itself: no link, image,
 * emphasis, HTML, entity or autolink (`http\://`, `www\.`, `a\@b`) can start inside the text. Line breaks become
 * Markdown line breaks, so a multi-line error keeps its lines and cannot open a block (heading, list, quote, fence).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, '\\$&').replace(/\r?\n/g, '  \n');
}
