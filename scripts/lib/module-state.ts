/**
 * The top-level declarations of a source that hold state: a `let` or `var`, or a `const` made a Map, Set, WeakMap or
 * WeakSet (the SDK deep-freezes a preloaded module's objects, but not what a collection holds). Each as
 * "line: text". The sources are formatted by prettier, so a top-level statement starts at the start of its line.
 */
export function moduleStateIn(source: string): string[] {
  const found: string[] = [];
  source.split('\n').forEach((line, i) => {
    const variable = /^(export\s+)?(let|var)\s/.test(line);
    const collection = /^(export\s+)?const\s+[\w$]+(\s*:[^=]*)?\s*=\s*new\s+(Weak)?(Map|Set)\b/.test(line);
    if (variable || collection) found.push(`${i + 1}: ${line.trim()}`);
  });
  return found;
}
