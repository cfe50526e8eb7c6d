import { useCallback, useState } from 'react';
import { Button } from '@/components/button';
import { ErrorState } from '@/components/error-state';
import { AudienceSection } from '@/features/audience';
import { AdviceSection } from '@/features/advice';
import { CallbackBanner } from '@/features/dashboard/components/callback-banner';
import { DashboardSkeleton } from '@/features/dashboard/components/dashboard-skeleton';
import { StatsSection } from '@/features/dashboard/components/stats-section';
import { getGrowthStats, PeriodSwitch } from '@/features/growth';
import {
  AccountCard,
  AccountSwitcher,
  ConnectInstagram,
  DisconnectButton,
  getPosts,
  PAGE_SIZE,
  PostList,
  SyncStatusLine,
  useSync,
} from '@/features/instagram';
import { ReportActions, ShareLinks } from '@/features/reports';
import { isApiError } from '@/lib/api-error';
import { browserTimeZone } from '@/lib/format';
import { getSelectedAccount, setSelectedAccount } from '@/lib/selected-account';
import { useAsync } from '@/lib/use-async';
import type { Period } from '@/types/api';

const noAccount = (error: unknown) => isApiError(error) && error.code === 'no_instagram_account';

/** Dashboard is the signed-in home: account, period, stats, charts and posts. */
export function Dashboard({ syncIntervalMs }: { syncIntervalMs?: number }) {
  const [period, setPeriod] = useState<Period>(30);
  const [version, setVersion] = useState(0);
  const [timeZone] = useState(browserTimeZone);
  const reloadAll = useCallback(() => setVersion((v) => v + 1), []);

  const posts = useAsync(
    (signal) =>
      getPosts({ limit: PAGE_SIZE }, signal).catch((e: unknown) => {
        // A chosen account that is gone (disconnected elsewhere): fall back to the newest one.
        if (isApiError(e) && e.status === 404 && getSelectedAccount()) {
          setSelectedAccount(null);
          reloadAll();
        }
        throw e;
      }),
    [version],
  );
  const stats = useAsync((signal) => getGrowthStats(period, timeZone, signal), [period, timeZone, version]);
  // Posts decide whether an account exists; stats only while posts have not answered yet.
  const missing =
    (isApiError(posts.error) && posts.error.status === 404) || (noAccount(stats.error) && !posts.data && !posts.error);
  const disconnected = useCallback(() => {
    setSelectedAccount(null);
    reloadAll();
  }, [reloadAll]);
  const sync = useSync({
    onFinished: reloadAll,
    onStats: stats.reload,
    watch: Boolean(posts.data) && !missing,
    accountId: posts.data?.account.id,
    intervalMs: syncIntervalMs,
  });

  let body;
  if (missing) {
    body = <ConnectInstagram />;
  } else if (posts.status === 'error' && !posts.data) {
    body = <ErrorState error={posts.error} onRetry={posts.reload} title="Could not load your Instagram account" />;
  } else if (!posts.data) {
    body = <DashboardSkeleton />;
  } else {
    const account = posts.data.account;
    body = (
      <>
        <AccountCard
          account={account}
          actions={<DisconnectButton username={account.username} onDisconnected={disconnected} />}
        />
        <div className="flex flex-wrap items-center justify-between gap-3">
          <PeriodSwitch value={period} onChange={setPeriod} />
          <Button variant="secondary" onClick={sync.refresh} loading={sync.busy}>
            {sync.busy ? 'Syncing…' : 'Refresh'}
          </Button>
        </div>
        <SyncStatusLine view={sync.view} />
        <ReportActions period={period} timeZone={timeZone} />
        <StatsSection stats={stats} timeZone={timeZone} onRetry={stats.reload} />
        <AdviceSection timeZone={timeZone} followers={account.followers} reloadKey={version} />
        <AudienceSection period={period} timeZone={timeZone} reloadKey={version} />
        <ShareLinks key={`${account.id}-${period}`} initialPeriod={period} timeZone={timeZone} version={version} />
        <PostList key={`${version}-${posts.data.posts[0]?.id ?? 'none'}-${posts.data.posts_count}`} initial={posts.data} />
      </>
    );
  }

  return (
    <div className="flex flex-col gap-4 sm:gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold text-white sm:text-3xl">Your growth dashboard</h1>
        {posts.data && <AccountSwitcher current={posts.data.account.id} version={version} onChange={reloadAll} />}
      </div>
      <CallbackBanner />
      {body}
    </div>
  );
}
