/** After a refused submit, moves focus to the first field that says what is wrong. */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  requestAnimationFrame(() => {
    const invalid = form?.querySelector<HTMLElement>('[aria-invalid="true"], .invalid input');
    invalid?.focus();
  });
}
