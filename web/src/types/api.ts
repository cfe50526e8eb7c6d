// The JSON shapes of the HTTP contract, named for the web app. Every type comes from
// api/openapi.yaml through openapi.gen.ts (`npm run gen:api`); none is written by hand.
import type { components, paths } from '@/types/openapi.gen';

type Schemas = components['schemas'];

/** User is the logged-in person. */
export type User = Schemas['User'];

/** AuthResponse is the body of register and login. */
export type AuthResponse = Schemas['Session'];

/** UserSettings are the user's own preferences (PATCH /api/user/me); absent fields are kept. */
export type UserSettings = Schemas['Settings'];

/** Credentials are what register and login take. */
export type Credentials = Schemas['Credentials'];

/** ErrorBody is the body of every non-2xx answer. */
export type ErrorBody = Schemas['Error'];

/** MessageBody is a body that only carries a sentence (disconnect, waitlist signup). */
export type MessageBody = Schemas['Message'];

/** ConnectUrl is the body of GET /api/instagram/connect. */
export type ConnectUrl = Schemas['ConnectURL'];

/** InstagramAccount is a linked Instagram professional account (never with a token). */
export type InstagramAccount = Schemas['Account'];

/** FetchScheduled is the body of POST /api/instagram/refresh (202). */
export type FetchScheduled = Schemas['FetchScheduled'];

/** Post is one stored Instagram post. */
export type Post = Schemas['Post'];

/** PostInsights is a post's latest insights reading; a metric is null when Instagram did not report it. */
export type PostInsights = Schemas['PostInsights'];

/** InsightsReading is one entry of a post's lifespan history. */
export type InsightsReading = Schemas['InsightsReading'];

/** PostDetail is the body of GET /api/instagram/posts/{id}: the post and its readings, oldest first. */
export type PostDetail = Schemas['PostDetail'];

/** PostsResponse is a page of posts, newest first. */
export type PostsResponse = Schemas['PostsPage'];

/** SyncStatus is the state of the account's post fetch. */
export type SyncStatus = Schemas['SyncStatus'];

/** GrowthStats is the body of GET /api/growth/stats. */
export type GrowthStats = Schemas['Stats'];

/** Period is one of the supported stats windows, in days. */
export type Period = GrowthStats['period_days'];

/** WindowTotals are the totals of the previous window. */
export type WindowTotals = Schemas['WindowTotals'];

/** Freshness says when the account's posts and insights were last read and the next fetch is due. */
export type Freshness = Schemas['Freshness'];

/** DailyBucket is one calendar day of the window. */
export type DailyBucket = Schemas['DailyBucket'];

/** MediaTypeStat is engagement by media type. */
export type MediaTypeStat = Schemas['MediaTypeStats'];

/** PostingTime is a weekday/hour slot with its average engagement. */
export type PostingTime = Schemas['PostingTime'];

/** HashtagStat is a hashtag with its average engagement. */
export type HashtagStat = Schemas['HashtagStats'];

/** WaitlistEntry is one signup. */
export type WaitlistEntry = Schemas['WaitlistEntry'];

/** WaitlistPage is a page of the admin listing. */
export type WaitlistPage = Schemas['WaitlistPage'];

/** AccountsResponse is the body of GET /api/instagram/accounts. */
export type AccountsResponse = paths['/api/instagram/accounts']['get']['responses'][200]['content']['application/json'];

/** PublicReport is what a share link opens, without a login. */
export type PublicReport = Schemas['PublicReport'];

/** PublicStats are the stats of a public report: its best post has no id. */
export type PublicStats = Schemas['PublicStats'];

/** ShareLink is a share link as listed (never with its token). */
export type ShareLink = Schemas['ShareLink'];

/** CreatedShareLink is the answer to a link's creation, the only one with its token and address. */
export type CreatedShareLink = Schemas['CreatedShareLink'];

/** ExportFormat is a format of GET /api/growth/export. */
export type ExportFormat = 'csv' | 'json';

/** Recommendations is the body of GET /api/growth/recommendations: what to do next. */
export type Recommendations = Schemas['Recommendations'];

/** Recommendation is one piece of advice with the numbers behind it. */
export type Recommendation = Schemas['Recommendation'];

/** BestTimes scores each weekday and hour; `null` where there is no information. */
export type BestTimes = Schemas['BestTimes'];

/** TimeSlot is one of the best hours of the week. */
export type TimeSlot = Schemas['TimeSlot'];

/** Outliers are the posts far above and below the window's median engagement. */
export type Outliers = Schemas['Outliers'];

/** Forecast is the body of GET /api/growth/forecast. */
export type Forecast = Schemas['Forecast'];

/** ForecastPoint is the forecast of one date with its 80 % interval. */
export type ForecastPoint = Schemas['ForecastPoint'];

/** Goal is a follower target with its progress and pace. */
export type Goal = Schemas['Goal'];

/** GoalInput is the body of POST /api/goals. */
export type GoalInput = Schemas['GoalInput'];

/** GoalList is the body of GET /api/goals. */
export type GoalList = Schemas['GoalList'];

/** Audience is the body of GET /api/growth/audience. */
export type Audience = Schemas['Audience'];

/** AudienceDay is one US Pacific date of account figures; each is null when not reported. */
export type AudienceDay = Schemas['AudienceDay'];

/** OnlineFollowers is the weekday × hour heatmap in the asked zone (null unless ok). */
export type OnlineFollowers = Schemas['OnlineFollowers'];

/** Demographics are the followers' and the engaged audience's breakdowns (null unless ok). */
export type Demographics = Schemas['Demographics'];

/** DemographicRow is one bucket of a breakdown ("25-34", "F", "US") and its count. */
export type DemographicRow = Schemas['DemographicRow'];
