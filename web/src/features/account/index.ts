// The public entry of the account feature: what other parts of the app may import.
export { Settings } from '@/features/account/components/settings';
