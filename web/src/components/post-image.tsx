import { useState } from 'react';
import { cn } from '@/lib/cn';

const icons: Record<string, string> = { VIDEO: '▶', REELS: '▶', CAROUSEL_ALBUM: '❐', IMAGE: '◼' };

/**
 * PostImage shows a post's media, or a tidy placeholder when there is no URL, the URL is a
 * video, or the image fails to load (Instagram media URLs expire).
 */
export function PostImage({
  src,
  alt,
  mediaType,
  className,
}: {
  src: string | null | undefined;
  alt: string;
  mediaType?: string | null;
  className?: string;
}) {
  const [failed, setFailed] = useState(false);
  const isVideo = mediaType === 'VIDEO' || mediaType === 'REELS';
  if (!src || failed || isVideo) {
    return (
      <div
        role={alt ? 'img' : undefined}
        aria-label={alt || undefined}
        aria-hidden={alt ? undefined : true}
        className={cn('flex items-center justify-center bg-linear-to-br from-fuchsia-500/30 to-indigo-500/30 text-2xl text-white/80', className)}
      >
        <span aria-hidden="true">{icons[mediaType ?? ''] ?? '◼'}</span>
      </div>
    );
  }
  return (
    <img
      src={src}
      alt={alt}
      loading="lazy"
      decoding="async"
      referrerPolicy="no-referrer"
      onError={() => setFailed(true)}
      className={cn('bg-white/10 object-cover', className)}
    />
  );
}
