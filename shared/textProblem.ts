/**
 * Why a name cannot be used, or undefined when it can. One reason per name,
 * the first that applies, so a bad name gets one clear message (an empty
 * name used to get two).
 */
export function nameProblem(value: string, maxLength: number): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (hasLoneSurrogate(value)) return LONE_SURROGATE;
  if (value.trim() === '') return 'must not be blank';
  if (INVISIBLE_ONLY.test(value)) return 'must contain a visible character (it holds only invisible ones, such as a zero-width space)';
  if (CONTROL.test(value)) return 'must not contain control characters';
  // Code points, not UTF-16 units: an emoji counts as one character.
  let length = 0;
  for (const _ of value) if (++length > maxLength) return `is longer than ${maxLength} characters`;
  return undefined;
}

/** The message for a string holding half of a surrogate pair: it is not Unicode text and cannot be stored as UTF-8. */
export const LONE_SURROGATE = 'contains a lone surrogate (half of a UTF-16 pair), which is not valid Unicode';

/** Only whitespace, format characters (zero-width space and joiners, BOM, ...) or other default-ignorable code points. */
const INVISIBLE_ONLY = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}]+$/u;
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `value` holds half of a UTF-16 surrogate pair (String#isWellFormed, which ES2023 typings lack). */
export function hasLoneSurrogate(value: string): boolean {
  return LONE.test(value);
}
