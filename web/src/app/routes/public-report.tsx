import { useParams } from 'react-router';
import { PublicReportView } from '@/features/reports';

/** PublicReportPage is /r/:token, the report a share link opens, for anyone. */
export default function PublicReportPage() {
  const { token = '' } = useParams();
  return <PublicReportView token={token} />;
}
