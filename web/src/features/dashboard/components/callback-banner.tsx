import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert } from '@/components/alert';
import { Button } from '@/components/button';
import { readCallbackResult, type CallbackResult } from '@/features/instagram';

/** CallbackBanner shows the Instagram connection result once, then cleans the query string. */
export function CallbackBanner() {
  const [params, setParams] = useSearchParams();
  const [result, setResult] = useState<CallbackResult | null>(() => readCallbackResult(params));
  // A later navigation to a callback URL replaces the message; read it while rendering
  // rather than in the effect, which only cleans the query string.
  const query = params.toString();
  const [readQuery, setReadQuery] = useState(query);
  if (query !== readQuery) {
    setReadQuery(query);
    const found = readCallbackResult(params);
    if (found) setResult(found);
  }

  useEffect(() => {
    if (!params.has('instagram') && !params.has('reason')) return;
    const next = new URLSearchParams(params);
    next.delete('instagram');
    next.delete('reason');
    setParams(next, { replace: true });
  }, [params, setParams]);

  if (!result) return null;
  return (
    <Alert
      tone={result.tone}
      title={result.tone === 'success' ? 'Instagram connected' : 'Instagram was not connected'}
      action={
        <Button variant="ghost" size="sm" onClick={() => setResult(null)} aria-label="Dismiss message">
          ✕
        </Button>
      }
    >
      <span data-testid="instagram-callback">{result.text}</span>
    </Alert>
  );
}
