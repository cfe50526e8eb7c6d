// The JSON shapes of the HTTP contract, named for the web app. Every type comes from
// api/openapi.yaml through openapi.gen.ts (`npm run gen:api`); none is written by hand.
import type { components } from '@/types/openapi.gen';

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

/** AudienceDay is one date of the account's daily figures. */
export type AudienceDay = Schemas['AudienceDay'];
