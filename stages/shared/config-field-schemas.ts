/**
 * The single-value field schemas of a podcast config (config-schema.ts composes them): free text,
 * language tags, the public URL, Apple's categories and the cover art's URL.
 */
import * as z from 'zod';
import { APPLE_CATEGORY_NAMES, closestName, isAppleCategory } from './apple-categories';
import { LANGUAGE_TAG, languageProblem, malformedTagProblem } from './languages';

/**
 * What no text field may hold: the control characters (`\p{Cc}`: C0 except tab, line feed and
 * carriage return, DEL, C1), lone UTF-16 surrogates, U+2028/U+2029 (invisible line breaks, and
 * line terminators to JavaScript) and the non-characters U+FFFE/U+FFFF. XML 1.0, which the feed
 * is, forbids most of them outright; the rest garble titles, notes and terminals.
 */
const FORBIDDEN_IN_TEXT = /(?![\t\n\r])[\p{Cc}\p{Cs}\u2028\u2029\uFFFE\uFFFF]/u;

/** A text field of `min`..`max` characters with none of FORBIDDEN_IN_TEXT (the one rule for every free-text field). */
export function text(min: number, max: number) {
  return z
    .string()
    .min(min)
    .max(max)
    .superRefine((value, ctx) => {
      const found = FORBIDDEN_IN_TEXT.exec(value);
      if (!found) return;
      const code = `U+${(found[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
      ctx.addIssue({
        code: 'custom',
        message: `character ${code} at position ${found.index + 1} is not allowed (no control characters other than tab, line feed and carriage return)`,
      });
    });
}

/** A language every provider can speak and write (languages.ts), e.g. "en-us", "de" or "es-mx". */
export const languageSchema = z.string().superRefine((value, ctx) => {
  // A malformed tag, a code no provider speaks, or a region the language is not spoken in (en-zz).
  const problem = LANGUAGE_TAG.test(value) ? languageProblem(value) : malformedTagProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Where published media and the feed are served from (e.g. a CloudFront domain). */
export const publicBaseUrlSchema = z.url().regex(/^https?:\/\//, 'publicBaseUrl must be http(s)');

/** Apple Podcasts' name for the category, exactly; the message lists them and suggests a spelling. */
export const categorySchema = text(1, 60).superRefine((value, ctx) => {
  if (isAppleCategory(value)) return;
  const close = closestName(value, APPLE_CATEGORY_NAMES);
  ctx.addIssue({
    code: 'custom',
    message:
      `"${value}" is not an Apple Podcasts category` +
      (close ? ` (did you mean "${close}"?)` : '') +
      `; use one of: ${APPLE_CATEGORY_NAMES.join(', ')}`,
  });
});

/** What an image file's name may end in: Apple takes PNG and JPEG cover art, by extension. */
export const ARTWORK_EXTENSION = /\.(png|jpe?g)$/i;

/**
 * The show's own cover art: an http(s) URL, or file:// in the embedded local mode for a config
 * loaded with --podcast (a path relative to the config file; see checkFeedSchemes). The name
 * must end in .png, .jpg or .jpeg (the image is then checked: 1400-3000 px square, RGB).
 */
export const artworkUrlSchema = z
  .string()
  .max(2048)
  .regex(
    /^(https?|file):\/\/\S+$/,
    'artworkUrl must be an http(s):// URL or a path relative to the config file'
  )
  .refine((value) => URL.canParse(value), 'artworkUrl is not a valid URL')
  .refine(
    (value) => !URL.canParse(value) || ARTWORK_EXTENSION.test(new URL(value).pathname),
    'artworkUrl must name a .png, .jpg or .jpeg image (Apple Podcasts takes PNG or JPEG cover art)'
  );
