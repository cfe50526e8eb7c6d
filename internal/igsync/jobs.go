package igsync

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/instagram"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/worker"
)

// fetchPosts is the fetch_posts job: profile, follower snapshot, then every
// page of media up to the cap, one upsert per page.
func (s *Service) fetchPosts(ctx context.Context, job postgres.Job) error {
	acc, token, err := s.jobAccount(ctx, job)
	if err != nil {
		return err
	}

	profile, err := s.client.Me(ctx, token)
	if err != nil {
		return s.upstreamError(ctx, acc, err)
	}
	if err := s.accounts.UpdateProfile(ctx, acc.ID, profile.Username, int64(profile.FollowersCount)); err != nil {
		return err
	}

	fetched := 0
	err = s.client.Media(ctx, token, s.maxPosts, func(page instagram.MediaPage) error {
		for _, sk := range page.Skipped {
			s.logger.WarnContext(ctx, "skipped a post Instagram sent malformed",
				slog.String("account_id", acc.ID), slog.String("ig_post_id", sk.ID), slog.String("error", sk.Err.Error()))
		}
		if len(page.Items) == 0 {
			return nil
		}
		in := make([]postgres.PostInput, len(page.Items))
		for i, m := range page.Items {
			var likes *int64
			if m.LikeCount != nil {
				n := int64(*m.LikeCount)
				likes = &n
			}
			in[i] = postgres.PostInput{
				IGPostID:         m.ID,
				Caption:          m.Caption,
				MediaType:        m.MediaType,
				MediaProductType: m.MediaProductType,
				MediaURL:         m.MediaURL,
				ThumbnailURL:     m.ThumbnailURL,
				Permalink:        m.Permalink,
				LikeCount:        likes,
				CommentsCount:    int64(m.CommentsCount),
				PostedAt:         m.Timestamp,
				Hashtags:         s.hashtags(m.Caption),
			}
		}
		if err := s.posts.Upsert(ctx, acc.ID, in); err != nil {
			return err
		}
		fetched += len(in)
		return s.jobs.Progress(ctx, job.ID, fetched)
	})
	if err != nil {
		return s.upstreamError(ctx, acc, err)
	}
	if err := s.accounts.MarkSynced(ctx, acc.ID); err != nil {
		return err
	}
	// The new posts are due now; older ones as the ladder says.
	_, err = s.ScheduleInsights(ctx, acc.ID)
	return err
}

// refreshToken is the refresh_token job.
func (s *Service) refreshToken(ctx context.Context, job postgres.Job) error {
	acc, token, err := s.jobAccount(ctx, job)
	if err != nil {
		return err
	}
	fresh, err := s.client.RefreshToken(ctx, token)
	if err != nil {
		return s.upstreamError(ctx, acc, err)
	}
	sealed, err := s.box.Seal(fresh.AccessToken, acc.IGUserID)
	if err != nil {
		return err
	}
	return s.accounts.UpdateToken(ctx, acc.ID, sealed, time.Now().Add(fresh.ExpiresIn))
}

// jobAccount loads a job's account and opens its token, failing the job
// for good when the account is gone, needs reconnecting, or its token
// cannot be read.
func (s *Service) jobAccount(ctx context.Context, job postgres.Job) (postgres.Account, string, error) {
	acc, err := s.accounts.ByID(ctx, job.AccountID)
	if apperr.Is(err, apperr.CodeNotFound) {
		return acc, "", worker.Permanent(err, "The account was disconnected.")
	}
	if err != nil {
		return acc, "", err
	}
	if acc.Status == postgres.StatusNeedsReauth {
		return acc, "", worker.Permanent(errNeedsReauth, reauthMessage)
	}
	token, err := s.token(acc)
	if err != nil {
		return acc, "", worker.Permanent(err, "The stored Instagram token cannot be read; reconnect the account.")
	}
	return acc, token, nil
}

const reauthMessage = "Instagram no longer accepts this account's access; reconnect it."

// upstreamError classifies an Instagram failure for the job queue: an
// invalid token marks the account needs_reauth and fails for good;
// throttling, 5xx, time-outs and unreadable answers are retried.
func (s *Service) upstreamError(ctx context.Context, acc postgres.Account, err error) error {
	if ctx.Err() != nil {
		return err
	}
	var apiErr *instagram.APIError
	switch {
	case errors.As(err, &apiErr) && apiErr.TokenInvalid():
		turned, mErr := s.accounts.MarkNeedsReauth(context.WithoutCancel(ctx), acc.ID)
		if mErr != nil {
			return mErr
		}
		if turned && s.onReauth != nil {
			// Once per transition: a retry or another replica finds it marked.
			if rErr := s.onReauth(context.WithoutCancel(ctx), acc); rErr != nil {
				s.logger.ErrorContext(ctx, "needs_reauth notice", slog.String("account_id", acc.ID), slog.String("error", rErr.Error()))
			}
		}
		return worker.Permanent(err, reauthMessage)
	case errors.As(err, &apiErr) && apiErr.Throttled():
		return worker.Retry(err, "Instagram is limiting requests right now.", apiErr.RetryAfter)
	case errors.As(err, &apiErr) && apiErr.Temporary():
		return worker.Retry(err, "Instagram is not answering properly right now.", apiErr.RetryAfter)
	case errors.As(err, &apiErr):
		return worker.Permanent(err, "Instagram refused the request (error "+strconv.Itoa(apiErr.Code)+").")
	case errors.Is(err, instagram.ErrTimeout):
		return worker.Retry(err, "Instagram did not answer in time.", 0)
	case errors.Is(err, instagram.ErrMalformedResponse):
		return worker.Retry(err, "Instagram sent an answer that could not be read.", 0)
	}
	return worker.Retry(err, "The sync failed.", 0)
}
