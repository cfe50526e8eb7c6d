/** redirectTo leaves the SPA for an external page (the Instagram authorize page). */
export function redirectTo(url: string): void {
  window.location.href = url;
}
