import { useParams } from 'react-router';
import { ProtectedRoute } from '@/app/protected-route';
import { PostPage } from '@/features/instagram';

/** PostRoute is /posts/:id, one post's insights, for signed-in users only. */
export default function PostRoute() {
  const { id = '' } = useParams();
  return (
    <ProtectedRoute>
      <PostPage key={id} id={id} />
    </ProtectedRoute>
  );
}
