/** Characters that give a regex source any meaning beyond the text itself. */
const META = /[\\^$.|?*+()[\]{}]/;

/**
 * The text a regex matches when it is only that text (`/build/`, `/All Systems Go/`), else
 * undefined. Such a pattern is searched as a substring, which takes linear time and needs no
 * worker; `i` is left to the regex engine, whose case folding differs from `toLowerCase`.
 */
export function literalOfRegex(source: string, flags: string): string | undefined {
  if (flags.includes('i') || source === '' || META.test(source)) return undefined;
  return source;
}
