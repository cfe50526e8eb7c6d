import { Link } from 'react-router';
import { buttonClasses } from '@/components/button';
import { Card } from '@/components/card';
import { WaitlistForm } from '@/features/waitlist';

const features = [
  { title: 'Numbers that matter', text: 'Likes, comments, engagement rate and posting rhythm for 7, 14, 30 or 90 days.' },
  { title: 'Trends at a glance', text: 'Every number is compared with the period before, with a clear up or down arrow.' },
  { title: 'One plain sentence', text: 'A verdict on your growth and what to do next, without a wall of charts.' },
];

/** LandingPage introduces the product and collects waitlist signups. */
export default function LandingPage() {
  return (
    <div className="flex flex-col gap-10">
      <section className="flex flex-col items-start gap-5 pt-4 sm:pt-10">
        <p className="rounded-full border border-white/20 bg-white/10 px-3 py-1 text-xs font-semibold uppercase tracking-wider text-fuchsia-100">
          For Instagram creators
        </p>
        <h1 className="max-w-3xl text-4xl font-extrabold leading-tight text-white sm:text-6xl">
          Is your engagement <span className="bg-linear-to-r from-amber-300 via-rose-300 to-fuchsia-300 bg-clip-text text-transparent">growing</span>?
        </h1>
        <p className="max-w-2xl text-lg text-slate-200">
          Connect your Instagram professional account and get a dashboard that answers in numbers, charts and one plain
          sentence, with a nudge on what to do next.
        </p>
        <div className="flex flex-wrap gap-3">
          <Link to="/register" className={buttonClasses('primary')}>
            Create a free account
          </Link>
          <Link to="/login" className={buttonClasses('secondary')}>
            Log in
          </Link>
        </div>
      </section>

      <Card className="max-w-2xl">
        <h2 className="text-xl font-bold text-white">Join the waitlist</h2>
        <p className="mb-4 mt-1 text-sm text-slate-300">Be first to hear about new features. One email, no spam.</p>
        <WaitlistForm />
      </Card>

      <section aria-label="Features" className="grid gap-4 sm:grid-cols-3">
        {features.map((f) => (
          <Card key={f.title}>
            <h2 className="font-semibold text-white">{f.title}</h2>
            <p className="mt-2 text-sm text-slate-300">{f.text}</p>
          </Card>
        ))}
      </section>
    </div>
  );
}
