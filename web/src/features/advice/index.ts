// The public entry of the advice feature: what other parts of the app may import.
export { AdviceSection, type AdviceSectionProps } from '@/features/advice/components/advice-section';
export type {
  BestTimes,
  Forecast,
  Goal,
  Recommendation,
  Recommendations,
} from '@/features/advice/api/advice';
