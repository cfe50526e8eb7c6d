import { useState } from 'react';
import { Alert } from '@/components/alert';
import { Button } from '@/components/button';
import { downloadExport } from '@/features/reports/api/reports';
import { describeError } from '@/lib/api-error';
import type { ExportFormat, Period } from '@/types/api';

/**
 * ReportActions are the dashboard's report buttons: the period's posts as CSV or JSON,
 * and the print view (the browser's dialog also saves as PDF).
 */
export function ReportActions({ period, timeZone }: { period: Period; timeZone: string }) {
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function download(format: ExportFormat) {
    setBusy(format);
    setError(null);
    try {
      await downloadExport(format, period, timeZone);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="flex flex-col gap-2 print:hidden">
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" size="sm" onClick={() => download('csv')} loading={busy === 'csv'} disabled={busy !== null}>
          Download CSV
        </Button>
        <Button variant="secondary" size="sm" onClick={() => download('json')} loading={busy === 'json'} disabled={busy !== null}>
          Download JSON
        </Button>
        <Button variant="ghost" size="sm" onClick={() => window.print()}>
          Print or save as PDF
        </Button>
      </div>
      {error && <Alert tone="error">{error}</Alert>}
    </div>
  );
}
