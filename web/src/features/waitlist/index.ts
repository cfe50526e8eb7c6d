// The public entry of the waitlist feature: what other parts of the app may import.
export { WaitlistForm } from '@/features/waitlist/components/waitlist-form';
