/**
 * The form in which a workflow's name and a list call's `name` filter are
 * compared: Unicode NFKC (so a full-width `ＥＴＬ` or a ligature `ﬁ` is the
 * text a keyboard types) and lower case (locale-independent). A name matches
 * when its key contains the filter's key.
 */
export function nameSearchKey(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}
