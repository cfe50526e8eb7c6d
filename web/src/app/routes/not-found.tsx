import { Link } from 'react-router';
import { buttonClasses } from '@/components/button';
import { Card } from '@/components/card';

/** NotFoundPage answers unknown paths. */
export default function NotFoundPage() {
  return (
    <Card className="mx-auto flex max-w-lg flex-col items-center gap-4 text-center">
      <p className="text-5xl font-extrabold text-white">404</p>
      <h1 className="text-xl font-bold text-white">This page does not exist</h1>
      <p className="text-slate-300">The link may be old or mistyped.</p>
      <Link to="/" className={buttonClasses('primary')}>
        Go to the home page
      </Link>
    </Card>
  );
}
