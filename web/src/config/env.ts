/** Env is the validated build-time configuration of the SPA. */
export interface Env {
  /** Origin of the API; empty means same origin (the Go server serves the SPA). */
  apiBaseUrl: string;
  /** Whether Vercel Analytics is loaded. */
  vercelAnalytics: boolean;
}

type RawEnv = Partial<Record<'VITE_API_BASE_URL' | 'VITE_VERCEL_ANALYTICS', string>>;

/** parseEnv validates raw build variables and throws with a readable message on bad values. */
export function parseEnv(raw: RawEnv): Env {
  const problems: string[] = [];

  const base = (raw.VITE_API_BASE_URL ?? '').trim();
  if (base !== '' && !/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(base)) {
    problems.push(`VITE_API_BASE_URL must be empty or an http(s) URL, got "${base}"`);
  }

  const analytics = (raw.VITE_VERCEL_ANALYTICS ?? '').trim();
  if (!['', 'true', 'false'].includes(analytics)) {
    problems.push(`VITE_VERCEL_ANALYTICS must be "true" or "false", got "${analytics}"`);
  }

  if (problems.length > 0) {
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }

  return { apiBaseUrl: base.replace(/\/+$/, ''), vercelAnalytics: analytics === 'true' };
}

/** env is the configuration of this build, validated when the app starts. */
export const env: Env = parseEnv(import.meta.env as RawEnv);
