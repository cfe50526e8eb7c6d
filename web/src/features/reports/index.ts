// The public entry of the reports feature: what other parts of the app may import.
export { getPublicReport } from '@/features/reports/api/reports';
export { PublicReportView } from '@/features/reports/components/public-report';
export { ReportActions } from '@/features/reports/components/report-actions';
export { ShareLinks } from '@/features/reports/components/share-links';
