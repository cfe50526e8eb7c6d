/** redirectTo leaves the SPA with a top-level navigation (the server's Instagram connect page, which sets its cookie and goes on to Instagram). */
export function redirectTo(url: string): void {
  window.location.href = url;
}
