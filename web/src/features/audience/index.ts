// The public entry of the audience feature: what other parts of the app may import.
export { getAudience } from '@/features/audience/api/audience';
export { AudienceSection } from '@/features/audience/components/audience-section';
