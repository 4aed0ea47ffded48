/** X.509 names come one attribute per line (`CN=a\nO=b`); one line reads better in a result. */
export function oneLine(name: string): string {
  return name
    .split('\n')
    .filter((part) => part !== '')
    .join(', ');
}
