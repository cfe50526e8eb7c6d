import { LoadingRegion, Skeleton } from '@/components/skeleton';

/** DashboardSkeleton mirrors the dashboard layout while the first data loads. */
export function DashboardSkeleton() {
  return (
    <LoadingRegion label="Loading your dashboard" className="flex flex-col gap-4">
      <Skeleton className="h-24 w-full rounded-2xl" />
      <Skeleton className="h-20 w-full rounded-2xl" />
      <StatsSkeleton />
      <div className="grid gap-4 lg:grid-cols-2">
        <Skeleton className="h-64 rounded-2xl" />
        <Skeleton className="h-64 rounded-2xl" />
      </div>
    </LoadingRegion>
  );
}

/** StatsSkeleton stands in for the stat cards. */
export function StatsSkeleton() {
  return (
    <div className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4">
      {Array.from({ length: 8 }, (_, i) => (
        <Skeleton key={i} className="h-28 rounded-2xl" />
      ))}
    </div>
  );
}
