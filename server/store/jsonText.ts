/**
 * JSON text as the store keeps it. JSON.stringify hands back a rope (a tree of
 * the chunks it wrote, ~25 heap objects per workflow); kept as is, every one
 * of them is copied by each young-generation GC and held for good. Converting
 * to a number reads the string through, which flattens it in place (one copy
 * of ~1 kB), and the next GC drops the chunks: about a fifth less memory per
 * stored workflow, no more CPU.
 */
export function jsonText(value: unknown): string {
  const text = JSON.stringify(value);
  Number(text); // read for its side effect: V8 flattens the rope
  return text;
}
