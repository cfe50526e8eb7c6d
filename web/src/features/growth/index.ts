// The public entry of the growth feature: what other parts of the app may import.
export { getGrowthStats } from '@/features/growth/api/stats';
export { BestPost } from '@/features/growth/components/best-post';
export { MediaTypes, PostingTimes, TopHashtags } from '@/features/growth/components/breakdowns';
export { InsightsStatus } from '@/features/growth/components/insights-status';
export { DailyCharts } from '@/features/growth/components/daily-charts';
export { PeriodSwitch } from '@/features/growth/components/period-switch';
export { Recommendation } from '@/features/growth/components/recommendation';
export { StatCards } from '@/features/growth/components/stat-cards';
